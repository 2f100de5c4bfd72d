#include "CatalogBackup.h"

#include "Catalog.h"
#include "CatalogFiles.h"
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
#include <signal.h>
#include <unistd.h>

namespace photosearch {

namespace {

QString sibling(const QString& catalogFile, const QString& suffix)
{
    const QFileInfo info(catalogFile);
    return info.dir().filePath(info.completeBaseName() + suffix);
}

using Cause = CatalogCopyError::Cause;

Cause causeOf(int rc, int error)
{
    const int primary = rc & 0xff;
    if (primary == SQLITE_FULL || error == ENOSPC || error == EFBIG || error == EDQUOT)
        return Cause::NoSpace;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        return Cause::Busy;
    if (primary == SQLITE_READONLY || primary == SQLITE_PERM || error == EACCES || error == EPERM || error == EROFS)
        return Cause::NotPermitted;
    if (error == EISDIR || error == ENOTDIR || error == ENOTEMPTY || error == EEXIST)
        return Cause::InTheWay;
    return Cause::Other;
}

[[noreturn]] void failCopy(const QString& what, int rc, int error, const QString& words)
{
    QString detail = what + QStringLiteral(": ") + words;
    if (rc != SQLITE_OK)
        detail += QStringLiteral(" (SQLite code %1)").arg(rc);
    if (error != 0)
        detail += QStringLiteral(" (errno %1)").arg(error);
    throw CatalogCopyError(causeOf(rc, error), detail);
}

// sqlite3_backup_step, retried a few times while another connection holds a
// lock the copy must wait for (busy_timeout does not apply to it).
int stepBackup(sqlite3_backup* backup)
{
    int rc = sqlite3_backup_step(backup, -1);
    for (int tries = 0; tries < 20 && ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED); ++tries) {
        sqlite3_sleep(100);
        rc = sqlite3_backup_step(backup, -1);
    }
    return rc;
}

// The schema version the copy holds; -1 when it cannot be read.
int copiedVersion(sqlite3* dest)
{
    sqlite3_stmt* s = nullptr;
    int version = -1;
    if (sqlite3_prepare_v2(dest, "PRAGMA user_version", -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return version;
}

// The backup itself, into `temp`: all pages in one step, so the copy is one
// snapshot of the source; when `expectVersion` >= 0 the copy must hold that
// schema version. Throws CatalogCopyError.
void backupInto(sqlite3* source, const QString& temp, int expectVersion)
{
    sqlite3* dest = nullptr;
    int rc = sqlite3_open_v2(QFile::encodeName(temp).constData(), &dest,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    int version = expectVersion;
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(dest, 1);
        sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source, "main");
        if (backup) {
            rc = stepBackup(backup);
            sqlite3_backup_finish(backup);
            if (rc == SQLITE_DONE && expectVersion >= 0)
                version = copiedVersion(dest);
            // A copy needs no -wal/-shm beside it: it can then be read
            // read-only without leaving files next to it.
            if (rc == SQLITE_DONE)
                rc = sqlite3_exec(dest, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
        } else {
            rc = sqlite3_extended_errcode(dest);
        }
    }
    const int error = rc != SQLITE_OK && rc != SQLITE_DONE && dest ? sqlite3_system_errno(dest) : 0;
    const QString words = QString::fromUtf8(dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc));
    const int closed = sqlite3_close_v2(dest);
    if (rc != SQLITE_OK && rc != SQLITE_DONE)
        failCopy(QStringLiteral("copying into %1").arg(temp), rc, error, words);
    if (closed != SQLITE_OK)
        failCopy(QStringLiteral("closing %1").arg(temp), closed, 0, QString::fromUtf8(sqlite3_errstr(closed)));
    if (version != expectVersion)
        failCopy(QStringLiteral("checking %1").arg(temp), SQLITE_OK, 0,
                 QStringLiteral("the copy holds catalog schema %1, not %2").arg(version).arg(expectVersion));
}

// Photos in the copy at `path`; 0 when it cannot be read.
qint64 photosIn(const QString& path)
{
    sqlite3* db = nullptr;
    sqlite3_stmt* s = nullptr;
    qint64 count = 0;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr)
            == SQLITE_OK
        && sqlite3_prepare_v2(db, "SELECT count(*) FROM photos", -1, &s, nullptr) == SQLITE_OK
        && sqlite3_step(s) == SQLITE_ROW)
        count = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close_v2(db);
    return count;
}

// A catalog emptied by a crash or by hand, indexed again from nothing, is
// sound but has lost its albums: it must not replace the copy that has them.
bool wouldLoseEveryPhoto(const SqliteConnection& connection, const QString& copy)
{
    if (!QFileInfo::exists(copy))
        return false;
    Statement s = connection.statement("SELECT count(*) FROM photos");
    return s.next() && s.int64(0) == 0 && photosIn(copy) > 0;
}

// Temporary copies of `target` left by a process that was killed while
// copying (each run has its own PID in the name, so they would pile up):
// removed when their PID is gone or they are older than an hour.
void removeStaleTemps(const QString& target)
{
    const QFileInfo info(target);
    const QString prefix = info.fileName() + QStringLiteral(".tmp-");
    const QDateTime hourAgo = QDateTime::currentDateTime().addSecs(-3600);
    for (const QFileInfo& f : info.dir().entryInfoList({prefix + QLatin1Char('*')}, QDir::Files | QDir::Hidden)) {
        const QString rest = f.fileName().mid(prefix.size()); // PID-N, maybe with -journal/-wal/-shm
        bool ok = false;
        const qint64 pid = rest.section(QLatin1Char('-'), 0, 0).toLongLong(&ok);
        const bool dead = ok && pid > 0 && ::kill(pid_t(pid), 0) != 0 && errno == ESRCH;
        if (dead || f.lastModified() < hourAgo)
            ::unlink(QFile::encodeName(f.absoluteFilePath()).constData());
    }
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

void copyCatalogTo(const SqliteConnection& source, const QString& target, int expectVersion)
{
    // Unique per call: the window's threads may upgrade one file at once.
    static std::atomic_int calls{0};
    const QString temp = target + QStringLiteral(".tmp-%1-%2").arg(QCoreApplication::applicationPid()).arg(++calls);
    removeStaleTemps(target);
    removeWithSideFiles(temp);
    try {
        backupInto(source.handle(), temp, expectVersion);
        if (!syncPath(temp, false)) {
            const int error = errno; // before anything else can change it
            failCopy(QStringLiteral("syncing %1").arg(temp), SQLITE_OK, error,
                     QString::fromLocal8Bit(std::strerror(error)));
        }
        if (!renamePath(temp, target)) {
            const int error = errno;
            failCopy(QStringLiteral("renaming %1 to %2").arg(temp, target), SQLITE_OK, error,
                     QString::fromLocal8Bit(std::strerror(error)));
        }
    } catch (...) {
        removeWithSideFiles(temp);
        throw;
    }
    // The rename itself must survive a power cut before the upgrade relies on it.
    syncPath(QFileInfo(target).absolutePath(), true);
}

void backupBeforeUpgrade(const SqliteConnection& connection, int version)
{
    const QString target = catalogUpgradeBackupPath(connection.filePath(), version);
    Cause cause = Cause::Other;
    QString detail;
    try {
        // `connection` holds the step's write transaction, and SQLite's
        // backup does not read from a connection that is writing. A second,
        // read-only connection sees the same committed file: WAL (and a
        // rollback journal's RESERVED lock) let it read while the lock is held.
        const SqliteConnection reader(connection.filePath(), true);
        copyCatalogTo(reader, target, version);
        return;
    } catch (const CatalogCopyError& e) {
        cause = e.cause();
        detail = QString::fromUtf8(e.what());
    } catch (const CatalogError& e) {
        const auto* sqlite = dynamic_cast<const SqliteError*>(&e);
        cause = sqlite ? causeOf(sqlite->code(), 0) : Cause::Other;
        detail = sqlite ? sqlite->detail() : QString::fromUtf8(e.what());
    }
    // The result code tells callers the cause too (the window names a full disk).
    const char* advice = "check that path and the disk and try again";
    int code = SQLITE_CANTOPEN;
    switch (cause) {
    case Cause::NoSpace:
        advice = "the disk is full; free some disk space and try again";
        code = SQLITE_FULL;
        break;
    case Cause::NotPermitted:
        advice = "the folder cannot be written (permissions or a read-only disk); make it writable and try again";
        code = SQLITE_READONLY;
        break;
    case Cause::Busy:
        advice = "another program kept the catalog busy; close other programs using this library and try again";
        code = SQLITE_BUSY;
        break;
    case Cause::InTheWay:
        advice = "something else is at that path; move it away and try again";
        break;
    case Cause::Other:
        break;
    }
    const QString sentence = QStringLiteral("%1 was not upgraded from catalog schema %2 because a copy of it could not "
                                            "be written to %3 first: %4.")
                                 .arg(connection.filePath(), QString::number(version), target,
                                      QString::fromLatin1(advice));
    qWarning("photosearch: %s", qPrintable(detail)); // the detail is for the log; the sentence for the person
    throw SqliteError(sentence, detail, code);
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
        if (wouldLoseEveryPhoto(connection, target)) {
            qWarning("%s has no photos while the last good copy %s has some; the copy is kept as it is.",
                     qPrintable(connection.filePath()), qPrintable(target));
            return false;
        }
        copyCatalogTo(connection, target);
        return true;
    } catch (const CatalogError& e) {
        qWarning("The last good copy %s could not be refreshed (%s); the catalog itself is fine.", qPrintable(target),
                 e.what());
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
