#pragma once
// Answers text and "similar photo" searches on the controller's search
// thread, so the GUI never waits for the model or the vector store. The model
// is taken from the controller's ClipEncoderCache (off the GUI thread) when
// a query first needs it — not for a query the catalog has cached, and only
// the text tower for a text — and kept; the SearchEngine (a catalog connection and the model's
// vector store) is reopened when the controller says the library changed (an
// index run committed photos, a folder was removed).
//
// Requests carry an id; one that is no longer the latest when its turn comes
// is skipped, so fast typing never queues up stale searches.

#include <c10/core/ScalarType.h>

#include "ClipQueryEmbedder.h"
#include "LibraryTypes.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace photosearch {

class ClipEncoder;
class ClipEncoderCache;

// One request as the controller queues it.
struct SearchJob {
    enum class Kind { Text, Similar };
    int id = 0;
    Kind kind = Kind::Text;
    SearchOptions options;  // Similar: filter and k only
    QString path;           // Similar: the image file
    QString modelDir;       // the model search uses now (the old one during a model switch)
};

class SearchWorker : public QObject {
    Q_OBJECT
public:
    // When nothing clears a query's relevance cut, this many of the closest
    // photos are answered, marked as no clear match.
    static constexpr int kNearestWithoutMatches = 24;

    SearchWorker(const QString& libraryDir, std::shared_ptr<const std::atomic_int> latestRequest,
                 std::shared_ptr<ClipEncoderCache> encoders);
    ~SearchWorker() override;

    // Called on the worker's thread (queued by the controller).
    void search(const SearchJob& job);
    // Drops the engine so that the next search reopens the catalog and the
    // vector store.
    void reopen();
    // Loads models from this cache from now on (new compute settings);
    // `threads` > 0 sets LibTorch's CPU threads after loading, 0 = automatic.
    void setEncoders(std::shared_ptr<ClipEncoderCache> encoders, int threads);

Q_SIGNALS:
    void status(const QString& message);
    void finished(const photosearch::SearchResults& results);
    void failed(int requestId, const QString& sentence, const QString& detail);

private:
    void ensureEngine(const QString& modelDir);
    const ClipEncoder& encoderFor(EncoderUse use);
    void dropEncoders();
    SearchResults answer(const SearchJob& job);

    QString libraryDir_;
    std::shared_ptr<const std::atomic_int> latest_;
    std::shared_ptr<ClipEncoderCache> encoders_;
    // Taken from encoders_ when a query first needs them (encoderFor).
    std::shared_ptr<const ClipEncoder> textEncoder_;
    std::shared_ptr<const ClipEncoder> imageEncoder_;
    QString modelDir_; // the model the engine searches with
    QString modelId_; // the vector set searched (VectorSet.h)
    QString filesId_; // the model files' id (ModelIdentity.h)
    c10::ScalarType preferred_ = c10::ScalarType::Undefined;
    std::unique_ptr<SearchEngine> engine_;
    int threads_ = 0;
};

} // namespace photosearch
