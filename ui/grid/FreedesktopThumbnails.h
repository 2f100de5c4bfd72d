#pragma once
// The freedesktop.org Thumbnail Managing Standard's disk cache
// ($XDG_CACHE_HOME/thumbnails, else ~/.cache/thumbnails): thumbnails named by
// the MD5 of the photo's file:// URI, PNGs that carry Thumb::URI and
// Thumb::MTime. Sharing it means that what the file manager made is shown at
// once, and that what we make serves the file manager.
//
// Thread rule: a value holding only its root folder; every member is const
// and touches only the file system, so any thread may call it (the thumbnail
// pool does; the GUI thread must not, it does file I/O). Writes are atomic
// (temp file + rename), so concurrent writers, ours or other programs',
// never leave half a PNG.

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QString>

namespace photosearch {

// The standard's sizes: 128, 256, 512 and 1024 px boxes.
enum class ThumbnailFlavor { Normal, Large, XLarge, XXLarge };

// A photo as the cache identifies it: its URI and the stat taken before it
// is decoded, so that a thumbnail never claims a newer file than it shows.
struct ThumbnailStamp {
    QString path;      // absolute
    QByteArray uri;    // file:///..., percent-encoded
    qint64 mtime = -1; // seconds since the epoch
    qint64 size = -1;  // bytes

    // Invalid (mtime < 0) when the file does not exist.
    static ThumbnailStamp of(const QString& path);
    bool isValid() const { return mtime >= 0; }
};

class FreedesktopThumbnails {
public:
    // $XDG_CACHE_HOME/thumbnails when that variable is an absolute path,
    // else ~/.cache/thumbnails (read when called, not cached).
    static QString defaultRoot();

    explicit FreedesktopThumbnails(QString root = defaultRoot());
    const QString& root() const { return root_; }

    static int pixels(ThumbnailFlavor flavor);
    static QString folderName(ThumbnailFlavor flavor); // "normal", "large", ...
    // The smallest flavor whose box covers `cell` (so nothing is upscaled).
    static ThumbnailFlavor flavorFor(QSize cell);

    // The canonical URI: QUrl::fromLocalFile(absolute path), encoded.
    static QByteArray uriOf(const QString& path);
    // md5 hex of the URI + ".png".
    static QString fileNameFor(const QByteArray& uri);

    QString thumbnailPath(const ThumbnailStamp& photo, ThumbnailFlavor flavor) const;
    // fail/photosearch-<version>/<md5>.png
    QString failurePath(const ThumbnailStamp& photo) const;

    // False for a photo inside the cache folder itself: the standard says
    // such files are never thumbnailed into it (it would feed on itself).
    bool accepts(const ThumbnailStamp& photo) const;

    // The cached thumbnail when it describes the photo as it is now
    // (Thumb::URI and Thumb::MTime equal, Thumb::Size too if present), by
    // whichever program wrote it; null otherwise.
    QImage lookup(const ThumbnailStamp& photo, ThumbnailFlavor flavor) const;
    // Whether our failure entry is there for the photo as it is now.
    bool failedBefore(const ThumbnailStamp& photo) const;

    // Writes `thumbnail` (already fitted into the flavor's box) with the
    // standard's keys; `fullSize` is the photo's displayed size. Directories
    // are made 0700, the file 0600. False on any I/O error: the cache is a
    // courtesy, callers carry on without it.
    bool store(const ThumbnailStamp& photo, const QImage& thumbnail, QSize fullSize, ThumbnailFlavor flavor) const;
    // Records that the photo, as it is now, cannot be thumbnailed.
    bool storeFailure(const ThumbnailStamp& photo) const;

private:
    QString root_;
};

} // namespace photosearch
