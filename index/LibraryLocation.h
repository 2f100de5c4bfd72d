#pragma once
// Where the library (catalog.sqlite, vector caches) lives: --library DIR,
// else $PHOTOSEARCH_LIBRARY, else the per-user application data directory.

#include "Catalog.h"

#include <QString>

namespace photosearch {

class LibraryLocation {
public:
    // `explicitDir` is the --library value (empty when not given).
    static QString resolve(const QString& explicitDir = {});

    // Creates the directory when missing. Returns false and fills `error`
    // with a sentence for the user when it cannot be created or written.
    static bool ensureWritable(const QString& dir, QString* error);

    // Whether the library in `dir` is to be used read-only, by the CLI and
    // the window alike: $PHOTOSEARCH_READ_ONLY=1 forces it, and a folder or
    // catalog the process cannot write implies it (a read-only mount, a
    // shared library). Nothing is then written there, not even caches.
    static bool isReadOnly(const QString& dir);

    // How to open the catalog in `dir`: read-only exactly when isReadOnly.
    static Catalog::Access catalogAccess(const QString& dir);
};

} // namespace photosearch
