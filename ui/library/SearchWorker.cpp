// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoderCache.h"

#include "SearchWorker.h"

#include "Catalog.h"
#include "CatalogRepair.h"
#include "ClipConfig.h"
#include "ClipQueryEmbedder.h"
#include "ComputeThreads.h"
#include "LibraryLocation.h"
#include "ModelError.h"
#include "ModelFiles.h"
#include "ModelIdentity.h"
#include "VectorSet.h"
#include "VectorSetDtype.h"
#include "VectorStore.h"

#include <QDir>
#include <QFileInfo>
#include <QtDebug>

#include <limits>

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

void SearchWorker::setEncoders(std::shared_ptr<ClipEncoderCache> encoders, int threads)
{
    encoders_ = std::move(encoders);
    threads_ = threads;
    engine_.reset();
    dropEncoders(); // the next search that needs the model loads it with the new settings
}

void SearchWorker::dropEncoders()
{
    textEncoder_.reset();
    imageEncoder_.reset();
}

const ClipEncoder& SearchWorker::encoderFor(EncoderUse use)
{
    // A text needs the text tower alone (or the whole model when the app has
    // it loaded already); an image the whole model. A query the catalog has
    // cached needs neither: the first search does not wait for the model.
    std::shared_ptr<const ClipEncoder>& slot = use == EncoderUse::Text ? textEncoder_ : imageEncoder_;
    if (!slot) {
        Q_EMIT status(tr("Loading the CLIP model from %1…").arg(QDir::toNativeSeparators(modelDir_)));
        slot = encoders_->acquire(modelDir_, filesId_, preferred_,
                                  use == EncoderUse::Text ? clip::Towers::Text : clip::Towers::Both);
        if (use == EncoderUse::Image)
            textEncoder_ = slot; // the whole model serves texts too: the text tower alone can go
        applyCpuThreads(threads_);
    }
    return *slot;
}

void SearchWorker::ensureEngine(const QString& modelDir)
{
    if (engine_ && modelDir_ == modelDir)
        return;
    // First search, another model, or after an index run: the files in the
    // folder may have changed meanwhile (another id), and vectors stored
    // under the new id must not be searched with the old weights.
    const QString filesId = modelIdForDirectory(modelDir);
    const Catalog catalog(libraryDir_, LibraryLocation::catalogAccess(libraryDir_));
    // Queries in the precision of the library's vectors (VectorSet.h).
    const QString existing = existingVectorSet(catalog, filesId);
    const torch::ScalarType preferred = vectorSetDtype(existing);
    if (modelDir != modelDir_ || filesId != filesId_ || preferred != preferred_) {
        engine_.reset();
        dropEncoders();
        modelDir_ = modelDir;
        filesId_ = filesId;
        preferred_ = preferred;
    }
    const QString modelId = readerVectorSet(existing, filesId, encoders_->compute(preferred).dtype);
    if (modelId != modelId_)
        engine_.reset();
    modelId_ = modelId;
    if (!engine_) {
        const clip::ClipConfig config =
            clip::ClipConfig::fromFile(clip::modelFilePath(modelDir.toStdString(), "config.json"));
        // A read-only library (PHOTOSEARCH_READ_ONLY=1, an unwritable folder)
        // is searched as the CLI searches it: no query cache, no FAISS rewrite.
        engine_ = std::make_unique<SearchEngine>(
            libraryDir_,
            std::make_unique<ClipQueryEmbedder>([this](EncoderUse use) -> const ClipEncoder& { return encoderFor(use); }),
            int(config.projectionDim), modelId_, LibraryLocation::catalogAccess(libraryDir_));
        if (!engine_->rebuildReason().isEmpty())
            qInfo("Rebuilt the vector index from the catalog (%s).", qPrintable(engine_->rebuildReason()));
    }
}

SearchResults SearchWorker::answer(const SearchJob& job)
{
    SearchResults results;
    results.requestId = job.id;
    results.indexedPhotos = engine_->vectorCount();
    results.all = job.options.all;
    results.sort = job.options.sort;
    if (job.kind == SearchJob::Kind::Similar) {
        results.description = tr("Similar to %1").arg(QFileInfo(job.path).fileName());
        results.hits = engine_->similarTo(job.path, job.options.k, job.options.filter);
        results.goodMatches = int(results.hits.size());
        results.cutScore = -std::numeric_limits<float>::infinity();
        return results;
    }
    SearchRequest request;
    request.query = job.options.text;
    request.filter = job.options.filter;
    request.k = job.options.k;
    request.all = job.options.all;
    request.sort = job.options.sort;
    QueryResults found = engine_->search(request);
    // Nothing stands out from the library: the closest few anyway (the
    // results say all = true, goodMatches = 0: "no clear matches"), since an
    // empty grid helps no one. The request remembered for reruns stays the
    // user's, so a rerun after an index run tries the cut again.
    if (!request.all && found.goodMatches == 0 && found.error.isEmpty() && results.indexedPhotos > 0) {
        request.all = true;
        request.k = std::min(request.k, kNearestWithoutMatches);
        found = engine_->search(request);
        found.goodMatches = 0;
        results.all = true;
    }
    results.description = job.options.text;
    results.hits = std::move(found.hits);
    results.goodMatches = found.goodMatches;
    results.moreGood = found.moreGood;
    results.cutScore = found.cutScore;
    results.understood = found.understood;
    results.error = found.error;
    return results;
}

void SearchWorker::search(const SearchJob& job)
{
    if (job.id != latest_->load())
        return; // a newer request is queued behind this one
    try {
        ensureEngine(job.modelDir);
        if (job.id != latest_->load())
            return;
        Q_EMIT finished(answer(job));
    } catch (const clip::ModelError& e) {
        dropEncoders();
        engine_.reset();
        Q_EMIT failed(job.id,
                      tr("The CLIP model could not be loaded; choose another one with File ▸ Models…."),
                      QString::fromUtf8(e.what()));
    } catch (const ImageError& e) {
        // An image term or "similar to" a file that cannot be decoded.
        const QString sentence =
            job.kind == SearchJob::Kind::Similar
                ? tr("%1 could not be read as an image, so there is nothing to compare with; choose another photo.")
                      .arg(QDir::toNativeSeparators(job.path))
                : tr("An image named in the search could not be read, so there is nothing to compare with; check "
                     "its path or choose another photo.");
        Q_EMIT failed(job.id, sentence, QString::fromUtf8(e.what()));
    } catch (const CatalogError& e) {
        engine_.reset();
        // A damaged file has a way out (photosearch-cli repair); say it, as the start page does.
        const QString sentence = isCatalogDamage(e)
            ? tr("The library catalog is damaged; close PhotoSearch, run %1, then open PhotoSearch again.")
                  .arg(repairCommandLine(QDir::toNativeSeparators(libraryDir_)))
            : tr("The library catalog could not be read; check the library folder and try again.");
        Q_EMIT failed(job.id, sentence, QString::fromUtf8(e.what()));
    } catch (const VectorStoreError& e) {
        engine_.reset();
        Q_EMIT failed(job.id, tr("The search index could not be opened; try again, or index a folder to rebuild it."),
                      QString::fromUtf8(e.what()));
    } catch (const std::exception& e) {
        engine_.reset();
        Q_EMIT failed(job.id, tr("The search could not be done; try again, and if it keeps failing, restart PhotoSearch."), QString::fromUtf8(e.what()));
    }
}

} // namespace photosearch
