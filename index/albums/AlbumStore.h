#pragma once
// The albums a person keeps in the catalog (schema v3 tables `albums`,
// `album_photos`, `album_examples`, `album_models`): manual albums (an
// ordered list of photos) and few-shot albums (photos marked in or out, and
// the linear probe trained from them per model). Auto-albums are tags and
// live in TagAlbums.h, not here.
//
// Albums only ever point at photos: deleting or editing an album never
// touches a photo row or a file. Every write is one transaction (joining the
// caller's Catalog::Transaction when there is one), so an index run writing
// the same file only delays it by SQLite's busy timeout.
//
// Not thread-safe: it uses its Catalog's connection (one per thread).

#include <QString>
#include <QStringList>

#include <optional>
#include <stdexcept>
#include <vector>

namespace photosearch {

class Catalog;

// Bad input about albums (unknown or duplicate name, a path that is not in
// the library); the message is one sentence for the user.
class AlbumError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class AlbumKind { Manual, FewShot, Tag };

QString albumKindName(AlbumKind kind); // "manual", "few-shot", "tag"

struct AlbumRow {
    qint64 id = 0;
    QString name;
    AlbumKind kind = AlbumKind::Manual; // Manual or FewShot: tags have no row
    QString created;                    // ISO 8601, UTC
};

struct AlbumExample {
    qint64 photoId = 0;
    bool positive = true;
};

// A trained probe: probability = sigmoid(weights · embedding + bias).
struct StoredProbe {
    std::vector<float> weights;
    double bias = 0;
    qint64 trainedAtMs = 0;
};

class AlbumStore {
public:
    explicit AlbumStore(Catalog& catalog);

    // Stored albums (manual and few-shot), by name.
    std::vector<AlbumRow> albums() const;
    std::optional<AlbumRow> album(const QString& name) const;
    // Throws AlbumError when no stored album has this name.
    AlbumRow requireAlbum(const QString& name) const;

    // Names are trimmed; empty or taken names throw AlbumError.
    AlbumRow create(const QString& name, AlbumKind kind);
    void rename(const QString& name, const QString& newName);
    // Removes the album with its entries, examples and probes; photos stay.
    void remove(const QString& name);

    // --- manual albums: photos in album order ---
    std::vector<qint64> photos(qint64 albumId) const;
    qint64 photoCount(qint64 albumId) const;
    // Appends the photos not already in the album; returns how many were new.
    int addPhotos(qint64 albumId, const std::vector<qint64>& photoIds);
    // Returns how many were in the album.
    int removePhotos(qint64 albumId, const std::vector<qint64>& photoIds);

    // --- few-shot albums: examples (model independent) and probes (per model) ---
    std::vector<AlbumExample> examples(qint64 albumId) const;
    // Marks photos in or out (a later mark replaces an earlier one) and drops
    // the album's probes, which no longer match the examples.
    void setExamples(qint64 albumId, const std::vector<qint64>& photoIds, bool positive);
    std::optional<StoredProbe> probe(qint64 albumId, const QString& modelId) const;
    void storeProbe(qint64 albumId, const QString& modelId, const StoredProbe& probe);

    // The catalog id of the photo stored under `path` (as typed, absolute, or
    // with symbolic links resolved; a RAW's path stands for its JPEG/HEIF
    // twin, see RawTwins.h). Throws AlbumError naming the path when
    // the library has no such photo.
    qint64 photoIdForPath(const QString& path) const;
    std::vector<qint64> photoIdsForPaths(const QStringList& paths) const;

private:
    Catalog& catalog_;
};

} // namespace photosearch
