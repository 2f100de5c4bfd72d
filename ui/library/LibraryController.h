#pragma once
// The window's way into the library (index/): owns three threads with their
// workers — "library" (opening the catalog, the model choice, statistics, the
// folder list and the folder watcher), "index" (one index run at a time, and
// removing a folder) and "search" — the queue of index runs, and which model
// search uses. Everything here is called on the GUI thread and returns at
// once: the GUI thread never waits on disk or on the model. Results come back
// as signals.
//
// The model is the catalog's "model.dir" setting (what File ▸ Models…
// or the last index run stored), else $PHOTOSEARCH_MODEL: the CLI's rule,
// resolveLibraryModelDir. Choosing another model while photos are indexed
// with the current one re-indexes every library folder with the new model in
// the background; search keeps the old model until that is done.
//
// The pieces: LibraryController.cpp (threads, startup, shutdown),
// LibraryControllerSearch.cpp, LibraryControllerRuns.cpp (the run queue,
// watching, folders), LibraryControllerModel.cpp (model and compute).

#include "Catalog.h"
#include "LibraryTypes.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QThread>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

namespace clip {
enum class DevicePreference;
}

namespace photosearch {

class ClipEncoder;
class ClipEncoderCache;
class IndexControl;
class IndexWorker;
class LibraryWorker;
class SearchWorker;

class LibraryController : public QObject {
    Q_OBJECT
public:
    static constexpr int kSearchResults = ::photosearch::kSearchResults;
    // While a run goes, search reopens its index at most this often, and
    // only when the run has written photos since: new photos show up during
    // a long first index.
    static constexpr int kReopenDuringRunMs = 5'000;

    // Returns at once: the catalog is opened on the library thread, then
    // libraryOpened() or startupFailed() follows. Requests made before that
    // (search, addFolder, setModelDir) wait for it.
    explicit LibraryController(const QString& libraryDir, QObject* parent = nullptr);
    ~LibraryController() override; // shutdown()

    const QString& libraryDir() const { return libraryDir_; }
    // True once libraryOpened() or startupFailed() came.
    bool isReady() const { return opened_; }
    // The model search uses; empty when no model is known (or before isReady()).
    const QString& modelDir() const { return modelDir_; }
    // The model the library is being re-indexed with (a switch); empty when none.
    const QString& pendingModelDir() const { return switchDir_; }
    // The library's folders (as added with addFolder), known once ready.
    const QStringList& roots() const { return roots_; }
    // The loaded models, shared by every worker that encodes (search,
    // classify, drops): one copy of the weights per model. Thread-safe.
    // Replaced by setComputeSettings (holders of the old one keep it).
    const std::shared_ptr<ClipEncoderCache>& encoders() const { return encoders_; }
    bool isIndexing() const { return control_ != nullptr; }
    // The current run was started by the watcher or a model switch, not by the user.
    bool isQuietRun() const { return isIndexing() && current_.quiet; }
    bool isPaused() const;
    bool isSearching() const { return searching_; }
    bool isWatching() const { return watching_; }
    // True once shutdown began (requestShutdown() or shutdown()): nothing new starts.
    bool isShuttingDown() const { return shutDown_; }
    // True once the threads have finished (after a shutdown).
    bool hasStopped() const;
    // Set when the catalog could not be opened at startup (newer schema,
    // unwritable folder, ...): one sentence for the user, and the detail.
    const QString& startupError() const { return startupError_; }
    const QString& startupErrorDetail() const { return startupErrorDetail_; }

    // "No CLIP model is chosen for this library yet; …" — shown when a
    // search or an index run needs one.
    static QString noModelSentence();

    // Compatibility: the search the window made before SearchOptions — the
    // k best, ignoring the relevance cut (all = true). A template so that
    // search({}) still means "clear" without being ambiguous.
    template <typename Text, std::enable_if_t<std::is_convertible_v<const Text&, QString>, int> = 0>
    void search(const Text& text)
    {
        SearchOptions options;
        options.text = text;
        options.all = true;
        search(options);
    }

public Q_SLOTS:
    // Asynchronous: checks `dir` on the library thread, then modelChanged()
    // (stored; or, when photos are indexed with another model, after every
    // folder was re-indexed with it: modelSwitchStarted() first) or
    // errorOccurred(). False only when refused at once (a run the user
    // started is going, a switch is going, or shutting down).
    bool setModelDir(const QString& dir);
    // Device and LibTorch CPU threads (0 = automatic) for models loaded from
    // now on; models already loaded keep theirs until let go.
    void setComputeSettings(clip::DevicePreference device, int threads);
    // Indexes `folder` on the index thread and adds it to the library's
    // folders (watched from then on). Queued behind a run that is going.
    void addFolder(const QString& folder);
    // Removes the folder's photos from the library and stops watching it:
    // folderRemoved() / errorOccurred(). Queued behind a run that is going.
    void removeFolder(const QString& root);
    // Re-index folders when files change under them (on by default).
    void setWatching(bool on);
    void pauseIndexing();
    void resumeIndexing();
    void cancelIndexing();
    // Search with the engine's full request; an empty text clears the
    // results. Only the latest request's results are reported.
    void search(const photosearch::SearchOptions& options);
    // Photos that look like the image at `path` (in the library or not;
    // itself first when it is in the library).
    void findSimilar(const QString& path, const photosearch::PhotoFilter& filter = {});
    // Runs the last text or "similar" request again with the same options;
    // nothing when the results were cleared.
    void rerunLastSearch();
    // Asynchronous: statisticsReady() or statisticsFailed().
    void requestStatistics();
    // Cancels a run (what was committed stays) and asks the threads to
    // stop without waiting; stopped() follows once all have finished.
    void requestShutdown();
    // Cancels a run (what was committed stays) and waits for the threads.
    void shutdown();

Q_SIGNALS:
    void libraryOpened(const QString& modelDir);
    void startupFailed(const QString& sentence, const QString& detail);
    void modelChanged(const QString& modelDir);
    void modelSwitchStarted(const QString& newModelDir);
    void modelNeeded(const QString& sentence);
    void errorOccurred(const QString& sentence, const QString& detail);
    void statusMessage(const QString& message);
    void rootsChanged(const QStringList& roots);
    void folderRemoved(const QString& root, qint64 photos);
    void statisticsReady(const photosearch::Catalog::Stats& stats);
    void statisticsFailed(const QString& sentence, const QString& detail);

    // `quiet`: started by the watcher or a model switch, not by the user.
    void indexingStarted(const QString& folder, bool quiet);
    void indexingStatus(const QString& message); // e.g. loading the model
    void indexingProgress(const photosearch::IndexProgress& progress);
    void indexingPausedChanged(bool paused);
    void indexingFinished(const photosearch::IndexSummary& summary, const QString& sentence);
    void indexingFailed(const QString& sentence, const QString& detail);

    void searchStarted(const QString& description);
    void resultsReady(const photosearch::SearchResults& results);
    void searchFailed(const QString& sentence, const QString& detail);

    // The threads have finished after requestShutdown().
    void stopped();

private:
    // One queued index run (or folder removal).
    struct Run {
        QString root;
        QString modelDir;
        bool quiet = false;
        bool switching = false; // part of a model switch: leaves the library's model alone
        bool remove = false;    // removeFolder, not a run
    };

    void createWorkers();
    void connectWorkers();
    void whenOpen(std::function<void()> action);
    void onOpened(const QString& modelDir, const QStringList& roots);
    void onOpenFailed(const QString& sentence, const QString& detail, const QString& fallbackModelDir);
    bool needModel(bool forSearch);

    void startSearch(int kind, const SearchOptions& options, const QString& path, const QString& description);
    void onSearchFinished(const SearchResults& results);
    void onSearchFailed(int requestId, const QString& sentence, const QString& detail);

    void enqueue(const Run& run);
    void startNext();
    void startRun(const Run& run);
    void onProgress(const IndexProgress& progress);
    void onIndexFinished(const IndexSummary& summary, const QString& libraryModel);
    void onIndexFailed(const QString& sentence, const QString& detail);
    void onRootChanged(const QString& root);
    void onRootRemoved(const QString& root, qint64 photos, const QStringList& roots);
    void endRun();
    void reopenSearch();

    void onModelStored(const QString& dir);
    void onModelNeedsIndex(const QString& dir, const QString& modelId);
    void switchRunEnded(bool completed);

    void beginShutdown();
    void threadFinished();

    QString libraryDir_;
    QString modelDir_;
    QStringList roots_;
    QThread libraryThread_;
    QThread indexThread_;
    QThread searchThread_;
    // Deleted (deleteLater) when their threads finish.
    QPointer<LibraryWorker> libraryWorker_;
    QPointer<IndexWorker> indexWorker_;
    QPointer<SearchWorker> searchWorker_;
    std::shared_ptr<ClipEncoderCache> encoders_;
    // What encoders_ was made with (the first cache: automatic device and threads).
    clip::DevicePreference device_{};
    int threads_ = 0;
    bool opened_ = false;
    std::vector<std::function<void()>> deferred_; // until opened_

    std::deque<Run> queue_;
    Run current_;                           // valid while control_ is set
    std::shared_ptr<IndexControl> control_; // set while a run is going
    QElapsedTimer lastReopen_;
    qint64 doneAtReopen_ = 0;
    bool watching_ = true;

    // A model switch: the new model, its id, and whether a switch run failed or was cancelled.
    QString switchDir_;
    QString switchId_;

    std::shared_ptr<std::atomic_int> latestSearch_;
    bool searching_ = false;
    bool shutDown_ = false;
    bool stoppedEmitted_ = false;
    QString startupError_;
    QString startupErrorDetail_;
    // The last search request, for rerunLastSearch(); kind < 0 when none.
    int lastKind_ = -1;
    SearchOptions lastOptions_;
    QString lastPath_;
    QString lastDescription_;
};

} // namespace photosearch
