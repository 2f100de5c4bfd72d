#pragma once
// The library's folders ("roots"): the folders the user added, kept as a JSON
// list in the catalog's "library.roots" setting so that the window can watch
// them and re-index them (a model switch) without asking again. Index runs do
// not record them themselves: whoever starts a run for a new folder (the
// window) adds it here. Absolute, cleaned paths, as the user chose them.
//
// Functions over a Catalog: the caller's thread rule (one Catalog per thread).

#include <QString>
#include <QStringList>

namespace photosearch {

class Catalog;

QStringList libraryRoots(const Catalog& catalog);
// No effect when the root (cleaned) is in the list already.
void addLibraryRoot(Catalog& catalog, const QString& root);
void removeLibraryRoot(Catalog& catalog, const QString& root);

// Removes every photo (indexed or failed) under `root`, at any depth and by
// any of its spellings (folderSpellings), with its embeddings, tags and album
// entries, in one transaction. Returns how many. Throws CatalogError. The
// caller holds the index lock: a run must not write rows meanwhile.
qint64 removePhotosUnder(Catalog& catalog, const QString& root);

} // namespace photosearch
