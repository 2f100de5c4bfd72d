#include "KillShelf.h"

#include "TestImages.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace photosearch::killtest {

namespace {

int uniform(std::mt19937_64& rng, int lo, int hi) // inclusive
{
    return std::uniform_int_distribution<int>(lo, hi)(rng);
}

} // namespace

KillShelf::KillShelf(const QString& root, quint64 seed)
    : root_(QDir::cleanPath(QFileInfo(root).absoluteFilePath()))
    , rng_(seed)
    // Picture seeds differ between driver seeds too, so two driver seeds
    // index different photos.
    , nextPicture_(int(seed % 1000003) * 1000 + 1)
{
    QDir().mkpath(root_);
    for (const char* sub : {"a", "b", "b/c", "d/e/f"})
        folders_ << QDir(root_).filePath(QString::fromLatin1(sub));
    for (const QString& folder : folders_)
        QDir().mkpath(folder);
}

QStringList KillShelf::files() const
{
    QStringList list(files_.begin(), files_.end());
    list.sort();
    return list;
}

bool KillShelf::writePhoto(const QString& path, QString* error)
{
    static const QSize sizes[] = {{320, 240}, {240, 320}, {400, 300}, {160, 120}, {256, 256}};
    const int picture = nextPicture_++;
    const QSize size = sizes[picture % 5];
    const QImage image = testimages::makePicture(size.width(), size.height(), picture);
    const ImageFormat format = path.endsWith(QLatin1String(".png")) ? ImageFormat::Png : ImageFormat::Jpeg;
    // Written beside and renamed, as a photo app saves: the file is never
    // seen half written (the driver tests kills of the indexer, not of us).
    const QString temp = path + QStringLiteral(".part");
    if (!testimages::writeImage(image, temp, format, error))
        return false;
    QFile::remove(path);
    if (!QFile::rename(temp, path)) {
        *error = QStringLiteral("cannot rename %1 to %2").arg(temp, path);
        return false;
    }
    return true;
}

QString KillShelf::newPath(bool freshFolder)
{
    if (freshFolder) {
        const QString folder = QDir(folders_[uniform(rng_, 0, int(folders_.size()) - 1)])
                                   .filePath(QStringLiteral("new%1").arg(folders_.size()));
        QDir().mkpath(folder);
        folders_ << folder;
    }
    const QString folder = folders_[uniform(rng_, 0, int(folders_.size()) - 1)];
    const char* ext = uniform(rng_, 0, 6) == 0 ? "png" : "jpg";
    return QDir(folder).filePath(QStringLiteral("p%1.%2").arg(nextName_++, 5, 10, QLatin1Char('0')).arg(QLatin1String(ext)));
}

QString KillShelf::pickFile()
{
    // Sorted first: QSet's order is not the same from one process to the next.
    const QStringList list = files();
    return list.isEmpty() ? QString() : list[uniform(rng_, 0, int(list.size()) - 1)];
}

bool KillShelf::populate(int count, QString* error)
{
    for (int i = 0; i < count; ++i)
        if (!addOne(error))
            return false;
    // The counts are of changes made between runs.
    counts_ = ShelfCounts{};
    return true;
}

bool KillShelf::addOne(QString* error)
{
    const QString path = newPath(uniform(rng_, 0, 15) == 0);
    if (!writePhoto(path, error))
        return false;
    files_.insert(path);
    gone_.remove(path);
    ++counts_.added;
    return true;
}

bool KillShelf::changeOne(QString* error)
{
    const QString path = pickFile();
    if (path.isEmpty() || !writePhoto(path, error))
        return path.isEmpty();
    ++counts_.changed;
    return true;
}

bool KillShelf::moveOne(QString* error)
{
    const QString from = pickFile();
    if (from.isEmpty())
        return true;
    QString to;
    // One move in six lands on another photo's path: that photo is gone and
    // its path now holds other content.
    if (uniform(rng_, 0, 5) == 0 && files_.size() > 1) {
        do
            to = pickFile();
        while (to == from);
        QFile::remove(to);
        files_.remove(to);
        ++counts_.deleted;
    } else {
        to = newPath(uniform(rng_, 0, 7) == 0);
    }
    if (!QFile::rename(from, to)) {
        *error = QStringLiteral("cannot move %1 to %2").arg(from, to);
        return false;
    }
    files_.remove(from);
    files_.insert(to);
    gone_.insert(from);
    gone_.remove(to);
    ++counts_.moved;
    return true;
}

bool KillShelf::deleteOne(QString* error)
{
    const QString path = pickFile();
    if (path.isEmpty())
        return true;
    if (!QFile::remove(path)) {
        *error = QStringLiteral("cannot delete %1").arg(path);
        return false;
    }
    files_.remove(path);
    gone_.insert(path);
    ++counts_.deleted;
    return true;
}

bool KillShelf::mutate(QString* error)
{
    const qsizetype before = files_.size();
    const int each = std::max(1, int(before) / 25);
    for (int i = 0; i < each; ++i) {
        if (!changeOne(error) || !moveOne(error) || !deleteOne(error) || !addOne(error))
            return false;
    }
    // Moves over another photo delete one more: added back, so that the
    // shelf keeps its size.
    while (files_.size() < before)
        if (!addOne(error))
            return false;
    return true;
}

} // namespace photosearch::killtest
