// The classify engine's GUI-side half (see ClassifyService.h): starts the
// worker thread, queues requests to the ClassifyWorker with invokeMethod and
// forwards its signals (queued, so they arrive on the GUI thread). The
// destructor stops the running request and waits for the thread.

#include "ClassifyService.h"

#include "ClassifyWorker.h"

namespace photosearch {

ClassifyService::ClassifyService(const QString& libraryDir, std::shared_ptr<ClipEncoderCache> encoders,
                                 QObject* parent)
    : QObject(parent)
    , libraryDir_(libraryDir)
    , latest_(std::make_shared<std::atomic_int>(0))
    , worker_(new ClassifyWorker(libraryDir, std::move(encoders), latest_))
{
    qRegisterMetaType<ClassifyRow>();
    qRegisterMetaType<AlbumFiling>();
    qRegisterMetaType<QList<AlbumAssignment>>();
    thread_.setObjectName(QStringLiteral("classify"));
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    // Worker → service: queued (another thread), so they arrive on the GUI thread.
    connect(worker_, &ClassifyWorker::status, this, &ClassifyService::status);
    connect(worker_, &ClassifyWorker::imageClassified, this, &ClassifyService::imageClassified);
    connect(worker_, &ClassifyWorker::finished, this, &ClassifyService::finished);
    connect(worker_, &ClassifyWorker::failed, this, &ClassifyService::failed);
    connect(worker_, &ClassifyWorker::albumsFiled, this, &ClassifyService::albumsFiled);
    thread_.start();
}

void ClassifyService::setEncoders(std::shared_ptr<ClipEncoderCache> encoders)
{
    QMetaObject::invokeMethod(worker_, [w = worker_, encoders] { w->setEncoders(encoders); }, Qt::QueuedConnection);
}

ClassifyService::~ClassifyService()
{
    cancel();
    thread_.quit();
    thread_.wait();
}

int ClassifyService::classify(const QStringList& paths, const QStringList& labels, const QString& modelDir)
{
    const int id = ++nextId_;
    latest_->store(id);
    QMetaObject::invokeMethod(worker_, [w = worker_, id, paths, labels, modelDir] {
        w->classify(id, paths, labels, modelDir);
    });
    return id;
}

void ClassifyService::cancel()
{
    // An id no request has: the running one sees it is stale.
    latest_->store(++nextId_);
}

int ClassifyService::putIntoAlbums(const QList<AlbumAssignment>& assignments)
{
    const int id = ++nextId_;
    QMetaObject::invokeMethod(worker_, [w = worker_, id, assignments] { w->putIntoAlbums(id, assignments); });
    return id;
}

} // namespace photosearch
