#include "TagAlbums.h"

#include "TagQueries.h"

#include <algorithm>

namespace photosearch {

std::vector<TagAlbum> tagAlbums(const Catalog& catalog, const QString& modelId)
{
    std::vector<TagAlbum> out;
    for (const TagCount& t : tagCounts(catalog, modelId))
        if (t.photos >= kMinTagAlbumPhotos)
            out.push_back(TagAlbum{t.tag, t.photos});
    std::sort(out.begin(), out.end(), [](const TagAlbum& a, const TagAlbum& b) { return a.name < b.name; });
    return out;
}

std::vector<TagAlbumPhoto> tagAlbumPhotos(const Catalog& catalog, const QString& modelId, const QString& tag)
{
    std::vector<TagAlbumPhoto> out;
    for (const TaggedPhoto& p : photosWithTag(catalog, modelId, tag))
        out.push_back(TagAlbumPhoto{p.photoId, p.confirmed ? 1.0 : p.score.value_or(1.0)});
    if (int(out.size()) < kMinTagAlbumPhotos)
        out.clear();
    return out;
}

} // namespace photosearch
