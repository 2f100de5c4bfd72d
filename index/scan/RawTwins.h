#pragma once
// Camera RAW + JPEG/HEIF pairs ("twins"): a camera set to RAW+JPEG writes
// IMG_0001.CR2 and IMG_0001.JPG for one shot. They are one photo: only the
// JPEG/HEIF is indexed (it is what the camera rendered, and decodes fast);
// the RAW is listed with it. A RAW whose twin is gone is indexed on its own.
//
// Twins are told by name only (no file is opened): same folder, same base
// name (the name before the last dot, compared exactly), a RAW extension on
// one (see hasRawExtension) and .jpg/.jpeg/.jpe/.jfif/.heic/.heif/.hif on
// the other, extensions in any case. Thread rule: pure functions, except
// rawTwinsOf, which lists one folder; any thread.

#include "FolderScanner.h"

#include <QSet>
#include <QString>
#include <QStringList>

#include <vector>

namespace photosearch {

// Whether the name is one a RAW's developed twin has (JPEG or HEIF).
bool hasDevelopedTwinExtension(const QString& fileName);

// The RAW files among `files` that have a JPEG/HEIF twin among them: the
// index plan leaves these out (and so drops their rows, if they were
// indexed alone before the twin appeared).
QSet<QString> rawFilesWithTwins(const std::vector<ScannedFile>& files);

// The RAW files on disk that are twins of the photo at `photoPath` (a
// JPEG/HEIF), absolute and sorted; empty for any other photo. For the
// window's "files of this photo": the photo itself plus these.
QStringList rawTwinsOf(const QString& photoPath);

} // namespace photosearch
