#include "LibraryDigests.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace photosearch::testlibrary {

QMap<QString, QByteArray> libraryDigests(const QString& dir)
{
    QMap<QString, QByteArray> digests;
    for (const QFileInfo& f : QDir(dir).entryInfoList(QDir::Files | QDir::Hidden)) {
        if (f.fileName().endsWith(QLatin1String("-shm")) || f.fileName() == QLatin1String("index.lock")
            || (f.fileName().endsWith(QLatin1String("-wal")) && f.size() == 0))
            continue;
        QFile file(f.filePath());
        if (file.open(QIODevice::ReadOnly))
            digests.insert(f.fileName(), QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256));
    }
    return digests;
}

} // namespace photosearch::testlibrary
