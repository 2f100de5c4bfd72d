#pragma once
// Auto-albums: every tag that shows on at least kMinTagAlbumPhotos photos
// is an album of kind "tag". Which photos show a tag is the tags room's rule
// (index/tags/TagQueries.h: assigned by the library's model and not removed
// by a person, or confirmed by one; corrections win over the model).
//
// Not thread-safe: it uses its Catalog's connection.

#include <QString>

#include <vector>

namespace photosearch {

class Catalog;

// Below this a tag is too thin to be worth an album in the sidebar: one to
// four photos are a search result, not a collection.
constexpr int kMinTagAlbumPhotos = 5;

struct TagAlbum {
    QString name; // the tag
    qint64 count = 0;
};

// Tags with at least kMinTagAlbumPhotos photos, by name.
std::vector<TagAlbum> tagAlbums(const Catalog& catalog, const QString& modelId);

struct TagAlbumPhoto {
    qint64 photoId = 0;
    double score = 0; // 1 for a photo a person confirmed, else the tag's calibrated score
};

// The tag's photos, confirmed ones first, then best score first; empty when
// the tag is not an auto-album (unknown, or on fewer than
// kMinTagAlbumPhotos photos).
std::vector<TagAlbumPhoto> tagAlbumPhotos(const Catalog& catalog, const QString& modelId, const QString& tag);

} // namespace photosearch
