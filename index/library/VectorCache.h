#pragma once
// The FAISS file of a model, kept in step with the catalog: opened when it
// reflects the catalog's current generation, rebuilt from the catalog's
// embeddings when it is missing, stale or corrupt.

#include "VectorStore.h"

#include <QString>

#include <memory>

namespace photosearch {

class Catalog;

QString vectorStorePath(const QString& libraryDir, const QString& modelId);

// The lock an index run holds on the library (one writer at a time).
QString indexLockPath(const QString& libraryDir);
// Whether a live process (this one included) holds it; `pid` gets its id.
bool indexRunInProgress(const QString& libraryDir, qint64* pid = nullptr);

// `rebuiltBecause`, when given, is set to why the file was rebuilt (empty
// when it was loaded as is). A rebuilt store is saved at once, unless an
// index run is going on: the file would be stale again at once, and the
// run saves its own, or when the catalog is read-only (Catalog::isReadOnly).
std::unique_ptr<VectorStore> openVectorStore(const Catalog& catalog, const QString& libraryDir,
                                             const QString& modelId, int dimension,
                                             QString* rebuiltBecause = nullptr);

} // namespace photosearch
