#include "TinyModel.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <cmath>
#include <cstring>
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
const char* const kMerges[][2] = {{"o", "n</w>"}, {"d", "o"},       {"do", "g</w>"}, {"b", "e"}, {"a", "c"},
                                  {"ac", "h</w>"}, {"be", "ach</w>"}, {"t", "h"},       {"th", "e</w>"}};
constexpr int kMergeCount = int(sizeof(kMerges) / sizeof(kMerges[0]));
constexpr int kStartId = 512 + kMergeCount; // after the byte symbols and merges, as in CLIP
constexpr int kEndId = kStartId + 1;
constexpr int kVocabulary = kEndId + 1;

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

struct Tensor {
    std::string name;
    std::vector<int64_t> shape;
    std::vector<float> data;
};

class Weights {
public:
    explicit Weights(uint64_t seed)
        : random_(seed)
    {
    }
    void normal(const std::string& name, std::vector<int64_t> shape, double std)
    {
        Tensor& t = add(name, std::move(shape), 0.0f);
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
    std::vector<Tensor>& tensors() { return tensors_; }

private:
    Tensor& add(const std::string& name, std::vector<int64_t> shape, float value)
    {
        int64_t n = 1;
        for (int64_t d : shape)
            n *= d;
        tensors_.push_back({name, std::move(shape), std::vector<float>(size_t(n), value)});
        return tensors_.back();
    }
    Random random_;
    std::vector<Tensor> tensors_;
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

std::vector<Tensor> makeWeights(uint64_t seed)
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

// 8-byte little-endian header length, JSON header, raw little-endian data.
QByteArray safetensors(std::vector<Tensor> tensors)
{
    std::sort(tensors.begin(), tensors.end(), [](const Tensor& a, const Tensor& b) { return a.name < b.name; });
    std::string header = R"({"__metadata__":{"format":"pt"})";
    uint64_t offset = 0;
    for (const Tensor& t : tensors) {
        std::string shape;
        for (int64_t d : t.shape)
            shape += (shape.empty() ? "" : ",") + std::to_string(d);
        const uint64_t end = offset + 4 * t.data.size();
        header += ",\"" + t.name + R"(":{"dtype":"F32","shape":[)" + shape + "],\"data_offsets\":["
                  + std::to_string(offset) + "," + std::to_string(end) + "]}";
        offset = end;
    }
    header += "}";
    header.append((8 - header.size() % 8) % 8, ' '); // aligns the data, as the reference writer does

    QByteArray out;
    out.reserve(int(8 + header.size() + offset));
    for (int i = 0; i < 8; ++i)
        out.append(char(uint64_t(header.size()) >> (8 * i) & 0xFF));
    out.append(header.data(), qsizetype(header.size()));
    for (const Tensor& t : tensors) {
        for (float v : t.data) {
            uint32_t bits;
            std::memcpy(&bits, &v, 4);
            for (int i = 0; i < 4; ++i)
                out.append(char(bits >> (8 * i) & 0xFF));
        }
    }
    return out;
}

// CLIP's vocabulary order: the 256 byte symbols of GPT-2's bytes_to_unicode
// (printable bytes stand for themselves, the rest move to U+0100 onwards,
// which makes the order plain code-point order), their `</w>` forms, one
// token a merge, then <|startoftext|> and <|endoftext|>.
QByteArray vocabJson()
{
    std::vector<char32_t> symbols;
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
        const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
        symbols.push_back(printable ? char32_t(b) : next++);
    }
    std::sort(symbols.begin(), symbols.end());
    QJsonObject vocab;
    int id = 0;
    for (char32_t c : symbols)
        vocab.insert(QString::fromUcs4(&c, 1), id++);
    for (char32_t c : symbols)
        vocab.insert(QString::fromUcs4(&c, 1) + QStringLiteral("</w>"), id++);
    for (const auto& m : kMerges)
        vocab.insert(QString::fromUtf8(m[0]) + QString::fromUtf8(m[1]), id++);
    vocab.insert(QStringLiteral("<|startoftext|>"), id++);
    vocab.insert(QStringLiteral("<|endoftext|>"), id++);
    Q_ASSERT(id == kVocabulary);
    return QJsonDocument(vocab).toJson(QJsonDocument::Compact);
}

QByteArray mergesTxt()
{
    QByteArray out = "#version: 0.2\n"; // the tokenizer skips this line, as CLIP's file has it
    for (const auto& m : kMerges)
        out += QByteArray(m[0]) + ' ' + m[1] + '\n';
    return out;
}

// The fields ClipConfig reads, shared by both towers, plus `extra`.
QJsonObject tower(const QJsonObject& extra)
{
    QJsonObject t{{"hidden_size", kWidth},       {"intermediate_size", kIntermediate},
                  {"num_hidden_layers", kLayers}, {"num_attention_heads", kHeads},
                  {"hidden_act", "quick_gelu"},   {"layer_norm_eps", 1e-5}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        t.insert(it.key(), it.value());
    return t;
}

QByteArray configJson()
{
    const QJsonObject text = tower({{"model_type", "clip_text_model"},
                                    {"vocab_size", kVocabulary},
                                    {"max_position_embeddings", kPositions},
                                    {"bos_token_id", kStartId},
                                    {"eos_token_id", kEndId}, // pooling finds the first of these
                                    {"pad_token_id", kEndId}});
    const QJsonObject vision = tower({{"model_type", "clip_vision_model"},
                                      {"image_size", kImageSize},
                                      {"patch_size", kPatchSize},
                                      {"num_channels", 3}});
    const QJsonObject root{{"architectures", QJsonArray{"CLIPModel"}},
                           {"model_type", "clip"},
                           {"projection_dim", kProjection},
                           {"logit_scale_init_value", kLogitScale},
                           {"text_config", text},
                           {"vision_config", vision}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QByteArray preprocessorJson()
{
    const QJsonObject root{{"image_processor_type", "CLIPImageProcessor"},
                           {"size", QJsonObject{{"shortest_edge", kImageSize}}},
                           {"crop_size", QJsonObject{{"height", kImageSize}, {"width", kImageSize}}},
                           {"do_resize", true},
                           {"do_center_crop", true},
                           {"do_normalize", true},
                           {"resample", 3},
                           {"image_mean", QJsonArray{0.48145466, 0.4578275, 0.40821073}},
                           {"image_std", QJsonArray{0.26862954, 0.26130258, 0.27577711}}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

bool writeFile(const QString& path, const QByteArray& bytes, QString* error)
{
    QSaveFile file(path); // never leaves a half-written model behind
    if (file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit())
        return true;
    if (error)
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return false;
}

} // namespace

bool writeTinyClipModel(const QString& dir, QString* error, uint64_t seed)
{
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(dir);
        return false;
    }
    const QDir d(dir);
    return writeFile(d.filePath(QStringLiteral("config.json")), configJson(), error)
           && writeFile(d.filePath(QStringLiteral("preprocessor_config.json")), preprocessorJson(), error)
           && writeFile(d.filePath(QStringLiteral("vocab.json")), vocabJson(), error)
           && writeFile(d.filePath(QStringLiteral("merges.txt")), mergesTxt(), error)
           && writeFile(d.filePath(QStringLiteral("model.safetensors")), safetensors(makeWeights(seed)), error);
}

} // namespace photosearch::testmodel
