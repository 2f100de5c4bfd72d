#pragma once
// A model's id in the library: vectors from different models never mix, so
// every embedding row and every FAISS file carries it. Derived from the
// model directory's contents only, not its path or name: the same weights in
// another folder (Hugging Face names snapshot folders by commit) keep the id,
// other weights change it.

#include <QString>

namespace photosearch {

// "clip-<16 hex digits>", e.g. "clip-3f2a9c01b4de77a0".
// The digest covers config.json, preprocessor_config.json, the safetensors header (names, shapes,
// dtypes, offsets), the file size and samples of the weights, so computing it
// costs milliseconds even for gigabyte files. Throws clip::ModelError naming
// the file when the directory is not a readable model.
QString modelIdForDirectory(const QString& modelDir);

} // namespace photosearch
