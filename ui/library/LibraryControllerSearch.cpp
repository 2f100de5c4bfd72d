// LibraryController: searching. Requests go to the search thread with the
// model search uses now (the old one during a model switch); only the latest
// request's answer is reported. Requests made before the library is open
// wait for it (whenOpen).

#include "LibraryController.h"

#include "SearchWorker.h"

#include <QDir>
#include <QFileInfo>
#include <QtDebug>

namespace photosearch {

void LibraryController::search(const SearchOptions& options)
{
    SearchOptions clean = options;
    clean.text = options.text.simplified();
    if (clean.text.isEmpty()) {
        lastKind_ = -1;
        ++*latestSearch_; // whatever is queued is stale now
        searching_ = false;
        SearchResults empty;
        empty.requestId = latestSearch_->load();
        Q_EMIT resultsReady(empty);
        return;
    }
    startSearch(int(SearchJob::Kind::Text), clean, {}, clean.text);
}

void LibraryController::findSimilar(const QString& path, const PhotoFilter& filter)
{
    SearchOptions options;
    options.filter = filter;
    startSearch(int(SearchJob::Kind::Similar), options, QDir::cleanPath(QFileInfo(path).absoluteFilePath()),
                tr("Similar to %1").arg(QFileInfo(path).fileName()));
}

void LibraryController::startSearch(int kind, const SearchOptions& options, const QString& path,
                                    const QString& description)
{
    if (shutDown_)
        return;
    lastKind_ = kind;
    lastOptions_ = options;
    lastPath_ = path;
    lastDescription_ = description;
    if (!opened_) {
        // Answered once the library is open (the latest request only).
        const int id = ++*latestSearch_;
        searching_ = true;
        whenOpen([this, id] {
            if (id == latestSearch_->load())
                rerunLastSearch();
        });
        Q_EMIT searchStarted(description);
        return;
    }
    if (needModel(true)) {
        searching_ = false; // refused: nothing is in flight
        return;
    }
    SearchWorker* worker = searchWorker_;
    if (!worker)
        return;
    SearchJob job;
    job.id = ++*latestSearch_;
    job.kind = SearchJob::Kind(kind);
    job.options = options;
    job.path = path;
    job.modelDir = modelDir_;
    searching_ = true;
    QMetaObject::invokeMethod(worker, [worker, job] { worker->search(job); }, Qt::QueuedConnection);
    Q_EMIT searchStarted(description);
}

void LibraryController::rerunLastSearch()
{
    if (lastKind_ >= 0 && !shutDown_)
        startSearch(lastKind_, lastOptions_, lastPath_, lastDescription_);
}

void LibraryController::onSearchFinished(const SearchResults& results)
{
    if (shutDown_ || results.requestId != latestSearch_->load())
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

void LibraryController::reopenSearch()
{
    SearchWorker* worker = searchWorker_;
    if (shutDown_ || !worker)
        return;
    QMetaObject::invokeMethod(worker, [worker] { worker->reopen(); }, Qt::QueuedConnection);
    lastReopen_.start();
}

} // namespace photosearch
