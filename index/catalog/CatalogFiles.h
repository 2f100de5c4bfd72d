#pragma once
// File operations on catalog.sqlite and its copies, shared by the backups
// (CatalogBackup.h) and the repair (CatalogRepair.h): each keeps a file whole
// or leaves it as it was.

#include <QString>

namespace photosearch {

// What is at the catalog's path, told before anything opens it: SQLite (and
// open(2) for the use lock) would hang on a FIFO, read zeros from
// /dev/zero or report a folder as a disk I/O error.
enum class CatalogFileKind { Missing, Empty, Regular };

// The kind of `file` (a symbolic link counts as what it points to; a
// dangling one as missing). Throws CatalogError with one sentence when it is
// a folder or not a regular file (FIFO, device, socket).
CatalogFileKind requireCatalogFileKind(const QString& file);

// fsync of a file or a folder by name; false with errno set on failure.
bool syncPath(const QString& path, bool directory);

// rename(2); false with errno set on failure.
bool renamePath(const QString& from, const QString& to);

// Removes `path` and the -wal, -shm and -journal SQLite may leave beside it;
// quietly (missing files are no error).
void removeWithSideFiles(const QString& path);

// Puts `replacement` in the place of `file` and keeps `file`, with its -wal
// and -shm (its WAL must never meet the new file), as `aside` (a name that
// does not exist yet). The side files go first and `file` is replaced by
// one rename after a hard link named `aside`, so `file` always names a
// whole catalog: a crash at any point leaves the old file or the new one
// there. Where the folder has no hard links (FAT) `file` is renamed to
// `aside` first, so a crash between the two renames leaves only
// `replacement` (finishInterruptedRepair, CatalogRepair.h, puts it back).
// Throws CatalogError when a rename fails, after undoing the ones done.
void replaceKeepingAside(const QString& replacement, const QString& file, const QString& aside);

} // namespace photosearch
