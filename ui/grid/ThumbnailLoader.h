#pragma once
// Decodes thumbnails on a small thread pool and keeps them in memory.
//
// The view says which photos it shows, nearest first (request()); those are
// queued with falling priority, and anything queued earlier that is no
// longer wanted is dropped before it is decoded (Gwenview's habit). JPEGs
// are decoded at a reduced DCT scale through QImageReader::setScaledSize;
// HEIF/AVIF go through libheif. Thumbnails are ready on the GUI thread as
// QPixmaps; thumbnailReady() says when one arrives.

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
    // null when the file cannot be read. Thread-safe.
    static QImage decode(const QString& path, QSize box);

Q_SIGNALS:
    void thumbnailReady(const QString& path);

private:
    void deliver(const QString& path, const QImage& image, const std::shared_ptr<std::atomic_bool>& cancelled);

    QSize size_;
    QThreadPool pool_;
    QCache<QString, QPixmap> cache_;
    QSet<QString> failed_;
    QHash<QString, std::shared_ptr<std::atomic_bool>> pending_; // path → its "dropped" flag
};

} // namespace photosearch
