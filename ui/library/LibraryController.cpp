// LibraryController: the threads and their workers, startup (the catalog is
// opened on the library thread; requests made meanwhile wait in deferred_),
// statistics and shutdown. Search, the run queue and the model live in the
// LibraryController*.cpp files beside this one.

// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoderCache.h"

#include "LibraryController.h"

#include "Catalog.h"
#include "IndexControl.h"
#include "IndexWorker.h"
#include "LibraryWorker.h"
#include "SearchWorker.h"

#include <QDir>
#include <QtDebug>

namespace photosearch {

LibraryController::LibraryController(const QString& libraryDir, QObject* parent)
    : QObject(parent)
    , libraryDir_(libraryDir)
    , latestSearch_(std::make_shared<std::atomic_int>(0))
{
    qRegisterMetaType<IndexProgress>();
    qRegisterMetaType<IndexSummary>();
    qRegisterMetaType<SearchResults>();
    qRegisterMetaType<SearchOptions>();
    qRegisterMetaType<Catalog::Stats>();

    encoders_ = std::make_shared<ClipEncoderCache>();
    createWorkers();
    connectWorkers();
    libraryThread_.start();
    indexThread_.start();
    searchThread_.start();
    LibraryWorker* library = libraryWorker_;
    QMetaObject::invokeMethod(library, [library] { library->open(); }, Qt::QueuedConnection);
}

LibraryController::~LibraryController()
{
    shutdown();
}

void LibraryController::createWorkers()
{
    libraryThread_.setObjectName(QStringLiteral("photosearch-library"));
    indexThread_.setObjectName(QStringLiteral("photosearch-index"));
    searchThread_.setObjectName(QStringLiteral("photosearch-search"));
    libraryWorker_ = new LibraryWorker(libraryDir_);
    libraryWorker_->moveToThread(&libraryThread_);
    connect(&libraryThread_, &QThread::finished, libraryWorker_, &QObject::deleteLater);
    indexWorker_ = new IndexWorker(libraryDir_, encoders_);
    indexWorker_->moveToThread(&indexThread_);
    connect(&indexThread_, &QThread::finished, indexWorker_, &QObject::deleteLater);
    searchWorker_ = new SearchWorker(libraryDir_, latestSearch_, encoders_);
    searchWorker_->moveToThread(&searchThread_);
    connect(&searchThread_, &QThread::finished, searchWorker_, &QObject::deleteLater);
}

void LibraryController::connectWorkers()
{
    LibraryWorker* l = libraryWorker_;
    connect(l, &LibraryWorker::opened, this, &LibraryController::onOpened);
    connect(l, &LibraryWorker::openFailed, this, &LibraryController::onOpenFailed);
    connect(l, &LibraryWorker::modelStored, this, &LibraryController::onModelStored);
    connect(l, &LibraryWorker::modelNeedsIndex, this, &LibraryController::onModelNeedsIndex);
    connect(l, &LibraryWorker::modelFailed, this, &LibraryController::errorOccurred);
    connect(l, &LibraryWorker::statisticsReady, this, &LibraryController::statisticsReady);
    connect(l, &LibraryWorker::statisticsFailed, this, &LibraryController::statisticsFailed);
    connect(l, &LibraryWorker::rootsChanged, this, [this](const QStringList& roots) {
        roots_ = roots;
        Q_EMIT rootsChanged(roots_);
    });
    connect(l, &LibraryWorker::rootsFailed, this, &LibraryController::errorOccurred);
    connect(l, &LibraryWorker::rootChanged, this, &LibraryController::onRootChanged);

    IndexWorker* i = indexWorker_;
    connect(i, &IndexWorker::status, this, &LibraryController::indexingStatus);
    connect(i, &IndexWorker::progress, this, &LibraryController::onProgress);
    connect(i, &IndexWorker::finished, this, &LibraryController::onIndexFinished);
    connect(i, &IndexWorker::failed, this, &LibraryController::onIndexFailed);
    connect(i, &IndexWorker::rootRemoved, this, &LibraryController::onRootRemoved);
    connect(i, &IndexWorker::removeFailed, this, [this](const QString& sentence, const QString& detail) {
        qWarning("%s %s", qPrintable(sentence), qPrintable(detail));
        endRun();
        Q_EMIT errorOccurred(sentence, detail);
    });

    SearchWorker* s = searchWorker_;
    connect(s, &SearchWorker::status, this, &LibraryController::statusMessage);
    connect(s, &SearchWorker::finished, this, &LibraryController::onSearchFinished);
    connect(s, &SearchWorker::failed, this, &LibraryController::onSearchFailed);
    // Queued: QThread::finished is emitted on the thread that ends.
    for (QThread* t : {&libraryThread_, &indexThread_, &searchThread_})
        connect(t, &QThread::finished, this, &LibraryController::threadFinished, Qt::QueuedConnection);
}

void LibraryController::whenOpen(std::function<void()> action)
{
    if (opened_)
        action();
    else
        deferred_.push_back(std::move(action));
}

void LibraryController::onOpened(const QString& modelDir, const QStringList& roots)
{
    if (shutDown_)
        return;
    opened_ = true;
    modelDir_ = modelDir;
    roots_ = roots;
    Q_EMIT libraryOpened(modelDir_);
    if (!roots_.isEmpty())
        Q_EMIT rootsChanged(roots_);
    for (const std::function<void()>& action : std::exchange(deferred_, {}))
        action();
}

void LibraryController::onOpenFailed(const QString& sentence, const QString& detail, const QString& fallbackModelDir)
{
    if (shutDown_)
        return;
    opened_ = true;
    // Kept for the window (and instead of "no model" on a search).
    startupError_ = sentence;
    startupErrorDetail_ = detail;
    modelDir_ = fallbackModelDir;
    Q_EMIT startupFailed(sentence, detail);
    for (const std::function<void()>& action : std::exchange(deferred_, {}))
        action();
}

// True (and the sentence said) when there is no model to work with.
bool LibraryController::needModel(bool forSearch)
{
    if (!modelDir_.isEmpty())
        return false;
    if (!startupError_.isEmpty()) {
        if (forSearch)
            Q_EMIT searchFailed(startupError_, startupErrorDetail_);
        else
            Q_EMIT errorOccurred(startupError_, startupErrorDetail_);
    } else {
        Q_EMIT modelNeeded(noModelSentence());
    }
    return true;
}

bool LibraryController::isPaused() const
{
    return control_ && control_->isPaused();
}

bool LibraryController::hasStopped() const
{
    return libraryThread_.isFinished() && indexThread_.isFinished() && searchThread_.isFinished();
}

QString LibraryController::noModelSentence()
{
    return tr("No CLIP model is chosen for this library yet; download one on the welcome page or with File ▸ Models….");
}

void LibraryController::requestStatistics()
{
    LibraryWorker* worker = libraryWorker_;
    if (shutDown_ || !worker)
        return;
    QMetaObject::invokeMethod(worker, [worker] { worker->readStatistics(); }, Qt::QueuedConnection);
}

void LibraryController::beginShutdown()
{
    if (shutDown_)
        return;
    shutDown_ = true;
    // Whatever the workers still report (a run's end, a search's results)
    // is dropped; the workers are deleted when their threads finish.
    for (QObject* worker : {static_cast<QObject*>(libraryWorker_.data()), static_cast<QObject*>(indexWorker_.data()),
                            static_cast<QObject*>(searchWorker_.data())})
        if (worker)
            disconnect(worker, nullptr, this, nullptr);
    if (control_)
        control_->cancel(); // also wakes a paused run
    queue_.clear();
    deferred_.clear();
    ++*latestSearch_; // queued searches are skipped
    searching_ = false;
    libraryThread_.quit();
    indexThread_.quit();
    searchThread_.quit();
}

void LibraryController::requestShutdown()
{
    beginShutdown();
    // All may have finished already; stopped() always comes from the event loop.
    QMetaObject::invokeMethod(this, &LibraryController::threadFinished, Qt::QueuedConnection);
}

void LibraryController::threadFinished()
{
    if (!shutDown_ || stoppedEmitted_ || !hasStopped())
        return;
    stoppedEmitted_ = true;
    control_.reset();
    Q_EMIT stopped();
}

void LibraryController::shutdown()
{
    beginShutdown();
    libraryThread_.wait();
    indexThread_.wait();
    searchThread_.wait();
    control_.reset();
}

} // namespace photosearch
