#pragma once
// What the library commands (index, search, similar, stats) share: which
// library, which model, which device, which filters.

#include "CliArgs.h"
#include "Compute.h"
#include "PhotoFilter.h"

#include <QString>
#include <QStringList>

namespace photosearch {
class Catalog;
}

namespace photosearch::cli {

// Options every library command accepts.
QStringList libraryValueOptions();
// --after, --before, --folder, --format.
QStringList filterValueOptions();

enum class LibraryUse { Create, MustExist };

// --library, else $PHOTOSEARCH_LIBRARY, else the default. `Create` makes it
// when missing (index); `MustExist` refuses a folder without a catalog, so
// that a mistyped path is an error rather than an empty library. Throws
// std::runtime_error with a sentence when it is unusable.
QString openLibraryDir(const CliArgs& args, LibraryUse use);

// resolveLibraryModelDir (index/library/LibraryModel.h) with --model.
// Throws UsageError when none is known, and what requireModelFolder
// (CliArgs.h) throws.
QString resolveModelDir(const CliArgs& args, const Catalog& catalog);

// From --device / --dtype; UsageError for bad values.
clip::ComputeOptions computeFromArgs(const CliArgs& args);

// From --after/--before (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]), --folder and
// --format (comma-separated). UsageError for bad values.
PhotoFilter filterFromArgs(const CliArgs& args);

} // namespace photosearch::cli
