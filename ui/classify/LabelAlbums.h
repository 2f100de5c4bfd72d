#pragma once
// Files classified images into manual albums named after their labels, in
// the library's catalog (index/albums). Only photos the library holds can
// be in an album: the others are counted and skipped, not refused, so one
// dropped file from outside the library does not stop the rest.
//
// Thread rule: opens its own Catalog connection, so call it on one worker
// thread (the ClassifyService's), never on the GUI thread.

#include "ClassifyTypes.h"

namespace photosearch {

AlbumFiling fileIntoLabelAlbums(const QString& libraryDir, const QList<AlbumAssignment>& assignments);

} // namespace photosearch
