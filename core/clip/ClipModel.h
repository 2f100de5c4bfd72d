#pragma once
// The two CLIP towers in LibTorch, with Hugging Face `get_image_features` /
// `get_text_features` semantics: the outputs are the projections, not
// normalised. Inference only; every method is const and thread-safe. The
// TowerEngine behind which fp32/bf16 CPU and CUDA run (TowerEngine.h).

#include "ClipConfig.h"
#include "Compute.h"
#include "TowerEngine.h"

#include <torch/types.h>

#include <functional>
#include <string>
#include <vector>

namespace clip {

class ClipModel final : public TowerEngine {
public:
    // Reads `config.json` and `model.safetensors` from a Hugging Face CLIP
    // directory; the weights of towers not asked for are neither read nor
    // checked. Throws ModelError naming the file (and tensor) on any problem.
    static ClipModel load(const std::string& modelDir, const ComputeOptions& compute, Towers towers = Towers::Both,
                          WeightStorage storage = WeightStorage::Copy);

    // The same architecture with random weights; for benchmarks and tests.
    static ClipModel random(const ClipConfig& config, const ComputeOptions& compute, uint64_t seed = 0);

    const ClipConfig& config() const override { return config_; }
    const ComputeOptions& compute() const override { return compute_; }
    double logitScale() const override { return logitScale_; }
    bool hasTextTower() const override { return towers_ != Towers::Vision; }
    bool hasVisionTower() const override { return towers_ != Towers::Text; }

    torch::Tensor encodeImages(const torch::Tensor& pixels) const override;
    // The tower runs only up to the end token (the causal mask makes later
    // tokens irrelevant).
    torch::Tensor encodeTokens(const std::vector<std::vector<int64_t>>& ids) const override;
    // On the CPU in bf16: the text tower with bf16 products, sharing the
    // embedding tables and layer norms. Its compute() is this engine's
    // (textDtype() still says fp32): its weights say what it runs in.
    std::unique_ptr<TowerEngine> textTowerForBatches() const override;

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
    // One block's keys and values over a token prefix that a batch of texts
    // shares: [1, heads, P, headDim] each.
    struct PrefixKv {
        torch::Tensor k, v;
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
    // last block needs no other output. `past` prepends a shared prefix's
    // keys and values (the mask then covers P + len columns); `save`
    // receives this block's own.
    torch::Tensor runLayer(const Layer& layer, const TowerConfig& config, torch::Tensor x,
                           const torch::Tensor& mask, const torch::Tensor& keep, const PrefixKv* past = nullptr,
                           PrefixKv* save = nullptr) const;
    torch::Tensor runTower(const Tower& tower, const TowerConfig& config, torch::Tensor x,
                           const torch::Tensor& mask, const torch::Tensor& lastMask, const torch::Tensor& keep,
                           const std::vector<PrefixKv>& past = {}) const;
    // Token and position embeddings of `rows` equal-length rows of token
    // ids laid end to end, the first at position `from`: [rows, len, D].
    torch::Tensor textInput(const std::vector<int64_t>& flat, int64_t rows, int64_t from) const;
    // The text tower's causal mask for `len` tokens after `from` tokens of
    // shared prefix: [1, 1, len, from + len].
    torch::Tensor causalMask(int64_t len, int64_t from) const;
    // The text tower over the first `length` tokens of `ids`, keeping each
    // block's keys and values.
    std::vector<PrefixKv> runTextPrefix(const std::vector<int64_t>& ids, int64_t length) const;
    // The text tower over tokens [shared, pooled] of each row, after the
    // prefix `past` of `shared` tokens (none when 0).
    torch::Tensor runTextRows(const std::vector<std::vector<int64_t>>& ids, const std::vector<int64_t>& pooled,
                              int64_t shared, const std::vector<PrefixKv>& past) const;

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
