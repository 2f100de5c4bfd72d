#pragma once
// A few-shot album: the photos a person marked in, then the rest of the
// library ranked by a linear probe (LinearProbe.h) trained on the library
// model's stored embeddings of the marked photos.
//
// Negatives are the photos marked out, plus — while fewer than
// enoughMarkedOut are — a fixed-seed random sample of the other library
// photos as weak negatives: a probe with one class cannot be trained, and the
// rest of a library is mostly not in any one album. Some of the sample does
// belong in the album; that is why a weak negative counts for less than a
// photo marked out, and why the probe is strongly regularised (it then
// stays close to "the direction from the library towards the marked
// photos" instead of memorising the sample). Positives and negatives each
// weigh half in total (class balance), whatever their counts.
//
// Examples are kept by photo, so the probe is retrained from them when the
// library's model changes; probes are stored per (album, model).
//
// Not thread-safe: it uses its Catalog's connection.

#include "AlbumStore.h"
#include "LinearProbe.h"

#include <QString>

#include <optional>
#include <vector>

namespace photosearch {

// The defaults are what measurement on the shapes world chose
// (tests/index/test_albums.cpp, concept "shapes with corners"; the numbers
// are in FewShotAlbum.cpp). Tests may vary them; the app uses the defaults.
struct FewShotSettings {
    double l2 = 0;                    // λ of the probe
    int enoughMarkedOut = 0;          // weak negatives only below this many marked out
    int weakNegativeSample = 0;       // how many photos the sample takes at most
    double weakNegativeWeight = 0;    // one sampled photo's weight; a marked one weighs 1
    double memberProbability = 0;     // ranked photos at or above this are members...
    int maxRankedMembers = 0;         // ...at most this many

    static FewShotSettings defaults();
};

struct FewShotTraining {
    int positives = 0;        // marked in, with an embedding for the model
    int negatives = 0;        // marked out, with an embedding
    int weakNegatives = 0;    // sampled from the rest of the library
    int withoutEmbedding = 0; // marked photos the model has no vector for (not used)
    bool trained = false;     // false: no marked-in photo, or no negative at all
};

struct RankedPhoto {
    qint64 photoId = 0;
    double score = 0; // 1 for a photo marked in; else the probe's probability
};

class FewShotAlbum {
public:
    FewShotAlbum(Catalog& catalog, qint64 albumId, const QString& modelId,
                 const FewShotSettings& settings = FewShotSettings::defaults());

    // Trains from the stored examples and stores the probe for the model.
    FewShotTraining train();
    // The stored probe for the model, else one trained (and stored) now;
    // nothing when it cannot be trained.
    std::optional<LinearProbe> probe();
    // Every library photo not marked in or out that has an embedding for the
    // model, by the probe's probability, best first (ties by id). Empty when
    // no probe can be trained.
    std::vector<RankedPhoto> ranking();
    // Marked-in photos first (score 1, album example order), then other
    // library photos not marked out with probability ≥ memberProbability,
    // best first, at most maxRankedMembers of them.
    std::vector<RankedPhoto> members();

private:
    std::vector<qint64> sampleWeakNegatives(const std::vector<AlbumExample>& examples, int count) const;

    Catalog& catalog_;
    AlbumStore store_;
    qint64 albumId_;
    QString modelId_;
    FewShotSettings settings_;
};

} // namespace photosearch
