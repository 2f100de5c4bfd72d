#pragma once
// Reads what the sidebar lists and the photos behind one of its entries
// from the catalog, with the calls the CLI uses (AlbumLibrary, TagAlbums,
// DuplicateFinder), so that the window and `photosearch-cli albums` /
// `duplicates` always agree.
//
// Collections come back shaped like search results (SearchResults) so that
// the grid shows them unchanged: folders newest first, albums in album
// order (a few-shot album: marked-in photos first, then the probe's ranking
// with its probabilities as scores), tags best score first.
//
// Not thread-safe: it uses the caller's Catalog (one per thread). Throws
// AlbumError (unknown album) and CatalogError.

#include "Catalog.h"
#include "DuplicateFinder.h"
#include "LibraryTypes.h"
#include "SidebarTypes.h"

#include <QString>

#include <unordered_map>
#include <vector>

namespace photosearch {

class CollectionReader {
public:
    // `modelId`: the library's model (tags and few-shot probes are per
    // model); empty when the library has none.
    CollectionReader(Catalog& catalog, const QString& modelId);

    // Gives a perceptual hash first to photos indexed before hashes were
    // kept (the duplicates pass of the CLI), so the groups are complete.
    SidebarContents contents();
    SearchResults read(const CollectionRequest& request);

private:
    std::vector<DuplicateGroup> duplicateGroups();
    const PhotoRecord* photo(qint64 id);
    SearchHit hit(qint64 id, double score);
    SearchResults folder(const QString& path);
    SearchResults tag(const QString& tag);
    SearchResults album(const QString& name);
    SearchResults duplicates(const QString& memberPath);

    Catalog& catalog_;
    QString modelId_;
    // Every photo by id, read once per reader: one query instead of one per hit.
    std::unordered_map<qint64, PhotoRecord> photos_;
    bool photosRead_ = false;
};

} // namespace photosearch
