// LibraryController: the queue of index runs. One run at a time on the index
// thread; what comes meanwhile (a folder the user adds, a watched folder that
// changed, a model switch's folders, a folder removal) waits in queue_ and
// starts when the run ends. While a run goes, search reopens its index now and
// then so that new photos can be found before the run ends.

#include "LibraryController.h"

#include "IndexControl.h"
#include "IndexReport.h"
#include "IndexWorker.h"
#include "LibraryLocation.h"
#include "LibraryWorker.h"

#include <QDir>
#include <QFileInfo>
#include <QtDebug>

#include <algorithm>

namespace photosearch {

void LibraryController::addFolder(const QString& folder)
{
    if (shutDown_)
        return;
    const QString root = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    whenOpen([this, root] {
        if (needModel(false))
            return;
        if (isIndexing())
            Q_EMIT statusMessage(tr("%1 will be indexed when the current run has finished.")
                                     .arg(QDir::toNativeSeparators(root)));
        Run run;
        run.root = root;
        run.modelDir = modelDir_;
        enqueue(run);
        if (!switchDir_.isEmpty()) { // the new model must cover this folder too
            run.modelDir = switchDir_;
            run.switching = true;
            enqueue(run);
        }
        LibraryWorker* worker = libraryWorker_;
        if (worker)
            QMetaObject::invokeMethod(worker, [worker, root] { worker->addRoot(root); }, Qt::QueuedConnection);
        startNext();
    });
}

void LibraryController::removeFolder(const QString& root)
{
    if (shutDown_)
        return;
    const QString clean = QDir::cleanPath(QFileInfo(root).absoluteFilePath());
    whenOpen([this, clean] {
        // Queued runs of that folder would index it again.
        queue_.erase(std::remove_if(queue_.begin(), queue_.end(), [&](const Run& r) { return r.root == clean; }),
                     queue_.end());
        Run run;
        run.root = clean;
        run.remove = true;
        enqueue(run);
        startNext();
    });
}

void LibraryController::setWatching(bool on)
{
    watching_ = on;
    LibraryWorker* worker = libraryWorker_;
    if (worker && !shutDown_)
        QMetaObject::invokeMethod(worker, [worker, on] { worker->setWatching(on); }, Qt::QueuedConnection);
}

void LibraryController::enqueue(const Run& run)
{
    // Index runs, folder removals and model switches all write the catalog;
    // on a read-only library (as the CLI decides it) each is refused here.
    if (LibraryLocation::isReadOnly(libraryDir_)) {
        const QString root = QDir::toNativeSeparators(run.root);
        Q_EMIT statusMessage(run.remove ? tr("%1 was not removed: the library is read-only.").arg(root)
                                        : tr("%1 was not indexed: the library is read-only.").arg(root));
        return;
    }
    const auto same = [&](const Run& r) {
        return r.root == run.root && r.modelDir == run.modelDir && r.remove == run.remove;
    };
    if (std::none_of(queue_.begin(), queue_.end(), same))
        queue_.push_back(run);
}

void LibraryController::startNext()
{
    if (shutDown_ || isIndexing() || queue_.empty())
        return;
    const Run run = queue_.front();
    queue_.pop_front();
    startRun(run);
}

void LibraryController::startRun(const Run& run)
{
    current_ = run;
    control_ = std::make_shared<IndexControl>();
    doneAtReopen_ = 0;
    lastReopen_.start();
    IndexWorker* worker = indexWorker_;
    if (!worker)
        return;
    if (run.remove) {
        const QString root = run.root;
        QMetaObject::invokeMethod(worker, [worker, root] { worker->removeRoot(root); }, Qt::QueuedConnection);
        return;
    }
    const std::shared_ptr<IndexControl> control = control_;
    const bool record = !run.switching;
    QMetaObject::invokeMethod(
        worker, [worker, run, record, control] { worker->run(run.root, run.modelDir, record, control); },
        Qt::QueuedConnection);
    Q_EMIT indexingStarted(run.root, run.quiet);
}

void LibraryController::onProgress(const IndexProgress& progress)
{
    if (!control_ || current_.remove)
        return;
    Q_EMIT indexingProgress(progress);
    // Photos written since the last reopen, and a while since: let search see them.
    if (!current_.switching && current_.modelDir == modelDir_ && progress.phase != IndexProgress::Phase::Scanning
        && progress.done > doneAtReopen_ && lastReopen_.elapsed() >= kReopenDuringRunMs) {
        doneAtReopen_ = progress.done;
        reopenSearch();
    }
}

void LibraryController::endRun()
{
    control_.reset();
    current_ = Run{};
    // The run changed the catalog and the vector file: reopen them.
    reopenSearch();
}

void LibraryController::onIndexFinished(const IndexSummary& summary, const QString& libraryModel)
{
    if (shutDown_)
        return; // queued before the window closed
    const Run run = current_;
    endRun();
    if (!run.switching && switchDir_.isEmpty() && !libraryModel.isEmpty() && libraryModel != modelDir_) {
        modelDir_ = libraryModel; // the run's model became the library's (CLI rule)
        Q_EMIT modelChanged(modelDir_);
    }
    Q_EMIT indexingFinished(summary, indexSummarySentence(summary));
    if (run.switching)
        switchRunEnded(!summary.cancelled);
    rerunLastSearch(); // show the new photos too
    startNext();
}

void LibraryController::onIndexFailed(const QString& sentence, const QString& detail)
{
    qWarning("%s %s", qPrintable(sentence), qPrintable(detail));
    if (shutDown_)
        return;
    const Run run = current_;
    endRun();
    Q_EMIT indexingFailed(sentence, detail);
    if (run.switching)
        switchRunEnded(false);
    startNext();
}

void LibraryController::onRootChanged(const QString& root)
{
    if (shutDown_ || !watching_ || modelDir_.isEmpty() || !roots_.contains(root))
        return;
    Run run;
    run.root = root;
    run.modelDir = modelDir_;
    run.quiet = true;
    enqueue(run);
    if (!switchDir_.isEmpty()) {
        run.modelDir = switchDir_;
        run.switching = true;
        enqueue(run);
    }
    startNext();
}

void LibraryController::onRootRemoved(const QString& root, qint64 photos, const QStringList& roots)
{
    if (shutDown_)
        return;
    endRun();
    roots_ = roots;
    LibraryWorker* worker = libraryWorker_;
    if (worker)
        QMetaObject::invokeMethod(worker, [worker, roots] { worker->watchRoots(roots); }, Qt::QueuedConnection);
    Q_EMIT rootsChanged(roots_);
    Q_EMIT folderRemoved(root, photos);
    Q_EMIT statusMessage(tr("Removed %1 from the library (%n photos).", nullptr, int(photos))
                             .arg(QDir::toNativeSeparators(root)));
    rerunLastSearch();
    startNext();
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

} // namespace photosearch
