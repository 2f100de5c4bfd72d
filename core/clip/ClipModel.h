#pragma once
// The two CLIP towers with Hugging Face `get_image_features` /
// `get_text_features` semantics: the outputs are the projections, not
// normalised. Inference only; every method is const and thread-safe.

#include "ClipConfig.h"
#include "Compute.h"

#include <torch/types.h>

#include <functional>
#include <string>
#include <vector>

namespace clip {

// Which towers to read. A text search needs only the text tower (ViT-B/32:
// 63 M of 151 M parameters), an image only the vision tower; reading just
// that one is what makes a search start fast.
enum class Towers { Both, Text, Vision };

// Copy: the weights are read into memory of their own. InPlace: fp32 weights
// computed on the CPU stay in the file's read-only mapping (no copy, and the
// pages of the token table a query does not use are never read), which keeps
// the file mapped for the model's life: for short-lived processes, as a file
// truncated in place under a mapping faults its reader.
enum class WeightStorage { Copy, InPlace };

class ClipModel {
public:
    // Reads `config.json` and `model.safetensors` from a Hugging Face CLIP
    // directory; the weights of towers not asked for are neither read nor
    // checked. Throws ModelError naming the file (and tensor) on any problem.
    static ClipModel load(const std::string& modelDir, const ComputeOptions& compute, Towers towers = Towers::Both,
                          WeightStorage storage = WeightStorage::Copy);

    // The same architecture with random weights; for benchmarks and tests.
    static ClipModel random(const ClipConfig& config, const ComputeOptions& compute, uint64_t seed = 0);

    const ClipConfig& config() const { return config_; }
    const ComputeOptions& compute() const { return compute_; }
    // exp(logit_scale): the factor applied to cosine similarities.
    double logitScale() const { return logitScale_; }
    bool hasTextTower() const { return towers_ != Towers::Vision; }
    bool hasVisionTower() const { return towers_ != Towers::Text; }

    // pixels: [B, C, S, S] preprocessed images (any device/float dtype).
    // Returns [B, projectionDim] float32 on the CPU. Throws std::logic_error
    // when the vision tower was not loaded.
    torch::Tensor encodeImages(const torch::Tensor& pixels) const;

    // Token ids with start and end tokens, at most maxPositions each. The
    // tower runs only up to the end token (the causal mask makes later tokens
    // irrelevant). Returns [B, projectionDim] float32 on the CPU. Throws
    // std::invalid_argument on an empty or over-long sequence or an id
    // outside the vocabulary, std::logic_error when the text tower was not
    // loaded.
    torch::Tensor encodeTokens(const std::vector<std::vector<int64_t>>& ids) const;

    // Index of the token whose state is the text embedding: the first end
    // token, as transformers does (argmax of ids for legacy eos id 2).
    int64_t pooledIndex(const std::vector<int64_t>& ids) const;

private:
    struct Layer {
        torch::Tensor ln1Weight, ln1Bias;
        torch::Tensor qkvWeight, qkvBias; // q, k and v projections stacked
        torch::Tensor outWeight, outBias;
        torch::Tensor ln2Weight, ln2Bias;
        torch::Tensor fc1Weight, fc1Bias;
        torch::Tensor fc2Weight, fc2Bias;
    };
    struct Tower {
        std::vector<Layer> layers;
        torch::Tensor finalLnWeight, finalLnBias; // post_layernorm / final_layer_norm
        torch::Tensor projection;
    };
    using WeightSource = std::function<torch::Tensor(const std::string& name, const std::vector<int64_t>& shape)>;

    static ClipModel build(const ClipConfig& config, const ComputeOptions& compute, const WeightSource& source,
                           Towers towers = Towers::Both);
    void buildText(const WeightSource& get);
    void buildVision(const WeightSource& get);
    static Tower loadTower(const std::string& prefix, const TowerConfig& config, const WeightSource& source,
                           const std::string& finalLnName, const std::string& projectionName, int64_t projectionDim);

    // One pre-norm transformer block. When `keep` is defined ([B] row
    // indices), only those rows are computed and returned as [B, 1, D]: the
    // last block needs no other output.
    torch::Tensor runLayer(const Layer& layer, const TowerConfig& config, torch::Tensor x,
                           const torch::Tensor& mask, const torch::Tensor& keep) const;
    torch::Tensor runTower(const Tower& tower, const TowerConfig& config, torch::Tensor x,
                           const torch::Tensor& mask, const torch::Tensor& lastMask, const torch::Tensor& keep) const;

    ClipConfig config_;
    ComputeOptions compute_;
    Towers towers_ = Towers::Both;
    double logitScale_ = 0;
    Tower text_;
    Tower vision_;
    torch::Tensor tokenEmbedding_, textPositions_;
    torch::Tensor patchWeight_, classEmbedding_, visionPositions_, preLnWeight_, preLnBias_;
};

} // namespace clip
