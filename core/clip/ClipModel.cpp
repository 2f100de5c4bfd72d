#include "ClipModel.h"

#include "ModelError.h"
#include "ModelFiles.h"
#include "SafeTensors.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>

#if TORCH_VERSION_MAJOR >= 2
#define PHOTOSEARCH_HAS_SDPA 1
#endif

namespace clip {

namespace {

torch::Tensor activate(torch::Tensor h, Activation activation)
{
    switch (activation) {
    case Activation::QuickGelu:
        return h.mul_(torch::sigmoid(h * 1.702));
    case Activation::Gelu:
        return torch::gelu(h);
    case Activation::GeluTanh:
        return torch::gelu(h, "tanh");
    }
    return h;
}

torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        const torch::Tensor& mask)
{
#ifdef PHOTOSEARCH_HAS_SDPA
    // Two calls rather than one with an optional: the optional type changed
    // between LibTorch 2.x releases (c10::optional, then std::optional).
    return mask.defined() ? at::scaled_dot_product_attention(q, k, v, mask) : at::scaled_dot_product_attention(q, k, v);
#else
    const double scale = 1.0 / std::sqrt(double(q.size(-1)));
    torch::Tensor scores = torch::matmul(q * scale, k.transpose(-2, -1));
    if (mask.defined())
        scores.add_(mask);
    return torch::matmul(torch::softmax(scores, -1), v);
#endif
}

bool endsWith(const std::string& s, const std::string& tail)
{
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Hugging Face names CLIP's layer norms three ways: layer_norm1/2,
// pre_layrnorm, post_layernorm / final_layer_norm.
bool isLayerNorm(const std::string& name)
{
    return name.find("layer_norm") != std::string::npos || name.find("layrnorm") != std::string::npos
           || name.find("layernorm") != std::string::npos;
}

// Layer norms and the embedding tables live in the residual stream's dtype;
// everything else (projections, biases, the patch embedding) feeds a matrix
// product and takes its tower's product dtype. The forward pass reads each
// tower's product dtype back from its weights.
torch::ScalarType weightDtype(const std::string& name, const ComputeOptions& compute)
{
    const bool table = endsWith(name, "token_embedding.weight") || endsWith(name, "position_embedding.weight")
                       || endsWith(name, "class_embedding");
    if (isLayerNorm(name) || table)
        return compute.residualDtype();
    const bool text = name.compare(0, 11, "text_model.") == 0 || name == "text_projection.weight";
    return text ? compute.textDtype() : compute.dtype;
}

// The stored fp32 tensor wrapped where it lies in the mapping, keeping the
// file open; nullopt where it needs converting, checking (a wrong shape: the
// copying load names it) or is misaligned for its type.
std::optional<torch::Tensor> inPlace(const std::shared_ptr<const SafeTensorsFile>& file, const std::string& name,
                                     const std::vector<int64_t>& shape)
{
    const auto it = file->tensors().find(name);
    if (it == file->tensors().end() || it->second.dtype != "F32" || it->second.end == it->second.begin
        || (!shape.empty() && it->second.shape != shape))
        return std::nullopt;
    const uint8_t* bytes = file->data(it->second);
    if (reinterpret_cast<uintptr_t>(bytes) % alignof(float) != 0)
        return std::nullopt;
    // Never written: every use of a weight in this file reads it.
    return torch::from_blob(const_cast<uint8_t*>(bytes), it->second.shape, [file](void*) {},
                            torch::TensorOptions().dtype(torch::kFloat32));
}

} // namespace

ClipModel ClipModel::load(const std::string& modelDir, const ComputeOptions& compute, Towers towers,
                          WeightStorage storage)
{
    const ClipConfig config = ClipConfig::fromFile(modelFilePath(modelDir, "config.json"));
    const auto shared = std::make_shared<const SafeTensorsFile>(modelFilePath(modelDir, "model.safetensors"));
    const SafeTensorsFile& file = *shared;
    const bool mapped = storage == WeightStorage::InPlace && compute.device.is_cpu();
    return build(config, compute, [&](const std::string& name, const std::vector<int64_t>& shape) {
        // transformers falls back to the config's initial value, as we do.
        if (name == "logit_scale") {
            if (!file.contains(name))
                return torch::tensor(config.logitScaleInit, torch::kDouble);
            // Stored as a scalar, sometimes as [1]: any shape holding one value.
            const torch::Tensor t = file.load(name, {}, torch::kFloat32);
            if (t.numel() != 1)
                throw ModelError("Model weights " + file.path() + ", tensor 'logit_scale' has shape "
                                 + shapeToString(file.tensors().at(name).shape) + "; expected a single value.");
            return t;
        }
        if (mapped && weightDtype(name, compute) == torch::kFloat32)
            if (std::optional<torch::Tensor> t = inPlace(shared, name, shape))
                return *t;
        // Convert on the CPU in fp32 first: stacking and scaling stay exact,
        // and the device copy happens once per tensor.
        return file.load(name, shape, torch::kFloat32);
    }, towers);
}

std::unique_ptr<TowerEngine> openTowers(const std::string& modelDir, const ComputeOptions& compute, Towers towers,
                                        WeightStorage storage)
{
    return std::make_unique<ClipModel>(ClipModel::load(modelDir, compute, towers, storage));
}

ClipModel ClipModel::random(const ClipConfig& config, const ComputeOptions& compute, uint64_t seed)
{
    torch::manual_seed(seed);
    return build(config, compute, [](const std::string& name, const std::vector<int64_t>& shape) {
        if (isLayerNorm(name))
            return endsWith(name, "weight") ? torch::ones(shape) : torch::zeros(shape);
        if (name == "logit_scale")
            return torch::full(shape, 4.6052);
        return torch::randn(shape) * 0.02;
    });
}

ClipModel::Tower ClipModel::loadTower(const std::string& prefix, const TowerConfig& c, const WeightSource& get,
                                      const std::string& finalLnName, const std::string& projectionName,
                                      int64_t projectionDim)
{
    const int64_t d = c.hidden;
    const int64_t i = c.intermediate;
    Tower t;
    for (int64_t l = 0; l < c.layers; ++l) {
        const std::string p = prefix + "encoder.layers." + std::to_string(l) + ".";
        Layer L;
        L.ln1Weight = get(p + "layer_norm1.weight", {d});
        L.ln1Bias = get(p + "layer_norm1.bias", {d});
        L.qkvWeight = torch::cat({get(p + "self_attn.q_proj.weight", {d, d}), get(p + "self_attn.k_proj.weight", {d, d}),
                                  get(p + "self_attn.v_proj.weight", {d, d})});
        L.qkvBias = torch::cat({get(p + "self_attn.q_proj.bias", {d}), get(p + "self_attn.k_proj.bias", {d}),
                                get(p + "self_attn.v_proj.bias", {d})});
        L.outWeight = get(p + "self_attn.out_proj.weight", {d, d});
        L.outBias = get(p + "self_attn.out_proj.bias", {d});
        L.ln2Weight = get(p + "layer_norm2.weight", {d});
        L.ln2Bias = get(p + "layer_norm2.bias", {d});
        L.fc1Weight = get(p + "mlp.fc1.weight", {i, d});
        L.fc1Bias = get(p + "mlp.fc1.bias", {i});
        L.fc2Weight = get(p + "mlp.fc2.weight", {d, i});
        L.fc2Bias = get(p + "mlp.fc2.bias", {d});
        t.layers.push_back(std::move(L));
    }
    t.finalLnWeight = get(finalLnName + ".weight", {d});
    t.finalLnBias = get(finalLnName + ".bias", {d});
    t.projection = get(projectionName, {projectionDim, d});
    return t;
}

ClipModel ClipModel::build(const ClipConfig& config, const ComputeOptions& compute, const WeightSource& source,
                          Towers towers)
{
    c10::InferenceMode guard;
    auto get = [&](const std::string& name, const std::vector<int64_t>& shape) {
        return source(name, shape).to(compute.device, weightDtype(name, compute)).contiguous();
    };
    ClipModel m;
    m.config_ = config;
    m.compute_ = compute;
    m.towers_ = towers;
    if (m.hasTextTower())
        m.buildText(get);
    if (m.hasVisionTower())
        m.buildVision(get);
    m.logitScale_ = std::exp(source("logit_scale", {}).item<double>());
    return m;
}

void ClipModel::buildText(const WeightSource& get)
{
    const TextConfig& tc = config_.text;
    tokenEmbedding_ = get("text_model.embeddings.token_embedding.weight", {tc.vocabSize, tc.hidden});
    textPositions_ = get("text_model.embeddings.position_embedding.weight", {tc.maxPositions, tc.hidden});
    text_ = loadTower("text_model.", tc, get, "text_model.final_layer_norm", "text_projection.weight",
                      config_.projectionDim);
}

void ClipModel::buildVision(const WeightSource& get)
{
    const VisionConfig& vc = config_.vision;
    classEmbedding_ = get("vision_model.embeddings.class_embedding", {vc.hidden});
    patchWeight_ = get("vision_model.embeddings.patch_embedding.weight",
                       {vc.hidden, vc.channels, vc.patchSize, vc.patchSize})
                       .reshape({vc.hidden, vc.channels * vc.patchSize * vc.patchSize});
    visionPositions_ = get("vision_model.embeddings.position_embedding.weight", {vc.tokens(), vc.hidden});
    preLnWeight_ = get("vision_model.pre_layrnorm.weight", {vc.hidden});
    preLnBias_ = get("vision_model.pre_layrnorm.bias", {vc.hidden});
    vision_ = loadTower("vision_model.", vc, get, "vision_model.post_layernorm", "visual_projection.weight",
                        config_.projectionDim);
}

torch::Tensor ClipModel::runLayer(const Layer& w, const TowerConfig& c, torch::Tensor x, const torch::Tensor& mask,
                                  const torch::Tensor& keep, const PrefixKv* past, PrefixKv* save) const
{
    const int64_t b = x.size(0);
    const int64_t len = x.size(1);
    const int64_t d = c.hidden;
    const int64_t heads = c.heads;
    const int64_t hd = d / heads;

    const torch::ScalarType product = w.qkvWeight.scalar_type(); // .to() is a no-op where it is the residual's
    torch::Tensor h = torch::layer_norm(x, {d}, w.ln1Weight, w.ln1Bias, c.layerNormEps).to(product);
    torch::Tensor q, k, v;
    if (!keep.defined()) {
        torch::Tensor qkv = torch::linear(h, w.qkvWeight, w.qkvBias).view({b, len, 3, heads, hd}).permute({2, 0, 3, 1, 4});
        q = qkv[0];
        k = qkv[1];
        v = qkv[2];
    } else {
        torch::Tensor kv = torch::linear(h, w.qkvWeight.narrow(0, d, 2 * d), w.qkvBias.narrow(0, d, 2 * d))
                               .view({b, len, 2, heads, hd})
                               .permute({2, 0, 3, 1, 4});
        k = kv[0];
        v = kv[1];
        const torch::Tensor rows = torch::arange(b, keep.options());
        h = h.index({rows, keep}).unsqueeze(1);
        x = x.index({rows, keep}).unsqueeze(1);
        q = torch::linear(h, w.qkvWeight.narrow(0, 0, d), w.qkvBias.narrow(0, 0, d))
                .view({b, 1, heads, hd})
                .transpose(1, 2);
    }
    if (save)
        *save = {k, v};
    if (past) {
        k = torch::cat({past->k.expand({b, -1, -1, -1}), k}, 2);
        v = torch::cat({past->v.expand({b, -1, -1, -1}), v}, 2);
    }
    torch::Tensor a = attention(q, k, v, mask).transpose(1, 2).reshape({b, -1, d});
    x = x + torch::linear(a, w.outWeight, w.outBias);
    h = torch::layer_norm(x, {d}, w.ln2Weight, w.ln2Bias, c.layerNormEps).to(product);
    h = activate(torch::linear(h, w.fc1Weight, w.fc1Bias), c.activation);
    return x.add_(torch::linear(h, w.fc2Weight, w.fc2Bias));
}

torch::Tensor ClipModel::runTower(const Tower& t, const TowerConfig& c, torch::Tensor x, const torch::Tensor& mask,
                                  const torch::Tensor& lastMask, const torch::Tensor& keep,
                                  const std::vector<PrefixKv>& past) const
{
    const size_t n = t.layers.size();
    auto pastAt = [&past](size_t l) { return past.empty() ? nullptr : &past[l]; };
    for (size_t l = 0; l + 1 < n; ++l)
        x = runLayer(t.layers[l], c, x, mask, {}, pastAt(l));
    x = runLayer(t.layers[n - 1], c, x, lastMask, keep, pastAt(n - 1)).squeeze(1);
    x = torch::layer_norm(x, {c.hidden}, t.finalLnWeight, t.finalLnBias, c.layerNormEps).to(t.projection.scalar_type());
    return torch::linear(x, t.projection).to(torch::kCPU, torch::kFloat32);
}

torch::Tensor ClipModel::encodeImages(const torch::Tensor& pixels) const
{
    if (!hasVisionTower())
        throw std::logic_error("encodeImages needs the vision tower, which this model was loaded without");
    const VisionConfig& vc = config_.vision;
    if (pixels.dim() != 4 || pixels.size(1) != vc.channels || pixels.size(2) != vc.imageSize
        || pixels.size(3) != vc.imageSize)
        throw std::invalid_argument("encodeImages expects [B, " + std::to_string(vc.channels) + ", "
                                    + std::to_string(vc.imageSize) + ", " + std::to_string(vc.imageSize) + "] pixels");
    c10::InferenceMode guard;
    const int64_t b = pixels.size(0);
    if (b == 0)
        return torch::empty({0, config_.projectionDim});
    const int64_t slice = compute_.imagesPerPass();
    if (slice > 0 && b > slice) {
        std::vector<torch::Tensor> parts;
        for (int64_t i = 0; i < b; i += slice)
            parts.push_back(encodeImages(pixels.narrow(0, i, std::min(slice, b - i))));
        return torch::cat(parts);
    }
    const int64_t g = vc.gridSize();
    const int64_t p = vc.patchSize;
    const int64_t d = vc.hidden;
    // A stride-P convolution with a PxP kernel is one matrix product over
    // the flattened patches.
    torch::Tensor patches = pixels.to(compute_.device, patchWeight_.scalar_type())
                                .reshape({b, vc.channels, g, p, g, p})
                                .permute({0, 2, 4, 1, 3, 5})
                                .reshape({b, g * g, vc.channels * p * p});
    torch::Tensor x = torch::matmul(patches, patchWeight_.t()).to(compute_.residualDtype());
    x = torch::cat({classEmbedding_.view({1, 1, d}).expand({b, 1, d}), x}, 1) + visionPositions_;
    x = torch::layer_norm(x, {d}, preLnWeight_, preLnBias_, vc.layerNormEps);
    const torch::Tensor keep = torch::zeros({b}, torch::TensorOptions().dtype(torch::kLong).device(compute_.device));
    return runTower(vision_, vc, x, {}, {}, keep);
}

std::unique_ptr<TowerEngine> ClipModel::textTowerForBatches() const
{
    if (!hasTextTower() || compute_.textDtype() == compute_.dtype || !runsNatively(compute_.device, compute_.dtype))
        return nullptr;
    c10::InferenceMode guard;
    auto products = [this](const torch::Tensor& t) { return t.to(compute_.dtype).contiguous(); };
    auto m = std::make_unique<ClipModel>();
    m->config_ = config_;
    m->compute_ = compute_;
    m->towers_ = Towers::Text;
    m->logitScale_ = logitScale_;
    m->tokenEmbedding_ = tokenEmbedding_;
    m->textPositions_ = textPositions_;
    m->text_ = text_; // layer norms shared; the products' weights replaced below
    for (Layer& l : m->text_.layers) {
        for (torch::Tensor* t : {&l.qkvWeight, &l.qkvBias, &l.outWeight, &l.outBias, &l.fc1Weight, &l.fc1Bias,
                                 &l.fc2Weight, &l.fc2Bias})
            *t = products(*t);
    }
    m->text_.projection = products(text_.projection);
    return m;
}

int64_t ClipModel::pooledIndex(const std::vector<int64_t>& ids) const
{
    const int64_t eos = config_.text.eosTokenId;
    if (eos == 2) {
        // Checkpoints from before transformers knew the eos id pool at the
        // highest id, which was the end token in the original vocabulary.
        return int64_t(std::max_element(ids.begin(), ids.end()) - ids.begin());
    }
    for (size_t i = 0; i < ids.size(); ++i)
        if (ids[i] == eos)
            return int64_t(i);
    return 0; // what transformers' argmax yields when there is no end token
}

torch::Tensor ClipModel::encodeTokens(const std::vector<std::vector<int64_t>>& ids) const
{
    if (!hasTextTower())
        throw std::logic_error("encodeTokens needs the text tower, which this model was loaded without");
    const TextConfig& tc = config_.text;
    const int64_t b = int64_t(ids.size());
    if (b == 0)
        return torch::empty({0, config_.projectionDim});
    std::vector<int64_t> pooled(size_t(b), 0);
    for (int64_t i = 0; i < b; ++i) {
        const auto& seq = ids[size_t(i)];
        if (seq.empty() || int64_t(seq.size()) > tc.maxPositions)
            throw std::invalid_argument("a token sequence must have 1 to " + std::to_string(tc.maxPositions) + " ids");
        for (int64_t id : seq)
            if (id < 0 || id >= tc.vocabSize)
                throw std::invalid_argument("token id " + std::to_string(id) + " is outside the vocabulary");
        pooled[size_t(i)] = pooledIndex(seq);
    }
    // Texts that start alike (a prompt template's "a photo of a" before each
    // label) share those tokens' states: the causal mask keeps them blind to
    // what follows. They run once, and each row only from where it differs;
    // a tag vocabulary is then about half the work. Each row keeps its
    // pooled token.
    int64_t shared = 0;
    if (b > 1) {
        shared = *std::min_element(pooled.begin(), pooled.end());
        for (int64_t i = 1; i < b && shared > 0; ++i)
            shared = std::mismatch(ids[0].begin(), ids[0].begin() + shared, ids[size_t(i)].begin()).first - ids[0].begin();
    }
    c10::InferenceMode guard;
    const std::vector<PrefixKv> past = shared > 0 ? runTextPrefix(ids[0], shared) : std::vector<PrefixKv>{};
    return runTextRows(ids, pooled, shared, past);
}

torch::Tensor ClipModel::textInput(const std::vector<int64_t>& flat, int64_t rows, int64_t from) const
{
    const int64_t len = int64_t(flat.size()) / rows;
    const torch::Tensor tokenIds =
        torch::from_blob(const_cast<int64_t*>(flat.data()), {rows * len}, torch::kLong).to(compute_.device);
    return tokenEmbedding_.index_select(0, tokenIds).view({rows, len, config_.text.hidden})
           + textPositions_.narrow(0, from, len);
}

torch::Tensor ClipModel::causalMask(int64_t len, int64_t from) const
{
    // Row i sits at position from + i and sees the columns up to there (a
    // shared prefix's columns come first).
    const auto maskOpts = torch::TensorOptions().dtype(text_.projection.scalar_type()).device(compute_.device);
    return torch::full({len, from + len}, -std::numeric_limits<double>::infinity(), maskOpts)
        .triu(from + 1)
        .view({1, 1, len, from + len});
}

std::vector<ClipModel::PrefixKv> ClipModel::runTextPrefix(const std::vector<int64_t>& ids, int64_t length) const
{
    torch::Tensor x = textInput(std::vector<int64_t>(ids.begin(), ids.begin() + length), 1, 0);
    const torch::Tensor mask = causalMask(length, 0);
    std::vector<PrefixKv> kv(text_.layers.size());
    for (size_t l = 0; l < text_.layers.size(); ++l)
        x = runLayer(text_.layers[l], config_.text, x, mask, {}, nullptr, &kv[l]);
    return kv;
}

torch::Tensor ClipModel::runTextRows(const std::vector<std::vector<int64_t>>& ids, const std::vector<int64_t>& pooled,
                                     int64_t shared, const std::vector<PrefixKv>& past) const
{
    const int64_t b = int64_t(ids.size());
    // Tokens after the pooled one cannot influence it through the causal
    // mask, so each row runs to its pooled token only; shorter rows are
    // padded.
    const int64_t len = *std::max_element(pooled.begin(), pooled.end()) + 1 - shared;
    std::vector<int64_t> flat(size_t(b * len), 0);
    std::vector<int64_t> keepRows(static_cast<size_t>(b), 0);
    for (int64_t i = 0; i < b; ++i) {
        const auto& seq = ids[size_t(i)];
        const int64_t n = std::min<int64_t>(len, int64_t(seq.size()) - shared);
        std::copy(seq.begin() + shared, seq.begin() + shared + n, flat.begin() + i * len);
        keepRows[size_t(i)] = pooled[size_t(i)] - shared;
    }
    const torch::Tensor keep =
        torch::from_blob(keepRows.data(), {b}, torch::TensorOptions().dtype(torch::kLong)).to(compute_.device);
    const torch::Tensor x = textInput(flat, b, shared);
    const torch::Tensor mask = causalMask(len, shared);
    // The last block computes only the pooled row of each sequence.
    const int64_t total = shared + len;
    const torch::Tensor positions =
        torch::arange(total, torch::TensorOptions().dtype(torch::kLong).device(compute_.device));
    const torch::Tensor lastMask =
        torch::zeros({b, 1, 1, total}, mask.options())
            .masked_fill_(positions.view({1, 1, 1, total}) > (keep + shared).view({b, 1, 1, 1}),
                          -std::numeric_limits<double>::infinity());
    return runTower(text_, config_.text, x, mask, lastMask, keep, past);
}

} // namespace clip
