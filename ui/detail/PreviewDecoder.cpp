// One large decode at a time, latest wins; see PreviewDecoder.h.

#include "PreviewDecoder.h"

#include "ThumbnailLoader.h"

namespace photosearch {

PreviewDecoder::PreviewDecoder(QObject* parent)
    : QObject(parent)
    , latest_(std::make_shared<std::atomic_int>(0))
{
    // One at a time: a second large decode in parallel would only delay the
    // one wanted now.
    pool_.setMaxThreadCount(1);
}

PreviewDecoder::~PreviewDecoder()
{
    cancel();
    pool_.clear();
    pool_.waitForDone();
}

int PreviewDecoder::request(const QString& path, QSize box)
{
    const int id = ++*latest_;
    const std::shared_ptr<std::atomic_int> latest = latest_;
    // `this` outlives the job (the destructor waits for it), and a queued
    // call to a deleted object is dropped with it.
    pool_.start([this, latest, id, path, box] {
        if (id != latest->load())
            return; // superseded before it started
        const QImage image = ThumbnailLoader::decode(path, box);
        // Queued onto the GUI thread; dropped there if superseded meanwhile.
        QMetaObject::invokeMethod(
            this,
            [this, latest, id, path, image, box] {
                if (id == latest->load())
                    Q_EMIT decoded(id, path, image, box);
            },
            Qt::QueuedConnection);
    });
    return id;
}

void PreviewDecoder::cancel()
{
    ++*latest_;
}

} // namespace photosearch
