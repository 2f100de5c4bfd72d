// The detail thread and its worker; see PhotoDetails.h.

#include "PhotoDetails.h"

#include "DetailWorker.h"

namespace photosearch {

PhotoDetails::PhotoDetails(const QString& libraryDir, QObject* parent)
    : QObject(parent)
    , latest_(std::make_shared<std::atomic_int>(0))
{
    qRegisterMetaType<PhotoInfo>();
    thread_.setObjectName(QStringLiteral("photo details"));
    worker_ = new DetailWorker(libraryDir, latest_);
    worker_->moveToThread(&thread_);
    connect(worker_, &DetailWorker::infoReady, this, [this](int requestId, const PhotoInfo& info) {
        if (requestId == latest_->load())
            Q_EMIT infoReady(info);
    });
    connect(worker_, &DetailWorker::infoFailed, this,
            [this](int requestId, const QString& path, const QString& sentence) {
                if (requestId == latest_->load())
                    Q_EMIT infoFailed(path, sentence);
            });
    connect(worker_, &DetailWorker::tagsChanged, this, &PhotoDetails::tagsChanged);
    connect(worker_, &DetailWorker::correctionFailed, this, &PhotoDetails::correctionFailed);
    thread_.start();
}

PhotoDetails::~PhotoDetails()
{
    cancel();
    thread_.quit();
    thread_.wait();
    delete worker_; // its thread has stopped: nothing else touches it
}

void PhotoDetails::load(const QString& path, const QString& modelId)
{
    const int id = ++*latest_;
    QMetaObject::invokeMethod(worker_, [worker = worker_, id, path, modelId] { worker->load(id, path, modelId); },
                              Qt::QueuedConnection);
}

void PhotoDetails::cancel()
{
    ++*latest_;
}

void PhotoDetails::confirmTag(const QString& path, const QString& tag)
{
    QMetaObject::invokeMethod(worker_, [worker = worker_, path, tag] { worker->confirmTag(path, tag); },
                              Qt::QueuedConnection);
}

void PhotoDetails::removeTag(const QString& path, const QString& tag)
{
    QMetaObject::invokeMethod(worker_, [worker = worker_, path, tag] { worker->removeTag(path, tag); },
                              Qt::QueuedConnection);
}

} // namespace photosearch
