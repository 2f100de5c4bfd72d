#pragma once
// A folder tree of photos the library tests generate: every supported
// format, EXIF orientations and dates, hidden folders, a symlink loop and
// every kind of bad input the indexer must survive.

#include <QString>
#include <QStringList>

namespace photosearch::testlib {

struct GeneratedLibrary {
    QString root;          // the folder to index
    QStringList good;      // files that must index (absolute paths)
    QStringList bad;       // files that must be recorded as failures
    QStringList maybe;     // truncated files: indexed or failed, never a crash
    QStringList skipped;   // image files that must not be seen (hidden)
    QStringList dated;     // JPEGs taken 2019-06-01, 2021-06-01, 2023-06-01
    QString orientedPortrait; // orientation-6 JPEG stored 400x300, shown 300x400
    QStringList unavailableFormats; // formats this machine cannot write (skipped)
};

// `photoCount` plain JPEGs plus the fixed set of other files.
GeneratedLibrary generateLibrary(const QString& root, int photoCount);

// Deletes a tree by raw names (QDir cannot name the non-UTF-8 file it holds).
void removeTree(const QString& root);

// A tiny CLIP model directory: the shared fixture when ../shared was present
// at configure time, else a random one (TinyModel.h) written once per
// process into a temporary directory. Empty only when that cannot be written.
QString tinyClipDir();

} // namespace photosearch::testlib
