#pragma once
// Copies of catalog.sqlite kept beside it, so that a damaged or wrongly
// upgraded catalog can be restored (photosearch-cli repair, CatalogRepair.h).
//
// - catalog.before-v<N>.sqlite: taken by upgradeCatalogSchema before the
//   first step runs on a version-N file (N > 0). If it cannot be written the
//   upgrade does not run. One per old version; a later upgrade from the same
//   version replaces it.
// - catalog.last-good.sqlite: refreshed after a successful index run when it
//   is missing or older than a day, and only when the catalog passes
//   PRAGMA quick_check. Why a day: the copy reads and writes the whole
//   catalog (about 2 KB per photo and model: 200 MB for 100,000 photos), too
//   much after every run of the window's folder watcher, cheap once a day.
//
// Every copy is made with SQLite's online backup API from a live connection
// (a consistent snapshot, WAL content included), written under a temporary
// name, fsync'd, then renamed over the old copy: a copy is whole or absent.

#include "Catalog.h"

#include <QString>

#include <limits>

namespace photosearch {

class SqliteConnection;

QString catalogUpgradeBackupPath(const QString& catalogFile, int version);
QString catalogLastGoodPath(const QString& catalogFile);
// Every copy of `catalogFile` present, newest first (by modification time).
QStringList catalogBackups(const QString& catalogFile);

// Why a copy could not be written. what() is the detail only (which step,
// SQLite's or the system's words, the result code and errno): the caller
// puts its own sentence, chosen by cause(), in front of it.
class CatalogCopyError : public CatalogError {
public:
    enum class Cause { NoSpace, NotPermitted, Busy, InTheWay, Other };
    CatalogCopyError(Cause cause, const QString& detail)
        : CatalogError(detail.toStdString())
        , cause_(cause)
    {
    }
    Cause cause() const { return cause_; }

private:
    Cause cause_;
};

// Copies the database of `source` to `target` (see above); when
// `expectVersion` >= 0 the copy must hold that schema version, or it is not
// kept. Throws CatalogCopyError when it cannot be written; `target` is then
// left as it was.
void copyCatalogTo(const SqliteConnection& source, const QString& target, int expectVersion = -1);

// The copy upgradeCatalogSchema takes, inside the step's write transaction
// (read through a second connection). Throws SqliteError with one sentence
// ("not upgraded", and what to do by cause) and the detail apart (also
// logged) when the copy cannot be written.
void backupBeforeUpgrade(const SqliteConnection& connection, int version);

// Refreshes catalog.last-good.sqlite when it is missing or older than
// `maxAgeSeconds` and the catalog passes quick_check. Returns whether a copy
// was written; never throws (a failure is logged: the copy is a spare).
bool refreshLastGoodCopy(const SqliteConnection& connection, qint64 maxAgeSeconds = 24 * 3600);
// After an index run: a run that changed no photo refreshes only a week-old
// copy (a check and copy of a 200k-photo catalog take ~26 s, which a
// no-change rescan, 3-4 s, should not pay daily; docs/BENCHMARKS.md), still
// often enough to keep album and tag edits made meanwhile.
inline qint64 lastGoodCopyMaxAge(bool runChangedCatalog)
{
    return runChangedCatalog ? 24 * 3600 : 7 * 24 * 3600;
}

// The first problem PRAGMA quick_check (or integrity_check when `full`)
// reports, or an empty string when the file is sound. Throws CatalogError
// when the check cannot even run (the file is no database).
QString catalogCheckProblem(const SqliteConnection& connection, bool full = false);

} // namespace photosearch
