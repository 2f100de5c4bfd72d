// One large decode at a time, latest wins; see PreviewDecoder.h.

#include "PreviewDecoder.h"

#include "ImageDecoder.h"

#include <QCoreApplication>
#include <QtDebug>

#include <new>

namespace photosearch {
namespace {

struct Decoded {
    QImage image; // null on failure
    QString error;
};

// Pool thread. The image fitted into `box`, or the reason it cannot be.
Decoded decodeToFit(const QString& path, QSize box)
{
    try {
        QImage image = ImageDecoder::decodeFile(path, DecodeTarget::fitInto(box)).image;
        if (image.width() > box.width() || image.height() > box.height())
            image = image.scaled(box, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        return {image, QString()};
    } catch (const ImageError& e) {
        qWarning("preview: %s", e.what());
        return {QImage(), QString::fromUtf8(e.what())}; // one sentence naming the file
    } catch (const std::bad_alloc&) {
        qWarning("preview: out of memory decoding %s", qPrintable(path));
        return {QImage(), QCoreApplication::translate("photosearch::PreviewDecoder",
                                                      "There is not enough memory to show this photo; close "
                                                      "other programs and try again.")};
    } catch (const std::exception& e) {
        qWarning("preview: %s: %s", qPrintable(path), e.what());
        return {QImage(), QCoreApplication::translate("photosearch::PreviewDecoder",
                                                      "This photo could not be shown; try again, and if it "
                                                      "keeps failing, restart PhotoSearch.")};
    }
}

} // namespace

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
        const Decoded result = decodeToFit(path, box);
        // Queued onto the GUI thread; dropped there if superseded meanwhile.
        QMetaObject::invokeMethod(
            this,
            [this, latest, id, path, result, box] {
                if (id == latest->load())
                    Q_EMIT decoded(id, path, result.image, box, result.error);
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
