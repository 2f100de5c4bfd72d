#pragma once
// What a drag carries, as image files: used by the Classify panel and by the
// window for drops on the search field and the grid ("photos like this").
// Only file URLs of local files count; web URLs, text and other apps'
// private formats are ignored, since the encoder reads files.
//
// Thread rule: hasLocalImages() looks at the URLs' names only (no disk
// access), cheap enough for every drag-move on the GUI thread.
// localImagePaths(…, Skip) stats each file: call it once, at drop time.
// Expanding folders walks the disk and sniffs file contents: call
// expandImagePaths() (or localImagePaths(…, Expand)) on a worker thread.

#include <QString>
#include <QStringList>

class QMimeData;

namespace photosearch {

enum class DroppedFolders { Skip, Expand };

// How many images a dropped folder may bring in at most: a drop of a whole
// photo library on the panel would otherwise queue an hour of work.
constexpr int kDroppedImageCap = 500;

// Local paths of the file URLs, in drag order (files and folders alike).
QStringList localDropPaths(const QMimeData* mime);
// Whether the name says image (jpeg, png, webp, gif, bmp, tiff, heif, avif).
bool hasImageFileName(const QString& path);
// True when the drag holds at least one local file URL whose name says
// image (or, when folders are accepted, one that looks like a folder: a
// trailing slash or no extension). From the names alone: a drag may be
// accepted and then bring nothing, which the drop handles.
bool hasLocalImages(const QMimeData* mime, DroppedFolders folders = DroppedFolders::Skip);
// The image files the drag carries; with Expand, folders (recursively) add
// their image files, up to kDroppedImageCap.
QStringList localImagePaths(const QMimeData* mime, DroppedFolders folders = DroppedFolders::Skip);

struct ImageExpansion {
    QStringList images; // files first as given, then each folder's files in name order
    int leftOut = 0;    // images beyond the cap
    int notImages = 0;  // files given that are not images
};
// Files stay when their name or their first bytes say image; folders are
// walked (recursively, hidden files skipped). Disk: not on the GUI thread.
ImageExpansion expandImagePaths(const QStringList& paths, int cap = kDroppedImageCap);

} // namespace photosearch
