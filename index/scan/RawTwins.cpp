// RAW + JPEG/HEIF twins by name (see RawTwins.h).

#include "RawTwins.h"

#include "ImageFormat.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace photosearch {
namespace {

// The path without its extension ("/a/IMG_1" for "/a/IMG_1.CR2"); empty
// when the file name has no extension.
QString stem(const QString& path)
{
    const qsizetype dot = path.lastIndexOf(QLatin1Char('.'));
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    return dot > slash + 1 ? path.left(dot) : QString();
}

} // namespace

bool hasDevelopedTwinExtension(const QString& fileName)
{
    static const char* const suffixes[] = {".jpg", ".jpeg", ".jpe", ".jfif", ".heic", ".heif", ".hif"};
    return std::any_of(std::begin(suffixes), std::end(suffixes), [&](const char* s) {
        return fileName.endsWith(QLatin1String(s), Qt::CaseInsensitive);
    });
}

QSet<QString> rawFilesWithTwins(const std::vector<ScannedFile>& files)
{
    QSet<QString> developed;
    for (const ScannedFile& f : files)
        if (hasDevelopedTwinExtension(f.path))
            developed.insert(stem(f.path));
    QSet<QString> twinned;
    if (developed.isEmpty())
        return twinned;
    for (const ScannedFile& f : files) {
        if (!hasRawExtension(f.path))
            continue;
        const QString s = stem(f.path);
        if (!s.isEmpty() && developed.contains(s))
            twinned.insert(f.path);
    }
    return twinned;
}

QStringList rawTwinsOf(const QString& photoPath)
{
    const QString path = QDir::cleanPath(QFileInfo(photoPath).absoluteFilePath());
    const QString s = stem(path);
    if (s.isEmpty() || !hasDevelopedTwinExtension(path))
        return {};
    const QFileInfo info(path);
    const QString base = QFileInfo(s).fileName();
    QStringList twins;
    // One listing of the folder: the RAW's extension may be in any case.
    const QDir dir = info.absoluteDir();
    for (const QString& name : dir.entryList(QDir::Files | QDir::Hidden | QDir::System, QDir::Name)) {
        if (name.size() > base.size() + 1 && name.startsWith(base) && name.at(base.size()) == QLatin1Char('.')
            && name.lastIndexOf(QLatin1Char('.')) == base.size() && hasRawExtension(name))
            twins << dir.filePath(name);
    }
    return twins;
}

} // namespace photosearch
