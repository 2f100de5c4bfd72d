#include "AlbumLibrary.h"

#include "Catalog.h"
#include "TagAlbums.h"

#include <QFileInfo>

#include <algorithm>
#include <optional>

namespace photosearch {

AlbumLibrary::AlbumLibrary(Catalog& catalog, const QString& modelId)
    : catalog_(catalog)
    , store_(catalog)
    , modelId_(modelId)
{
}

std::vector<AlbumSummary> AlbumLibrary::list()
{
    std::vector<AlbumSummary> out;
    for (const AlbumRow& row : store_.albums())
        out.push_back(summary(row.name));
    for (const TagAlbum& tag : tagAlbums(catalog_, modelId_))
        if (!store_.album(tag.name))
            out.push_back(AlbumSummary{tag.name, AlbumKind::Tag, tag.count});
    std::stable_sort(out.begin(), out.end(), [](const AlbumSummary& a, const AlbumSummary& b) {
        return a.name < b.name;
    });
    return out;
}

AlbumSummary AlbumLibrary::summary(const QString& name)
{
    if (const std::optional<AlbumRow> row = store_.album(name)) {
        if (row->kind == AlbumKind::Manual)
            return AlbumSummary{row->name, row->kind, store_.photoCount(row->id)};
        return AlbumSummary{row->name, row->kind, qint64(FewShotAlbum(catalog_, row->id, modelId_).members().size())};
    }
    for (const TagAlbum& tag : tagAlbums(catalog_, modelId_))
        if (tag.name == name)
            return AlbumSummary{tag.name, AlbumKind::Tag, tag.count};
    store_.requireAlbum(name); // throws the unknown-album error
    return {};
}

std::vector<AlbumPhoto> AlbumLibrary::withPaths(const std::vector<RankedPhoto>& ranked) const
{
    std::vector<AlbumPhoto> out;
    out.reserve(ranked.size());
    for (const RankedPhoto& r : ranked)
        if (const std::optional<PhotoRecord> photo = catalog_.photo(r.photoId))
            out.push_back(AlbumPhoto{r.photoId, photo->path, r.score});
    return out;
}

std::vector<AlbumPhoto> AlbumLibrary::show(const QString& name)
{
    std::vector<RankedPhoto> ranked;
    if (const std::optional<AlbumRow> row = store_.album(name)) {
        if (row->kind == AlbumKind::FewShot) {
            // May train and store a probe; a read-only catalog (which cannot
            // begin a write) reads the probe `album train` stored.
            std::optional<Catalog::Transaction> transaction;
            if (!catalog_.isReadOnly())
                transaction.emplace(catalog_);
            ranked = FewShotAlbum(catalog_, row->id, modelId_).members();
            if (transaction)
                transaction->commit();
        } else {
            for (qint64 id : store_.photos(row->id))
                ranked.push_back(RankedPhoto{id, 1.0});
        }
        return withPaths(ranked);
    }
    if (!isTagAlbum(name))
        store_.requireAlbum(name); // throws the unknown-album error
    for (const TagAlbumPhoto& p : tagAlbumPhotos(catalog_, modelId_, name.trimmed()))
        ranked.push_back(RankedPhoto{p.photoId, p.score});
    return withPaths(ranked);
}

bool AlbumLibrary::isTagAlbum(const QString& name) const
{
    if (store_.album(name))
        return false;
    const std::vector<TagAlbum> tags = tagAlbums(catalog_, modelId_);
    return std::any_of(tags.begin(), tags.end(), [&](const TagAlbum& t) { return t.name == name.trimmed(); });
}

void AlbumLibrary::refuseTagAlbum(const QString& name, const char* what) const
{
    if (isTagAlbum(name))
        throw AlbumError(QStringLiteral("\"%1\" is an album made from a tag and cannot be %2; correct the photos' "
                                        "tags instead, or use another name for an album of your own.")
                             .arg(name.trimmed(), QLatin1String(what))
                             .toStdString());
}

FewShotTraining AlbumLibrary::train(const QString& name, const QStringList& positives, const QStringList& negatives)
{
    refuseTagAlbum(name, "trained");
    // Paths first: a typo must not leave an empty album behind.
    const std::vector<qint64> in = store_.photoIdsForPaths(positives);
    const std::vector<qint64> out = store_.photoIdsForPaths(negatives);
    Catalog::Transaction transaction(catalog_);
    std::optional<AlbumRow> row = store_.album(name);
    if (!row)
        row = store_.create(name, AlbumKind::FewShot);
    if (row->kind != AlbumKind::FewShot)
        throw AlbumError(QStringLiteral("\"%1\" is a manual album; few-shot training needs an album of its own "
                                        "(choose another name).")
                             .arg(row->name)
                             .toStdString());
    store_.setExamples(row->id, in, true);
    store_.setExamples(row->id, out, false);
    const FewShotTraining training = FewShotAlbum(catalog_, row->id, modelId_).train();
    transaction.commit();
    return training;
}

int AlbumLibrary::add(const QString& name, const QStringList& paths)
{
    refuseTagAlbum(name, "edited");
    const std::vector<qint64> ids = store_.photoIdsForPaths(paths);
    Catalog::Transaction transaction(catalog_);
    std::optional<AlbumRow> row = store_.album(name);
    if (!row)
        row = store_.create(name, AlbumKind::Manual);
    int changed = 0;
    if (row->kind == AlbumKind::FewShot) {
        store_.setExamples(row->id, ids, true);
        FewShotAlbum(catalog_, row->id, modelId_).train();
        changed = int(ids.size());
    } else {
        changed = store_.addPhotos(row->id, ids);
    }
    transaction.commit();
    return changed;
}

int AlbumLibrary::remove(const QString& name, const QStringList& paths)
{
    refuseTagAlbum(name, "edited");
    Catalog::Transaction transaction(catalog_);
    const AlbumRow row = store_.requireAlbum(name);
    const std::vector<qint64> ids = store_.photoIdsForPaths(paths);
    int changed = 0;
    if (row.kind == AlbumKind::FewShot) {
        store_.setExamples(row.id, ids, false);
        FewShotAlbum(catalog_, row.id, modelId_).train();
        changed = int(ids.size());
    } else {
        changed = store_.removePhotos(row.id, ids);
    }
    transaction.commit();
    return changed;
}

void AlbumLibrary::rename(const QString& name, const QString& newName)
{
    refuseTagAlbum(name, "renamed");
    store_.rename(name, newName);
}

void AlbumLibrary::deleteAlbum(const QString& name)
{
    refuseTagAlbum(name, "deleted");
    store_.remove(name);
}

} // namespace photosearch
