// The freedesktop.org thumbnail cache (see FreedesktopThumbnails.h): names,
// the Thumb::URI/MTime check, private 0700 folders and atomic PNG writes.
// Thread rule: file I/O on every call; pool threads only, never the GUI.

#include "FreedesktopThumbnails.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QImageWriter>
#include <QTemporaryFile>
#include <QUrl>

#include <algorithm>
#include <cstdio>

#ifndef PHOTOSEARCH_VERSION
#define PHOTOSEARCH_VERSION "0"
#endif

namespace photosearch {
namespace {

constexpr QFile::Permissions kPrivateDir = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;
constexpr QFile::Permissions kPrivateFile = QFile::ReadOwner | QFile::WriteOwner;

// The standard asks for 0700 folders (thumbnails reveal what a user has).
// Parents are made the same way: the XDG base directory spec asks for 0700
// too.
bool makePrivateDir(const QString& path)
{
    if (QFileInfo(path).isDir())
        return true;
    const QString parent = QFileInfo(path).path();
    if (parent != path && !makePrivateDir(parent))
        return false;
    // Another thread or program may have made it meanwhile.
    return QDir().mkdir(path, kPrivateDir) || QFileInfo(path).isDir();
}

// A temporary file in the same folder (QTemporaryFile makes it 0600), then
// rename(2), which replaces atomically: readers see the old PNG or the new.
bool writeAtomically(const QString& path, const QImage& image)
{
    const QString dir = QFileInfo(path).path();
    if (!makePrivateDir(dir))
        return false;
    QTemporaryFile temp(dir + QStringLiteral("/.photosearch-XXXXXX.png"));
    if (!temp.open() || !temp.setPermissions(kPrivateFile))
        return false;
    QImageWriter writer(&temp, "png");
    writer.setCompression(1);
    if (!writer.write(image) || !temp.flush())
        return false;
    temp.close();
    if (std::rename(QFile::encodeName(temp.fileName()).constData(), QFile::encodeName(path).constData()) != 0)
        return false;
    temp.setAutoRemove(false); // it is `path` now
    return true;
}

qint64 parseMTime(const QString& text)
{
    bool ok = false;
    const qint64 seconds = text.trimmed().toLongLong(&ok);
    if (ok)
        return seconds;
    // Some writers store fractional seconds; the standard means whole ones.
    const double d = text.trimmed().toDouble(&ok);
    return ok ? qint64(d) : -2;
}

// The PNG at `file` when its keys describe `photo` as it is now.
QImage readIfCurrent(const QString& file, const ThumbnailStamp& photo)
{
    if (!QFileInfo::exists(file))
        return {};
    QImageReader reader(file, "png");
    QImage image = reader.read();
    if (image.isNull() || image.text(QStringLiteral("Thumb::URI")).toUtf8() != photo.uri
        || parseMTime(image.text(QStringLiteral("Thumb::MTime"))) != photo.mtime)
        return {};
    const QString size = image.text(QStringLiteral("Thumb::Size"));
    if (!size.isEmpty() && size.trimmed().toLongLong() != photo.size)
        return {};
    return image;
}

void stampKeys(QImage& image, const ThumbnailStamp& photo)
{
    image.setText(QStringLiteral("Thumb::URI"), QString::fromLatin1(photo.uri));
    image.setText(QStringLiteral("Thumb::MTime"), QString::number(photo.mtime));
    image.setText(QStringLiteral("Thumb::Size"), QString::number(photo.size));
    image.setText(QStringLiteral("Software"), QStringLiteral("PhotoSearch"));
}

} // namespace

ThumbnailStamp ThumbnailStamp::of(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists() || info.isDir())
        return {};
    ThumbnailStamp stamp;
    stamp.path = QDir::cleanPath(info.absoluteFilePath());
    stamp.uri = FreedesktopThumbnails::uriOf(stamp.path);
    stamp.mtime = info.lastModified().toSecsSinceEpoch();
    stamp.size = info.size();
    return stamp;
}

QString FreedesktopThumbnails::defaultRoot()
{
    const QString xdg = qEnvironmentVariable("XDG_CACHE_HOME");
    // The base directory spec: a relative value is invalid and ignored.
    const QString base = !xdg.isEmpty() && QDir::isAbsolutePath(xdg) ? xdg : QDir::homePath() + QStringLiteral("/.cache");
    return QDir::cleanPath(base + QStringLiteral("/thumbnails"));
}

FreedesktopThumbnails::FreedesktopThumbnails(QString root)
    : root_(QDir::cleanPath(QDir(root).absolutePath()))
{
}

int FreedesktopThumbnails::pixels(ThumbnailFlavor flavor)
{
    switch (flavor) {
    case ThumbnailFlavor::Normal: return 128;
    case ThumbnailFlavor::Large: return 256;
    case ThumbnailFlavor::XLarge: return 512;
    case ThumbnailFlavor::XXLarge: return 1024;
    }
    return 128;
}

QString FreedesktopThumbnails::folderName(ThumbnailFlavor flavor)
{
    switch (flavor) {
    case ThumbnailFlavor::Normal: return QStringLiteral("normal");
    case ThumbnailFlavor::Large: return QStringLiteral("large");
    case ThumbnailFlavor::XLarge: return QStringLiteral("x-large");
    case ThumbnailFlavor::XXLarge: return QStringLiteral("xx-large");
    }
    return QStringLiteral("normal");
}

ThumbnailFlavor FreedesktopThumbnails::flavorFor(QSize cell)
{
    const int side = std::max(cell.width(), cell.height());
    for (ThumbnailFlavor f : {ThumbnailFlavor::Normal, ThumbnailFlavor::Large, ThumbnailFlavor::XLarge})
        if (side <= pixels(f))
            return f;
    return ThumbnailFlavor::XXLarge;
}

QByteArray FreedesktopThumbnails::uriOf(const QString& path)
{
    return QUrl::fromLocalFile(QDir::cleanPath(QFileInfo(path).absoluteFilePath())).toEncoded();
}

QString FreedesktopThumbnails::fileNameFor(const QByteArray& uri)
{
    return QString::fromLatin1(QCryptographicHash::hash(uri, QCryptographicHash::Md5).toHex()) + QStringLiteral(".png");
}

QString FreedesktopThumbnails::thumbnailPath(const ThumbnailStamp& photo, ThumbnailFlavor flavor) const
{
    return root_ + QLatin1Char('/') + folderName(flavor) + QLatin1Char('/') + fileNameFor(photo.uri);
}

QString FreedesktopThumbnails::failurePath(const ThumbnailStamp& photo) const
{
    return root_ + QStringLiteral("/fail/photosearch-") + QStringLiteral(PHOTOSEARCH_VERSION) + QLatin1Char('/')
        + fileNameFor(photo.uri);
}

bool FreedesktopThumbnails::accepts(const ThumbnailStamp& photo) const
{
    if (!photo.isValid())
        return false;
    const QString canonicalRoot = QFileInfo(root_).canonicalFilePath();
    const QString canonicalPhoto = QFileInfo(photo.path).canonicalFilePath();
    const auto inside = [](const QString& file, const QString& dir) {
        return !dir.isEmpty() && file.startsWith(dir + QLatin1Char('/'));
    };
    return !inside(photo.path, root_) && !inside(canonicalPhoto, canonicalRoot);
}

QImage FreedesktopThumbnails::lookup(const ThumbnailStamp& photo, ThumbnailFlavor flavor) const
{
    return photo.isValid() ? readIfCurrent(thumbnailPath(photo, flavor), photo) : QImage();
}

bool FreedesktopThumbnails::failedBefore(const ThumbnailStamp& photo) const
{
    return photo.isValid() && !readIfCurrent(failurePath(photo), photo).isNull();
}

bool FreedesktopThumbnails::store(const ThumbnailStamp& photo, const QImage& thumbnail, QSize fullSize,
                                  ThumbnailFlavor flavor) const
{
    if (!accepts(photo) || thumbnail.isNull())
        return false;
    QImage image = thumbnail;
    stampKeys(image, photo);
    if (fullSize.isValid()) {
        image.setText(QStringLiteral("Thumb::Image::Width"), QString::number(fullSize.width()));
        image.setText(QStringLiteral("Thumb::Image::Height"), QString::number(fullSize.height()));
    }
    return writeAtomically(thumbnailPath(photo, flavor), image);
}

bool FreedesktopThumbnails::storeFailure(const ThumbnailStamp& photo) const
{
    if (!accepts(photo))
        return false;
    // The standard's failure entry: any PNG carrying the keys; one pixel.
    QImage image(1, 1, QImage::Format_ARGB32);
    image.fill(Qt::transparent);
    stampKeys(image, photo);
    return writeAtomically(failurePath(photo), image);
}

} // namespace photosearch
