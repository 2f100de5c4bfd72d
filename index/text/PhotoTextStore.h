#pragma once
// Text read in photos (schema 4): the photo_text table and its FTS5 index
// photo_text_fts (unicode61, remove_diacritics 2: accent- and case-folded).
// A row is valid only while its content_hash equals the photo's (the
// staleness key, as for embeddings): a changed photo is read again, a moved
// one (same id, new path) keeps its text. Triggers keep the FTS index in step
// with photo_text, and photo_text cascades with photos, so a removed photo
// leaves the index.
//
// Thread rule: like the Catalog it is given, one thread. Writes join the
// catalog's current transaction when there is one.

#include <QString>
#include <QStringList>

#include <optional>
#include <utility>
#include <vector>

namespace photosearch {

class Catalog;

enum class PhotoTextStatus { Read = 0, Skipped = 1, Failed = 2 };

struct PhotoText {
    qint64 photoId = 0;
    PhotoTextStatus status = PhotoTextStatus::Read;
    QString text;
    std::vector<std::pair<QString, float>> words;
    float confidence = 0;
    QString languages;
    QString error;
    float likelihood = 0;
};

struct TextMatch {
    qint64 photoId = 0;
    double coverage = 0; // fraction of the query's words found, 0..1
    double rank = 0;     // FTS5 bm25, lower is better
};

// How the library's photos stand with the text pass.
struct PhotoTextCounts {
    qint64 read = 0;     // valid rows with status Read
    qint64 withText = 0; // ... of which some words were kept
    qint64 skipped = 0;  // valid rows with status Skipped
    qint64 failed = 0;   // valid rows with status Failed
    qint64 unread = 0;   // Ok photos with no valid row
};

class PhotoTextStore {
public:
    explicit PhotoTextStore(const Catalog& catalog);

    std::optional<PhotoText> text(qint64 photoId) const; // valid (not stale) rows only
    void put(qint64 photoId, const QString& contentHash, const PhotoText& text);

    // Valid-text photos containing `words` (accent/case folded; each word also
    // as a prefix when `phrase` is false; the exact sequence when true), best
    // first, at most `limit`.
    std::vector<TextMatch> match(const QStringList& words, bool phrase, int limit) const;

    // Ok photos the pass must look at, in id order: no valid row, a row made
    // with other `languages`, or (with `all`) a row that was only Skipped.
    std::vector<qint64> photosToRead(const QString& languages, bool all) const;
    PhotoTextCounts counts() const;
    // Rebuilds the FTS index from photo_text (after a salvage copied the
    // table row by row, or if the index is found damaged).
    void rebuildIndex() const;

    // The words kept for the FTS index: one space-separated string.
    static QString indexedWords(const std::vector<std::pair<QString, float>>& words);

private:
    const Catalog& catalog_;
};

} // namespace photosearch
