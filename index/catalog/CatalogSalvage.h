#pragma once
// Row-by-row copy of what can still be read from a damaged (or older)
// catalog into a fresh one. SQLite 3.40's C API has no `.recover`; this is
// the part of it a catalog needs: every table the fresh file has, in the
// order it was created (parents before the tables that refer to them), the
// columns both files have (a column the source lacks takes its default),
// each row read by rowid so that a page that fails to read loses its rows
// and not the rest of the table.
//
// Rows are inserted with INSERT OR IGNORE and the target's foreign keys on:
// a row that clashes with one already copied is left out, and so is one
// whose photo, tag or album was lost. The first source is read whole; a
// later source is read only in the rowid ranges of a table that the sources
// before it could not read (a damaged page), never elsewhere: a row missing
// from a readable part of the first source was deleted, and must not come
// back from an older copy.

#include <QMap>
#include <QString>
#include <QStringList>

#include <vector>

struct sqlite3;

namespace photosearch {

class SqliteConnection;

struct SalvageCount {
    qint64 copied = 0;  // rows written to the target
    qint64 skipped = 0; // rows read but not written (already there, or their parent was lost)
    QStringList unreadable; // "table: SQLite's words" for each part that could not be read
    QMap<QString, qint64> copiedByTable; // rows written, per table (tables with none left out)
};

// Opens `file` read-only for salvage (a raw handle: nothing is checked, so
// that a file that fails its checks can still be read). Null when SQLite
// cannot even open it. Close with sqlite3_close_v2. `ignoreWal` reads the
// file alone (a -wal beside it that belongs to another database). When
// SQLite cannot parse the schema (an index whose root page was cut off),
// the schema is read with writable_schema on, which skips what it cannot
// parse, so the tables can still be read.
sqlite3* openForSalvage(const QString& file, bool ignoreWal = false);

// For a file whose header SQLite refuses (bytes 16-23: page size, format
// versions, reserved bytes): a copy at `scratch` with those bytes set to
// sane values (the page size found by trying each), opened for salvage.
// Null when no page size makes the schema readable (`scratch` is then
// removed); otherwise the caller removes `scratch` once done.
sqlite3* openWithSaneHeader(const QString& file, const QString& scratch);

// Like openForSalvage, for a sound copy of an older schema: the copy is
// first copied to `scratch` and brought up to this build's schema there
// (so that a step that transforms data is not skipped), and `scratch` is
// what is opened. The caller removes `scratch` (and its side files) once
// done. Throws CatalogError when the scratch copy cannot be made.
sqlite3* openUpgradedForSalvage(const QString& file, const QString& scratch);

// Copies every readable row of `sources` into `target` (inside the caller's
// transaction), table by table and, within a table, source by source (a
// later one only where the earlier ones could not read, see above): so a
// row of a later source may hang off a parent row only that source had.
// Returns one count per source. Throws CatalogError when the target cannot
// be written.
std::vector<SalvageCount> salvageRows(const std::vector<sqlite3*>& sources, const SqliteConnection& target);

} // namespace photosearch
