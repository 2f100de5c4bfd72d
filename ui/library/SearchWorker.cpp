// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoderCache.h"

#include "SearchWorker.h"

#include "ModelError.h"
#include "ModelIdentity.h"
#include "VectorStore.h"

#include <QDir>
#include <QFileInfo>
#include <QtDebug>

namespace photosearch {

SearchWorker::SearchWorker(const QString& libraryDir, std::shared_ptr<const std::atomic_int> latestRequest,
                           std::shared_ptr<ClipEncoderCache> encoders)
    : libraryDir_(libraryDir)
    , latest_(std::move(latestRequest))
    , encoders_(std::move(encoders))
{
}

SearchWorker::~SearchWorker() = default;

void SearchWorker::reopen()
{
    engine_.reset();
}

void SearchWorker::ensureEngine(const QString& modelDir)
{
    if (engine_ && encoder_ && encoder_->modelDir() == modelDir)
        return;
    // First search, another model, or after an index run: the files in the
    // folder may have changed meanwhile (another id), and vectors stored
    // under the new id must not be searched with the old weights.
    const QString modelId = modelIdForDirectory(modelDir);
    if (!encoder_ || encoder_->modelDir() != modelDir || modelId != modelId_) {
        engine_.reset();
        encoder_.reset();
        Q_EMIT status(tr("Loading the CLIP model from %1…").arg(QDir::toNativeSeparators(modelDir)));
        modelId_ = modelId;
        encoder_ = encoders_->acquire(modelDir, modelId_);
    }
    if (!engine_) {
        engine_ = std::make_unique<SearchEngine>(libraryDir_, *encoder_, modelId_);
        if (!engine_->rebuildReason().isEmpty())
            qInfo("Rebuilt the vector index from the catalog (%s).", qPrintable(engine_->rebuildReason()));
    }
}

void SearchWorker::search(int requestId, Kind kind, const QString& input, const QString& modelDir, int k)
{
    if (requestId != latest_->load())
        return; // a newer request is queued behind this one
    try {
        ensureEngine(modelDir);
        if (requestId != latest_->load())
            return;
        SearchResults results;
        results.requestId = requestId;
        results.indexedPhotos = engine_->vectorCount();
        if (kind == Kind::Text) {
            results.description = input;
            results.hits = engine_->searchText(input, k);
        } else {
            results.description = tr("Similar to %1").arg(QFileInfo(input).fileName());
            results.hits = engine_->similarTo(input, k);
        }
        Q_EMIT finished(results);
    } catch (const clip::ModelError& e) {
        encoder_.reset();
        engine_.reset();
        Q_EMIT failed(requestId,
                      tr("The CLIP model could not be loaded; choose another one with File ▸ Choose Model."),
                      QString::fromUtf8(e.what()));
    } catch (const ImageError& e) {
        Q_EMIT failed(requestId,
                      tr("%1 could not be read, so there is nothing to compare with.")
                          .arg(QDir::toNativeSeparators(input)),
                      QString::fromUtf8(e.what()));
    } catch (const CatalogError& e) {
        engine_.reset();
        Q_EMIT failed(requestId, tr("The library catalog could not be read; check the library folder and try again."),
                      QString::fromUtf8(e.what()));
    } catch (const VectorStoreError& e) {
        engine_.reset();
        Q_EMIT failed(requestId, tr("The search index could not be opened; try again, or index a folder to rebuild it."),
                      QString::fromUtf8(e.what()));
    } catch (const std::exception& e) {
        engine_.reset();
        Q_EMIT failed(requestId, tr("The search failed because of an unexpected error."), QString::fromUtf8(e.what()));
    }
}

} // namespace photosearch
