#pragma once
// Answers text and "similar photo" searches on the controller's search
// thread. The model is taken from the controller's ClipEncoderCache on the
// first search (off the GUI thread) and kept; the SearchEngine (a catalog connection and the model's vector
// store) is reopened after an index run so it sees the new photos.
//
// Requests carry an id; one that is no longer the latest when its turn comes
// is skipped, so fast typing never queues up stale searches.

#include "LibraryTypes.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace photosearch {

class ClipEncoder;
class ClipEncoderCache;

class SearchWorker : public QObject {
    Q_OBJECT
public:
    SearchWorker(const QString& libraryDir, std::shared_ptr<const std::atomic_int> latestRequest,
                 std::shared_ptr<ClipEncoderCache> encoders);
    ~SearchWorker() override;

    enum class Kind { Text, Similar };
    // Called on the worker's thread (queued by the controller).
    void search(int requestId, Kind kind, const QString& input, const QString& modelDir, int k);
    // Drops the engine so that the next search reopens the catalog and the
    // vector store (after an index run).
    void reopen();

Q_SIGNALS:
    void status(const QString& message);
    void finished(const photosearch::SearchResults& results);
    void failed(int requestId, const QString& sentence, const QString& detail);

private:
    void ensureEngine(const QString& modelDir);

    QString libraryDir_;
    std::shared_ptr<const std::atomic_int> latest_;
    std::shared_ptr<ClipEncoderCache> encoders_;
    std::shared_ptr<const ClipEncoder> encoder_;
    QString modelId_;
    std::unique_ptr<SearchEngine> engine_;
};

} // namespace photosearch
