#pragma once
// The albums as the CLI and the window see them: one name space over the
// three kinds — manual albums and few-shot albums (AlbumStore.h,
// FewShotAlbum.h) and auto-albums made from tags (TagAlbums.h). A stored
// album wins over a tag of the same name; a tag album is changed by
// correcting tags, so the editing calls refuse it.
//
// Editing a few-shot album edits its examples: add marks photos in, remove
// marks them out, and the probe is retrained at once. Each call is one
// catalog transaction; photos and files are never deleted.
//
// Not thread-safe: it uses its Catalog's connection (one per thread).

#include "AlbumStore.h"
#include "FewShotAlbum.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace photosearch {

struct AlbumSummary {
    QString name;
    AlbumKind kind = AlbumKind::Manual;
    qint64 count = 0; // photos album show lists
};

struct AlbumPhoto {
    qint64 photoId = 0;
    QString path;
    // manual: 1 (album order); few-shot: 1 for a photo marked in, else the
    // probe's probability; tag: the tag's score.
    double score = 0;
};

class AlbumLibrary {
public:
    // `modelId`: the library's model (few-shot probes and tags are per
    // model); empty when the library has none yet.
    AlbumLibrary(Catalog& catalog, const QString& modelId);

    // Every album, by name (stored ones first when a tag has the same name).
    std::vector<AlbumSummary> list();
    // Throws AlbumError for an unknown name.
    AlbumSummary summary(const QString& name);
    std::vector<AlbumPhoto> show(const QString& name);

    // Creates the few-shot album when missing, marks the photos in/out and
    // retrains. Throws AlbumError for a manual or tag album of that name, or
    // a path not in the library (then nothing is written).
    FewShotTraining train(const QString& name, const QStringList& positives, const QStringList& negatives);
    // Manual (created when missing): appends; returns how many were new.
    // Few-shot: marks the photos in and retrains; returns how many.
    int add(const QString& name, const QStringList& paths);
    // Manual: takes the photos out; few-shot: marks them out and retrains.
    int remove(const QString& name, const QStringList& paths);
    void rename(const QString& name, const QString& newName);
    // Deletes a stored album; its photos stay in the library.
    void deleteAlbum(const QString& name);

private:
    bool isTagAlbum(const QString& name) const;
    void refuseTagAlbum(const QString& name, const char* what) const;
    std::vector<AlbumPhoto> withPaths(const std::vector<RankedPhoto>& ranked) const;

    Catalog& catalog_;
    AlbumStore store_;
    QString modelId_;
};

} // namespace photosearch
