#pragma once
// The CLIP models the app offers to download, read from the compiled-in
// resource `:/photosearch/models/known-models.json` (resources/models/).
// Each names its Hugging Face repo, the revision that holds safetensors
// weights (not always `main`: openai/clip-vit-base-patch32 keeps its
// safetensors conversion at `refs/pr/66`), the files to fetch, and
// optionally pinned SHA-256 digests and an approximate size for display.
// Thread-safe (immutable after the first read).

#include <QHash>
#include <QString>
#include <QStringList>

#include <vector>

namespace photosearch {

struct KnownModel {
    QString repo;          // "openai/clip-vit-base-patch32"
    QString revision;      // "refs/pr/66", "main"
    QString name;          // "ViT-B/32"
    QString description;   // one line for the first-run page
    qint64 approxBytes = 0; // for "about 600 MB" before the server says the exact size
    bool recommended = false;
    QStringList files;     // config.json, model.safetensors, vocab.json, merges.txt, preprocessor_config.json
    QHash<QString, QString> pinnedSha256; // file → lower-case hex, when known
};

// In the resource's order, the recommended one first.
const std::vector<KnownModel>& knownModels();
// Null when `repo` is not a known model.
const KnownModel* findKnownModel(const QString& repo);

} // namespace photosearch
