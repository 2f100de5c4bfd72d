// The sidebar's browse worker (see BrowseWorker.h): reads and album edits,
// each caught and turned into one sentence naming what failed.
// Thread rule: everything here runs on LibraryBrowser's browse thread; the
// Catalog connection it opens is used on that thread only.

#include "BrowseWorker.h"

#include "AlbumLibrary.h"
#include "Catalog.h"
#include "CollectionReader.h"
#include "LibraryLocation.h"
#include "LibraryModel.h"
#include "SidebarText.h"

#include <QtDebug>

namespace photosearch {

BrowseWorker::BrowseWorker(const QString& libraryDir, std::shared_ptr<const std::atomic_int> latestCollection)
    : libraryDir_(libraryDir)
    , latest_(std::move(latestCollection))
{
}

BrowseWorker::~BrowseWorker() = default;

Catalog& BrowseWorker::catalog()
{
    if (!catalog_)
        catalog_ = std::make_unique<Catalog>(libraryDir_, LibraryLocation::catalogAccess(libraryDir_));
    return *catalog_;
}

QString BrowseWorker::modelId()
{
    return libraryModelId(catalog());
}

QString BrowseWorker::sentenceFor(const std::exception& e, const QString& what) const
{
    // AlbumError's message is already the sentence for the user.
    if (dynamic_cast<const AlbumError*>(&e))
        return QString::fromUtf8(e.what());
    if (dynamic_cast<const CatalogError*>(&e))
        return tr("%1: the library catalog could not be read or written; if an index run is going, try again when "
                  "it has finished.")
            .arg(what);
    return tr("%1; try again, and if it keeps failing, restart PhotoSearch.").arg(what);
}

void BrowseWorker::sidebar()
{
    try {
        Q_EMIT sidebarReady(CollectionReader(catalog(), modelId()).contents());
    } catch (const std::exception& e) {
        if (dynamic_cast<const CatalogError*>(&e))
            catalog_.reset(); // reopened by the next call
        qWarning("sidebar: %s", e.what());
        Q_EMIT failed(sentenceFor(e, tr("The library's folders and albums could not be listed")),
                      QString::fromUtf8(e.what()));
    }
}

void BrowseWorker::collection(int requestId, const CollectionRequest& request)
{
    if (requestId != latest_->load())
        return; // the person chose another entry meanwhile
    try {
        SearchResults results = CollectionReader(catalog(), modelId()).read(request);
        results.requestId = requestId;
        Q_EMIT collectionReady(results);
    } catch (const std::exception& e) {
        if (dynamic_cast<const CatalogError*>(&e))
            catalog_.reset();
        qWarning("collection: %s", e.what());
        Q_EMIT collectionFailed(requestId, sentenceFor(e, tr("The photos of this entry could not be read")),
                                QString::fromUtf8(e.what()));
    }
}

void BrowseWorker::edit(const QString& oldName, const QString& newName, const QString& what,
                        const std::function<QString()>& change)
{
    // As the CLI's album commands: a read-only library is not written.
    if (LibraryLocation::isReadOnly(libraryDir_)) {
        Q_EMIT failed(tr("%1: the library is read-only (PHOTOSEARCH_READ_ONLY=1, or a folder that cannot be "
                         "written).")
                          .arg(what),
                      QString());
        return;
    }
    try {
        const QString message = change();
        Q_EMIT edited(message, oldName, newName);
    } catch (const std::exception& e) {
        if (dynamic_cast<const CatalogError*>(&e))
            catalog_.reset();
        qWarning("album edit: %s", e.what());
        Q_EMIT failed(sentenceFor(e, what), QString::fromUtf8(e.what()));
    }
}

void BrowseWorker::createAlbum(const QString& name, AlbumKind kind)
{
    edit(name, name.trimmed(), tr("The album “%1” could not be created").arg(name.trimmed()), [&] {
        const AlbumRow row = AlbumStore(catalog()).create(name, kind);
        return kind == AlbumKind::FewShot
                   ? tr("Created the few-shot album “%1”; mark photos as belonging to it to fill it.").arg(row.name)
                   : tr("Created the album “%1”.").arg(row.name);
    });
}

void BrowseWorker::addToAlbum(const QString& name, const QStringList& paths)
{
    const QString what = tr("%1 could not be added to the album “%2”").arg(photosText(paths.size()), name.trimmed());
    edit(name, name.trimmed(), what, [&] {
        AlbumLibrary albums(catalog(), modelId());
        const int added = albums.add(name, paths);
        const AlbumSummary s = albums.summary(name);
        return s.kind == AlbumKind::FewShot
                   ? tr("Marked %1 as belonging to “%2”; it now lists %3.").arg(photosText(added), s.name,
                                                                                photosText(s.count))
                   : tr("Added %1 to “%2”.").arg(photosText(added), s.name);
    });
}

void BrowseWorker::removeFromAlbum(const QString& name, const QStringList& paths)
{
    const QString what =
        tr("%1 could not be removed from the album “%2”").arg(photosText(paths.size()), name.trimmed());
    edit(name, name.trimmed(), what, [&] {
        AlbumLibrary albums(catalog(), modelId());
        const int removed = albums.remove(name, paths);
        const AlbumSummary s = albums.summary(name);
        return s.kind == AlbumKind::FewShot
                   ? tr("Marked %1 as not belonging to “%2”.").arg(photosText(removed), s.name)
                   : tr("Removed %1 from “%2”; files stay on disk.").arg(photosText(removed), s.name);
    });
}

void BrowseWorker::renameAlbum(const QString& name, const QString& newName)
{
    edit(name, newName.trimmed(), tr("The album “%1” could not be renamed").arg(name.trimmed()), [&] {
        AlbumLibrary(catalog(), modelId()).rename(name, newName);
        return tr("Renamed “%1” to “%2”.").arg(name.trimmed(), newName.trimmed());
    });
}

void BrowseWorker::deleteAlbum(const QString& name)
{
    edit(name, QString(), tr("The album “%1” could not be deleted").arg(name.trimmed()), [&] {
        AlbumLibrary(catalog(), modelId()).deleteAlbum(name);
        return tr("Deleted the album “%1”; its photos stay in the library and on disk.").arg(name.trimmed());
    });
}

void BrowseWorker::markForAlbum(const QString& name, const QStringList& paths, bool in)
{
    const QString what = tr("%1 could not be marked for the album “%2”").arg(photosText(paths.size()), name.trimmed());
    edit(name, name.trimmed(), what, [&] {
        AlbumStore store(catalog());
        Catalog::Transaction transaction(catalog());
        const std::optional<AlbumRow> existing = store.album(name);
        if (existing && existing->kind != AlbumKind::FewShot)
            throw AlbumError(tr("“%1” is a manual album; add photos to it or remove them instead of marking them.")
                                 .arg(existing->name)
                                 .toStdString());
        const AlbumRow row = existing ? *existing : store.create(name, AlbumKind::FewShot);
        store.setExamples(row.id, store.photoIdsForPaths(paths), in);
        transaction.commit();
        return in ? tr("Marked %1 as belonging to “%2”.").arg(photosText(paths.size()), row.name)
                  : tr("Marked %1 as not belonging to “%2”.").arg(photosText(paths.size()), row.name);
    });
}

void BrowseWorker::trainAlbum(const QString& name)
{
    edit(name, name.trimmed(), tr("The album “%1” could not learn from its marked photos").arg(name.trimmed()), [&] {
        AlbumStore store(catalog());
        const AlbumRow row = store.requireAlbum(name);
        if (row.kind != AlbumKind::FewShot)
            throw AlbumError(tr("Only few-shot albums learn from marked photos; “%1” is a manual album.")
                                 .arg(row.name)
                                 .toStdString());
        const QString model = modelId();
        Catalog::Transaction transaction(catalog());
        const FewShotTraining t = FewShotAlbum(catalog(), row.id, model).train();
        transaction.commit();
        if (!t.trained)
            return tr("“%1” lists only its marked photos: it learns once at least one photo indexed with the "
                      "library's model is marked as belonging to it.")
                .arg(row.name);
        const qint64 count = AlbumLibrary(catalog(), model).summary(row.name).count;
        return tr("“%1” now lists %2, learned from %3 marked in and %4 marked out.")
            .arg(row.name, photosText(count), photosText(t.positives), photosText(t.negatives));
    });
}

} // namespace photosearch
