#include "CatalogSalvage.h"

#include "Catalog.h"
#include "SqliteConnection.h"

#include <QFile>

#include <sqlite3.h>

#include <limits>

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

class TableCopy {
public:
    TableCopy(sqlite3* source, const SqliteConnection& target, const QString& table, SalvageCount* count)
        : source_(source)
        , target_(target)
        , table_(table)
        , count_(count)
    {
    }
    ~TableCopy()
    {
        sqlite3_finalize(select_);
        sqlite3_finalize(insert_);
    }
    TableCopy(const TableCopy&) = delete;
    TableCopy& operator=(const TableCopy&) = delete;

    void run()
    {
        const QStringList columns = sharedColumns();
        if (columns.isEmpty())
            return;
        prepare(columns);
        if (!select_)
            return;
        qint64 last = 0; // rowid > last: the catalog's rowids start at 1
        qint64 gap = 0;
        for (int probes = 0; probes < kMaxProbesPerTable; ++probes) {
            sqlite3_reset(select_);
            sqlite3_bind_int64(select_, 1, last + gap);
            bool progressed = false;
            int rc;
            while ((rc = sqlite3_step(select_)) == SQLITE_ROW) {
                progressed = true;
                last = sqlite3_column_int64(select_, 0);
                copyRow(int(columns.size()));
            }
            if (rc == SQLITE_DONE)
                return;
            note(QString::fromUtf8(sqlite3_errmsg(source_)));
            // Past a damaged page: the next rowid, then ever further ahead.
            gap = progressed ? 1 : (gap == 0 ? 1 : gap * 2);
            if (last > std::numeric_limits<qint64>::max() - gap)
                return;
        }
    }

private:
    QStringList sharedColumns()
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
        const QString select = QStringLiteral("SELECT rowid, %1 FROM %2 WHERE rowid > ?1 ORDER BY rowid")
                                   .arg(names.join(QLatin1Char(',')), quoted(table_));
        const QString insert = QStringLiteral("INSERT OR IGNORE INTO %1(%2) VALUES(%3)")
                                   .arg(quoted(table_), names.join(QLatin1Char(',')), params.join(QLatin1Char(',')));
        int rc = sqlite3_prepare_v2(target_.handle(), insert.toUtf8().constData(), -1, &insert_, nullptr);
        if (rc != SQLITE_OK)
            target_.fail(rc);
        if (sqlite3_prepare_v2(source_, select.toUtf8().constData(), -1, &select_, nullptr) != SQLITE_OK) {
            note(QString::fromUtf8(sqlite3_errmsg(source_)));
            sqlite3_finalize(select_);
            select_ = nullptr;
        }
    }

    void copyRow(int columns)
    {
        for (int i = 0; i < columns; ++i)
            sqlite3_bind_value(insert_, i + 1, sqlite3_column_value(select_, i + 1));
        const int rc = sqlite3_step(insert_);
        if (rc != SQLITE_DONE && (rc & 0xff) != SQLITE_CONSTRAINT) {
            const QString detail = QString::fromUtf8(sqlite3_errmsg(target_.handle()));
            sqlite3_reset(insert_);
            throw SqliteError(catalogErrorMessage(rc, target_.filePath(), detail), detail, rc);
        }
        sqlite3_reset(insert_);
        if (rc == SQLITE_DONE && sqlite3_changes(target_.handle()) > 0)
            ++count_->copied;
        else if (rc == SQLITE_DONE || (rc & 0xff) == SQLITE_CONSTRAINT)
            ++count_->skipped; // already there, or its photo/tag/album was lost
        else
            target_.fail(rc);
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
    sqlite3_stmt* select_ = nullptr;
    sqlite3_stmt* insert_ = nullptr;
};

// AUTOINCREMENT counters: an id the source ever handed out is never handed
// out again (a photo id is also its id in the vector files).
void carrySequences(sqlite3* source, const SqliteConnection& target)
{
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(source, "SELECT name, seq FROM sqlite_sequence", -1, &s, nullptr) != SQLITE_OK) {
        sqlite3_finalize(s);
        return;
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
        const QString name = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
        const qint64 seq = sqlite3_column_int64(s, 1);
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
    sqlite3_finalize(s);
}

} // namespace

sqlite3* openForSalvage(const QString& file)
{
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(file).constData(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        nullptr)
        != SQLITE_OK) {
        sqlite3_close(db);
        return nullptr;
    }
    // Damaged cells become errors (their rows are skipped) instead of values
    // read from the wrong bytes.
    sqlite3_exec(db, "PRAGMA cell_size_check = ON", nullptr, nullptr, nullptr);
    return db;
}

std::vector<SalvageCount> salvageRows(const std::vector<sqlite3*>& sources, const SqliteConnection& target)
{
    std::vector<SalvageCount> counts(sources.size());
    QStringList tables;
    QString error;
    if (!column0(target.handle(),
                 QStringLiteral("SELECT name FROM sqlite_schema WHERE type = 'table' AND substr(name, 1, 7) <> "
                                "'sqlite_' AND name <> 'meta' ORDER BY rowid"),
                 QString(), &tables, &error))
        throw CatalogError(catalogErrorMessage(SQLITE_ERROR, target.filePath(), error).toStdString());
    for (const QString& table : tables)
        for (size_t i = 0; i < sources.size(); ++i)
            TableCopy(sources[i], target, table, &counts[i]).run();
    for (sqlite3* source : sources)
        carrySequences(source, target);
    return counts;
}

} // namespace photosearch
