// The sidebar's "Folders" from the photos' paths (see LibraryFolders.h):
// top-most folders directly holding Ok photos, with their photo counts.
// Thread rule: pure functions on values, any thread; no disk access.

#include "LibraryFolders.h"

#include <QFileInfo>

#include <set>

namespace photosearch {

bool isUnderFolder(const QString& path, const QString& folder)
{
    if (!path.startsWith(folder))
        return false;
    // "/a/bc" is not below "/a/b"; "/" ends in a separator already.
    return path.size() == folder.size() || folder.endsWith(QLatin1Char('/')) || path.at(folder.size()) == QLatin1Char('/');
}

std::vector<FolderEntry> libraryFolders(const std::vector<PhotoRecord>& photos)
{
    std::set<QString> parents; // sorted, so a folder comes right before what lies below it
    for (const PhotoRecord& p : photos)
        if (p.status == PhotoStatus::Ok)
            parents.insert(QFileInfo(p.path).path());

    std::vector<FolderEntry> folders;
    for (const QString& parent : parents) {
        // "/a" sorts before "/a/b" but "/a b" sorts between them; checking
        // every kept folder keeps this right whatever lies in between.
        bool below = false;
        for (const FolderEntry& kept : folders)
            below = below || isUnderFolder(parent, kept.path);
        if (!below)
            folders.push_back(FolderEntry{parent, 0});
    }
    for (const PhotoRecord& p : photos) {
        if (p.status != PhotoStatus::Ok)
            continue;
        for (FolderEntry& f : folders)
            if (isUnderFolder(p.path, f.path)) {
                ++f.photos;
                break;
            }
    }
    return folders;
}

} // namespace photosearch
