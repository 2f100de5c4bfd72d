#include "CatalogSalvage.h"

#include "Catalog.h"
#include "CatalogSchema.h"
#include "SqliteConnection.h"

#include <QFile>
#include <QUrl>

#include <sqlite3.h>

#include <limits>
#include <memory>

namespace photosearch {

namespace {

// Bounds the probing past damaged pages (each probe is one b-tree descent).
constexpr int kMaxProbesPerTable = 4096;

QString quoted(const QString& name)
{
    QString escaped = name;
    escaped.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

// Runs a one-column query; false (and `error` set) when it fails part-way.
bool column0(sqlite3* db, const QString& sql, const QString& bindText, QStringList* out, QString* error)
{
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v2(db, sql.toUtf8().constData(), -1, &s, nullptr);
    if (rc == SQLITE_OK && !bindText.isNull())
        sqlite3_bind_text(s, 1, bindText.toUtf8().constData(), -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(s)) == SQLITE_ROW)
            *out << QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
    }
    if (rc != SQLITE_DONE)
        *error = QString::fromUtf8(sqlite3_errmsg(db));
    sqlite3_finalize(s);
    return rc == SQLITE_DONE;
}

// An inclusive range of rowids.
struct RowidRange {
    qint64 first;
    qint64 last;
};
using Ranges = std::vector<RowidRange>;

struct StatementCloser {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StatementHandle = std::unique_ptr<sqlite3_stmt, StatementCloser>;

// Copies one table of one source, range by range, and keeps the ranges it
// could not read (for the next source).
class TableCopy {
public:
    TableCopy(sqlite3* source, const SqliteConnection& target, const QString& table, SalvageCount* count)
        : source_(source)
        , target_(target)
        , table_(table)
        , count_(count)
    {
    }

    // Reads `ranges`; returns the parts of them it could not read.
    Ranges run(const Ranges& ranges)
    {
        bool missing = false;
        const QStringList columns = sharedColumns(&missing);
        if (missing)
            return {}; // the source has no such table: nothing was lost from it
        if (!columns.isEmpty())
            prepare(columns);
        if (!select_)
            return ranges; // the table cannot be read at all
        for (const RowidRange& r : ranges)
            readRange(r);
        return lost_;
    }

private:
    // Steps the select from rowid `from` on; SQLITE_ROW when a row reads (it
    // is then the current row), SQLITE_DONE when none is left, else the error.
    int seek(qint64 from, qint64 last)
    {
        sqlite3_reset(select_.get());
        sqlite3_bind_int64(select_.get(), 1, from);
        sqlite3_bind_int64(select_.get(), 2, last);
        return sqlite3_step(select_.get());
    }

    bool readable(qint64 from, qint64 last)
    {
        const int rc = seek(from, last);
        return rc == SQLITE_ROW || rc == SQLITE_DONE;
    }

    // Copies rows from `from` on while they read. Returns SQLITE_DONE or the
    // error; `*lastRead` is the last rowid copied, `*any` whether there was one.
    int copyFrom(qint64 from, qint64 last, qint64* lastRead, bool* any)
    {
        int rc = seek(from, last);
        for (; rc == SQLITE_ROW; rc = sqlite3_step(select_.get())) {
            *any = true;
            *lastRead = sqlite3_column_int64(select_.get(), 0);
            copyRow();
        }
        return rc;
    }

    // Reads `range`, stepping over damaged pages. After an error it probes
    // ever further ahead for a rowid it can seek to, then goes back by
    // bisection to the first such rowid, so that the rows of a readable page
    // just past the damage are not skipped.
    void readRange(const RowidRange& range)
    {
        qint64 from = range.first;
        for (;;) {
            qint64 lastRead = 0;
            bool any = false;
            ++probes_;
            if (copyFrom(from, range.last, &lastRead, &any) == SQLITE_DONE)
                return;
            note(QString::fromUtf8(sqlite3_errmsg(source_)));
            if (any && lastRead == range.last)
                return;
            const qint64 lost = any ? lastRead + 1 : from; // the first rowid that may be lost
            if (any && readable(lost, range.last)) {
                from = lost; // the error was past this point: read on from here
                continue;
            }
            qint64 good = 0;
            if (!findReadable(lost, range.last, &good)) {
                lost_.push_back({lost, range.last});
                return;
            }
            lost_.push_back({lost, good - 1});
            from = good;
        }
    }

    // From `bad` (cannot be sought), probes ahead with doubling steps, then
    // bisects back between the last failed probe and the first good one:
    // `*good` is the first rowid there a seek reads from. False when none is
    // found or the probes run out (the rest of the range is then not read).
    bool findReadable(qint64 bad, qint64 last, qint64* good)
    {
        quint64 step = 1;
        for (;;) {
            if (!probe(bad))
                return false;
            const quint64 room = quint64(last) - quint64(bad);
            const qint64 at = room <= step ? last : qint64(quint64(bad) + step);
            if (readable(at, last)) {
                *good = at;
                break;
            }
            if (at == last)
                return false;
            bad = at;
            if (step < (quint64(1) << 62))
                step *= 2;
        }
        while (quint64(*good) - quint64(bad) > 1) {
            if (!probe(bad))
                return false;
            const qint64 mid = qint64(quint64(bad) + (quint64(*good) - quint64(bad)) / 2);
            if (readable(mid, last))
                *good = mid;
            else
                bad = mid;
        }
        return true;
    }

    // Counts one probe; false once the table's probes are spent.
    bool probe(qint64 from)
    {
        if (++probes_ <= kMaxProbesPerTable)
            return true;
        note(QStringLiteral("rows from rowid %1 on were not read (too many damaged pages)").arg(from));
        return false;
    }

    // The target's columns the source also has; `*missing` when the source
    // has no such table at all.
    QStringList sharedColumns(bool* missing)
    {
        QStringList wanted, present;
        QString error;
        const QString info = QStringLiteral("SELECT name FROM pragma_table_info(?1)");
        if (!column0(target_.handle(), info, table_, &wanted, &error))
            throw CatalogError(catalogErrorMessage(SQLITE_ERROR, target_.filePath(), error).toStdString());
        if (!column0(source_, info, table_, &present, &error)) {
            note(error);
            return {};
        }
        *missing = present.isEmpty();
        QStringList shared;
        for (const QString& c : wanted)
            if (present.contains(c))
                shared << c;
        return shared;
    }

    void prepare(const QStringList& columns)
    {
        QStringList names, params;
        for (int i = 0; i < columns.size(); ++i) {
            names << quoted(columns[i]);
            params << QStringLiteral("?%1").arg(i + 1);
        }
        const QString select =
            QStringLiteral("SELECT rowid, %1 FROM %2 WHERE rowid >= ?1 AND rowid <= ?2 ORDER BY rowid")
                .arg(names.join(QLatin1Char(',')), quoted(table_));
        const QString insert = QStringLiteral("INSERT OR IGNORE INTO %1(%2) VALUES(%3)")
                                   .arg(quoted(table_), names.join(QLatin1Char(',')), params.join(QLatin1Char(',')));
        columns_ = int(columns.size());
        sqlite3_stmt* raw = nullptr;
        int rc = sqlite3_prepare_v2(target_.handle(), insert.toUtf8().constData(), -1, &raw, nullptr);
        insert_.reset(raw);
        if (rc != SQLITE_OK)
            target_.fail(rc);
        raw = nullptr;
        rc = sqlite3_prepare_v2(source_, select.toUtf8().constData(), -1, &raw, nullptr);
        if (rc == SQLITE_OK)
            select_.reset(raw);
        else {
            sqlite3_finalize(raw);
            note(QString::fromUtf8(sqlite3_errmsg(source_)));
        }
    }

    void copyRow()
    {
        sqlite3_stmt* insert = insert_.get();
        for (int i = 0; i < columns_; ++i)
            sqlite3_bind_value(insert, i + 1, sqlite3_column_value(select_.get(), i + 1));
        const int rc = sqlite3_step(insert);
        if (rc != SQLITE_DONE && (rc & 0xff) != SQLITE_CONSTRAINT) {
            const QString detail = QString::fromUtf8(sqlite3_errmsg(target_.handle()));
            sqlite3_reset(insert);
            throw SqliteError(catalogErrorMessage(rc, target_.filePath(), detail), detail, rc);
        }
        sqlite3_reset(insert);
        if (rc == SQLITE_DONE && sqlite3_changes(target_.handle()) > 0) {
            ++count_->copied;
            ++count_->copiedByTable[table_];
        } else {
            ++count_->skipped; // already there, or its photo/tag/album was lost
        }
    }

    void note(const QString& error)
    {
        const QString line = table_ + QStringLiteral(": ") + error;
        if (!count_->unreadable.contains(line))
            count_->unreadable << line;
    }

    sqlite3* source_;
    const SqliteConnection& target_;
    QString table_;
    SalvageCount* count_;
    StatementHandle select_;
    StatementHandle insert_;
    int columns_ = 0;
    int probes_ = 0;
    Ranges lost_;
};

// AUTOINCREMENT counters: an id the source ever handed out is never handed
// out again (a photo id is also its id in the vector files).
void carrySequences(sqlite3* source, const SqliteConnection& target)
{
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(source, "SELECT name, seq FROM sqlite_sequence", -1, &raw, nullptr);
    const StatementHandle s(raw); // finalized also when the target throws
    if (rc != SQLITE_OK)
        return;
    while (sqlite3_step(raw) == SQLITE_ROW) {
        const QString name = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(raw, 0)));
        const qint64 seq = sqlite3_column_int64(raw, 1);
        target.statement("UPDATE sqlite_sequence SET seq = ?2 WHERE name = ?1 AND seq < ?2")
            .bind(1, name)
            .bind(2, seq)
            .run();
        target
            .statement("INSERT INTO sqlite_sequence(name, seq) SELECT ?1, ?2 WHERE NOT EXISTS "
                       "(SELECT 1 FROM sqlite_sequence WHERE name = ?1) AND EXISTS "
                       "(SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1)")
            .bind(1, name)
            .bind(2, seq)
            .run();
    }
}

} // namespace

sqlite3* openForSalvage(const QString& file, bool ignoreWal)
{
    QByteArray uri = "file:" + QUrl::toPercentEncoding(file, "/") + "?mode=ro";
    if (ignoreWal)
        uri += "&immutable=1";
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(uri.constData(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr)
        != SQLITE_OK) {
        sqlite3_close_v2(db);
        return nullptr;
    }
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    // Damaged cells become errors (their rows are skipped) instead of values
    // read from the wrong bytes.
    sqlite3_exec(db, "PRAGMA cell_size_check = ON", nullptr, nullptr, nullptr);
    // A schema that does not parse (SQLITE_CORRUPT, unlike a file that is no
    // database): with writable_schema SQLite loads what it can and ignores
    // the rest (an index's root page past the end), so the tables still read.
    sqlite3_extended_result_codes(db, 0);
    if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr) == SQLITE_CORRUPT)
        sqlite3_exec(db, "PRAGMA writable_schema = ON", nullptr, nullptr, nullptr);
    return db;
}

sqlite3* openWithSaneHeader(const QString& file, const QString& scratch)
{
    const auto removeScratch = [&scratch] {
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            QFile::remove(scratch + QLatin1String(suffix));
    };
    removeScratch();
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly) || in.read(16) != QByteArray("SQLite format 3\0", 16) || !in.seek(0))
        return nullptr;
    if (!QFile::copy(file, scratch)
        || !QFile::setPermissions(scratch, QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        removeScratch();
        return nullptr;
    }
    // Smallest first: page 1's cells sit at the end of the page, so a size
    // smaller than the true one fails to read, and the first that reads is it.
    for (int pageSize = 512; pageSize <= 65536; pageSize *= 2) {
        if (in.size() % pageSize != 0)
            continue;
        QFile out(scratch);
        if (!out.open(QIODevice::ReadWrite) || !out.seek(16))
            break;
        // Page size (1 means 65536), rollback-journal format (the -wal is not
        // beside the copy), no reserved bytes, the fixed payload fractions.
        const quint16 stored = pageSize == 65536 ? 1 : quint16(pageSize);
        const char header[8] = {char(stored >> 8), char(stored & 0xff), 1, 1, 0, 64, 32, 32};
        if (out.write(header, 8) != 8)
            break;
        out.close();
        sqlite3* db = openForSalvage(scratch);
        sqlite3_stmt* s = nullptr;
        const bool reads = db
            && sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &s, nullptr) == SQLITE_OK
            && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int64(s, 0) > 0;
        sqlite3_finalize(s);
        if (reads)
            return db;
        sqlite3_close_v2(db);
    }
    removeScratch();
    return nullptr;
}

sqlite3* openUpgradedForSalvage(const QString& file, const QString& scratch)
{
    sqlite3* db = openForSalvage(file);
    if (!db)
        return nullptr;
    const int target = catalogSchemaSteps().back().toVersion;
    sqlite3_stmt* raw = nullptr;
    int version = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &raw, nullptr) == SQLITE_OK
        && sqlite3_step(raw) == SQLITE_ROW)
        version = sqlite3_column_int(raw, 0);
    sqlite3_finalize(raw);
    if (version == target || version <= 0)
        return db; // nothing to bring up to date (or nothing this build could)
    sqlite3_close_v2(db);
    const auto removeScratch = [&scratch] {
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            QFile::remove(scratch + QLatin1String(suffix));
    };
    removeScratch();
    // The copies are written read-only by no one, but a restored one may be.
    if (!QFile::copy(file, scratch)
        || !QFile::setPermissions(scratch, QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        removeScratch();
        throw CatalogError(QStringLiteral("A working copy of %1 could not be written to %2; free some disk space and "
                                          "try again. Nothing was changed.")
                               .arg(file, scratch)
                               .toStdString());
    }
    try {
        const SqliteConnection upgraded(scratch);
        upgradeCatalogSchema(upgraded, catalogSchemaSteps(), SchemaBackup::Skip);
        upgraded.exec("PRAGMA journal_mode=DELETE"); // read below without -wal/-shm
    } catch (...) {
        removeScratch();
        throw;
    }
    return openForSalvage(scratch);
}

std::vector<SalvageCount> salvageRows(const std::vector<sqlite3*>& sources, const SqliteConnection& target)
{
    std::vector<SalvageCount> counts(sources.size());
    QStringList tables;
    QString error;
    if (!column0(target.handle(),
                 // FTS5 tables and their shadow tables are never copied row
                 // by row: triggers on photo_text refill the index as its
                 // rows are copied (CatalogSchema.cpp, version 4).
                 QStringLiteral("SELECT name FROM sqlite_schema WHERE type = 'table' AND substr(name, 1, 7) <> "
                                "'sqlite_' AND name <> 'meta' AND name NOT IN (SELECT name FROM "
                                "pragma_table_list WHERE schema = 'main' AND type IN ('virtual', 'shadow')) "
                                "ORDER BY rowid"),
                 QString(), &tables, &error))
        throw CatalogError(catalogErrorMessage(SQLITE_ERROR, target.filePath(), error).toStdString());
    for (const QString& table : tables) {
        Ranges toRead{{std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max()}};
        for (size_t i = 0; i < sources.size() && !toRead.empty(); ++i)
            toRead = TableCopy(sources[i], target, table, &counts[i]).run(toRead);
    }
    for (sqlite3* source : sources)
        carrySequences(source, target);
    return counts;
}

} // namespace photosearch
