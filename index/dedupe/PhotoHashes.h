#pragma once
// The perceptual hashes in the catalog (photos.phash, schema 3): what the
// duplicate finder reads and what the hash pass writes. The SQL lives here,
// on the catalog's connection, so the catalog does not grow a method per
// feature. The indexer writes phash through PhotoRecord like any other
// column; this file only reads hashes and fills in missing ones.
//
// Thread rule: the Catalog's (its thread only).

#include "DuplicateFinder.h"

#include <QString>

#include <vector>

namespace photosearch {

class Catalog;

// Ok photos with a hash, by path.
std::vector<HashedPhoto> hashedPhotos(const Catalog& catalog);

struct UnhashedPhoto {
    qint64 id = 0;
    QString path;
    QString contentHash; // the content the row describes
};

// Ok photos without a hash (indexed before schema 3), by path.
std::vector<UnhashedPhoto> unhashedPhotos(const Catalog& catalog);

// Stores the hash of `photo` if the row still describes that content (the
// file was not re-indexed with other content meanwhile). False otherwise.
bool storePerceptualHash(Catalog& catalog, const UnhashedPhoto& photo, quint64 hash);

} // namespace photosearch
