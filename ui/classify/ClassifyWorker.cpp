// LibTorch before Qt (Qt's keywords break LibTorch headers).
#include "ClipEncoderCache.h"
#include "LabelEmbeddings.h"
#include "ZeroShotClassifier.h"

#include "ClassifyWorker.h"

#include "Catalog.h"
#include "LabelAlbums.h"
#include "LibraryLocation.h"
#include "ModelError.h"
#include "ModelIdentity.h"
#include "VectorSet.h"
#include "VectorSetDtype.h"

#include <QDir>
#include <QFileInfo>
#include <QtDebug>

namespace photosearch {

ClassifyWorker::ClassifyWorker(const QString& libraryDir, std::shared_ptr<ClipEncoderCache> encoders,
                               std::shared_ptr<const std::atomic_int> latestRequest)
    : libraryDir_(libraryDir)
    , encoders_(std::move(encoders))
    , latest_(std::move(latestRequest))
{
}

// The ensemble's store refers to the catalog: drop it first.
ClassifyWorker::~ClassifyWorker()
{
    ensemble_.reset();
    catalog_.reset();
}

void ClassifyWorker::ensureModel(int requestId, const QString& modelDir)
{
    // The id is read each time: weights replaced on disk give a new id, and
    // label embeddings must never be stored under an id they did not come from.
    const QString filesId = modelIdForDirectory(modelDir);
    // The library's catalog caches label embeddings when the library exists;
    // without it classification still works (the CLI's rule).
    if (!catalog_ && QFileInfo::exists(QDir(libraryDir_).filePath(QStringLiteral("catalog.sqlite")))) {
        try {
            // Read-only as the CLI decides it: the labels are then not kept.
            catalog_ = std::make_unique<Catalog>(libraryDir_, LibraryLocation::catalogAccess(libraryDir_));
        } catch (const std::exception& e) {
            qWarning("Classify: label embeddings will not be kept, the catalog could not be opened: %s", e.what());
        }
    }
    // Labels are kept with the library's vectors of this model, in their precision.
    const QString existing = catalog_ ? existingVectorSet(*catalog_, filesId) : QString();
    const torch::ScalarType preferred = vectorSetDtype(existing);
    if (encoder_ && encoder_->modelDir() == modelDir && filesId == filesId_ && preferred == preferred_ && ensemble_)
        return;
    ensemble_.reset();
    encoder_.reset();
    Q_EMIT status(requestId, tr("Loading the CLIP model from %1…").arg(QDir::toNativeSeparators(modelDir)));
    encoder_ = encoders_->acquire(modelDir, filesId, preferred);
    filesId_ = filesId;
    preferred_ = preferred;
    modelId_ = catalog_ ? readerVectorSet(existing, filesId, encoder_->model().compute().dtype) : filesId;
    ensemble_ = std::make_unique<PromptEnsemble>(
        *encoder_, defaultPromptTemplates(),
        catalog_ ? catalogLabelStore(*catalog_, modelId_) : LabelEmbeddingStore{});
}

ClassifyRow ClassifyWorker::classifyOne(const QString& path, const ZeroShotClassifier& classifier) const
{
    ClassifyRow row;
    row.path = path;
    try {
        std::vector<torch::Tensor> pixels{encoder_->preprocessor().load(path)};
        torch::NoGradGuard noGrad;
        const std::vector<Classification> results = classifier.classify(encoder_->embedPixels(pixels));
        row.label = results.front().label;
        row.labels = classifier.labels();
        for (float p : results.front().probs)
            row.probs << double(p);
    } catch (const ImageError& e) {
        qWarning("Classify: %s", e.what());
        row.error = tr("%1 could not be read as an image; it may be damaged or in a format that is not supported.")
                        .arg(QFileInfo(path).fileName());
    }
    return row;
}

void ClassifyWorker::setEncoders(std::shared_ptr<ClipEncoderCache> encoders)
{
    ensemble_.reset(); // it embeds with encoder_
    encoder_.reset();
    modelId_.clear();
    filesId_.clear();
    encoders_ = std::move(encoders);
}

void ClassifyWorker::classify(int requestId, const QStringList& paths, const QStringList& labels,
                              const QString& modelDir)
{
    if (isStale(requestId))
        return; // a newer request is queued behind this one
    try {
        ensureModel(requestId, modelDir);
        const ZeroShotClassifier classifier(*encoder_, labels, *ensemble_);
        for (const QString& path : paths) {
            if (isStale(requestId))
                break;
            Q_EMIT imageClassified(requestId, classifyOne(path, classifier));
        }
        Q_EMIT finished(requestId);
    } catch (const clip::ModelError& e) {
        encoder_.reset();
        ensemble_.reset();
        Q_EMIT failed(requestId,
                      tr("The CLIP model could not be loaded; choose another one with File ▸ Models…."),
                      QString::fromUtf8(e.what()));
    } catch (const std::invalid_argument& e) {
        Q_EMIT failed(requestId, tr("Type at least one label to classify the images, e.g. cat, dog."),
                      QString::fromUtf8(e.what()));
    } catch (const std::exception& e) {
        ensemble_.reset();
        Q_EMIT failed(requestId,
                      tr("The images could not be classified; try again, and if it keeps failing, restart "
                         "PhotoSearch."),
                      QString::fromUtf8(e.what()));
    }
}

void ClassifyWorker::putIntoAlbums(int requestId, const QList<AlbumAssignment>& assignments)
{
    // The catalog connection of the label store stays open; filing opens its
    // own one and commits, so both see the same library.
    Q_EMIT albumsFiled(requestId, fileIntoLabelAlbums(libraryDir_, assignments));
}

} // namespace photosearch
