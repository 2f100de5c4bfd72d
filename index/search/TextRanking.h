#pragma once
// Text written in photos (OCR, index/text/PhotoTextStore.h) in search: what a
// parsed query asks of written text, the photos that must or must not have
// it, and the one ranking that merges written text with CLIP's scores.
//
// Two uses of written text:
// - Written-text terms (`"wifi password"`, `text:draft`; QueryTerm::textOnly)
//   are requirements: a result must have every positive one written in it (a
//   quoted term as an exact phrase, a `text:` term's words anywhere, each also
//   as a prefix) and none of the negative ones. A query with no picture term
//   lists those photos, best written match first (FTS5 bm25).
// - The words of the positive picture (CLIP) terms, stopwords left out, also
//   raise photos that have them written: CLIP's score plus a bonus that grows
//   with the COVERAGE of the query's words, coverage^1.5 × the full bonus.
//   The full bonus is kFullCoverageSigmas of the query's background spread
//   (RelevanceCut.h), or more when CLIP's best candidate stands further out:
//   enough to lift a photo that CLIP scores kHeadroomSigmas below the
//   background's centre just above CLIP's best. Photos with every word
//   written get at least that, and as much as lifts the lowest of them (by
//   CLIP) one sigma above CLIP's best: all words of "wifi password" written
//   in a photo put it first even where CLIP sees nothing (and 8 sigmas is far
//   above the 3-sigma cut), such photos rank among themselves by CLIP, while
//   one word of six content words ("store" in "the red car parked in front
//   of the hardware store") adds 6^-1.5 = 7% of the full bonus, which leaves
//   good CLIP matches ahead.
//   The relevance cut then falls on the merged scores where CLIP alone put
//   it (or at the kZ threshold when CLIP kept nothing), so text never pushes
//   CLIP's good matches out, and raised photos above that score count as
//   good matches too.
//
// Pure functions except TextMatcher, which reads the catalog (one thread,
// like the Catalog it is given).

#include "RelevanceCut.h"

#include <QStringList>

#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace photosearch {

class Catalog;
struct ParsedQuery;

// Words as the FTS index splits text (unicode61: runs of letters, digits and
// marks), in the order written, case and accents kept (the index folds them).
QStringList splitWrittenWords(const QString& text);
// The same without stopwords ("a", "the", "of", "photo"...) and one-letter
// words: what carries the query's meaning.
QStringList contentWords(const QString& text);

// What a parsed query asks of written text.
struct TextQuery {
    struct Requirement {
        QStringList words;
        bool phrase = false; // the exact sequence (a quoted term)
    };
    std::vector<Requirement> required; // positive written-text terms: each must match
    std::vector<Requirement> excluded; // negative ones: none may match
    QStringList rankWords;             // content words of the positive picture terms
    bool hasPictureTerms = false;      // a positive term CLIP embeds (text or image)

    bool restricts() const { return !required.empty() || !excluded.empty(); }
};
TextQuery textQuery(const ParsedQuery& query);

// Photo ids a search may return: all, or only those in `only`, less `except`.
struct PhotoSelection {
    std::optional<std::unordered_set<qint64>> only;
    std::unordered_set<qint64> except;

    bool everything() const { return !only && except.empty(); }
    bool allows(qint64 id) const { return (!only || only->count(id) != 0) && except.count(id) == 0; }
    void restrictTo(const std::unordered_set<qint64>& ids);
};

// A photo found by written text, with the CLIP score it has for the query.
struct TextCandidate {
    qint64 id = 0;
    float clipScore = 0;
    double coverage = 0; // of TextQuery::rankWords, 0..1
};

struct MergedPhoto {
    qint64 id = 0;
    float score = 0;       // CLIP's cosine plus the written-text bonus
    bool textMatched = false;
};

struct MergedRanking {
    std::vector<MergedPhoto> photos; // best first
    int goodMatches = 0;             // a prefix of `photos`
    float cutScore = 0;              // the score the good ones reach (-inf: no cut)
};

struct TextRanking {
    // The least bonus, in background sigmas, when every word of the query is
    // written; and how far below the background's centre a photo may score
    // and still be lifted above CLIP's best by it.
    static constexpr double kFullCoverageSigmas = 8.0;
    static constexpr double kHeadroomSigmas = 2.0;
    static constexpr double kCoverageExponent = 1.5;
    // The bonus unit when the library is too small for a background
    // (RelevanceCut::kMinSamples): about the spread of a real CLIP model's
    // cosines over unrelated photos.
    static constexpr float kFallbackSigma = 0.03f;
    // Photos found by written text that are merged into one ranking.
    static constexpr int kCandidates = 500;

    // `bestClipScore`: CLIP's best candidate (-inf when there is none).
    static float bonus(double coverage, const ScoreBackground& background, float bestClipScore);
    // `clipHits` are CLIP's candidates, best first; `coverage` the written-text
    // coverage of photos (in clipHits or not); `extra` the photos found by text
    // only, with their CLIP scores.
    static MergedRanking merge(const std::vector<std::pair<qint64, float>>& clipHits,
                               const std::unordered_map<qint64, double>& coverage,
                               const std::vector<TextCandidate>& extra, const ScoreBackground& background);
};

// The written-text side of one search, on the engine's catalog.
class TextMatcher {
public:
    explicit TextMatcher(const Catalog& catalog);

    // `selection` narrowed to what `query`'s written-text terms allow.
    void restrict(const TextQuery& query, PhotoSelection& selection) const;
    // The coverage of `words` for photos that have some of them written,
    // best first, at most `limit`, only those `selection` allows.
    std::unordered_map<qint64, double> coverage(const QStringList& words, int limit,
                                                const PhotoSelection& selection) const;
    // A query without picture terms: the photos meeting its requirements,
    // best written match first, at most `limit`.
    std::vector<qint64> requiredOnly(const TextQuery& query, int limit, const PhotoSelection& selection) const;
    // Whether any photo of the library has had its text read.
    bool anyTextRead() const;

private:
    // Photos whose written text meets `r`, best first.
    std::vector<qint64> matching(const TextQuery::Requirement& r, int limit) const;

    const Catalog& catalog_;
};

} // namespace photosearch
