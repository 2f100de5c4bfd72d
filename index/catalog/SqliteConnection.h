#pragma once
// One sqlite3 connection as the catalog uses it: statements prepared once and
// cached by their SQL text, values always bound (never spliced into SQL), and
// every SQLite failure turned into a CatalogError whose first sentence names
// the file and says what to do.
//
// Opened with SQLITE_OPEN_NOMUTEX: a connection belongs to one thread.

#include "Catalog.h"

#include <QString>

#include <memory>
#include <string>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace photosearch {

class SqliteConnection;

// A CatalogError raised by SQLite, keeping SQLite's own words apart so that a
// caller can put its own sentence in front of them.
class SqliteError : public CatalogError {
public:
    SqliteError(const QString& message, const QString& detail, int code = 0)
        : CatalogError(message.toStdString())
        , detail_(detail)
        , code_(code)
    {
    }
    const QString& detail() const { return detail_; }
    int code() const { return code_; } // SQLite's (extended) result code

private:
    QString detail_;
    int code_;
};

// One use of a prepared statement. Resets it (and clears its bindings) when
// it goes out of scope, so no read snapshot outlives the call that made it.
class Statement {
public:
    Statement(const SqliteConnection& connection, sqlite3_stmt* stmt, bool* inUse);
    Statement(Statement&& other) noexcept;
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement& operator=(Statement&&) = delete;

    // Parameter indexes start at 1, as in SQLite.
    Statement& bind(int index, qint64 value);
    Statement& bind(int index, int value);
    Statement& bind(int index, double value);
    Statement& bind(int index, const QString& value); // a null QString binds ''
    Statement& bindNull(int index);
    Statement& bindBlob(int index, const void* data, int size);

    bool next(); // steps; true while a row is available
    void run();  // steps to the end, ignoring rows

    qint64 int64(int column) const;
    double real(int column) const;
    QString text(int column) const; // NULL reads as a null QString
    bool isNull(int column) const;
    bool isBlob(int column) const;
    const void* blob(int column, int* size) const;

private:
    const SqliteConnection* connection_;
    sqlite3_stmt* stmt_;
    bool* inUse_; // the cache slot's flag; null for a one-off statement
};

class SqliteConnection {
public:
    // Opens or creates the file and sets WAL, synchronous=NORMAL,
    // foreign_keys=ON and a busy timeout. Throws CatalogError. `readOnly`
    // opens an existing file with SQLITE_OPEN_READONLY (URI mode=ro) and
    // changes nothing in it; when its folder cannot be written and the WAL
    // index (-shm) is missing, SQLite could not open it in WAL mode, so it
    // is opened immutable (a -wal left behind is then not read).
    explicit SqliteConnection(const QString& filePath, bool readOnly = false);
    ~SqliteConnection();
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    const QString& filePath() const { return filePath_; }
    sqlite3* handle() const { return db_; }

    // The cached statement for `sql`, or a one-off copy while the cached one
    // is in use (a callback re-entering the catalog).
    Statement statement(const std::string& sql) const;
    // Runs SQL without parameters (DDL, pragmas, BEGIN/COMMIT).
    void exec(const char* sql) const;

    bool inTransaction() const;
    void rollbackQuietly() const noexcept;
    // Closing will not fold the -wal into the file. For a connection whose
    // file was refused (another program's database, a newer schema): its
    // -wal may belong to another database, and a checkpoint on close would
    // overwrite the catalog with it. Read-only connections always keep it.
    void keepWalOnClose() const noexcept;
    qint64 lastInsertId() const;
    int changes() const;

    // Throws the CatalogError for SQLite result `rc` (uses the connection's
    // current error message as the detail).
    [[noreturn]] void fail(int rc) const;

private:
    struct Cached {
        sqlite3_stmt* stmt = nullptr;
        bool inUse = false;
    };

    QString filePath_;
    sqlite3* db_ = nullptr;
    mutable std::unordered_map<std::string, Cached> cache_;
};

// The sentence shown for SQLite result `rc` on `filePath`, followed by
// " (detail)" when a detail is given.
QString catalogErrorMessage(int rc, const QString& filePath, const QString& detail);

// `rc`, or SQLITE_FULL when it is an I/O error that means there is no room
// left (ENOSPC, EFBIG from ulimit -f, EDQUOT) for `filePath` on `db`.
int noSpaceAsFull(int rc, sqlite3* db, const QString& filePath);

// Makes a method's several statements one transaction, unless the caller
// already holds one (then they simply join it). Rolls back unless committed.
class WriteScope {
public:
    explicit WriteScope(const SqliteConnection& connection);
    ~WriteScope();
    void commit();
    WriteScope(const WriteScope&) = delete;
    WriteScope& operator=(const WriteScope&) = delete;

private:
    const SqliteConnection& connection_;
    bool own_;
};

} // namespace photosearch
