#pragma once
// What `photosearch-cli repair` does to a library's catalog.sqlite: check it,
// and when it is damaged build a sound one from what can still be read
// (CatalogSalvage.h) and from the newest good copy (CatalogBackup.h).
// Nothing is deleted: the damaged file, with its -wal and -shm, is renamed
// to catalog.damaged-<yyyyMMdd-HHmmss>.sqlite beside it.
//
// Nothing else may have the catalog open meanwhile: repair holds it
// exclusively (CatalogUseLock.h) from the moment it finds damage until the
// repaired file is in place, and refuses while any Catalog has it open. The
// caller keeps index runs out (the CLI holds the index lock) and removes the
// vector caches afterwards: they may reflect rows the repaired catalog no
// longer has.

#include "CatalogSalvage.h"

#include <QString>

namespace photosearch {

class CatalogError;

enum class RepairMode {
    Auto,       // what the damaged file still gives; only what it cannot read comes from the newest good copy
    FromBackup, // the newest good copy alone (refused when there is none)
    Rebuild,    // what the damaged file still gives, ignoring the copies
};

struct RepairReport {
    enum class Outcome { Healthy, Restored, Salvaged };
    Outcome outcome = Outcome::Healthy;
    QString catalog;    // catalog.sqlite
    QString problem;    // the check's first finding (empty when healthy)
    QString movedAside; // where the damaged file went
    QString backup;     // the good copy used, empty when none
    QString backupTime; // its modification time, ISO
    SalvageCount fromDamaged;
    SalvageCount fromBackup;
    qint64 photos = 0;  // in the catalog after the repair (or as it is)
    qint64 albums = 0;
};

// Checks and, when damaged, repairs `<libraryDir>/catalog.sqlite`. A sound
// catalog is left byte for byte as it is. Throws CatalogError (with a
// sentence) when the catalog cannot be checked for another reason than
// damage, was made by a newer PhotoSearch, or FromBackup finds no copy: in
// each case before anything was moved.
RepairReport repairCatalog(const QString& libraryDir, RepairMode mode);

// Whether `e` says the catalog is damaged or no database (what repair is for).
bool isCatalogDamage(const CatalogError& e);

// After a repair that stopped between its two renames (only where the folder
// has no hard links, CatalogFiles.h): `catalogFile` is missing and the
// repaired catalog.repairing.sqlite beside it is whole. Puts it in place when
// it passes its check and no repair is still running; returns whether it
// did. Throws CatalogError while a repair holds it.
bool finishInterruptedRepair(const QString& catalogFile);

// `text` as one word for a POSIX shell: as it is when it needs no quoting,
// else in single quotes.
QString shellQuoted(const QString& text);

// The command a person runs to repair the library in `libraryDir`, ready to
// paste: "photosearch-cli repair --library DIR".
QString repairCommandLine(const QString& libraryDir);

} // namespace photosearch
