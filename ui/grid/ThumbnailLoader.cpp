// The thumbnail loader (see ThumbnailLoader.h): priority queue on a pool of
// at most two threads, freedesktop disk cache, memory cache of pixmaps.
// Thread rule: decoding and the disk cache run on the pool with copies of
// what they need; results are queued back and turned into QPixmaps on the
// GUI thread (deliver), where the object lives.

#include "ThumbnailLoader.h"

#include "ImageDecoder.h"

#include <QFileInfo>
#include <QtDebug>

#include <algorithm>
#include <optional>

namespace photosearch {
namespace {

constexpr qint64 kCacheBytes = 96LL * 1024 * 1024;

QImage fit(const QImage& image, QSize box)
{
    if (image.isNull() || (image.width() <= box.width() && image.height() <= box.height()))
        return image;
    return image.scaled(box, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

bool diskCacheWanted()
{
    const QByteArray off = qgetenv("PHOTOSEARCH_NO_THUMBNAIL_CACHE");
    return off.isEmpty() || off == "0";
}

// Pool thread. The cached thumbnail if the disk has a current one (ours or
// another program's), else a decode whose result is written back; a file
// that cannot be decoded is recorded in fail/ so that it is not decoded again
// until it changes.
QImage loadThroughDiskCache(const FreedesktopThumbnails& disk, const QString& path, QSize box)
{
    const ThumbnailStamp photo = ThumbnailStamp::of(path);
    if (!disk.accepts(photo))
        return ThumbnailLoader::decode(path, box);
    const ThumbnailFlavor flavor = FreedesktopThumbnails::flavorFor(box);
    if (const QImage cached = disk.lookup(photo, flavor); !cached.isNull())
        return fit(cached, box);
    if (disk.failedBefore(photo))
        return {};
    const QSize flavorBox(FreedesktopThumbnails::pixels(flavor), FreedesktopThumbnails::pixels(flavor));
    DecodedImage decoded;
    try {
        decoded = ImageDecoder::decodeFile(path, DecodeTarget::fitInto(flavorBox));
    } catch (const ImageError& e) {
        qWarning("thumbnail: %s", e.what());
        // Not for a file we may not read: that is no property of its content.
        if (QFileInfo(path).isReadable())
            disk.storeFailure(photo);
        return {};
    } catch (const std::exception& e) { // out of memory: worth another try later
        qWarning("thumbnail: %s", e.what());
        return {};
    }
    const QImage thumbnail = fit(decoded.image, flavorBox);
    if (!disk.store(photo, thumbnail, decoded.fullSize, flavor))
        qWarning("thumbnail: cannot write %s", qPrintable(disk.thumbnailPath(photo, flavor)));
    return fit(thumbnail, box);
}

} // namespace

ThumbnailLoader::ThumbnailLoader(QSize size, QObject* parent)
    : QObject(parent)
    , size_(size)
    , diskCacheEnabled_(diskCacheWanted())
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
        // Copies: the job must not read members the GUI thread may change.
        const std::optional<FreedesktopThumbnails> disk =
            diskCacheEnabled_ ? std::optional<FreedesktopThumbnails>(disk_) : std::nullopt;
        pool_.start(
            [this, path, box, cancelled, disk] {
                if (cancelled->load())
                    return; // scrolled away before its turn
                const QImage image = disk ? loadThroughDiskCache(*disk, path, box) : decode(path, box);
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
        pixmap->setDevicePixelRatio(devicePixelRatio_); // drawn at size() / ratio: sharp on high-DPI screens
        cache_.insert(path, pixmap, qMax<qint64>(1, qint64(pixmap->width()) * pixmap->height() * 4));
    }
    Q_EMIT thumbnailReady(path);
}

QImage ThumbnailLoader::decode(const QString& path, QSize box)
{
    try {
        return fit(ImageDecoder::decodeFile(path, DecodeTarget::fitInto(box)).image, box);
    } catch (const std::exception& e) {
        qWarning("thumbnail: %s", e.what());
        return {};
    }
}

} // namespace photosearch
