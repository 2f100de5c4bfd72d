#pragma once
// What `photosearch-cli repair` does to a library's catalog.sqlite: check it,
// and when it is damaged build a sound one from what can still be read
// (CatalogSalvage.h) and from the newest good copy (CatalogBackup.h).
// Nothing is deleted: the damaged file, with its -wal and -shm, is renamed
// to catalog.damaged-<yyyyMMdd-HHmmss>.sqlite beside it.
//
// The caller makes sure nothing else writes the library meanwhile (the CLI
// holds the index lock) and removes the vector caches afterwards: they may
// reflect rows the repaired catalog no longer has.

#include "CatalogSalvage.h"

#include <QString>

namespace photosearch {

class CatalogError;

enum class RepairMode {
    Auto,       // what the damaged file still gives, gaps filled from the newest good copy
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

} // namespace photosearch
