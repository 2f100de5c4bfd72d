#pragma once
// The per-user model folder shared by the window and the CLI:
// $PHOTOSEARCH_MODELS when set, else
// QStandardPaths::GenericDataLocation + "/photosearch/models"
// (~/.local/share/photosearch/models), independent of the app's name so
// that photosearch and photosearch-cli see the same models.
//
// Layout: one folder per repo, "openai--clip-vit-base-patch32" (the
// Hugging Face cache's spelling), holding the model's files; downloads in
// progress live under ".partial/<folder>/" (locked by ".partial/<folder>.lock",
// an older install being replaced is moved to ".partial/<folder>.old") and
// are never listed.
// Reading is cheap (headers only) but touches the disk: call it off the GUI
// thread. Thread-safe (no state).

#include <QString>

#include <optional>
#include <vector>

namespace photosearch {

struct InstalledModel {
    QString id;   // modelIdForDirectory (ModelIdentity.h)
    QString name; // the known model's name ("ViT-B/32"), else the folder name
    QString repo; // "openai/clip-vit-base-patch32" when known, else empty
    QString path; // absolute
    int dim = 0;  // projection_dim
};

class ModelStore {
public:
    // The folder above; created on first install, not by this call.
    static QString root();
    // "openai/clip-vit-base-patch32" → root()/openai--clip-vit-base-patch32
    static QString folderFor(const QString& repo);
    static QString partialFolderFor(const QString& repo);
    // The lock a download of `repo` holds for its whole run (a QLockFile
    // beside the partial folder, not in it: the folder is renamed into place
    // at the end). Two downloaders of one repo would otherwise append to the
    // same .part files.
    static QString lockFileFor(const QString& repo);
    // Deletes what a cancelled or failed download of `repo` left behind:
    // the partial folder and an older install moved aside (`<folder>.old`).
    // False with `error` (one sentence) when a download of `repo` is running
    // or the files cannot be removed. Blocking: call off the GUI thread.
    static bool discardPartial(const QString& repo, QString* error);
    // Every complete model folder under root() that loads as a CLIP model
    // directory, by name. Folders that do not are skipped (logged).
    static std::vector<InstalledModel> installed();
    // The installed model at `repo`'s folder, if complete.
    static std::optional<InstalledModel> installedRepo(const QString& repo);
    // Removes an installed model's folder. False with `error` (one sentence)
    // when it cannot be removed.
    static bool remove(const QString& path, QString* error);
};

} // namespace photosearch
