#include "SqliteConnection.h"

#include "CatalogRepair.h"

#include <QFile>
#include <QFileInfo>
#include <QUrl>

#include <sqlite3.h>
#include <unistd.h>

#include <sys/resource.h>
#include <sys/statvfs.h>

#include <cerrno>

namespace photosearch {

namespace {

// Long enough for another PhotoSearch to finish a batch; short enough that a
// stuck one is reported instead of hanging the app.
constexpr int kBusyTimeoutMs = 5000;

// The URI that opens `filePath` read-only (see the constructor's comment).
QByteArray readOnlyUri(const QString& filePath)
{
    QByteArray uri = "file:" + QUrl::toPercentEncoding(filePath, "/") + "?mode=ro";
    const QFileInfo file(filePath);
    if (::access(QFile::encodeName(file.absolutePath()).constData(), W_OK) != 0
        && !QFileInfo::exists(filePath + QStringLiteral("-shm")))
        uri += "&immutable=1";
    return uri;
}

QString sentenceFor(int rc, const QString& file)
{
    switch (rc & 0xff) {
    case SQLITE_FULL:
        return QStringLiteral("The disk holding %1 is full; free some space and try again.").arg(file);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return QStringLiteral("%1 stayed locked by another program for too long; close other PhotoSearch windows "
                              "or commands using this library and try again.")
            .arg(file);
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return QStringLiteral("%1 cannot be written; check the permissions of the library folder or choose another "
                              "library.")
            .arg(file);
    case SQLITE_CANTOPEN:
        return QStringLiteral("%1 cannot be opened; check that the library folder exists and is writable, or choose "
                              "another library.")
            .arg(file);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        // Still "move it away or choose another library": a file of another
        // program is no damage to repair.
        return QStringLiteral("%1 is not a PhotoSearch catalog or is damaged; run %2 (it keeps the damaged file aside "
                              "and restores or rebuilds the catalog), or move it away or choose another library.")
            .arg(file, repairCommandLine(QFileInfo(file).absolutePath()));
    case SQLITE_IOERR:
        return QStringLiteral("%1 could not be read or written; check the disk and try again.").arg(file);
    case SQLITE_CONSTRAINT:
        return QStringLiteral("The change conflicts with what %1 already holds and was not saved.").arg(file);
    case SQLITE_NOMEM:
        return QStringLiteral("Ran out of memory while using %1; close other programs and try again.").arg(file);
    default:
        return QStringLiteral("%1 could not be used; try again, and if it keeps failing move it away or choose "
                              "another library.")
            .arg(file);
    }
}

} // namespace

QString catalogErrorMessage(int rc, const QString& filePath, const QString& detail)
{
    const QString sentence = sentenceFor(rc, filePath);
    // "database or disk is full" / "disk I/O error" add nothing to the
    // sentence about a full disk and only make the user doubt it.
    if (detail.isEmpty() || (rc & 0xff) == SQLITE_FULL)
        return sentence;
    return sentence + QStringLiteral(" (") + detail + QLatin1Char(')');
}

namespace {

// Whether a file beside `filePath` (the catalog, its WAL or journal) cannot
// grow: no block left on its disk for this process (root may still write
// into the blocks reserved for it), or at the process's file-size limit
// (ulimit -f, RLIMIT_FSIZE) give or take a few pages.
bool noRoomBeside(const QString& filePath)
{
    struct statvfs fs {};
    if (::statvfs(QFile::encodeName(QFileInfo(filePath).absolutePath()).constData(), &fs) == 0
        && (::geteuid() == 0 ? fs.f_bfree : fs.f_bavail) == 0)
        return true;
    struct rlimit limit {};
    if (::getrlimit(RLIMIT_FSIZE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return false;
    constexpr qint64 kSlack = 256 * 1024; // a transaction's worth of pages
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-journal")})
        if (QFileInfo(filePath + suffix).size() + kSlack >= qint64(limit.rlim_cur))
            return true;
    return false;
}

// SQLite reports ENOSPC as SQLITE_FULL but any other failed write, EFBIG
// (the file-size limit) and EDQUOT included, as an SQLITE_IOERR: for the
// user all three mean there is no room left. sqlite3_system_errno() is the
// errno when SQLite gave up, which later calls may have replaced: the disk
// and the limit are asked as well.
int withNoSpaceAsFull(int rc, sqlite3* db, const QString& filePath)
{
    if ((rc & 0xff) != SQLITE_IOERR || !db)
        return rc;
    const int errnum = sqlite3_system_errno(db);
    if (errnum == ENOSPC || errnum == EFBIG || errnum == EDQUOT)
        return SQLITE_FULL;
    const bool reading = rc == SQLITE_IOERR_READ || rc == SQLITE_IOERR_NOMEM;
    return !reading && noRoomBeside(filePath) ? SQLITE_FULL : rc;
}

} // namespace

int noSpaceAsFull(int rc, sqlite3* db, const QString& filePath)
{
    return withNoSpaceAsFull(rc, db, filePath);
}

// --- Statement ---

Statement::Statement(const SqliteConnection& connection, sqlite3_stmt* stmt, bool* inUse)
    : connection_(&connection)
    , stmt_(stmt)
    , inUse_(inUse)
{
}

Statement::Statement(Statement&& other) noexcept
    : connection_(other.connection_)
    , stmt_(other.stmt_)
    , inUse_(other.inUse_)
{
    other.stmt_ = nullptr;
    other.inUse_ = nullptr;
}

Statement::~Statement()
{
    if (!stmt_)
        return;
    if (inUse_) {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
        *inUse_ = false;
    } else {
        sqlite3_finalize(stmt_);
    }
}

Statement& Statement::bind(int index, qint64 value)
{
    const int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK)
        connection_->fail(rc);
    return *this;
}

Statement& Statement::bind(int index, int value)
{
    return bind(index, qint64(value));
}

Statement& Statement::bind(int index, double value)
{
    const int rc = sqlite3_bind_double(stmt_, index, value);
    if (rc != SQLITE_OK)
        connection_->fail(rc);
    return *this;
}

Statement& Statement::bind(int index, const QString& value)
{
    const QByteArray utf8 = value.toUtf8();
    const int rc = sqlite3_bind_text(stmt_, index, utf8.isNull() ? "" : utf8.constData(), int(utf8.size()),
                                     SQLITE_TRANSIENT);
    if (rc != SQLITE_OK)
        connection_->fail(rc);
    return *this;
}

Statement& Statement::bindNull(int index)
{
    const int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK)
        connection_->fail(rc);
    return *this;
}

Statement& Statement::bindBlob(int index, const void* data, int size)
{
    const int rc = sqlite3_bind_blob(stmt_, index, data, size, SQLITE_TRANSIENT);
    if (rc != SQLITE_OK)
        connection_->fail(rc);
    return *this;
}

bool Statement::next()
{
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    connection_->fail(rc);
}

void Statement::run()
{
    while (next()) {
    }
}

qint64 Statement::int64(int column) const
{
    return sqlite3_column_int64(stmt_, column);
}

double Statement::real(int column) const
{
    return sqlite3_column_double(stmt_, column);
}

QString Statement::text(int column) const
{
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    if (!data)
        return {};
    return QString::fromUtf8(data, sqlite3_column_bytes(stmt_, column));
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

bool Statement::isBlob(int column) const
{
    return sqlite3_column_type(stmt_, column) == SQLITE_BLOB;
}

const void* Statement::blob(int column, int* size) const
{
    const void* data = sqlite3_column_blob(stmt_, column);
    *size = sqlite3_column_bytes(stmt_, column);
    return data;
}

// --- SqliteConnection ---

SqliteConnection::SqliteConnection(const QString& filePath, bool readOnly)
    : filePath_(filePath)
{
    const int rc = readOnly ? sqlite3_open_v2(readOnlyUri(filePath).constData(), &db_,
                                              SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr)
                            : sqlite3_open_v2(filePath.toUtf8().constData(), &db_,
                                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        const QString detail = db_ ? QString::fromUtf8(sqlite3_errmsg(db_)) : QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw SqliteError(catalogErrorMessage(rc, filePath_, detail), detail, rc);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    if (readOnly)
        keepWalOnClose();
    try {
        // The first statement that reads the file: a file that is not a
        // database fails here with SQLITE_NOTADB.
        if (readOnly)
            exec("SELECT count(*) FROM sqlite_schema");
        else
            exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=NORMAL");
        exec("PRAGMA foreign_keys=ON");
    } catch (...) {
        keepWalOnClose(); // a file that failed to open is no one's to checkpoint into
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw;
    }
}

SqliteConnection::~SqliteConnection()
{
    for (auto& entry : cache_)
        sqlite3_finalize(entry.second.stmt);
    // close_v2 defers the close if something is still open instead of leaking
    // the handle.
    sqlite3_close_v2(db_);
}

Statement SqliteConnection::statement(const std::string& sql) const
{
    auto it = cache_.find(sql);
    if (it != cache_.end() && !it->second.inUse) {
        it->second.inUse = true;
        return Statement(*this, it->second.stmt, &it->second.inUse);
    }
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.c_str(), int(sql.size()),
                                      it == cache_.end() ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        fail(rc);
    }
    if (it != cache_.end())
        return Statement(*this, stmt, nullptr); // one-off while the cached one is busy
    Cached& slot = cache_[sql];
    slot.stmt = stmt;
    slot.inUse = true;
    return Statement(*this, stmt, &slot.inUse);
}

void SqliteConnection::exec(const char* sql) const
{
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        fail(rc);
}

bool SqliteConnection::inTransaction() const
{
    return sqlite3_get_autocommit(db_) == 0;
}

void SqliteConnection::rollbackQuietly() const noexcept
{
    // SQLite may already have rolled back by itself (e.g. after SQLITE_FULL).
    if (db_ && inTransaction())
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void SqliteConnection::keepWalOnClose() const noexcept
{
    if (db_)
        sqlite3_db_config(db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
}

qint64 SqliteConnection::lastInsertId() const
{
    return sqlite3_last_insert_rowid(db_);
}

int SqliteConnection::changes() const
{
    return sqlite3_changes(db_);
}

void SqliteConnection::fail(int rc) const
{
    QString detail = QString::fromUtf8(db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    if (detail.isEmpty())
        detail = QString::fromUtf8(sqlite3_errstr(rc));
    // The code says "full" as the sentence does: callers choose by it.
    const int code = withNoSpaceAsFull(rc, db_, filePath_);
    throw SqliteError(catalogErrorMessage(code, filePath_, detail), detail, code);
}

// --- WriteScope ---

WriteScope::WriteScope(const SqliteConnection& connection)
    : connection_(connection)
    , own_(!connection.inTransaction())
{
    // IMMEDIATE takes the write lock up front: a deferred transaction that
    // reads and then writes can fail at once with SQLITE_BUSY_SNAPSHOT
    // instead of waiting for the busy timeout.
    if (own_)
        connection_.exec("BEGIN IMMEDIATE");
}

WriteScope::~WriteScope()
{
    if (own_)
        connection_.rollbackQuietly();
}

void WriteScope::commit()
{
    if (own_) {
        connection_.exec("COMMIT");
        own_ = false;
    }
}

} // namespace photosearch
