#include "TinyModel.h"

#include "ClipDirWriter.h"

#include <QDir>

#include <cmath>
#include <string>
#include <vector>

namespace photosearch::testmodel {

namespace {

constexpr int kWidth = 32;         // both towers
constexpr int kIntermediate = 128; // 4 × width, as in every CLIP
constexpr int kLayers = 2;
constexpr int kHeads = 2;
constexpr int kImageSize = 64;     // large enough that resizing and cropping matter
constexpr int kPatchSize = 16;
constexpr int kProjection = 16;
constexpr int kPositions = 77;
constexpr double kLogitScale = 2.6592; // log(1 / 0.07), CLIP's initial value

// A few merges in CLIP's order (rank = line), so that BPE really runs:
// "a dog on a beach" becomes one token a word.
const std::vector<Merge> kMerges = {{"o", "n</w>"}, {"d", "o"},       {"do", "g</w>"}, {"b", "e"}, {"a", "c"},
                                    {"ac", "h</w>"}, {"be", "ach</w>"}, {"t", "h"},       {"th", "e</w>"}};
const int kMergeCount = int(kMerges.size());
const int kVocabulary = 512 + kMergeCount + 2; // byte symbols, merges, start and end tokens

// splitmix64 and Box–Muller: the same numbers with any standard library or
// LibTorch release, unlike std::normal_distribution (implementation-defined)
// or LibTorch's generator.
class Random {
public:
    explicit Random(uint64_t seed)
        : state_(seed)
    {
    }
    double normal()
    {
        const double u1 = (double(next() >> 11) + 1.0) / 9007199254740992.0; // (0, 1]
        const double u2 = double(next() >> 11) / 9007199254740992.0;
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

private:
    uint64_t next()
    {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    uint64_t state_;
};

class Weights {
public:
    explicit Weights(uint64_t seed)
        : random_(seed)
    {
    }
    void normal(const std::string& name, std::vector<int64_t> shape, double std)
    {
        NamedTensor& t = add(name, std::move(shape), 0.0f);
        for (float& v : t.data)
            v = float(random_.normal() * std);
    }
    void constant(const std::string& name, std::vector<int64_t> shape, float value)
    {
        add(name, std::move(shape), value);
    }
    void linear(const std::string& name, int64_t out, int64_t in, double std)
    {
        normal(name + ".weight", {out, in}, std);
        constant(name + ".bias", {out}, 0.0f);
    }
    void layerNorm(const std::string& name)
    {
        constant(name + ".weight", {kWidth}, 1.0f);
        constant(name + ".bias", {kWidth}, 0.0f);
    }
    std::vector<NamedTensor>& tensors() { return tensors_; }

private:
    NamedTensor& add(const std::string& name, std::vector<int64_t> shape, float value)
    {
        int64_t n = 1;
        for (int64_t d : shape)
            n *= d;
        tensors_.push_back({name, std::move(shape), std::vector<float>(size_t(n), value)});
        return tensors_.back();
    }
    Random random_;
    std::vector<NamedTensor> tensors_;
};

// Standard deviations as transformers' CLIPPreTrainedModel._init_weights
// (initializer_factor 1): large enough attention and class-token weights
// that images do not all map to nearly the same embedding, which a plain
// normal × 0.02 everywhere tends to do.
void addLayers(Weights& w, const std::string& prefix)
{
    const double inStd = std::pow(kWidth, -0.5) * std::pow(2 * kLayers, -0.5);
    const double outStd = std::pow(kWidth, -0.5);
    const double fcStd = std::pow(2 * kWidth, -0.5);
    for (int l = 0; l < kLayers; ++l) {
        const std::string p = prefix + "encoder.layers." + std::to_string(l) + ".";
        w.layerNorm(p + "layer_norm1");
        for (const char* proj : {"q_proj", "k_proj", "v_proj"})
            w.linear(p + "self_attn." + proj, kWidth, kWidth, inStd);
        w.linear(p + "self_attn.out_proj", kWidth, kWidth, outStd);
        w.layerNorm(p + "layer_norm2");
        w.linear(p + "mlp.fc1", kIntermediate, kWidth, fcStd);
        w.linear(p + "mlp.fc2", kWidth, kIntermediate, inStd);
    }
}

std::vector<NamedTensor> makeWeights(uint64_t seed)
{
    Weights w(seed);
    w.normal("text_model.embeddings.token_embedding.weight", {kVocabulary, kWidth}, 0.02);
    w.normal("text_model.embeddings.position_embedding.weight", {kPositions, kWidth}, 0.02);
    addLayers(w, "text_model.");
    w.layerNorm("text_model.final_layer_norm");
    w.normal("text_projection.weight", {kProjection, kWidth}, std::pow(kWidth, -0.5));

    const int64_t grid = kImageSize / kPatchSize;
    w.normal("vision_model.embeddings.class_embedding", {kWidth}, std::pow(kWidth, -0.5));
    w.normal("vision_model.embeddings.patch_embedding.weight", {kWidth, 3, kPatchSize, kPatchSize}, 0.02);
    w.normal("vision_model.embeddings.position_embedding.weight", {grid * grid + 1, kWidth}, 0.02);
    w.layerNorm("vision_model.pre_layrnorm");
    addLayers(w, "vision_model.");
    w.layerNorm("vision_model.post_layernorm");
    w.normal("visual_projection.weight", {kProjection, kWidth}, std::pow(kWidth, -0.5));
    w.constant("logit_scale", {}, float(kLogitScale)); // a scalar, as transformers saves it
    return std::move(w.tensors());
}

} // namespace

bool writeTinyClipModel(const QString& dir, QString* error, uint64_t seed)
{
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(dir);
        return false;
    }
    ClipSpec spec;
    spec.text = spec.vision = TowerSpec{kWidth, kIntermediate, kLayers, kHeads};
    spec.mergeCount = kMergeCount;
    spec.positions = kPositions;
    spec.imageSize = kImageSize;
    spec.patchSize = kPatchSize;
    spec.projection = kProjection;
    spec.logitScaleInit = kLogitScale;
    const QDir d(dir);
    auto write = [&](const char* name, const QByteArray& bytes) {
        return writeFileAtomically(d.filePath(QLatin1String(name)), bytes, error);
    };
    return write("config.json", clipConfigJson(spec)) && write("preprocessor_config.json", clipPreprocessorJson(kImageSize))
           && write("vocab.json", clipVocabJson(kMerges)) && write("merges.txt", clipMergesTxt(kMerges))
           && write("model.safetensors", safetensorsBytes(makeWeights(seed)));
}

} // namespace photosearch::testmodel
