#pragma once
// What the model pages need to know from the disk, gathered in one blocking
// call each so that the pages can run it on a worker thread
// (QtConcurrent::run) and show the answer when it arrives: the GUI thread
// never reads the model folder itself.
// Thread rule: blocking; call off the GUI thread. Thread-safe (no state).

#include "ModelStore.h"

#include <QString>

#include <vector>

namespace photosearch {

// A known model's standing on this computer.
struct KnownModelState {
    QString repo;
    QString installedPath; // empty when not installed
    bool hasParts = false; // a cancelled or failed download left .part files
};

// An installed model as the model manager lists it.
struct InstalledModelRow {
    InstalledModel model;
    qint64 bytesOnDisk = 0;
    bool current = false; // the library's model
};

// One entry per knownModels() entry, in its order.
std::vector<KnownModelState> scanKnownModels();
// ModelStore::installed(), with sizes, and `currentModelDir` marked (compared
// by canonical path, so a symlinked or differently spelled folder matches).
std::vector<InstalledModelRow> scanInstalledModels(const QString& currentModelDir);
// The bytes of every file below `dir`.
qint64 folderBytes(const QString& dir);

// The answer of checking a folder the user picked (Import a model folder…).
struct FolderCheck {
    QString dir;
    QString modelId; // set when the folder is a model
    QString error;   // one sentence when it is not
};
FolderCheck checkModelFolder(const QString& dir);

} // namespace photosearch
