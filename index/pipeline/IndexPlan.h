#pragma once
// What an index run has to do, from a scan and the catalog: which files to
// read, which failures the scanner already found, which catalog rows lost
// their file, and what moves and copies the workers may recognise.

#include "ContentMatcher.h"
#include "FolderScanner.h"
#include "PhotoRecord.h"

#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace photosearch {

class Catalog;

struct IndexJob {
    ScannedFile file;
    // The catalog row at this path, or the row of a RAW twin this file takes
    // over (see planIndex); the file is written into it (same id, this path).
    std::optional<PhotoRecord> existing;
    // `existing` is a photo with this model's vector: if the file's hash
    // still matches (only its mtime changed: a restored backup, a copy
    // without times), nothing is decoded or encoded again.
    bool existingEmbedded = false;
};

struct IndexPlan {
    std::vector<IndexJob> jobs;        // files to read (new, changed, or lacking this model's vector)
    std::vector<PhotoRecord> problems; // rows to write as failures, without reading the file
    std::vector<qint64> missing;       // rows whose file is gone: removed unless a move claims them
    std::unique_ptr<ContentMatcher> matcher = std::make_unique<ContentMatcher>();
    qint64 unchanged = 0;
    // Nothing under these is taken as deleted: roots that could not be read
    // or came back empty although the catalog has photos there (an
    // unmounted drive leaves an empty mount point), folders that could not
    // be listed.
    QStringList missingRoots;
    QStringList unreadableFolders;
};

// Roots by their real path: the same folder reached through a link or
// spelled differently must not look like a new set of photos.
QStringList canonicalRoots(const QStringList& roots);

// `roots` as given to scanFolders (canonical). A cancelled scan plans no
// removals. A RAW with a JPEG/HEIF twin in the scan is not planned (see
// RawTwins.h), unless the twin failed (a scan problem, or a Failed row for
// the file as it is): then the RAW is indexed on its own. A row the RAW had alone goes to its twin
// when the twin has none (the twin's job gets it as `existing`: same id, new
// path); otherwise it is planned as missing.
IndexPlan planIndex(const ScanResult& scan, const QStringList& roots, const Catalog& catalog,
                    const QString& modelId);

} // namespace photosearch
