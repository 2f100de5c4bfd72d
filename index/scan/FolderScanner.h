#pragma once
// Finds the photos under a set of folders. A file is a candidate when its
// content looks like a supported image, or its name says it should be one
// (a broken `.jpg` is reported as a failure, not silently ignored).
// Hidden and system folders are skipped unless asked; symbolic links are
// followed, but no directory is visited twice, so link loops end; a link into
// a kernel pseudo file system (/proc, /sys, ...) or through a procfs magic
// link (/proc/self/root) is not followed, so a scan stays in the photo tree.

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <vector>

namespace photosearch {

struct ScannedFile {
    QString path;        // absolute, cleaned
    qint64 size = 0;
    qint64 mtimeMs = 0;
    QString problem;     // non-empty: cannot be indexed, and why (one sentence)
};

struct ScanResult {
    std::vector<ScannedFile> files;
    QStringList missingRoots; // roots that do not exist or cannot be read
    // Folders below a root that could not be listed (permissions, I/O
    // errors): what the catalog has under them must not be taken as deleted.
    QStringList unreadableFolders;
    bool cancelled = false;
};

struct ScanOptions {
    bool includeHidden = false;
    // Called now and then with the number of files found so far.
    std::function<void(qint64 found)> progress;
    const std::atomic_bool* cancel = nullptr;
};

// Files in path order within each root; a file reachable from two roots or
// through two links is listed once (the first path seen).
ScanResult scanFolders(const QStringList& roots, const ScanOptions& options = {});

// Whether the name ends with an extension of a supported image format
// (camera RAW extensions included).
bool hasImageExtension(const QString& fileName);

// A name from the file system as the catalog records it: decoded as UTF-8,
// except that a byte which is not part of valid UTF-8 is written \xHH (and
// a backslash in such a name \x5c), so that stats and the window show which
// bytes the name holds and two such names stay apart. Qt cannot open a
// file by such a name; the scanner reports it instead (ScannedFile::problem).
QString fileSystemName(const QByteArray& raw);

} // namespace photosearch
