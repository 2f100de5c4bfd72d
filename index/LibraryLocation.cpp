#include "LibraryLocation.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryFile>

#include <unistd.h>

namespace photosearch {

QString LibraryLocation::resolve(const QString& explicitDir)
{
    if (!explicitDir.isEmpty())
        return QDir(explicitDir).absolutePath();
    const QString env = qEnvironmentVariable("PHOTOSEARCH_LIBRARY");
    if (!env.isEmpty())
        return QDir(env).absolutePath();
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/library");
}

bool LibraryLocation::ensureWritable(const QString& dir, QString* error)
{
    const QFileInfo info(dir);
    if (info.exists() && !info.isDir()) {
        *error = QStringLiteral("The library location %1 is a file, not a folder; choose another with --library.").arg(dir);
        return false;
    }
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("Cannot create the library folder %1; check its permissions or choose another with --library.").arg(dir);
        return false;
    }
    QTemporaryFile probe(dir + QStringLiteral("/.write-test-XXXXXX"));
    if (!probe.open()) {
        *error = QStringLiteral("The library folder %1 is not writable; check its permissions or choose another with --library.").arg(dir);
        return false;
    }
    return true;
}

bool LibraryLocation::isReadOnly(const QString& dir)
{
    if (qEnvironmentVariableIntValue("PHOTOSEARCH_READ_ONLY") == 1)
        return true;
    const QByteArray catalog = QFile::encodeName(QDir(dir).filePath(QStringLiteral("catalog.sqlite")));
    return ::access(QFile::encodeName(dir).constData(), W_OK) != 0 || ::access(catalog.constData(), W_OK) != 0;
}

Catalog::Access LibraryLocation::catalogAccess(const QString& dir)
{
    return isReadOnly(dir) ? Catalog::Access::ReadOnly : Catalog::Access::ReadWrite;
}

} // namespace photosearch
