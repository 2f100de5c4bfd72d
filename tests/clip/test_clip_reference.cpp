// ClipModel against a plain, independently written CLIP forward pass (the
// transformers structure: conv patch embedding, separate q/k/v, full padded
// 77-token text with a causal mask) on random weights of several shapes, so
// that the engine is checked beyond the one golden fixture: other patch
// sizes, depths, head counts, activations, F16/BF16 weight files, one-layer
// towers and legacy end-token pooling.

#include "ClipModel.h"
#include "MiniTest.h"
#include "SafeTensors.h"
#include "TensorCompare.h"

#include <torch/torch.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

using namespace clip;
namespace fs = std::filesystem;

namespace {

struct Shape {
    std::string name;
    int64_t imageSize, patch, vHidden, vHeads, vLayers, vInter;
    int64_t tHidden, tHeads, tLayers, tInter, vocab, eos, proj;
    std::string act;
    std::string dtype; // weight file dtype
};

std::string configJson(const Shape& s)
{
    auto tower = [&](int64_t h, int64_t heads, int64_t layers, int64_t inter) {
        return "\"hidden_size\":" + std::to_string(h) + ",\"num_attention_heads\":" + std::to_string(heads)
               + ",\"num_hidden_layers\":" + std::to_string(layers) + ",\"intermediate_size\":" + std::to_string(inter)
               + ",\"hidden_act\":\"" + s.act + "\",\"layer_norm_eps\":1e-05";
    };
    return "{\"projection_dim\":" + std::to_string(s.proj) + ",\"text_config\":{" + tower(s.tHidden, s.tHeads, s.tLayers, s.tInter)
           + ",\"vocab_size\":" + std::to_string(s.vocab) + ",\"max_position_embeddings\":77,\"eos_token_id\":"
           + std::to_string(s.eos) + "},\"vision_config\":{" + tower(s.vHidden, s.vHeads, s.vLayers, s.vInter)
           + ",\"image_size\":" + std::to_string(s.imageSize) + ",\"patch_size\":" + std::to_string(s.patch) + "}}";
}

std::map<std::string, torch::Tensor> randomWeights(const Shape& s)
{
    std::map<std::string, torch::Tensor> w;
    auto rnd = [](std::vector<int64_t> shape, double scale) { return torch::randn(shape) * scale; };
    auto tower = [&](const std::string& p, int64_t d, int64_t inter, int64_t layers) {
        for (int64_t l = 0; l < layers; ++l) {
            const std::string q = p + "encoder.layers." + std::to_string(l) + ".";
            for (const char* n : {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                w[q + "self_attn." + n + ".weight"] = rnd({d, d}, 0.15);
                w[q + "self_attn." + n + ".bias"] = rnd({d}, 0.1);
            }
            w[q + "layer_norm1.weight"] = 1 + rnd({d}, 0.1);
            w[q + "layer_norm1.bias"] = rnd({d}, 0.1);
            w[q + "layer_norm2.weight"] = 1 + rnd({d}, 0.1);
            w[q + "layer_norm2.bias"] = rnd({d}, 0.1);
            w[q + "mlp.fc1.weight"] = rnd({inter, d}, 0.15);
            w[q + "mlp.fc1.bias"] = rnd({inter}, 0.1);
            w[q + "mlp.fc2.weight"] = rnd({d, inter}, 0.15);
            w[q + "mlp.fc2.bias"] = rnd({d}, 0.1);
        }
    };
    tower("text_model.", s.tHidden, s.tInter, s.tLayers);
    tower("vision_model.", s.vHidden, s.vInter, s.vLayers);
    w["text_model.embeddings.token_embedding.weight"] = rnd({s.vocab, s.tHidden}, 0.5);
    w["text_model.embeddings.position_embedding.weight"] = rnd({77, s.tHidden}, 0.1);
    w["text_model.embeddings.position_ids"] = torch::arange(77).view({1, 77}); // ignored, as in real checkpoints
    w["text_model.final_layer_norm.weight"] = 1 + rnd({s.tHidden}, 0.1);
    w["text_model.final_layer_norm.bias"] = rnd({s.tHidden}, 0.1);
    w["text_projection.weight"] = rnd({s.proj, s.tHidden}, 0.2);
    const int64_t g = s.imageSize / s.patch;
    w["vision_model.embeddings.class_embedding"] = rnd({s.vHidden}, 0.5);
    w["vision_model.embeddings.patch_embedding.weight"] = rnd({s.vHidden, 3, s.patch, s.patch}, 0.05);
    w["vision_model.embeddings.position_embedding.weight"] = rnd({g * g + 1, s.vHidden}, 0.1);
    for (const char* n : {"vision_model.pre_layrnorm", "vision_model.post_layernorm"}) {
        w[std::string(n) + ".weight"] = 1 + rnd({s.vHidden}, 0.1);
        w[std::string(n) + ".bias"] = rnd({s.vHidden}, 0.1);
    }
    w["visual_projection.weight"] = rnd({s.proj, s.vHidden}, 0.2);
    w["logit_scale"] = torch::tensor(2.6592f);
    return w;
}

// Writes the weights in `dtype` and returns them as the file holds them
// (rounded to that dtype), so the reference sees exactly what is stored.
std::map<std::string, torch::Tensor> writeSafetensors(const std::string& path,
                                                      const std::map<std::string, torch::Tensor>& weights,
                                                      const std::string& dtype)
{
    const torch::ScalarType st = dtype == "F16" ? torch::kFloat16 : dtype == "BF16" ? torch::kBFloat16 : torch::kFloat32;
    std::string header = "{";
    std::string data;
    std::map<std::string, torch::Tensor> stored;
    for (const auto& [name, t] : weights) {
        const bool isInt = t.scalar_type() == torch::kLong;
        const torch::Tensor c = (isInt ? t : t.to(st)).contiguous();
        if (!isInt)
            stored[name] = c.to(torch::kFloat32);
        std::string shape = "[";
        for (int64_t i = 0; i < c.dim(); ++i)
            shape += (i ? "," : "") + std::to_string(c.size(i));
        shape += "]";
        const size_t nbytes = size_t(c.numel()) * c.element_size();
        header += std::string(header.size() > 1 ? "," : "") + "\"" + name + "\":{\"dtype\":\"" + (isInt ? "I64" : dtype)
                  + "\",\"shape\":" + shape + ",\"data_offsets\":[" + std::to_string(data.size()) + ","
                  + std::to_string(data.size() + nbytes) + "]}";
        data.append(static_cast<const char*>(c.data_ptr()), nbytes);
    }
    header += "}";
    while (header.size() % 8)
        header += ' ';
    std::ofstream out(path, std::ios::binary);
    const uint64_t n = header.size();
    out.write(reinterpret_cast<const char*>(&n), 8);
    out << header << data;
    return stored;
}

torch::Tensor act(const torch::Tensor& x, const std::string& name)
{
    if (name == "quick_gelu")
        return x * torch::sigmoid(1.702 * x);
    if (name == "gelu")
        return torch::gelu(x);
    return 0.5 * x * (1 + torch::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * torch::pow(x, 3))));
}

torch::Tensor refEncoder(torch::Tensor x, std::map<std::string, torch::Tensor>& w, const std::string& p,
                         int64_t layers, int64_t heads, const std::string& actName, const torch::Tensor& mask)
{
    const int64_t b = x.size(0), len = x.size(1), d = x.size(2), hd = d / heads;
    for (int64_t l = 0; l < layers; ++l) {
        const std::string q = p + "encoder.layers." + std::to_string(l) + ".";
        auto lin = [&](const torch::Tensor& t, const std::string& n) {
            return torch::matmul(t, w[q + n + ".weight"].t()) + w[q + n + ".bias"];
        };
        auto split = [&](const torch::Tensor& t) { return t.view({b, len, heads, hd}).transpose(1, 2); };
        torch::Tensor h = torch::layer_norm(x, {d}, w[q + "layer_norm1.weight"], w[q + "layer_norm1.bias"], 1e-5);
        torch::Tensor qq = split(lin(h, "self_attn.q_proj") * std::pow(double(hd), -0.5));
        torch::Tensor kk = split(lin(h, "self_attn.k_proj"));
        torch::Tensor vv = split(lin(h, "self_attn.v_proj"));
        torch::Tensor scores = torch::matmul(qq, kk.transpose(2, 3));
        if (mask.defined())
            scores = scores + mask;
        torch::Tensor a = torch::matmul(torch::softmax(scores, -1), vv).transpose(1, 2).reshape({b, len, d});
        x = x + lin(a, "self_attn.out_proj");
        h = torch::layer_norm(x, {d}, w[q + "layer_norm2.weight"], w[q + "layer_norm2.bias"], 1e-5);
        x = x + lin(act(lin(h, "mlp.fc1"), actName), "mlp.fc2");
    }
    return x;
}

torch::Tensor refImage(const torch::Tensor& pixels, std::map<std::string, torch::Tensor>& w, const Shape& s)
{
    const int64_t b = pixels.size(0);
    torch::Tensor x = torch::conv2d(pixels, w["vision_model.embeddings.patch_embedding.weight"], {}, s.patch);
    x = x.flatten(2).transpose(1, 2);
    x = torch::cat({w["vision_model.embeddings.class_embedding"].expand({b, 1, s.vHidden}), x}, 1)
        + w["vision_model.embeddings.position_embedding.weight"];
    x = torch::layer_norm(x, {s.vHidden}, w["vision_model.pre_layrnorm.weight"], w["vision_model.pre_layrnorm.bias"], 1e-5);
    x = refEncoder(x, w, "vision_model.", s.vLayers, s.vHeads, s.act, {});
    torch::Tensor pooled = torch::layer_norm(x.select(1, 0), {s.vHidden}, w["vision_model.post_layernorm.weight"],
                                             w["vision_model.post_layernorm.bias"], 1e-5);
    return torch::matmul(pooled, w["visual_projection.weight"].t());
}

torch::Tensor refText(const std::vector<int64_t>& ids, std::map<std::string, torch::Tensor>& w, const Shape& s)
{
    std::vector<int64_t> padded = ids;
    padded.resize(77, 0); // always the full 77 positions, like a padded batch
    const torch::Tensor t = torch::tensor(padded).view({1, 77});
    torch::Tensor x = w["text_model.embeddings.token_embedding.weight"].index_select(0, t.flatten()).view({1, 77, s.tHidden})
                      + w["text_model.embeddings.position_embedding.weight"];
    const torch::Tensor mask = torch::full({77, 77}, -1e9).triu(1);
    x = refEncoder(x, w, "text_model.", s.tLayers, s.tHeads, s.act, mask);
    x = torch::layer_norm(x, {s.tHidden}, w["text_model.final_layer_norm.weight"], w["text_model.final_layer_norm.bias"], 1e-5);
    int64_t pool = s.eos == 2 ? torch::tensor(ids).argmax().item<int64_t>() : 0;
    if (s.eos != 2)
        for (size_t i = 0; i < ids.size(); ++i)
            if (ids[i] == s.eos) {
                pool = int64_t(i);
                break;
            }
    return torch::matmul(x[0][pool], w["text_projection.weight"].t()).unsqueeze(0);
}

void checkSharedPrefix(const Shape& s, std::map<std::string, torch::Tensor>& stored, const ClipModel& model,
                       const ClipModel& bf16);

void checkShape(const Shape& s)
{
    torch::manual_seed(7);
    const fs::path dir = fs::temp_directory_path() / ("photosearch-ref-" + s.name + "-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    {
        std::ofstream((dir / "config.json").string()) << configJson(s);
    }
    auto stored = writeSafetensors((dir / "model.safetensors").string(), randomWeights(s), s.dtype);
    const ClipModel model = ClipModel::load(dir.string(), ComputeOptions{});
    // bf16 products on the CPU (fp32 residual stream): what indexing runs on
    // CPUs with bf16 units. Emulated elsewhere, so it is checked everywhere.
    const ClipModel bf16 = ClipModel::load(dir.string(), ComputeOptions{torch::kCPU, torch::kBFloat16});
    fs::remove_all(dir);

    const torch::Tensor pixels = torch::randn({3, 3, s.imageSize, s.imageSize});
    const torch::Tensor want = refImage(pixels, stored, s);
    const double e = testsupport::relativeL2(model.encodeImages(pixels), want);
    VERIFY_MSG(e < 1e-4, s.name << ": image relative error " << e);
    const double imageCos = testsupport::minRowCosine(bf16.encodeImages(pixels), want);
    VERIFY_MSG(imageCos >= 0.999, s.name << ": bf16 image cosine " << imageCos);

    const std::vector<std::vector<int64_t>> texts = {
        {s.vocab - 2, 5, 17, 3, s.eos},
        {s.vocab - 2, s.eos},
        {s.vocab - 2, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 1, s.eos, 4, 4}, // tokens after the end token
    };
    const torch::Tensor batch = model.encodeTokens(texts);
    for (size_t i = 0; i < texts.size(); ++i) {
        const torch::Tensor ref = refText(texts[i], stored, s);
        const double single = testsupport::relativeL2(model.encodeTokens({texts[i]}), ref);
        const double batched = testsupport::relativeL2(batch[int64_t(i)].unsqueeze(0), ref);
        VERIFY_MSG(single < 1e-4 && batched < 1e-4, s.name << ": text " << i << " relative error " << single << " / " << batched);
        const double textCos = testsupport::minRowCosine(bf16.encodeTokens({texts[i]}), ref);
        VERIFY_MSG(textCos >= 0.999, s.name << ": bf16 text " << i << " cosine " << textCos);
    }
    checkSharedPrefix(s, stored, model, bf16);
}

// Texts that open alike (a prompt template before each label) run their
// shared opening once (ClipModel::encodeTokens); each must still match the
// reference, whatever its length, and also from the bf16 batch tower.
void checkSharedPrefix(const Shape& s, std::map<std::string, torch::Tensor>& stored, const ClipModel& model,
                       const ClipModel& bf16)
{
    const int64_t sot = s.vocab - 2;
    const std::vector<std::vector<int64_t>> texts = {
        {sot, 5, 17, 3, 8, s.eos},
        {sot, 5, 17, 3, 42, 11, 6, s.eos},
        {sot, 5, 17, 3, s.eos},
        {sot, 5, 17, 3, 9, 9, s.eos, 4, 4}, // tokens after the end token
    };
    const torch::Tensor batch = model.encodeTokens(texts);
    const std::unique_ptr<TowerEngine> tower = bf16.textTowerForBatches();
    // Only where the CPU has bf16 units; an fp32 engine never makes one.
    VERIFY(!model.textTowerForBatches());
    VERIFY(bool(tower) == runsNatively(torch::kCPU, torch::kBFloat16));
    const torch::Tensor bf16Batch = tower ? tower->encodeTokens(texts) : bf16.encodeTokens(texts);
    for (size_t i = 0; i < texts.size(); ++i) {
        const torch::Tensor ref = refText(texts[i], stored, s);
        const double e = testsupport::relativeL2(batch[int64_t(i)].unsqueeze(0), ref);
        VERIFY_MSG(e < 1e-4, s.name << ": shared-prefix text " << i << " relative error " << e);
        const double cos = testsupport::minRowCosine(bf16Batch[int64_t(i)].unsqueeze(0), ref);
        VERIFY_MSG(cos >= 0.999, s.name << ": bf16 batch-tower text " << i << " cosine " << cos);
    }
}

} // namespace

TEST_CASE(patch16_gelu_three_layers)
{
    checkShape({"p16", 64, 16, 48, 3, 3, 96, 32, 2, 3, 80, 1000, 999, 24, "gelu", "F32"});
}

TEST_CASE(patch14_f16_weights_single_layer)
{
    checkShape({"p14f16", 56, 14, 40, 5, 1, 64, 24, 4, 1, 40, 600, 599, 16, "quick_gelu", "F16"});
}

TEST_CASE(bf16_weights_tanh_gelu_legacy_eos)
{
    // eos_token_id 2: transformers pools at the highest id, as old CLIP configs require.
    checkShape({"legacy", 32, 8, 32, 4, 2, 64, 32, 4, 2, 64, 700, 2, 20, "gelu_new", "BF16"});
}

MINITEST_MAIN
