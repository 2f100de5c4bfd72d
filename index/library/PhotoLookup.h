#pragma once
// A path as a person types it (relative, through a link, a RAW whose JPEG
// twin is the photo) → the library's photo. Every command that takes a PATH
// of a library photo (tags, album add, text) asks here.

#include <QString>

#include <optional>

namespace photosearch {

class Catalog;

// The photo's id: the path as typed (absolute and clean), then resolved
// (photos are stored under roots with their links resolved); for a camera
// RAW with a JPEG/HEIF twin beside it (index/scan/RawTwins.h), the twin's.
// Empty when the library has none of these.
std::optional<qint64> photoIdForPath(const Catalog& catalog, const QString& path);

} // namespace photosearch
