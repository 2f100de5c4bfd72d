#pragma once
// Writing a Hugging Face CLIP model directory from tensors held in memory:
// model.safetensors, config.json, preprocessor_config.json, and a CLIP-format
// tokenizer (vocab.json + merges.txt) made of the 512 byte symbols, the given
// merges and the two special tokens last. Shared by the tiny random model
// (TinyModel.h) and the trained shapes model (ShapesClip.h), so that the
// file formats are written in one place.

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace photosearch::testmodel {

struct NamedTensor {
    std::string name;
    std::vector<int64_t> shape;
    std::vector<float> data; // row-major
};

// F32 safetensors: 8-byte little-endian header length, JSON header (names
// sorted, padded to 8 bytes as the reference writer does), raw data.
QByteArray safetensorsBytes(std::vector<NamedTensor> tensors);

// A BPE merge: two symbols in the byte→unicode alphabet ("c", "at</w>").
using Merge = std::pair<std::string, std::string>;

// CLIP's vocabulary order: 256 byte symbols, their `</w>` forms, one token a
// merge, then <|startoftext|> and <|endoftext|>. Ids: 512 + merges.size()
// is the start token, one more the end token.
QByteArray clipVocabJson(const std::vector<Merge>& merges);
QByteArray clipMergesTxt(const std::vector<Merge>& merges);

struct TowerSpec {
    int hidden = 32;
    int intermediate = 128;
    int layers = 2;
    int heads = 2;
};

struct ClipSpec {
    TowerSpec text;
    TowerSpec vision;
    int mergeCount = 0; // vocabulary = 512 + mergeCount + 2
    int positions = 77;
    int imageSize = 64;
    int patchSize = 16;
    int projection = 16;
    double logitScaleInit = 2.6592;
    int vocabulary() const { return 512 + mergeCount + 2; }
    int startId() const { return 512 + mergeCount; }
    int endId() const { return 512 + mergeCount + 1; }
};

// config.json for quick_gelu towers; the text tower pools at the end token.
QByteArray clipConfigJson(const ClipSpec& spec);
// preprocessor_config.json: resize and crop to imageSize, CLIP mean/std.
QByteArray clipPreprocessorJson(int imageSize);

// Writes through QSaveFile, so a crash never leaves a half-written file.
bool writeFileAtomically(const QString& path, const QByteArray& bytes, QString* error);

} // namespace photosearch::testmodel
