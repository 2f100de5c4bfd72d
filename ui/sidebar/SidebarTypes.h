#pragma once
// Values the sidebar's browse worker hands to the GUI thread (queued
// signals) and the sidebar hands to whoever shows a collection: what the
// sidebar lists, and which collection of photos an entry stands for.
// Plain values, copied across threads; no thread rule.

#include "AlbumStore.h"

#include <QMetaType>
#include <QString>

#include <vector>

namespace photosearch {

// One entry of the sidebar as a request for its photos. `key` names the
// entry within its kind: a folder's absolute path, a tag, an album's name,
// or (DuplicateGroup) the path of the group's first photo — groups have no
// stable id, so a group is found again by one of its members.
struct CollectionRequest {
    enum class Kind { None, Folder, Tag, Album, DuplicateGroup, AllDuplicates };
    Kind kind = Kind::None;
    QString key;

    bool isValid() const { return kind != Kind::None; }
    bool operator==(const CollectionRequest& o) const { return kind == o.kind && key == o.key; }
    bool operator!=(const CollectionRequest& o) const { return !(*this == o); }
};

struct FolderEntry {
    QString path; // absolute, clean
    qint64 photos = 0;
};

struct TagAlbumEntry {
    QString tag;
    qint64 photos = 0;
};

struct AlbumEntry {
    QString name;
    AlbumKind kind = AlbumKind::Manual; // Manual or FewShot
    qint64 photos = 0;
};

struct DuplicateGroupEntry {
    QString firstPath; // the group's key (CollectionRequest::key)
    int size = 0;      // photos in the group, at least two
};

struct SidebarContents {
    std::vector<FolderEntry> folders;        // by path
    std::vector<TagAlbumEntry> tagAlbums;    // by tag
    std::vector<AlbumEntry> albums;          // stored albums, by name
    std::vector<DuplicateGroupEntry> duplicateGroups; // largest first
};

} // namespace photosearch

Q_DECLARE_METATYPE(photosearch::CollectionRequest)
Q_DECLARE_METATYPE(photosearch::SidebarContents)
