// RAW + JPEG/HEIF twins by name (see RawTwins.h).

#include "RawTwins.h"

#include "ImageFormat.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

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

// The files beside `path` (absolute, clean) with its base name and an
// extension `wanted` accepts, sorted. One listing of the folder: the
// extension may be in any case.
QStringList siblingsWithStem(const QString& path, bool (*wanted)(const QString&))
{
    const QString s = stem(path);
    if (s.isEmpty())
        return {};
    const QString base = QFileInfo(s).fileName();
    const QDir dir = QFileInfo(path).absoluteDir();
    QStringList found;
    for (const QString& name : dir.entryList(QDir::Files | QDir::Hidden | QDir::System, QDir::Name)) {
        if (name.size() > base.size() + 1 && name.startsWith(base) && name.at(base.size()) == QLatin1Char('.')
            && name.lastIndexOf(QLatin1Char('.')) == base.size() && wanted(name))
            found << dir.filePath(name);
    }
    return found;
}

} // namespace

bool hasDevelopedTwinExtension(const QString& fileName)
{
    static const char* const suffixes[] = {".jpg", ".jpeg", ".jpe", ".jfif", ".heic", ".heif", ".hif"};
    return std::any_of(std::begin(suffixes), std::end(suffixes), [&](const char* s) {
        return fileName.endsWith(QLatin1String(s), Qt::CaseInsensitive);
    });
}

QHash<QString, QString> rawFilesWithTwins(const std::vector<ScannedFile>& files)
{
    // The RAWs' stems first: most libraries have none, and then the JPEGs'
    // stems (a string and a hash entry per photo) need not be made at all.
    QSet<QString> rawStems;
    std::vector<std::pair<QString, QString>> raws; // (path, stem)
    for (const ScannedFile& f : files) {
        if (!hasRawExtension(f.path))
            continue;
        const QString s = stem(f.path);
        if (!s.isEmpty()) {
            raws.emplace_back(f.path, s);
            rawStems.insert(s);
        }
    }
    QHash<QString, QString> twinned;
    if (raws.empty())
        return twinned;
    QHash<QString, QString> developed; // stem -> the first JPEG/HEIF with it
    for (const ScannedFile& f : files) {
        if (!hasDevelopedTwinExtension(f.path))
            continue;
        const QString s = stem(f.path);
        if (rawStems.contains(s) && !developed.contains(s))
            developed.insert(s, f.path);
    }
    for (const auto& [path, s] : raws) {
        const auto twin = developed.constFind(s);
        if (twin != developed.cend())
            twinned.insert(path, *twin);
    }
    return twinned;
}

QStringList rawTwinsOf(const QString& photoPath)
{
    const QString path = QDir::cleanPath(QFileInfo(photoPath).absoluteFilePath());
    if (!hasDevelopedTwinExtension(path))
        return {};
    return siblingsWithStem(path, hasRawExtension);
}

QString developedTwinOf(const QString& rawPath)
{
    const QString path = QDir::cleanPath(QFileInfo(rawPath).absoluteFilePath());
    if (!hasRawExtension(path))
        return {};
    return siblingsWithStem(path, hasDevelopedTwinExtension).value(0);
}

} // namespace photosearch
