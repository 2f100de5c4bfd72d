#include "LibraryController.h"

#include "Catalog.h"
#include "ClipEncoderCache.h"
#include "IndexControl.h"
#include "IndexReport.h"
#include "IndexWorker.h"
#include "SearchWorker.h"

#include "ModelError.h"
#include "LibraryModel.h"
#include "ModelIdentity.h"

#include <QDir>
#include <QFileInfo>
#include <QtDebug>

namespace photosearch {
namespace {

QString absoluteClean(const QString& path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

} // namespace

LibraryController::LibraryController(const QString& libraryDir, QObject* parent)
    : QObject(parent)
    , libraryDir_(libraryDir)
    , latestSearch_(std::make_shared<std::atomic_int>(0))
{
    qRegisterMetaType<IndexProgress>();
    qRegisterMetaType<IndexSummary>();
    qRegisterMetaType<SearchResults>();

    try {
        const Catalog catalog(libraryDir_);
        modelDir_ = resolveLibraryModelDir(&catalog);
    } catch (const CatalogError& e) {
        qWarning("%s", e.what());
        // Kept for the window to show once it is up (and instead of "no model").
        startupError_ = tr("The library in %1 could not be opened; update PhotoSearch if it was made by a newer "
                           "version, otherwise check the folder's permissions or start with --library DIR.")
                            .arg(QDir::toNativeSeparators(libraryDir_));
        startupErrorDetail_ = QString::fromUtf8(e.what());
        modelDir_ = resolveLibraryModelDir(nullptr);
    }

    indexThread_.setObjectName(QStringLiteral("photosearch-index"));
    searchThread_.setObjectName(QStringLiteral("photosearch-search"));
    encoders_ = std::make_shared<ClipEncoderCache>();
    indexWorker_ = new IndexWorker(libraryDir_, encoders_);
    indexWorker_->moveToThread(&indexThread_);
    connect(&indexThread_, &QThread::finished, indexWorker_, &QObject::deleteLater);
    searchWorker_ = new SearchWorker(libraryDir_, latestSearch_, encoders_);
    searchWorker_->moveToThread(&searchThread_);
    connect(&searchThread_, &QThread::finished, searchWorker_, &QObject::deleteLater);

    connect(indexWorker_, &IndexWorker::status, this, &LibraryController::indexingStatus);
    connect(indexWorker_, &IndexWorker::progress, this, [this](const IndexProgress& p) {
        if (control_)
            Q_EMIT indexingProgress(p);
    });
    connect(indexWorker_, &IndexWorker::finished, this, &LibraryController::onIndexFinished);
    connect(indexWorker_, &IndexWorker::failed, this, &LibraryController::onIndexFailed);
    connect(searchWorker_, &SearchWorker::status, this, &LibraryController::statusMessage);
    connect(searchWorker_, &SearchWorker::finished, this, &LibraryController::onSearchFinished);
    connect(searchWorker_, &SearchWorker::failed, this, &LibraryController::onSearchFailed);
    // Queued: QThread::finished is emitted on the thread that ends.
    connect(&indexThread_, &QThread::finished, this, &LibraryController::threadFinished, Qt::QueuedConnection);
    connect(&searchThread_, &QThread::finished, this, &LibraryController::threadFinished, Qt::QueuedConnection);

    indexThread_.start();
    searchThread_.start();
}

LibraryController::~LibraryController()
{
    shutdown();
}

bool LibraryController::isPaused() const
{
    return control_ && control_->isPaused();
}

QString LibraryController::noModelSentence()
{
    return tr("No CLIP model is chosen for this library yet; choose a model folder with File ▸ Choose Model.");
}

std::optional<Catalog::Stats> LibraryController::statistics(QString* error) const
{
    try {
        const Catalog catalog(libraryDir_);
        return catalog.stats();
    } catch (const CatalogError& e) {
        qWarning("%s", e.what());
        if (error)
            *error = tr("The library statistics could not be read from %1; check the library folder.")
                         .arg(QDir::toNativeSeparators(libraryDir_));
        return std::nullopt;
    }
}

bool LibraryController::setModelDir(const QString& dir)
{
    if (isIndexing()) {
        Q_EMIT errorOccurred(tr("The model cannot be changed while a folder is being indexed; wait for it or cancel it."),
                             {});
        return false;
    }
    const QString clean = absoluteClean(dir);
    try {
        const QString modelId = modelIdForDirectory(clean); // reads the headers only: milliseconds
        Catalog catalog(libraryDir_);
        setLibraryModel(catalog, clean, modelId);
    } catch (const clip::ModelError& e) {
        qWarning("%s", e.what());
        Q_EMIT errorOccurred(tr("%1 is not a usable CLIP model folder; choose a folder with config.json, "
                                "model.safetensors, vocab.json and merges.txt.")
                                 .arg(QDir::toNativeSeparators(clean)),
                             QString::fromUtf8(e.what()));
        return false;
    } catch (const CatalogError& e) {
        qWarning("%s", e.what());
        Q_EMIT errorOccurred(tr("The model could not be remembered because the library catalog could not be "
                                "written; check the library folder."),
                             QString::fromUtf8(e.what()));
        return false;
    }
    modelDir_ = clean;
    ++*latestSearch_; // results in flight come from the old model
    searching_ = false;
    Q_EMIT modelChanged(modelDir_);
    rerunLastSearch();
    return true;
}

void LibraryController::addFolder(const QString& folder)
{
    if (shutDown_)
        return;
    if (modelDir_.isEmpty()) {
        if (!startupError_.isEmpty())
            Q_EMIT errorOccurred(startupError_, startupErrorDetail_);
        else
            Q_EMIT modelNeeded(noModelSentence());
        return;
    }
    if (isIndexing()) {
        Q_EMIT errorOccurred(tr("A folder is already being indexed; add %1 when it has finished.")
                                 .arg(QDir::toNativeSeparators(folder)),
                             {});
        return;
    }
    const QString root = absoluteClean(folder);
    control_ = std::make_shared<IndexControl>();
    const std::shared_ptr<IndexControl> control = control_;
    const QString modelDir = modelDir_;
    IndexWorker* worker = indexWorker_;
    QMetaObject::invokeMethod(
        worker, [worker, root, modelDir, control] { worker->run(root, modelDir, control); }, Qt::QueuedConnection);
    Q_EMIT indexingStarted(root);
}

void LibraryController::pauseIndexing()
{
    if (control_ && !control_->isPaused()) {
        control_->pause();
        Q_EMIT indexingPausedChanged(true);
    }
}

void LibraryController::resumeIndexing()
{
    if (control_ && control_->isPaused()) {
        control_->resume();
        Q_EMIT indexingPausedChanged(false);
    }
}

void LibraryController::cancelIndexing()
{
    if (control_) {
        control_->cancel(); // also wakes a paused run
        Q_EMIT statusMessage(tr("Stopping the index run…"));
    }
}

void LibraryController::endRun()
{
    control_.reset();
    // The run changed the catalog and the vector file: reopen them.
    SearchWorker* worker = searchWorker_;
    if (shutDown_ || !worker)
        return;
    QMetaObject::invokeMethod(worker, [worker] { worker->reopen(); }, Qt::QueuedConnection);
}

void LibraryController::onIndexFinished(const IndexSummary& summary)
{
    if (shutDown_)
        return; // queued before the window closed
    endRun();
    try {
        const Catalog catalog(libraryDir_);
        const QString stored = libraryModelDir(catalog);
        if (!stored.isEmpty() && stored != modelDir_) {
            modelDir_ = stored;
            Q_EMIT modelChanged(modelDir_);
        }
    } catch (const CatalogError& e) {
        qWarning("%s", e.what());
    }
    Q_EMIT indexingFinished(summary, indexSummarySentence(summary));
    rerunLastSearch(); // show the new photos too
}

void LibraryController::onIndexFailed(const QString& sentence, const QString& detail)
{
    qWarning("%s %s", qPrintable(sentence), qPrintable(detail));
    if (shutDown_)
        return;
    endRun();
    Q_EMIT indexingFailed(sentence, detail);
}

void LibraryController::search(const QString& text)
{
    const QString query = text.simplified();
    if (query.isEmpty()) {
        lastKind_ = -1;
        ++*latestSearch_; // whatever is queued is stale now
        searching_ = false;
        SearchResults empty;
        empty.requestId = latestSearch_->load();
        Q_EMIT resultsReady(empty);
        return;
    }
    startSearch(int(SearchWorker::Kind::Text), query, query);
}

void LibraryController::findSimilar(const QString& path)
{
    startSearch(int(SearchWorker::Kind::Similar), absoluteClean(path),
                tr("Similar to %1").arg(QFileInfo(path).fileName()));
}

void LibraryController::startSearch(int kind, const QString& input, const QString& description)
{
    if (shutDown_)
        return;
    if (modelDir_.isEmpty()) {
        if (!startupError_.isEmpty())
            Q_EMIT searchFailed(startupError_, startupErrorDetail_);
        else
            Q_EMIT modelNeeded(noModelSentence());
        return;
    }
    SearchWorker* worker = searchWorker_;
    if (!worker)
        return;
    lastKind_ = kind;
    lastInput_ = input;
    lastDescription_ = description;
    const int id = ++*latestSearch_;
    searching_ = true;
    const QString modelDir = modelDir_;
    QMetaObject::invokeMethod(
        worker,
        [worker, id, kind, input, modelDir] {
            worker->search(id, SearchWorker::Kind(kind), input, modelDir, kSearchResults);
        },
        Qt::QueuedConnection);
    Q_EMIT searchStarted(description);
}

void LibraryController::rerunLastSearch()
{
    if (lastKind_ >= 0 && !shutDown_)
        startSearch(lastKind_, lastInput_, lastDescription_);
}

void LibraryController::onSearchFinished(const SearchResults& results)
{
    if (shutDown_)
        return;
    if (results.requestId != latestSearch_->load())
        return;
    searching_ = false;
    Q_EMIT resultsReady(results);
}

void LibraryController::onSearchFailed(int requestId, const QString& sentence, const QString& detail)
{
    qWarning("%s %s", qPrintable(sentence), qPrintable(detail));
    if (shutDown_ || requestId != latestSearch_->load())
        return;
    searching_ = false;
    Q_EMIT searchFailed(sentence, detail);
}

void LibraryController::beginShutdown()
{
    if (shutDown_)
        return;
    shutDown_ = true;
    // Whatever the workers still report (a run's end, a search's results)
    // is dropped; the workers are deleted when their threads finish.
    if (indexWorker_)
        disconnect(indexWorker_, nullptr, this, nullptr);
    if (searchWorker_)
        disconnect(searchWorker_, nullptr, this, nullptr);
    if (control_)
        control_->cancel(); // also wakes a paused run
    ++*latestSearch_; // queued searches are skipped
    searching_ = false;
    indexThread_.quit();
    searchThread_.quit();
}

void LibraryController::requestShutdown()
{
    beginShutdown();
    // Both may have finished already; stopped() always comes from the event loop.
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
    indexThread_.wait();
    searchThread_.wait();
    control_.reset();
}

} // namespace photosearch
