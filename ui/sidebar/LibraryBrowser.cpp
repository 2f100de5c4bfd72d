// The browse thread's owner (see LibraryBrowser.h): queues calls to the
// BrowseWorker and forwards its answers, dropping stale collections.
// Thread rule: GUI thread; the worker lives on thread_, and the destructor
// waits for it (edits are short catalog transactions).

#include "LibraryBrowser.h"

#include "BrowseWorker.h"

namespace photosearch {

LibraryBrowser::LibraryBrowser(const QString& libraryDir, QObject* parent)
    : QObject(parent)
    , latest_(std::make_shared<std::atomic_int>(0))
{
    qRegisterMetaType<SearchResults>();
    qRegisterMetaType<SidebarContents>();
    qRegisterMetaType<CollectionRequest>();

    thread_.setObjectName(QStringLiteral("photosearch-browse"));
    worker_ = new BrowseWorker(libraryDir, latest_);
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);

    connect(worker_, &BrowseWorker::sidebarReady, this, [this](const SidebarContents& contents) {
        contents_ = contents;
        Q_EMIT sidebarReady(contents);
    });
    connect(worker_, &BrowseWorker::collectionReady, this, [this](const SearchResults& results) {
        if (results.requestId == latest_->load())
            Q_EMIT collectionReady(results);
    });
    connect(worker_, &BrowseWorker::collectionFailed, this,
            [this](int requestId, const QString& sentence, const QString& detail) {
                if (requestId == latest_->load())
                    Q_EMIT collectionFailed(sentence, detail);
            });
    connect(worker_, &BrowseWorker::edited, this, &LibraryBrowser::onEdited);
    connect(worker_, &BrowseWorker::failed, this, &LibraryBrowser::errorOccurred);
    thread_.start();
}

LibraryBrowser::~LibraryBrowser()
{
    thread_.quit();
    thread_.wait(); // edits are small catalog transactions
}

template <typename Call>
void LibraryBrowser::queue(Call call)
{
    BrowseWorker* worker = worker_;
    if (!worker)
        return;
    QMetaObject::invokeMethod(worker, [worker, call] { call(worker); }, Qt::QueuedConnection);
}

void LibraryBrowser::refresh()
{
    queue([](BrowseWorker* w) { w->sidebar(); });
}

int LibraryBrowser::showCollection(const CollectionRequest& request)
{
    shown_ = request;
    const int id = latest_->fetch_add(1) + 1;
    if (request.isValid())
        queue([id, request](BrowseWorker* w) { w->collection(id, request); });
    return id;
}

void LibraryBrowser::reloadCollection()
{
    if (shown_.isValid())
        showCollection(shown_);
}

void LibraryBrowser::onEdited(const QString& message, const QString& oldName, const QString& album)
{
    Q_EMIT statusMessage(message);
    const bool shownAlbum = shown_.kind == CollectionRequest::Kind::Album && shown_.key == oldName;
    if (shownAlbum && album.isEmpty()) {
        shown_ = {}; // deleted: the sidebar will select nothing
        Q_EMIT collectionCleared();
    }
    else if (shownAlbum) {
        shown_.key = album; // renamed, or its photos changed
        reloadCollection();
    }
    Q_EMIT sidebarChanged();
    refresh();
}

void LibraryBrowser::createAlbum(const QString& name, AlbumKind kind)
{
    queue([name, kind](BrowseWorker* w) { w->createAlbum(name, kind); });
}

void LibraryBrowser::addToAlbum(const QString& name, const QStringList& paths)
{
    queue([name, paths](BrowseWorker* w) { w->addToAlbum(name, paths); });
}

void LibraryBrowser::removeFromAlbum(const QString& name, const QStringList& paths)
{
    queue([name, paths](BrowseWorker* w) { w->removeFromAlbum(name, paths); });
}

void LibraryBrowser::renameAlbum(const QString& name, const QString& newName)
{
    queue([name, newName](BrowseWorker* w) { w->renameAlbum(name, newName); });
}

void LibraryBrowser::deleteAlbum(const QString& name)
{
    queue([name](BrowseWorker* w) { w->deleteAlbum(name); });
}

void LibraryBrowser::markForAlbum(const QString& name, const QStringList& paths, bool in, bool retrain)
{
    queue([name, paths, in](BrowseWorker* w) { w->markForAlbum(name, paths, in); });
    if (retrain)
        trainAlbum(name);
}

void LibraryBrowser::trainAlbum(const QString& name)
{
    queue([name](BrowseWorker* w) { w->trainAlbum(name); });
}

} // namespace photosearch
