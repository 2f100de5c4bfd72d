// Reading drags as image files (see ImageDrops.h): hasLocalImages() decides
// from the URLs' names alone, for drag-move on the GUI thread; the functions
// that stat files, sniff contents or walk folders run at drop time, and
// expandImagePaths() on a worker thread.

#include "ImageDrops.h"

#include "ImageFormat.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QMimeData>
#include <QSet>
#include <QUrl>

#include <algorithm>

namespace photosearch {
namespace {

// By content, for files whose name does not say (e.g. "IMG_0001" without
// an extension, as some phones export).
bool hasImageContent(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    return sniffImageFormat(file.read(kImageFormatSniffBytes)) != ImageFormat::Unknown;
}

QStringList folderImages(const QString& dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (hasImageFileName(path))
            out << path;
    }
    std::sort(out.begin(), out.end()); // the iterator's order is the file system's
    return out;
}

} // namespace

QStringList localDropPaths(const QMimeData* mime)
{
    QStringList paths;
    if (!mime || !mime->hasUrls())
        return paths;
    for (const QUrl& url : mime->urls()) {
        if (!url.isLocalFile())
            continue;
        const QString path = QDir::cleanPath(url.toLocalFile());
        if (!path.isEmpty() && !paths.contains(path))
            paths << path;
    }
    return paths;
}

bool hasImageFileName(const QString& path)
{
    return imageFormatFromName(QFileInfo(path).suffix().toLower()) != ImageFormat::Unknown;
}

bool hasLocalImages(const QMimeData* mime, DroppedFolders folders)
{
    // Called on every drag move: names only, no stat (a stat of a network
    // file can take a while). localImagePaths() checks the disk at drop time.
    if (!mime || !mime->hasUrls())
        return false;
    const QList<QUrl> urls = mime->urls();
    return std::any_of(urls.cbegin(), urls.cend(), [folders](const QUrl& url) {
        if (!url.isLocalFile())
            return false;
        const QString path = url.toLocalFile();
        if (hasImageFileName(path))
            return true;
        // A folder as file managers drag it: a trailing slash or a name with
        // no extension (which also lets an extension-less image through, as
        // expansion then keeps it by content).
        const bool folderLike = path.endsWith(QLatin1Char('/')) || QFileInfo(path).suffix().isEmpty();
        return folders == DroppedFolders::Expand && folderLike;
    });
}

QStringList localImagePaths(const QMimeData* mime, DroppedFolders folders)
{
    const QStringList paths = localDropPaths(mime);
    if (folders == DroppedFolders::Expand)
        return expandImagePaths(paths).images;
    QStringList images;
    for (const QString& path : paths)
        if (hasImageFileName(path) && QFileInfo(path).isFile())
            images << path;
    return images;
}

ImageExpansion expandImagePaths(const QStringList& paths, int cap)
{
    ImageExpansion out;
    QSet<QString> seen;
    const auto add = [&](const QString& path) {
        if (seen.contains(path))
            return;
        seen.insert(path);
        if (out.images.size() < cap)
            out.images << path;
        else
            ++out.leftOut;
    };
    QStringList folders;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (info.isDir())
            folders << path;
        else if (info.isFile() ? hasImageFileName(path) || hasImageContent(path)
                               : !info.exists() && hasImageFileName(path))
            add(path); // a missing image file still gets a row: its error says so;
                       // a FIFO or device does not (opening one can block forever)
        else
            ++out.notImages;
    }
    for (const QString& folder : folders)
        for (const QString& path : folderImages(folder))
            add(path);
    return out;
}

} // namespace photosearch
