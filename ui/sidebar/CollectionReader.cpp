// Reading the sidebar's contents and one entry's photos (see
// CollectionReader.h) with the CLI's own calls, shaped as SearchResults.
// Thread rule: uses the caller's Catalog, so it runs on the caller's thread
// (BrowseWorker's browse thread in the window).

#include "CollectionReader.h"

#include "AlbumLibrary.h"
#include "HashBackfill.h"
#include "LibraryFolders.h"
#include "PhotoHashes.h"
#include "TagAlbums.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QtDebug>

#include <algorithm>

namespace photosearch {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("CollectionReader", text);
}

// What a date filter compares, as SearchEngine fills SearchHit::time.
QDateTime photoTime(const PhotoRecord& p)
{
    return p.takenAt.isValid() ? p.takenAt : QDateTime::fromMSecsSinceEpoch(p.mtimeMs).toLocalTime();
}

} // namespace

CollectionReader::CollectionReader(Catalog& catalog, const QString& modelId)
    : catalog_(catalog)
    , modelId_(modelId)
{
}

const PhotoRecord* CollectionReader::photo(qint64 id)
{
    if (!photosRead_) {
        for (PhotoRecord& p : catalog_.photos())
            if (p.status == PhotoStatus::Ok)
                photos_.emplace(p.id, std::move(p));
        photosRead_ = true;
    }
    const auto it = photos_.find(id);
    return it == photos_.end() ? nullptr : &it->second;
}

SearchHit CollectionReader::hit(qint64 id, double score)
{
    const PhotoRecord* p = photo(id);
    return p ? SearchHit{id, p->path, float(score), photoTime(*p)} : SearchHit{};
}

std::vector<DuplicateGroup> CollectionReader::duplicateGroups()
{
    HashBackfillCallbacks callbacks;
    callbacks.warn = [](const QString& message) { qWarning("%s", qPrintable(message)); };
    try {
        computeMissingHashes(catalog_, callbacks);
    } catch (const CatalogError& e) {
        // An index run holding the catalog only delays the old photos'
        // hashes: the groups of the hashed ones are still right.
        qWarning("duplicates: hashes not filled in this time: %s", e.what());
    }
    return DuplicateFinder().groups(hashedPhotos(catalog_));
}

SidebarContents CollectionReader::contents()
{
    SidebarContents c;
    c.folders = libraryFolders(catalog_.photos());
    // AlbumLibrary::list is the CLI's `albums`: stored albums, and tags with
    // at least kMinTagAlbumPhotos photos that no stored album shadows.
    for (const AlbumSummary& s : AlbumLibrary(catalog_, modelId_).list()) {
        if (s.kind == AlbumKind::Tag)
            c.tagAlbums.push_back(TagAlbumEntry{s.name, s.count});
        else
            c.albums.push_back(AlbumEntry{s.name, s.kind, s.count});
    }
    for (const DuplicateGroup& g : duplicateGroups())
        c.duplicateGroups.push_back(DuplicateGroupEntry{g.members.front().path, int(g.members.size())});
    return c;
}

SearchResults CollectionReader::read(const CollectionRequest& request)
{
    SearchResults r;
    switch (request.kind) {
    case CollectionRequest::Kind::Folder: r = folder(request.key); break;
    case CollectionRequest::Kind::Tag: r = tag(request.key); break;
    case CollectionRequest::Kind::Album: r = album(request.key); break;
    case CollectionRequest::Kind::DuplicateGroup: r = duplicates(request.key); break;
    case CollectionRequest::Kind::AllDuplicates: r = duplicates({}); break;
    case CollectionRequest::Kind::None: break;
    }
    // A photo removed since the album was written has no record: left out.
    r.hits.erase(std::remove_if(r.hits.begin(), r.hits.end(), [](const SearchHit& h) { return h.id == 0; }),
                 r.hits.end());
    photo(0); // make sure the count below is read
    r.indexedPhotos = qint64(photos_.size());
    return r;
}

SearchResults CollectionReader::folder(const QString& path)
{
    SearchResults r;
    r.description = tr("Folder “%1”").arg(QDir::toNativeSeparators(path));
    photo(0);
    for (const auto& [id, p] : photos_)
        if (isUnderFolder(p.path, path))
            r.hits.push_back(hit(id, 0));
    std::sort(r.hits.begin(), r.hits.end(), [](const SearchHit& a, const SearchHit& b) {
        return a.time != b.time ? a.time > b.time : a.path < b.path;
    });
    return r;
}

SearchResults CollectionReader::tag(const QString& tag)
{
    SearchResults r;
    r.description = tr("Album “%1” (photos tagged %1)").arg(tag);
    for (const TagAlbumPhoto& p : tagAlbumPhotos(catalog_, modelId_, tag))
        r.hits.push_back(hit(p.photoId, p.score));
    return r;
}

SearchResults CollectionReader::album(const QString& name)
{
    AlbumLibrary albums(catalog_, modelId_);
    const AlbumSummary summary = albums.summary(name);
    SearchResults r;
    r.description = summary.kind == AlbumKind::FewShot ? tr("Few-shot album “%1”").arg(summary.name)
                                                        : tr("Album “%1”").arg(summary.name);
    for (const AlbumPhoto& p : albums.show(name))
        r.hits.push_back(hit(p.photoId, p.score));
    return r;
}

// Every group, one after another (largest first), or the one holding `memberPath`.
SearchResults CollectionReader::duplicates(const QString& memberPath)
{
    SearchResults r;
    const std::vector<DuplicateGroup> groups = duplicateGroups();
    for (const DuplicateGroup& g : groups) {
        const bool wanted = memberPath.isEmpty() || std::any_of(g.members.begin(), g.members.end(), [&](const HashedPhoto& m) {
                                return m.path == memberPath;
                            });
        if (!wanted)
            continue;
        for (const HashedPhoto& m : g.members)
            r.hits.push_back(hit(m.id, 1));
        if (!memberPath.isEmpty()) {
            r.description = tr("Near-duplicates of %1").arg(QFileInfo(g.members.front().path).fileName());
            return r;
        }
    }
    r.description = memberPath.isEmpty() ? (groups.size() == 1 ? tr("Near-duplicates: 1 group")
                                                                : tr("Near-duplicates: %1 groups").arg(groups.size()))
                                         : tr("These near-duplicates are no longer a group");
    return r;
}

} // namespace photosearch
