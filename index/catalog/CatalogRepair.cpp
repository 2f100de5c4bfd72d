#include "CatalogRepair.h"

#include "Catalog.h"
#include "CatalogBackup.h"
#include "CatalogSchema.h"
#include "SqliteConnection.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sqlite3.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <unistd.h>

namespace photosearch {

namespace {

bool isDamageCode(int rc)
{
    return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using Handle = std::unique_ptr<sqlite3, Closer>;

struct FileCheck {
    QString problem; // empty: sound
    int version = 0;
};

// integrity_check through a read-only connection (the WAL is read, nothing
// is written to the file). Damage is a finding; any other failure (locked,
// unreadable folder) throws, since it says nothing about the file.
FileCheck checkFile(const QString& path)
{
    FileCheck check;
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(QFile::encodeName(path).constData(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    Handle db(raw);
    sqlite3_stmt* s = nullptr;
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(raw, 1);
        sqlite3_busy_timeout(raw, 5000);
        rc = sqlite3_prepare_v2(raw, "PRAGMA integrity_check(1)", -1, &s, nullptr);
    }
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const QString first = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
        rc = SQLITE_OK;
        if (first != QLatin1String("ok")) // one line: "Page 2: btreeInitPage() returns error code 11"
            check.problem = first.split(QLatin1Char('\n')).constLast().trimmed();
    }
    const QString detail = QString::fromUtf8(raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
    sqlite3_finalize(s);
    s = nullptr;
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
        if (!isDamageCode(rc))
            throw SqliteError(catalogErrorMessage(rc, path, detail), detail, rc);
        check.problem = detail;
    }
    if (check.problem.isEmpty() && sqlite3_prepare_v2(raw, "PRAGMA user_version", -1, &s, nullptr) == SQLITE_OK
        && sqlite3_step(s) == SQLITE_ROW)
        check.version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return check;
}

// The schema version in the file's header (bytes 60-63), readable even when
// SQLite refuses the file; 0 when there is no SQLite header.
int headerVersion(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray h = f.read(100);
    if (h.size() < 100 || !h.startsWith(QByteArray("SQLite format 3\0", 16)))
        return 0;
    return int((uchar(h[60]) << 24) | (uchar(h[61]) << 16) | (uchar(h[62]) << 8) | uchar(h[63]));
}

// The newest copy that passes its check and that this build can read.
QString newestGoodBackup(const QString& file)
{
    for (const QString& copy : catalogBackups(file)) {
        try {
            const FileCheck check = checkFile(copy);
            if (check.problem.isEmpty() && check.version > 0 && check.version <= Catalog::kSchemaVersion)
                return copy;
            qWarning("%s is not used: %s", qPrintable(copy),
                     check.problem.isEmpty() ? "its schema is not one this build reads" : qPrintable(check.problem));
        } catch (const CatalogError& e) {
            qWarning("%s", e.what());
        }
    }
    return {};
}

void removeWithSideFiles(const QString& path)
{
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        QFile::remove(path + QLatin1String(suffix));
}

[[noreturn]] void failMove(const QString& from, const QString& to)
{
    throw CatalogError(QStringLiteral("%1 could not be renamed to %2 (%3); check the library folder and try again.")
                           .arg(from, to, QString::fromLocal8Bit(std::strerror(errno)))
                           .toStdString());
}

bool renamePath(const QString& from, const QString& to)
{
    return std::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0;
}

// Renames the damaged file and its -wal/-shm (its WAL must never meet the
// new file) to catalog.damaged-<time>.sqlite. Returns the new name.
QString moveAside(const QString& file)
{
    const QFileInfo info(file);
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString aside = info.dir().filePath(info.completeBaseName() + QStringLiteral(".damaged-%1.sqlite").arg(stamp));
    for (int n = 2; QFileInfo::exists(aside); ++n)
        aside = info.dir().filePath(info.completeBaseName()
                                    + QStringLiteral(".damaged-%1-%2.sqlite").arg(stamp).arg(n));
    if (!renamePath(file, aside))
        failMove(file, aside);
    for (const char* suffix : {"-wal", "-shm"}) {
        const QString side = file + QLatin1String(suffix);
        if (QFileInfo::exists(side) && !renamePath(side, aside + QLatin1String(suffix)))
            failMove(side, aside + QLatin1String(suffix));
    }
    return aside;
}

qint64 countRows(const SqliteConnection& db, const char* sql)
{
    Statement s = db.statement(sql);
    return s.next() ? s.int64(0) : 0;
}

// A fresh catalog at `temp` holding what the sources give (first source
// first). Closed (its WAL folded in) when this returns.
void buildFrom(const QString& temp, const std::vector<sqlite3*>& sources, RepairReport* report, bool damagedFirst)
{
    removeWithSideFiles(temp);
    const SqliteConnection db(temp);
    upgradeCatalogSchema(db, catalogSchemaSteps()); // a new file: no copy is taken
    {
        WriteScope write(db);
        const std::vector<SalvageCount> counts = salvageRows(sources, db);
        write.commit();
        size_t i = 0;
        if (damagedFirst)
            report->fromDamaged = counts[i++];
        if (i < counts.size())
            report->fromBackup = counts[i];
    }
    const QString problem = catalogCheckProblem(db, true);
    if (!problem.isEmpty())
        throw CatalogError(QStringLiteral("The repaired catalog %1 fails its own check (%2); nothing was moved.")
                               .arg(temp, problem)
                               .toStdString());
    report->photos = countRows(db, "SELECT count(*) FROM photos");
    report->albums = countRows(db, "SELECT count(*) FROM albums");
}

} // namespace

bool isCatalogDamage(const CatalogError& e)
{
    const auto* sqlite = dynamic_cast<const SqliteError*>(&e);
    return sqlite && isDamageCode(sqlite->code());
}

RepairReport repairCatalog(const QString& libraryDir, RepairMode mode)
{
    RepairReport report;
    const QString dir = QDir(libraryDir).absolutePath();
    const QString file = QDir(dir).filePath(QStringLiteral("catalog.sqlite"));
    report.catalog = file;
    if (!QFileInfo::exists(file))
        throw CatalogError(QStringLiteral("There is no catalog at %1; nothing to repair.").arg(file).toStdString());
    const FileCheck check = checkFile(file);
    if (check.problem.isEmpty()) {
        const SqliteConnection db(file, true);
        report.photos = check.version > 0 ? countRows(db, "SELECT count(*) FROM photos") : 0;
        report.albums = check.version > 0 ? countRows(db, "SELECT count(*) FROM albums") : 0;
        return report;
    }
    report.problem = check.problem;
    const int version = headerVersion(file);
    if (version > Catalog::kSchemaVersion)
        throw CatalogError(QStringLiteral("%1 is damaged and was written by a newer version of PhotoSearch (catalog "
                                          "schema %2); repair it with that version. Nothing was changed.")
                               .arg(file, QString::number(version))
                               .toStdString());
    if (mode != RepairMode::Rebuild)
        report.backup = newestGoodBackup(file);
    if (mode == RepairMode::FromBackup && report.backup.isEmpty())
        throw CatalogError(QStringLiteral("No good copy of %1 was found (catalog.last-good.sqlite or "
                                          "catalog.before-v*.sqlite); run photosearch-cli repair --rebuild to rebuild "
                                          "it from what can still be read. Nothing was changed.")
                               .arg(file)
                               .toStdString());

    const QString temp = QDir(dir).filePath(QStringLiteral("catalog.repairing.sqlite"));
    {
        Handle damaged(mode == RepairMode::FromBackup ? nullptr : openForSalvage(file));
        Handle backup(report.backup.isEmpty() ? nullptr : openForSalvage(report.backup));
        std::vector<sqlite3*> sources;
        if (mode != RepairMode::FromBackup) {
            if (damaged)
                sources.push_back(damaged.get());
            else
                report.fromDamaged.unreadable << QStringLiteral("SQLite cannot open the file");
        }
        if (backup)
            sources.push_back(backup.get());
        try {
            buildFrom(temp, sources, &report, damaged != nullptr);
        } catch (...) {
            removeWithSideFiles(temp);
            throw;
        }
    }
    if (!report.backup.isEmpty())
        report.backupTime = QFileInfo(report.backup).lastModified().toString(Qt::ISODate);
    report.movedAside = moveAside(file);
    if (!renamePath(temp, file))
        failMove(temp, file);
    const int fd = ::open(QFile::encodeName(dir).constData(), O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
    report.outcome = report.backup.isEmpty() ? RepairReport::Outcome::Salvaged : RepairReport::Outcome::Restored;
    return report;
}

} // namespace photosearch
