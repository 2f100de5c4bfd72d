#pragma once
// A small CLIP that the test suite trains itself on the shapes world
// (ShapesWorld.h), so that search, tagging and classification tests can check
// that answers are right, not only that they come back. Trained with the CLIP
// paper's symmetric contrastive loss (InfoNCE over image→text and text→image
// with a learnable temperature) and written as a Hugging Face CLIP directory
// that ClipEncoder loads like any downloaded model.
//
// What it learns (tests/core/test_shapes_clip.cpp): colours, near perfectly
// (zero-shot accuracy ~0.99 on held-out scenes). Shapes are NOT learned yet
// (accuracy at chance); suites should rely on colour only.
//
// The trainable forward below mirrors core/clip/ClipModel (pre-LN ViT,
// quick_gelu, causal text mask, pooling at the first end token, projections
// without bias); the test suite checks that both give the same embeddings.
// The tokenizer is CLIP's format with merges that make every word of the
// captions and of the prompt templates a single token; other words fall back
// to the byte symbols. Training tokenizes with the project's ClipTokenizer
// reading those very files, so ids cannot drift between training and use.

// LibTorch before Qt (Qt's keywords break LibTorch headers).
#include <torch/torch.h>

#include "ClipDirWriter.h"
#include "ClipTokenizer.h"
#include "ImagePreprocessor.h"
#include "ShapesWorld.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace photosearch::shapes {

struct ClipArchitecture {
    int textWidth = 64;
    int textLayers = 2;
    int textHeads = 4;
    int visionWidth = 64;
    int visionLayers = 2;
    int visionHeads = 4;
    int imageSize = 64;
    int patchSize = 8;
    int projection = 64;
    int positions = 77;
};

// The words that are one token each (caption words, prompt-template words).
QStringList tokenWords();
// Merges in rank order making each of tokenWords() one token under BPE.
const std::vector<testmodel::Merge>& tokenizerMerges();
int vocabularySize(); // 512 byte symbols + merges + the two special tokens
// vocab.json and merges.txt into `dir` (which must exist).
bool writeTokenizer(const QString& dir, QString* error);

class TrainableClip {
public:
    // Weights initialised as transformers initialises a fresh CLIPModel,
    // from LibTorch's generator seeded with `seed`.
    TrainableClip(const ClipArchitecture& architecture, uint64_t seed);

    const ClipArchitecture& architecture() const { return arch_; }

    // Projections (not normalised), [B, projection], with autograd unless
    // the caller holds a NoGradGuard. Ids as ClipTokenizer::encode gives them.
    torch::Tensor encodeTokens(const std::vector<std::vector<int64_t>>& ids) const;
    // pixels: [B, 3, imageSize, imageSize], preprocessed.
    torch::Tensor encodeImages(const torch::Tensor& pixels) const;
    // The learnable log of the logit scale (CLIP's temperature).
    const torch::Tensor& logLogitScale() const { return parameter("logit_scale"); }

    // Every weight under its Hugging Face name, in a fixed order.
    const std::vector<std::pair<std::string, torch::Tensor>>& parameters() const { return ordered_; }
    const torch::Tensor& parameter(const std::string& name) const { return byName_.at(name); }

    // config.json, preprocessor_config.json and model.safetensors into `dir`
    // (which must exist); with writeTokenizer() a complete model directory.
    bool save(const QString& dir, QString* error) const;

private:
    void add(const std::string& name, torch::Tensor value);
    void addLayers(const std::string& prefix, int width, int layers);
    torch::Tensor layer(const std::string& prefix, torch::Tensor x, int heads, const torch::Tensor& mask) const;
    torch::Tensor tower(const std::string& prefix, torch::Tensor x, int layers, int heads,
                        const torch::Tensor& mask) const;

    ClipArchitecture arch_;
    std::vector<std::pair<std::string, torch::Tensor>> ordered_;
    std::unordered_map<std::string, torch::Tensor> byName_;
};

struct TrainOptions {
    uint64_t seed = 20240601;
    int scenes = 4000;   // rendered training pictures, each seen about 8 times
    int steps = 500;
    int batch = 64;      // 8 families of 8 scenes (one a shape)
    double learningRate = 2e-3;
    double weightDecay = 0.1;
    int threads = 2;     // CI runs two tests at once on two cores
    ClipArchitecture architecture;
    std::function<void(const QString&)> log; // progress lines; may be empty
};

struct TrainReport {
    double renderSeconds = 0;
    double trainSeconds = 0;
    double firstLoss = 0;
    double lastLoss = 0;   // mean of the last 20 steps
    double logitScale = 0; // exp of the learned log scale
};

// Trains `model` in place. The same options give the same model as far as
// LibTorch's CPU kernels are deterministic (fixed thread count).
TrainReport train(TrainableClip& model, const ClipTokenizer& tokenizer, const ImagePreprocessor& preprocessor,
                  const TrainOptions& options);

// A scene as the app would see it: rendered at renderPx, JPEG-compressed and
// decoded, then preprocessed. [3, S, S].
torch::Tensor scenePixels(const Scene& scene, const ImagePreprocessor& preprocessor, int renderPx = 128,
                          int jpegQuality = 90);

// What the stamp file of a finished model directory holds for `options`.
QString fixtureVersion(const TrainOptions& options);
QString stampFileName(); // "shapes-clip.stamp"

// Trains and writes the model directory `dir` unless it already holds one
// with a matching stamp (then `reused` is set and nothing is done). The
// directory is built beside `dir` and renamed into place, so an interrupted
// run never leaves a half-written model under that name.
bool makeShapesClip(const QString& dir, const TrainOptions& options, QString* error, bool* reused = nullptr,
                    TrainReport* report = nullptr);

} // namespace photosearch::shapes
