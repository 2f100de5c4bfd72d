#pragma once
// Runs one index run at a time on the controller's index thread: loads the
// model, runs the Indexer (which blocks this thread, not the GUI, and
// records the model in the catalog settings as for the CLI), and reports
// back through queued signals. The encoder comes from the controller's ClipEncoderCache
// (the same weights as the search thread's when the model is the same) and
// is let go after the run. A run that was not cancelled then tags the photos
// it added or changed.

#include "LibraryTypes.h"

#include <QObject>
#include <QString>

#include <memory>

namespace photosearch {

class ClipEncoder;
class ClipEncoderCache;
class IndexControl;

class IndexWorker : public QObject {
    Q_OBJECT
public:
    IndexWorker(const QString& libraryDir, std::shared_ptr<ClipEncoderCache> encoders);

    // Called on the worker's thread (queued by the controller).
    void run(const QString& folder, const QString& modelDir, const std::shared_ptr<IndexControl>& control);

Q_SIGNALS:
    void status(const QString& message);
    void progress(const photosearch::IndexProgress& progress);
    void finished(const photosearch::IndexSummary& summary);
    // `sentence` is for the user, `detail` (the exception's text) for the log.
    void failed(const QString& sentence, const QString& detail);

private:
    // Tags what the run added or changed, like `photosearch-cli index`.
    void tagNewPhotos(const QString& modelId, const ClipEncoder& encoder);

    QString libraryDir_;
    std::shared_ptr<ClipEncoderCache> encoders_;
};

} // namespace photosearch
