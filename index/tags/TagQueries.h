#pragma once
// What the CLI, the albums and the window read about tags: one model's
// assignments with the person's corrections applied (TagCorrections.h).
// A tag shows on a photo when it is confirmed, or when the model assigned
// it and it is not removed. Only photos in the Ok state count.
//
// Thread rule: like the Catalog it is given, one thread.

#include <QString>

#include <optional>
#include <vector>

namespace photosearch {

class Catalog;

struct PhotoTag {
    QString tag;
    // The calibrated score (Tagger.h); none for a confirmed tag the model
    // does not score (not in the vocabulary).
    std::optional<double> score;
    bool confirmed = false;
};

// The tags `photoId` shows for `modelId`: confirmed ones first, then by
// score, best first.
std::vector<PhotoTag> photoTags(const Catalog& catalog, const QString& modelId, qint64 photoId);

struct TagCount {
    QString tag;
    qint64 photos = 0;
    bool inVocabulary = false;
};

// Every tag that shows on at least one photo, with how many: most photos
// first, then by name. The albums list those with enough photos.
std::vector<TagCount> tagCounts(const Catalog& catalog, const QString& modelId);

struct TaggedPhoto {
    qint64 photoId = 0;
    std::optional<double> score;
    bool confirmed = false;
};

// The photos showing `tag` (spelled as stored or differing in case only):
// confirmed ones first (a person's word is surer than any score), then by
// score, best first.
std::vector<TaggedPhoto> photosWithTag(const Catalog& catalog, const QString& modelId, const QString& tag);

} // namespace photosearch
