#pragma once
// Decodes thumbnails on a small thread pool and keeps them in memory.
//
// The view says which photos it shows, nearest first (request()); those are
// queued with falling priority, and anything queued earlier that is no
// longer wanted is dropped before it is decoded (Gwenview's habit). JPEGs
// are decoded by the shared ImageDecoder (its size caps, JPEG DCT-reduced
// decoding, HEIF/AVIF). The freedesktop disk cache (FreedesktopThumbnails)
// is read first and written after a decode, on the pool threads, never on
// the GUI thread; it can be turned off (setDiskCacheEnabled, or
// PHOTOSEARCH_NO_THUMBNAIL_CACHE=1) for users who want no trace on disk.
// Thumbnails are ready on the GUI thread as QPixmaps; thumbnailReady() says
// when one arrives.
//
// Thread rule: the object lives on the GUI thread; only decode() and the
// disk cache run on the pool. Qt-only header (no LibTorch).

#include "FreedesktopThumbnails.h"

#include <QCache>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QPixmap>
#include <QSet>
#include <QSize>
#include <QString>
#include <QStringList>
#include <QThreadPool>

#include <atomic>
#include <memory>

namespace photosearch {

class ThumbnailLoader : public QObject {
    Q_OBJECT
public:
    explicit ThumbnailLoader(QSize size, QObject* parent = nullptr);
    ~ThumbnailLoader() override; // drops what is queued, waits for what runs

    QSize size() const { return size_; }
    // Thumbnails are decoded at size() pixels and drawn at size() / ratio
    // logical pixels (1 by default).
    void setDevicePixelRatio(qreal ratio) { devicePixelRatio_ = ratio; }
    // Null when not loaded (yet).
    QPixmap thumbnail(const QString& path) const;
    // True when the file could not be decoded.
    bool failed(const QString& path) const { return failed_.contains(path); }

    // The photos wanted now, most wanted first. Replaces earlier requests:
    // queued decodes of photos not in `paths` are dropped.
    void request(const QStringList& paths);
    // Drops everything queued (e.g. new results).
    void cancelAll();
    int pendingCount() const { return int(pending_.size()); }

    // Decodes one thumbnail that fits in `box` (EXIF orientation applied);
    // null when the file cannot be read. Thread-safe. No disk cache.
    static QImage decode(const QString& path, QSize box);

    // The freedesktop disk cache: on unless PHOTOSEARCH_NO_THUMBNAIL_CACHE is
    // set (to anything but 0) when the loader is made. Applies to requests
    // made after the call.
    void setDiskCacheEnabled(bool enabled) { diskCacheEnabled_ = enabled; }
    bool diskCacheEnabled() const { return diskCacheEnabled_; }
    // Where it lives (default: $XDG_CACHE_HOME/thumbnails, read when the
    // loader is made).
    void setDiskCache(const FreedesktopThumbnails& cache) { disk_ = cache; }
    const FreedesktopThumbnails& diskCache() const { return disk_; }

Q_SIGNALS:
    void thumbnailReady(const QString& path);

private:
    void deliver(const QString& path, const QImage& image, const std::shared_ptr<std::atomic_bool>& cancelled);

    QSize size_;
    qreal devicePixelRatio_ = 1;
    FreedesktopThumbnails disk_;
    bool diskCacheEnabled_;
    QThreadPool pool_;
    QCache<QString, QPixmap> cache_;
    QSet<QString> failed_;
    QHash<QString, std::shared_ptr<std::atomic_bool>> pending_; // path → its "dropped" flag
};

} // namespace photosearch
