// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoderCache.h"

#include "IndexWorker.h"

#include "Catalog.h"
#include "CatalogBackup.h"
#include "ComputeThreads.h"
#include "Indexer.h"
#include "LibraryModel.h"
#include "LibraryRoots.h"
#include "ModelError.h"
#include "ModelIdentity.h"
#include "SqliteConnection.h"
#include "Tagger.h"
#include "VectorCache.h"
#include "VectorSet.h"
#include "VectorSetDtype.h"
#include "VectorStore.h"

#include <QDir>
#include <QLockFile>

#include <sqlite3.h>

namespace photosearch {

IndexWorker::IndexWorker(const QString& libraryDir, std::shared_ptr<ClipEncoderCache> encoders)
    : libraryDir_(libraryDir)
    , encoders_(std::move(encoders))
{
}

void IndexWorker::setEncoders(std::shared_ptr<ClipEncoderCache> encoders, int threads)
{
    encoders_ = std::move(encoders);
    threads_ = threads;
}

void IndexWorker::tagNewPhotos(const QString& modelId, const std::function<const ClipEncoder&()>& encoder)
{
    // The photos are indexed whatever happens here; `tag` can redo it.
    try {
        Q_EMIT status(tr("Tagging the new photos…"));
        tagIndexedPhotos(libraryDir_, modelId, encoder);
    } catch (const std::exception& e) {
        qWarning("The new photos were indexed but not tagged: %s", e.what());
    }
}

IndexSummary IndexWorker::index(const QString& folder, const QString& modelDir, bool recordModel,
                                IndexControl& control, QString* libraryModel)
{
    const QString filesId = modelIdForDirectory(modelDir);
    // One connection for the run: the vectors' precision before it, the
    // spare copy and the library's model after it.
    Catalog catalog(libraryDir_);
    const torch::ScalarType preferred = existingPrecision(catalog, filesId); // new photos join the vectors there
    const clip::ComputeOptions compute = encoders_->compute(preferred);
    applyCpuThreads(threads_);
    const QString modelId = vectorSetId(filesId, QString::fromStdString(clip::dtypeName(compute.dtype)));
    // The weights are acquired (the search thread's, when it holds the same)
    // only when the scan finds files to read or a tag label needs its
    // embedding after the run.
    std::shared_ptr<const ClipEncoder> encoder;
    const std::function<const ClipEncoder&()> acquire = [&]() -> const ClipEncoder& {
        if (!encoder) {
            Q_EMIT status(tr("Loading the CLIP model from %1…").arg(QDir::toNativeSeparators(modelDir)));
            encoder = encoders_->acquire(modelDir, filesId, preferred);
        }
        return *encoder;
    };
    IndexSummary summary;
    if (control.isCancelled()) {
        summary.cancelled = true;
    } else {
        Indexer indexer(libraryDir_, IndexModel::fromDirectory(modelDir, compute, [&]() -> const clip::TowerEngine& {
                            return acquire().model();
                        }),
                        modelId);
        IndexOptions options;
        options.roots = {folder};
        if (recordModel)
            options.modelDir = modelDir;
        summary = indexer.run(options, &control, [this](const IndexProgress& p) { Q_EMIT progress(p); });
        if (!summary.cancelled)
            tagNewPhotos(modelId, acquire);
    }
    // As after the command line's runs: a good run refreshes the spare copy (at most daily).
    if (!summary.cancelled && refreshLastGoodCopy(catalog.connection(), lastGoodCopyMaxAge(summary.changedCatalog())))
        qInfo("Refreshed the last good copy of the catalog in %s", qPrintable(libraryDir_));
    *libraryModel = libraryModelDir(catalog);
    return summary;
}

void IndexWorker::run(const QString& folder, const QString& modelDir, bool recordModel,
                      const std::shared_ptr<IndexControl>& control)
{
    const QString where = QDir::toNativeSeparators(folder);
    try {
        QString libraryModel;
        const IndexSummary summary = index(folder, modelDir, recordModel, *control, &libraryModel);
        Q_EMIT finished(summary, libraryModel);
    } catch (const IndexBusyError& e) {
        Q_EMIT failed(tr("%1 was not indexed: another PhotoSearch is indexing this library; "
                         "try again when it has finished.")
                          .arg(where),
                      QString::fromUtf8(e.what()));
    } catch (const clip::ModelError& e) {
        Q_EMIT failed(tr("%1 was not indexed: the CLIP model could not be loaded; choose another one with "
                         "File ▸ Models….")
                          .arg(where),
                      QString::fromUtf8(e.what()));
    } catch (const CatalogError& e) {
        const auto* sqlite = dynamic_cast<const SqliteError*>(&e);
        const bool diskFull = sqlite && (sqlite->code() & 0xff) == SQLITE_FULL;
        Q_EMIT failed(diskFull ? tr("Indexing %1 stopped: the disk holding the library is full (what was indexed "
                                    "stays); free some space and index again.")
                                     .arg(where)
                               : tr("Indexing %1 stopped: the library catalog could not be written (what was "
                                    "indexed stays); check the disk and the library folder's permissions.")
                                     .arg(where),
                      QString::fromUtf8(e.what()));
    } catch (const VectorStoreError& e) {
        Q_EMIT failed(tr("Indexing %1 stopped: the search index could not be written (what was indexed stays); "
                         "check the disk space and try again.")
                          .arg(where),
                      QString::fromUtf8(e.what()));
    } catch (const std::exception& e) {
        Q_EMIT failed(tr("Indexing %1 stopped because of an unexpected error; what was indexed stays.").arg(where),
                      QString::fromUtf8(e.what()));
    }
}

void IndexWorker::removeRoot(const QString& root)
{
    const QString where = QDir::toNativeSeparators(root);
    // The index lock: another process's run must not write rows under the
    // folder while they are removed (this process's runs share this thread).
    QDir().mkpath(libraryDir_);
    QLockFile lock(indexLockPath(libraryDir_));
    try {
        takeIndexLock(lock, libraryDir_);
    } catch (const IndexBusyError& e) {
        Q_EMIT removeFailed(tr("%1 was not removed from the library: another PhotoSearch is indexing it; try again "
                               "when it has finished.")
                                .arg(where),
                            QString::fromUtf8(e.what()));
        return;
    } catch (const CatalogError& e) {
        // A full disk or an unwritable folder, named as an index run names
        // it (lockFileErrorSentence): the lock file is not the problem.
        Q_EMIT removeFailed(tr("%1 was not removed from the library. %2").arg(where, QString::fromUtf8(e.what())),
                            {});
        return;
    }
    try {
        Catalog catalog(libraryDir_);
        const qint64 removed = removePhotosUnder(catalog, root);
        removeLibraryRoot(catalog, root);
        Q_EMIT rootRemoved(root, removed, libraryRoots(catalog));
    } catch (const CatalogError& e) {
        // Its sentence names the cause: a full disk, a lock, permissions.
        Q_EMIT removeFailed(tr("%1 was not removed from the library. %2").arg(where, QString::fromUtf8(e.what())),
                            {});
    }
}

} // namespace photosearch
