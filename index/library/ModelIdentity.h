#pragma once
// A model's id in the library: vectors from different models never mix, so
// every embedding row and every FAISS file carries it. Derived from the
// model directory's contents, not its path: moving the directory keeps the
// id, replacing the weights changes it.

#include <QString>

namespace photosearch {

// "<directory name>-<12 hex digits>", e.g. "clip-vit-base-patch32-3f2a9c01b4de".
// The digest covers config.json, the safetensors header (names, shapes,
// dtypes, offsets), the file size and samples of the weights, so computing it
// costs milliseconds even for gigabyte files. Throws clip::ModelError naming
// the file when the directory is not a readable model.
QString modelIdForDirectory(const QString& modelDir);

} // namespace photosearch
