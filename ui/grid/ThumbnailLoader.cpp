// LibTorch (through ImagePreprocessor.h) before Qt.
#include "ImagePreprocessor.h"

#include "ThumbnailLoader.h"

#include "HeifDecoder.h"
#include "ImageFormat.h"

#include <QFile>
#include <QImageReader>
#include <QtDebug>

#include <algorithm>

namespace photosearch {
namespace {

constexpr qint64 kCacheBytes = 96LL * 1024 * 1024;

QImage fit(const QImage& image, QSize box)
{
    if (image.isNull() || (image.width() <= box.width() && image.height() <= box.height()))
        return image;
    return image.scaled(box, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

} // namespace

ThumbnailLoader::ThumbnailLoader(QSize size, QObject* parent)
    : QObject(parent)
    , size_(size)
{
    // Decoding shares the machine with search and indexing: two threads.
    pool_.setMaxThreadCount(std::clamp(QThread::idealThreadCount() / 2, 1, 2));
    cache_.setMaxCost(kCacheBytes);
}

ThumbnailLoader::~ThumbnailLoader()
{
    cancelAll();
    pool_.clear();
    pool_.waitForDone();
}

QPixmap ThumbnailLoader::thumbnail(const QString& path) const
{
    const QPixmap* pixmap = cache_.object(path);
    return pixmap ? *pixmap : QPixmap();
}

void ThumbnailLoader::request(const QStringList& paths)
{
    const QSet<QString> wanted(paths.begin(), paths.end());
    for (auto it = pending_.begin(); it != pending_.end();) {
        if (!wanted.contains(it.key())) {
            it.value()->store(true);
            it = pending_.erase(it);
        } else {
            ++it;
        }
    }
    int priority = int(paths.size());
    for (const QString& path : paths) {
        --priority;
        if (pending_.contains(path) || cache_.contains(path) || failed_.contains(path))
            continue;
        auto cancelled = std::make_shared<std::atomic_bool>(false);
        pending_.insert(path, cancelled);
        const QSize box = size_;
        pool_.start(
            [this, path, box, cancelled] {
                if (cancelled->load())
                    return; // scrolled away before its turn
                const QImage image = decode(path, box);
                QMetaObject::invokeMethod(
                    this, [this, path, image, cancelled] { deliver(path, image, cancelled); }, Qt::QueuedConnection);
            },
            priority);
    }
}

void ThumbnailLoader::cancelAll()
{
    for (const auto& flag : std::as_const(pending_))
        flag->store(true);
    pending_.clear();
}

void ThumbnailLoader::deliver(const QString& path, const QImage& image,
                              const std::shared_ptr<std::atomic_bool>& cancelled)
{
    const auto it = pending_.constFind(path);
    if (it != pending_.constEnd() && it.value() == cancelled)
        pending_.erase(it);
    // A dropped request that was decoded anyway is still worth keeping.
    if (image.isNull()) {
        failed_.insert(path);
    } else {
        auto* pixmap = new QPixmap(QPixmap::fromImage(image));
        cache_.insert(path, pixmap, qMax<qint64>(1, qint64(pixmap->width()) * pixmap->height() * 4));
    }
    Q_EMIT thumbnailReady(path);
}

QImage ThumbnailLoader::decode(const QString& path, QSize box)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize stored = reader.size(); // before the EXIF rotation; `box` is square
    if (stored.isValid() && (stored.width() > box.width() || stored.height() > box.height()))
        reader.setScaledSize(stored.scaled(box, Qt::KeepAspectRatio));
    QImage image = reader.read();
    if (!image.isNull())
        return fit(image, box);

    // Qt 6.4 reads neither HEIF nor AVIF.
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("thumbnail: cannot open %s: %s", qPrintable(path), qPrintable(file.errorString()));
        return {};
    }
    const ImageFormat format = sniffImageFormat(file.peek(kImageFormatSniffBytes));
    if (format != ImageFormat::Heif && format != ImageFormat::Avif) {
        qWarning("thumbnail: cannot decode %s: %s", qPrintable(path), qPrintable(reader.errorString()));
        return {};
    }
    try {
        return fit(decodeHeif(file.readAll(), path, ImagePreprocessor::maxPixels), box);
    } catch (const std::exception& e) {
        qWarning("thumbnail: %s", e.what());
        return {};
    }
}

} // namespace photosearch
