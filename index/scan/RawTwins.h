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
// rawTwinsOf and developedTwinOf, which list one folder; any thread.

#include "FolderScanner.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <vector>

namespace photosearch {

// Whether the name is one a RAW's developed twin has (JPEG or HEIF).
bool hasDevelopedTwinExtension(const QString& fileName);

// The RAW files among `files` that have a JPEG/HEIF twin among them, each
// with that twin (the first in `files` order when there are several). The
// index plan leaves these RAWs out, unless their twin cannot be read (see
// planIndex).
QHash<QString, QString> rawFilesWithTwins(const std::vector<ScannedFile>& files);

// The RAW files on disk that are twins of the photo at `photoPath` (a
// JPEG/HEIF), absolute and sorted; empty for any other photo. For the
// window's "files of this photo": the photo itself plus these.
QStringList rawTwinsOf(const QString& photoPath);

// The JPEG/HEIF twin on disk of the RAW at `rawPath`, absolute (the first
// by name when there are several); empty for a RAW without one and for any
// other file. Lists one folder. For commands given a RAW's path: a twinned
// RAW is not in the catalog itself, its photo is the twin.
QString developedTwinOf(const QString& rawPath);

} // namespace photosearch
