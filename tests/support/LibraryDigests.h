#pragma once
// What a library folder holds, for tests that check a command changed nothing.

#include <QByteArray>
#include <QMap>
#include <QString>

namespace photosearch::testlibrary {

// The SHA-256 of every file the library keeps (the catalog, its WAL, the
// FAISS caches), by name. SQLite's shared-memory index is no data, and a
// reader may make an empty WAL (a folder that can be written, forced
// read-only), so those are left out, as is index.lock.
QMap<QString, QByteArray> libraryDigests(const QString& dir);

} // namespace photosearch::testlibrary
