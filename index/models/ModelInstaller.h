#pragma once
// The last step of a download: the staged folder (every file fetched and
// verified) becomes the installed model folder with directory renames on one
// file system, so that a reader sees either the old model or the new one,
// never a mix. An older install is moved aside only after the new one is
// known to load, and deleted only after the new one is in place.
// Blocking: loading the staged model reads it, and replacing an older
// install deletes that folder (up to 1.7 GB); run both off the GUI thread
// (ModelDownloader does, with runOffThread). Any thread.

#include <QString>

namespace photosearch {

// "" when `staging` loads as a CLIP model directory, else the reason
// (ModelError's sentence). Reads the files: run it off the GUI thread.
QString checkStagedModel(const QString& staging);

// Moves `staging` to `finalDir`, replacing an older `finalDir`. False with
// `error` (one sentence) when a rename fails; an older install then stays.
// A `<folder>.old` left beside `staging` by an install that stopped between
// its renames is deleted first.
bool installStaged(const QString& staging, const QString& finalDir, QString* error);

} // namespace photosearch
