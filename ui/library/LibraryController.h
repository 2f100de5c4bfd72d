#pragma once
// The window's way into the library (index/): owns the index thread and the
// search thread with their workers, the current run's IndexControl, and
// which model the library uses. Everything here is called on the GUI thread
// and returns at once; results come back as signals.
//
// The model is the catalog's "model.dir" setting (what File ▸ Choose Model
// or the last index run stored), else $PHOTOSEARCH_MODEL: the CLI's rule,
// resolveLibraryModelDir.

#include "Catalog.h"
#include "LibraryTypes.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>

#include <atomic>
#include <memory>
#include <optional>

namespace photosearch {

class ClipEncoder;
class ClipEncoderCache;
class IndexControl;
class IndexWorker;
class SearchWorker;

class LibraryController : public QObject {
    Q_OBJECT
public:
    static constexpr int kSearchResults = 200;

    explicit LibraryController(const QString& libraryDir, QObject* parent = nullptr);
    ~LibraryController() override; // shutdown()

    const QString& libraryDir() const { return libraryDir_; }
    // Empty when no model is known.
    const QString& modelDir() const { return modelDir_; }
    // The loaded models, shared by every worker that encodes (search,
    // classify, drops): one copy of the weights per model. Thread-safe.
    const std::shared_ptr<ClipEncoderCache>& encoders() const { return encoders_; }
    bool isIndexing() const { return control_ != nullptr; }
    bool isPaused() const;
    bool isSearching() const { return searching_; }
    // True once shutdown began (requestShutdown() or shutdown()): nothing new starts.
    bool isShuttingDown() const { return shutDown_; }
    // True once both threads have finished (after a shutdown).
    bool hasStopped() const { return indexThread_.isFinished() && searchThread_.isFinished(); }
    // Set when the catalog could not be opened at startup (newer schema,
    // unwritable folder, ...): one sentence for the user, and the detail.
    const QString& startupError() const { return startupError_; }
    const QString& startupErrorDetail() const { return startupErrorDetail_; }

    // The catalog's counts and failures; nullopt with `error` set when the
    // catalog cannot be read.
    std::optional<Catalog::Stats> statistics(QString* error) const;

    // "No CLIP model is chosen for this library yet; …" — shown when a
    // search or an index run needs one.
    static QString noModelSentence();

public Q_SLOTS:
    // Checks that `dir` is a CLIP model directory and stores it in the
    // catalog. False (and errorOccurred) when it is not, or during a run.
    bool setModelDir(const QString& dir);
    // Starts indexing `folder` on the index thread (one run at a time).
    void addFolder(const QString& folder);
    void pauseIndexing();
    void resumeIndexing();
    void cancelIndexing();
    // Text search, best first; an empty text clears the results. Only the
    // latest request's results are reported.
    void search(const QString& text);
    // Photos that look like the one at `path` (itself first).
    void findSimilar(const QString& path);
    // Runs the last text or "similar" request again (after an index run or
    // a model change); nothing when the results were cleared.
    void rerunLastSearch();
    // Cancels a run (what was committed stays) and asks both threads to
    // stop without waiting; stopped() follows once both have finished.
    void requestShutdown();
    // Cancels a run (what was committed stays) and waits for both threads.
    void shutdown();

Q_SIGNALS:
    void modelChanged(const QString& modelDir);
    void modelNeeded(const QString& sentence);
    void errorOccurred(const QString& sentence, const QString& detail);
    void statusMessage(const QString& message);

    void indexingStarted(const QString& folder);
    void indexingStatus(const QString& message); // e.g. loading the model
    void indexingProgress(const photosearch::IndexProgress& progress);
    void indexingPausedChanged(bool paused);
    void indexingFinished(const photosearch::IndexSummary& summary, const QString& sentence);
    void indexingFailed(const QString& sentence, const QString& detail);

    void searchStarted(const QString& description);
    void resultsReady(const photosearch::SearchResults& results);
    void searchFailed(const QString& sentence, const QString& detail);

    // Both threads have finished after requestShutdown().
    void stopped();

private:
    void startSearch(int kind, const QString& input, const QString& description);
    void onIndexFinished(const IndexSummary& summary);
    void onIndexFailed(const QString& sentence, const QString& detail);
    void onSearchFinished(const SearchResults& results);
    void onSearchFailed(int requestId, const QString& sentence, const QString& detail);
    void endRun();
    void beginShutdown();
    void threadFinished();

    QString libraryDir_;
    QString modelDir_;
    QThread indexThread_;
    QThread searchThread_;
    // Deleted (deleteLater) when their threads finish.
    QPointer<IndexWorker> indexWorker_;
    QPointer<SearchWorker> searchWorker_;
    std::shared_ptr<ClipEncoderCache> encoders_;
    std::shared_ptr<IndexControl> control_; // set while a run is going
    std::shared_ptr<std::atomic_int> latestSearch_;
    bool searching_ = false;
    bool shutDown_ = false;
    bool stoppedEmitted_ = false;
    QString startupError_;
    QString startupErrorDetail_;
    // The last search request, for rerunLastSearch(); kind < 0 when none.
    int lastKind_ = -1;
    QString lastInput_;
    QString lastDescription_;
};

} // namespace photosearch
