#pragma once
// Where the library (catalog.sqlite, vector caches) lives: --library DIR,
// else $PHOTOSEARCH_LIBRARY, else the per-user application data directory.

#include <QString>

namespace photosearch {

class LibraryLocation {
public:
    // `explicitDir` is the --library value (empty when not given).
    static QString resolve(const QString& explicitDir = {});

    // Creates the directory when missing. Returns false and fills `error`
    // with a sentence for the user when it cannot be created or written.
    static bool ensureWritable(const QString& dir, QString* error);
};

} // namespace photosearch
