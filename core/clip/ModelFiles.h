#pragma once
// The one gate every reader of a model folder goes through (config.json,
// model.safetensors, vocab.json, merges.txt, preprocessor_config.json): a
// file there that is a symbolic link resolving outside the folder (say
// model.safetensors -> /etc/passwd, or -> ../other-model/...) is refused, so
// that a downloaded or shared model folder cannot make the app read, hash or
// show anything outside it. Links inside the folder are fine.
//
// One exception, because it is how Hugging Face stores what it downloads:
// in a hub cache snapshot (<repo>/snapshots/<revision>/file ->
// ../../blobs/<sha>) links into that repository's own blobs/ folder are
// inside the model too.
//
// Thread rule: stateless; any thread. Reads only file-system metadata.
#include <string>

namespace clip {

// `dir`/`name`, checked: throws ModelError (one sentence naming the file and
// where it points) when the file resolves outside `dir`, or when it is not a
// regular file (a FIFO there would block its reader for ever). A missing file, or
// a missing folder, passes unchanged so that the caller reports it as missing.
std::string modelFilePath(const std::string& dir, const std::string& name);

} // namespace clip
