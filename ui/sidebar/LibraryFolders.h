#pragma once
// The folders the sidebar lists under "Folders", derived from the photos'
// paths: the catalog does not keep the roots an index run was given, so a
// library folder here is a top-most folder that directly holds indexed
// photos (every folder with photos that is not below another such folder).
// For a library indexed from ~/Pictures with photos in ~/Pictures itself
// that is exactly the root; a root holding only subfolders shows as those.
//
// Pure functions on values: any thread.

#include "PhotoRecord.h"
#include "SidebarTypes.h"

#include <vector>

namespace photosearch {

// Ok photos only, counted at any depth; by path.
std::vector<FolderEntry> libraryFolders(const std::vector<PhotoRecord>& photos);

// True when `path` is `folder` itself or below it (both absolute, clean).
bool isUnderFolder(const QString& path, const QString& folder);

} // namespace photosearch
