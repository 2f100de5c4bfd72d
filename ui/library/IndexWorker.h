#pragma once
// Runs one index run at a time on the controller's index thread: runs the
// Indexer (which blocks this thread, not the GUI), and reports back through
// queued signals. The encoder comes from the controller's ClipEncoderCache
// (the same weights as the search thread's when the model is the same), only
// once the scan finds files to read or a tag label needs its embedding (a
// rescan that finds nothing new loads nothing), and is let go after the run.
// A run that was not cancelled then tags the photos it added or changed.
//
// A run either records its model as the library's by the CLI's rule
// (recordModel), or leaves the library's model alone: a model switch indexes
// every folder with the new model first, and search must keep the old one
// until the last folder is done. Removing a folder's photos happens here too,
// under the index lock, so that it never overlaps a run.

#include "LibraryTypes.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
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
    void run(const QString& folder, const QString& modelDir, bool recordModel,
             const std::shared_ptr<IndexControl>& control);
    // Removes the photos under `root` and the root from the library's list.
    void removeRoot(const QString& root);
    // Loads models from this cache from now on (new compute settings);
    // `threads` > 0 sets LibTorch's CPU threads after loading, 0 = automatic.
    void setEncoders(std::shared_ptr<ClipEncoderCache> encoders, int threads);

Q_SIGNALS:
    void status(const QString& message);
    void progress(const photosearch::IndexProgress& progress);
    // `libraryModelDir`: the library's model after the run (the catalog setting).
    void finished(const photosearch::IndexSummary& summary, const QString& libraryModelDir);
    // `sentence` is for the user, `detail` (the exception's text) for the log.
    void failed(const QString& sentence, const QString& detail);
    void rootRemoved(const QString& root, qint64 photos, const QStringList& roots);
    void removeFailed(const QString& sentence, const QString& detail);

private:
    IndexSummary index(const QString& folder, const QString& modelDir, bool recordModel, IndexControl& control,
                       QString* libraryModel);
    // Tags what the run added or changed, like `photosearch-cli index`.
    void tagNewPhotos(const QString& modelId, const std::function<const ClipEncoder&()>& encoder);

    QString libraryDir_;
    std::shared_ptr<ClipEncoderCache> encoders_;
    int threads_ = 0;
};

} // namespace photosearch
