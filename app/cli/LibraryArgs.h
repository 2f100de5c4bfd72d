#pragma once
// What the library commands (index, search, similar, stats, tags, albums,
// duplicates...) share: which library, which model, which filters. Free of
// LibTorch (the quick search links it); the device is ComputeArgs.h.

#include "Catalog.h"
#include "CliArgs.h"
#include "PhotoFilter.h"

#include <QString>
#include <QStringList>

namespace photosearch::cli {

// Options every library command accepts.
QStringList libraryValueOptions();
// --after, --before, --folder, --format.
QStringList filterValueOptions();

// Create: index (made when missing). MustExist: the other writing commands
// (tag, tags --confirm/--remove/--clear, album train/add/remove/rename/delete).
// Read: search, similar, stats, classify, albums, album show, tags PATH,
// duplicates — they work on a read-only library.
enum class LibraryUse { Create, MustExist, Read };

// --library, else $PHOTOSEARCH_LIBRARY, else the default. `Create` makes it
// when missing (index); `MustExist` and `Read` refuse a folder without a
// catalog, so that a mistyped path is an error rather than an empty library.
// `Create` and `MustExist` refuse a read-only library (see
// libraryIsReadOnly) with a sentence. Throws std::runtime_error with a
// sentence when it is unusable.
QString openLibraryDir(const CliArgs& args, LibraryUse use);

// Whether `dir` is to be opened read-only: $PHOTOSEARCH_READ_ONLY=1 forces
// it (for backups one must not touch, and for tests: root ignores
// permission bits); otherwise when the folder or its catalog cannot be
// written. Read commands then open Catalog::Access::ReadOnly.
bool libraryIsReadOnly(const QString& dir);
Catalog::Access libraryAccess(const QString& dir);

// resolveLibraryModelDir (index/library/LibraryModel.h) with --model.
// Throws UsageError when none is known, and what requireModelFolder
// (CliArgs.h) throws.
QString resolveModelDir(const CliArgs& args, const Catalog& catalog);

// From --after/--before (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]), --folder and
// --format (comma-separated). UsageError for bad values.
PhotoFilter filterFromArgs(const CliArgs& args);

} // namespace photosearch::cli
