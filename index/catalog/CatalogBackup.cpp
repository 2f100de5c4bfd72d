#include "CatalogBackup.h"

#include "Catalog.h"
#include "SqliteConnection.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace photosearch {

namespace {

QString sibling(const QString& catalogFile, const QString& suffix)
{
    const QFileInfo info(catalogFile);
    return info.dir().filePath(info.completeBaseName() + suffix);
}

// fsync of a file or a folder by name; false with errno set on failure.
bool syncPath(const QString& path, bool directory)
{
    const int fd = ::open(QFile::encodeName(path).constData(), (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return ok;
}

void removeQuietly(const QString& path)
{
    ::unlink(QFile::encodeName(path).constData());
    ::unlink(QFile::encodeName(path + QStringLiteral("-journal")).constData());
}

[[noreturn]] void failCopy(const QString& source, const QString& target, const QString& detail)
{
    throw CatalogError(QStringLiteral("A copy of %1 could not be written to %2; free some disk space or move that "
                                      "path away and try again. (%3)")
                           .arg(source, target, detail)
                           .toStdString());
}

// The backup itself, into `temp`: all pages in one step, so the copy is one
// snapshot of the source. Returns SQLite's error text, empty on success.
QString backupInto(sqlite3* source, const QString& temp)
{
    sqlite3* dest = nullptr;
    int rc = sqlite3_open_v2(QFile::encodeName(temp).constData(), &dest,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    QString error;
    if (rc == SQLITE_OK) {
        sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source, "main");
        if (backup) {
            rc = sqlite3_backup_step(backup, -1);
            sqlite3_backup_finish(backup);
            // A copy needs no -wal/-shm beside it: it can then be read
            // read-only without leaving files next to it.
            if (rc == SQLITE_DONE)
                rc = sqlite3_exec(dest, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
        } else {
            rc = sqlite3_errcode(dest);
        }
    }
    if (rc != SQLITE_OK && rc != SQLITE_DONE)
        error = QString::fromUtf8(dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc));
    if (error.isEmpty() && rc != SQLITE_OK && rc != SQLITE_DONE)
        error = QString::fromUtf8(sqlite3_errstr(rc));
    if (sqlite3_close(dest) != SQLITE_OK && error.isEmpty())
        error = QStringLiteral("the copy could not be closed");
    return error;
}

} // namespace

QString catalogUpgradeBackupPath(const QString& catalogFile, int version)
{
    return sibling(catalogFile, QStringLiteral(".before-v%1.sqlite").arg(version));
}

QString catalogLastGoodPath(const QString& catalogFile)
{
    return sibling(catalogFile, QStringLiteral(".last-good.sqlite"));
}

QStringList catalogBackups(const QString& catalogFile)
{
    const QFileInfo info(catalogFile);
    const QString base = info.completeBaseName();
    QFileInfoList found = info.dir().entryInfoList(
        {base + QStringLiteral(".last-good.sqlite"), base + QStringLiteral(".before-v*.sqlite")}, QDir::Files);
    std::stable_sort(found.begin(), found.end(), [](const QFileInfo& a, const QFileInfo& b) {
        return a.lastModified() > b.lastModified();
    });
    QStringList paths;
    for (const QFileInfo& f : found)
        paths << f.absoluteFilePath();
    return paths;
}

void copyCatalogTo(const SqliteConnection& source, const QString& target)
{
    // Unique per call: the window's threads may upgrade one file at once.
    static std::atomic_int calls{0};
    const QString temp = target + QStringLiteral(".tmp-%1-%2").arg(QCoreApplication::applicationPid()).arg(++calls);
    removeQuietly(temp);
    QString error = backupInto(source.handle(), temp);
    if (error.isEmpty() && !syncPath(temp, false))
        error = QString::fromLocal8Bit(std::strerror(errno));
    if (error.isEmpty()
        && std::rename(QFile::encodeName(temp).constData(), QFile::encodeName(target).constData()) != 0)
        error = QString::fromLocal8Bit(std::strerror(errno));
    if (!error.isEmpty()) {
        removeQuietly(temp);
        failCopy(source.filePath(), target, error);
    }
    // The rename itself must survive a power cut before the upgrade relies on it.
    syncPath(QFileInfo(target).absolutePath(), true);
}

void backupBeforeUpgrade(const SqliteConnection& connection, int version)
{
    const QString target = catalogUpgradeBackupPath(connection.filePath(), version);
    try {
        copyCatalogTo(connection, target);
    } catch (const CatalogError& e) {
        throw CatalogError(QStringLiteral("%1 was not upgraded from catalog schema %2 because a copy of it could not "
                                          "be written to %3 first; free some disk space or move that path away and "
                                          "try again. (%4)")
                               .arg(connection.filePath(), QString::number(version), target,
                                    QString::fromUtf8(e.what()))
                               .toStdString());
    }
}

bool refreshLastGoodCopy(const SqliteConnection& connection, qint64 maxAgeSeconds)
{
    const QString target = catalogLastGoodPath(connection.filePath());
    const QFileInfo existing(target);
    if (existing.exists() && existing.lastModified().secsTo(QDateTime::currentDateTime()) < maxAgeSeconds)
        return false;
    try {
        const QString problem = catalogCheckProblem(connection);
        if (!problem.isEmpty()) {
            qWarning("%s fails its check (%s); the last good copy %s is kept as it is.",
                     qPrintable(connection.filePath()), qPrintable(problem), qPrintable(target));
            return false;
        }
        copyCatalogTo(connection, target);
        return true;
    } catch (const CatalogError& e) {
        qWarning("%s", e.what());
        return false;
    }
}

QString catalogCheckProblem(const SqliteConnection& connection, bool full)
{
    Statement s = connection.statement(full ? "PRAGMA integrity_check(1)" : "PRAGMA quick_check(1)");
    if (!s.next())
        return QStringLiteral("the check returned nothing");
    const QString first = s.text(0);
    return first == QLatin1String("ok") ? QString() : first;
}

} // namespace photosearch
