#pragma once
// The shape of a CLIP model, read from a Hugging Face `config.json`. Missing
// fields take the defaults of transformers' CLIPTextConfig/CLIPVisionConfig
// (which are ViT-B/32's), as the reference implementation does.

#include <cstdint>
#include <string>

namespace clip {

class Json;

enum class Activation { QuickGelu, Gelu, GeluTanh };

struct TowerConfig {
    int64_t hidden = 0;
    int64_t intermediate = 0;
    int64_t layers = 0;
    int64_t heads = 0;
    double layerNormEps = 1e-5;
    Activation activation = Activation::QuickGelu;
};

struct TextConfig : TowerConfig {
    int64_t vocabSize = 49408;
    int64_t maxPositions = 77;
    int64_t bosTokenId = 49406;
    int64_t eosTokenId = 49407;
};

struct VisionConfig : TowerConfig {
    int64_t imageSize = 224;
    int64_t patchSize = 32;
    int64_t channels = 3;
    int64_t gridSize() const { return imageSize / patchSize; }
    int64_t tokens() const { return gridSize() * gridSize() + 1; }
};

struct ClipConfig {
    TextConfig text;
    VisionConfig vision;
    int64_t projectionDim = 512;
    double logitScaleInit = 2.6592;

    // Throws ModelError naming `path` when the file is unreadable, is not
    // JSON, or describes an impossible model.
    static ClipConfig fromFile(const std::string& path);
    static ClipConfig fromJson(const Json& json, const std::string& where);

    // The ViT-B/32 shape (openai/clip-vit-base-patch32), used by benchmarks.
    static ClipConfig vitB32();
};

} // namespace clip
