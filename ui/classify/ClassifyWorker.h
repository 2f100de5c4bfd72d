#pragma once
// Zero-shot classification of image files for the Classify panel, on the
// ClassifyService's thread (every method runs there, queued by the service).
// The model comes from the window's shared ClipEncoderCache, so search and
// classify hold one copy of the weights; label embeddings go through the
// library catalog's label store like the CLI's `classify`, so labels typed
// again (or classified by the CLI before) need no text tower.
//
// Requests carry ids; one that is no longer the latest (a newer request, or
// cancel()) stops between images, so editing labels never waits for a stale
// run. An image that cannot be read gets its own row with a sentence; the
// others are still answered.

#include <c10/core/ScalarType.h>

#include "ClassifyTypes.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>

namespace photosearch {

class Catalog;
class ClipEncoder;
class ClipEncoderCache;
class PromptEnsemble;
class ZeroShotClassifier;

class ClassifyWorker : public QObject {
    Q_OBJECT
public:
    ClassifyWorker(const QString& libraryDir, std::shared_ptr<ClipEncoderCache> encoders,
                   std::shared_ptr<const std::atomic_int> latestRequest);
    ~ClassifyWorker() override;

    void classify(int requestId, const QStringList& paths, const QStringList& labels, const QString& modelDir);
    void putIntoAlbums(int requestId, const QList<photosearch::AlbumAssignment>& assignments);
    // Lets go of the loaded model; the next request loads it from `encoders`.
    void setEncoders(std::shared_ptr<ClipEncoderCache> encoders);

Q_SIGNALS:
    void status(int requestId, const QString& message);
    void imageClassified(int requestId, const photosearch::ClassifyRow& row);
    // After the last image, or after a cancel (then not every image has a row).
    void finished(int requestId);
    // The run could not start (no model, no labels): one sentence, and the detail.
    void failed(int requestId, const QString& sentence, const QString& detail);
    void albumsFiled(int requestId, const photosearch::AlbumFiling& filing);

private:
    bool isStale(int requestId) const { return requestId != latest_->load(); }
    void ensureModel(int requestId, const QString& modelDir);
    ClassifyRow classifyOne(const QString& path, const ZeroShotClassifier& classifier) const;

    QString libraryDir_;
    std::shared_ptr<ClipEncoderCache> encoders_;
    std::shared_ptr<const std::atomic_int> latest_;
    std::shared_ptr<const ClipEncoder> encoder_;
    QString modelId_; // the vector set labels are kept with (VectorSet.h)
    QString filesId_; // the model files' id (ModelIdentity.h)
    c10::ScalarType preferred_ = c10::ScalarType::Undefined;
    std::unique_ptr<Catalog> catalog_;         // the label store's catalog, when the library exists
    std::unique_ptr<PromptEnsemble> ensemble_; // per model; keeps labels in memory too
};

} // namespace photosearch
