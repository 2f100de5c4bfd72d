#include "CatalogRepair.h"

#include "Catalog.h"
#include "CatalogBackup.h"
#include "CatalogFiles.h"
#include "CatalogSchema.h"
#include "CatalogUseLock.h"
#include "SqliteConnection.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace photosearch {

namespace {

bool isDamageCode(int rc)
{
    return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
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
        if (!isDamageCode(rc)) {
            const int code = noSpaceAsFull(rc, raw, path); // the -shm beside it may not fit
            throw SqliteError(catalogErrorMessage(code, path, detail), detail, code);
        }
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

// Whether `path` is another program's SQLite database rather than a
// catalog: tables but no schema version, or a version without the photos
// table. `ignoreWal` reads the file alone (immutable: a -wal is not read),
// to tell a foreign -wal beside a sound catalog from a foreign file.
bool isForeignDatabase(const QString& path, bool ignoreWal)
{
    QByteArray uri = "file:" + QUrl::toPercentEncoding(path, "/") + "?mode=ro";
    if (ignoreWal)
        uri += "&immutable=1";
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(uri.constData(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
    Handle db(raw);
    if (rc != SQLITE_OK)
        return false;
    sqlite3_db_config(raw, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    const auto integer = [raw](const char* sql) {
        sqlite3_stmt* s = nullptr;
        qint64 value = -1;
        if (sqlite3_prepare_v2(raw, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
            value = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        return value;
    };
    const qint64 version = integer("PRAGMA user_version");
    const qint64 tables = integer("SELECT count(*) FROM sqlite_schema WHERE substr(name, 1, 7) <> 'sqlite_'");
    const qint64 photos = integer("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'photos'");
    if (version < 0 || tables < 0 || photos < 0)
        return false; // unreadable: the integrity check speaks for it
    return (version == 0 && tables > 0) || (version > 0 && photos == 0);
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

// catalog.damaged-<time>.sqlite beside `file`, a name not taken (nor its
// -wal/-shm).
QString asideName(const QString& file)
{
    const QFileInfo info(file);
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString aside = info.dir().filePath(info.completeBaseName() + QStringLiteral(".damaged-%1.sqlite").arg(stamp));
    const auto taken = [](const QString& name) {
        return QFileInfo::exists(name) || QFileInfo::exists(name + QStringLiteral("-wal"))
            || QFileInfo::exists(name + QStringLiteral("-shm"));
    };
    for (int n = 2; taken(aside); ++n)
        aside = info.dir().filePath(info.completeBaseName()
                                    + QStringLiteral(".damaged-%1-%2.sqlite").arg(stamp).arg(n));
    return aside;
}

QString repairingName(const QString& file)
{
    return QFileInfo(file).dir().filePath(QStringLiteral("catalog.repairing.sqlite"));
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

// What repair finds before it builds anything, and how the damaged file
// may still be read.
struct Finding {
    enum class Source { Whole, WithoutWal, None };
    CatalogFileKind kind = CatalogFileKind::Regular;
    QString problem; // empty: sound
    int version = 0;
    Source source = Source::Whole;
};

// Damage is also what a person would not call damage: an empty or missing
// catalog beside copies of it (a crash, a slip), and another database's
// tables, be they in the file or in a -wal put beside it.
Finding findDamage(const QString& file)
{
    Finding found;
    found.kind = requireCatalogFileKind(file);
    if (found.kind != CatalogFileKind::Regular && !catalogBackups(file).isEmpty()) {
        found.problem = found.kind == CatalogFileKind::Missing ? QStringLiteral("it is missing")
                                                               : QStringLiteral("it is empty");
        found.source = Finding::Source::None;
        return found;
    }
    if (found.kind == CatalogFileKind::Missing)
        throw CatalogError(QStringLiteral("There is no catalog at %1; nothing to repair.").arg(file).toStdString());
    const FileCheck check = checkFile(file);
    found.problem = check.problem;
    found.version = check.version;
    if (found.problem.isEmpty() && isForeignDatabase(file, false)) {
        const bool walIsForeign =
            QFileInfo::exists(file + QStringLiteral("-wal")) && !isForeignDatabase(file, true);
        found.problem = walIsForeign ? QStringLiteral("its -wal holds another database")
                                     : QStringLiteral("it is an SQLite database but not a PhotoSearch catalog");
        found.source = walIsForeign ? Finding::Source::WithoutWal : Finding::Source::None;
    }
    return found;
}

// Whether SQLite accepts the file's header and schema on `db`.
bool schemaReads(sqlite3* db)
{
    return sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr) == SQLITE_OK;
}

// Builds the repaired catalog at `temp` from the damaged file (as far as it
// may be read) and the copy in report->backup.
void buildRepaired(const QString& file, const QString& temp, const Finding& found, RepairMode mode,
                   RepairReport* report)
{
    // An older-schema copy is read from an upgraded scratch copy of it.
    const QString scratch = QFileInfo(file).dir().filePath(QStringLiteral("catalog.repair-source.sqlite"));
    const bool readDamaged = mode != RepairMode::FromBackup && found.source != Finding::Source::None;
    Handle damaged(readDamaged ? openForSalvage(file, found.source == Finding::Source::WithoutWal) : nullptr);
    // A header SQLite refuses (bytes 16-23) hides pages that are whole.
    const QString headerScratch = QFileInfo(file).dir().filePath(QStringLiteral("catalog.repair-header.sqlite"));
    if (damaged && !schemaReads(damaged.get()))
        if (sqlite3* fixed = openWithSaneHeader(file, headerScratch))
            damaged.reset(fixed);
    Handle backup(report->backup.isEmpty() ? nullptr : openUpgradedForSalvage(report->backup, scratch));
    std::vector<sqlite3*> sources;
    if (mode != RepairMode::FromBackup) {
        if (damaged)
            sources.push_back(damaged.get());
        else
            report->fromDamaged.unreadable << (readDamaged ? QStringLiteral("SQLite cannot open the file")
                                                           : found.problem);
    }
    if (backup)
        sources.push_back(backup.get());
    const auto cleanUp = [&] {
        backup.reset();
        damaged.reset();
        removeWithSideFiles(scratch);
        removeWithSideFiles(headerScratch);
    };
    try {
        buildFrom(temp, sources, report, damaged != nullptr);
    } catch (...) {
        removeWithSideFiles(temp);
        cleanUp();
        throw;
    }
    cleanUp();
}

} // namespace

bool isCatalogDamage(const CatalogError& e)
{
    const auto* sqlite = dynamic_cast<const SqliteError*>(&e);
    return sqlite && isDamageCode(sqlite->code());
}

bool finishInterruptedRepair(const QString& catalogFile)
{
    const QString repaired = repairingName(catalogFile);
    if (QFileInfo::exists(catalogFile) || !QFileInfo::exists(repaired))
        return false;
    CatalogUseLock running;
    try {
        running = CatalogUseLock::exclusive(repaired);
    } catch (const CatalogError& e) {
        qWarning("%s", e.what());
        throw CatalogError(QStringLiteral("%1 is being repaired by photosearch-cli repair; wait for it to finish and "
                                          "try again.")
                               .arg(catalogFile)
                               .toStdString());
    }
    // A repair that died while building leaves catalog.sqlite in place, so a
    // repairing file alone was built whole (and closed: no -wal); the check
    // makes sure of it.
    const bool closed = !QFileInfo::exists(repaired + QStringLiteral("-wal"));
    FileCheck check;
    try {
        check = checkFile(repaired);
    } catch (const CatalogError& e) {
        check.problem = QString::fromUtf8(e.what());
    }
    if (!closed || !check.problem.isEmpty() || check.version <= 0 || QFileInfo::exists(catalogFile)) {
        qWarning("%s is not put in place of the missing %s: %s", qPrintable(repaired), qPrintable(catalogFile),
                 check.problem.isEmpty() ? "it is incomplete" : qPrintable(check.problem));
        return false;
    }
    if (!renamePath(repaired, catalogFile)) {
        qWarning("%s could not be renamed to %s: %s", qPrintable(repaired), qPrintable(catalogFile),
                 qPrintable(QString::fromLocal8Bit(std::strerror(errno))));
        return false;
    }
    removeWithSideFiles(repaired); // the -shm (and empty -wal) the check may have left
    syncPath(QFileInfo(catalogFile).absolutePath(), true);
    qWarning("%s was put in place of the missing %s (a repair had stopped before it was done).",
             qPrintable(repaired), qPrintable(catalogFile));
    return true;
}

QString shellQuoted(const QString& text)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_@%+=:,./-]+$"));
    if (plain.match(text).hasMatch())
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString repairCommandLine(const QString& libraryDir)
{
    return QStringLiteral("photosearch-cli repair --library ") + shellQuoted(libraryDir);
}

RepairReport repairCatalog(const QString& libraryDir, RepairMode mode)
{
    RepairReport report;
    const QString dir = QDir(libraryDir).absolutePath();
    const QString file = QDir(dir).filePath(QStringLiteral("catalog.sqlite"));
    report.catalog = file;
    const Finding found = findDamage(file);
    if (found.problem.isEmpty()) {
        const SqliteConnection db(file, true);
        report.photos = found.version > 0 ? countRows(db, "SELECT count(*) FROM photos") : 0;
        report.albums = found.version > 0 ? countRows(db, "SELECT count(*) FROM albums") : 0;
        return report;
    }
    report.problem = found.problem;
    // Held until the repaired file is in place: no connection may write into
    // the file that is moved aside, nor remove the new one's -wal by name.
    CatalogUseLock inUse;
    if (found.kind != CatalogFileKind::Missing)
        inUse = CatalogUseLock::exclusive(file);
    const int version = headerVersion(file);
    if (version > Catalog::kSchemaVersion && mode != RepairMode::Rebuild)
        throw CatalogError(QStringLiteral("%1 is damaged and was written by a newer version of PhotoSearch (catalog "
                                          "schema %2); repair it with that version, or run %3 --rebuild to keep what "
                                          "this version can read. Nothing was changed.")
                               .arg(file, QString::number(version), repairCommandLine(dir))
                               .toStdString());
    if (mode != RepairMode::Rebuild)
        report.backup = newestGoodBackup(file);
    if (mode == RepairMode::FromBackup && report.backup.isEmpty())
        throw CatalogError(QStringLiteral("No good copy of %1 was found (catalog.last-good.sqlite or "
                                          "catalog.before-v*.sqlite); run photosearch-cli repair --rebuild to rebuild "
                                          "it from what can still be read. Nothing was changed.")
                               .arg(file)
                               .toStdString());

    const QString temp = repairingName(file);
    buildRepaired(file, temp, found, mode, &report);
    if (!report.backup.isEmpty())
        report.backupTime = QFileInfo(report.backup).lastModified().toString(Qt::ISODate);
    {
        // Held through the swap: finishInterruptedRepair leaves it alone.
        const CatalogUseLock repaired = CatalogUseLock::exclusive(temp);
        if (found.kind == CatalogFileKind::Missing) {
            if (!renamePath(temp, file))
                throw CatalogError(QStringLiteral("%1 could not be renamed to %2 (%3); check the library folder and "
                                                  "try again.")
                                       .arg(temp, file, QString::fromLocal8Bit(std::strerror(errno)))
                                       .toStdString());
            syncPath(dir, true);
        } else {
            report.movedAside = asideName(file);
            replaceKeepingAside(temp, file, report.movedAside);
        }
    }
    report.outcome = report.backup.isEmpty() ? RepairReport::Outcome::Salvaged : RepairReport::Outcome::Restored;
    return report;
}

} // namespace photosearch
