// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoderCache.h"

#include "IndexWorker.h"

#include "Catalog.h"
#include "Indexer.h"
#include "ModelError.h"
#include "ModelIdentity.h"
#include "Tagger.h"
#include "VectorStore.h"

#include <QDir>

namespace photosearch {

IndexWorker::IndexWorker(const QString& libraryDir, std::shared_ptr<ClipEncoderCache> encoders)
    : libraryDir_(libraryDir)
    , encoders_(std::move(encoders))
{
}

void IndexWorker::tagNewPhotos(const QString& modelId, const ClipEncoder& encoder)
{
    // The photos are indexed whatever happens here; `tag` can redo it.
    try {
        Q_EMIT status(tr("Tagging the new photos…"));
        tagIndexedPhotos(libraryDir_, modelId, encoder);
    } catch (const std::exception& e) {
        qWarning("The new photos were indexed but not tagged: %s", e.what());
    }
}

void IndexWorker::run(const QString& folder, const QString& modelDir, const std::shared_ptr<IndexControl>& control)
{
    const QString where = QDir::toNativeSeparators(folder);
    try {
        Q_EMIT status(tr("Loading the CLIP model from %1…").arg(QDir::toNativeSeparators(modelDir)));
        const QString modelId = modelIdForDirectory(modelDir);
        const std::shared_ptr<const ClipEncoder> encoder = encoders_->acquire(modelDir, modelId);
        IndexSummary summary;
        if (control->isCancelled()) {
            summary.cancelled = true;
        } else {
            Indexer indexer(libraryDir_, encoder->model(), encoder->preprocessor(), modelId);
            IndexOptions options;
            options.roots = {folder};
            options.modelDir = modelDir;
            summary = indexer.run(options, control.get(), [this](const IndexProgress& p) { Q_EMIT progress(p); });
            if (!summary.cancelled)
                tagNewPhotos(modelId, *encoder);
        }
        Q_EMIT finished(summary);
    } catch (const IndexBusyError& e) {
        Q_EMIT failed(tr("%1 was not indexed: another PhotoSearch is indexing this library; "
                         "try again when it has finished.")
                          .arg(where),
                      QString::fromUtf8(e.what()));
    } catch (const clip::ModelError& e) {
        Q_EMIT failed(tr("%1 was not indexed: the CLIP model could not be loaded; choose another one with "
                         "File ▸ Choose Model.")
                          .arg(where),
                      QString::fromUtf8(e.what()));
    } catch (const CatalogError& e) {
        Q_EMIT failed(tr("Indexing %1 stopped: the library catalog could not be written (what was indexed "
                         "stays); check the disk and the library folder's permissions.")
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

} // namespace photosearch
