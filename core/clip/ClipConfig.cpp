#include "ClipConfig.h"

#include "Json.h"
#include "ModelError.h"

#include <fstream>
#include <sstream>

namespace clip {

namespace {

Activation parseActivation(const std::string& name, const std::string& where)
{
    if (name == "quick_gelu")
        return Activation::QuickGelu;
    if (name == "gelu")
        return Activation::Gelu;
    if (name == "gelu_new" || name == "gelu_pytorch_tanh" || name == "gelu_fast")
        return Activation::GeluTanh;
    throw ModelError(where + " uses activation '" + name + "', which is not supported.");
}

void readTower(const Json& j, TowerConfig& t, const std::string& where)
{
    t.hidden = j.intOr("hidden_size", t.hidden);
    t.intermediate = j.intOr("intermediate_size", t.intermediate);
    t.layers = j.intOr("num_hidden_layers", t.layers);
    t.heads = j.intOr("num_attention_heads", t.heads);
    t.layerNormEps = j.numberOr("layer_norm_eps", t.layerNormEps);
    t.activation = parseActivation(j.stringOr("hidden_act", "quick_gelu"), where);
}

// Far above any CLIP published, low enough that no size product overflows.
constexpr int64_t kMaxWidth = 1 << 16;
constexpr int64_t kMaxDepth = 1024;
constexpr int64_t kMaxVocabulary = 1 << 24;
constexpr int64_t kMaxImageSize = 8192;

void checkTower(const TowerConfig& t, const std::string& where)
{
    if (t.hidden <= 0 || t.intermediate <= 0 || t.layers <= 0 || t.heads <= 0)
        throw ModelError(where + " has a non-positive size, depth or head count.");
    if (t.hidden > kMaxWidth || t.intermediate > kMaxWidth * 8 || t.layers > kMaxDepth || t.heads > t.hidden)
        throw ModelError(where + " has an implausibly large size, depth or head count.");
    if (t.hidden % t.heads != 0)
        throw ModelError(where + " has hidden_size " + std::to_string(t.hidden)
                         + " not divisible by num_attention_heads " + std::to_string(t.heads) + ".");
    if (!(t.layerNormEps > 0))
        throw ModelError(where + " has a non-positive layer_norm_eps.");
}

const Json* subConfig(const Json& root, const char* key, const char* legacyKey)
{
    if (const Json* j = root.find(key); j && j->isObject())
        return j;
    if (const Json* j = root.find(legacyKey); j && j->isObject())
        return j;
    return nullptr;
}

} // namespace

ClipConfig ClipConfig::vitB32()
{
    ClipConfig c;
    c.text.hidden = 512;
    c.text.intermediate = 2048;
    c.text.layers = 12;
    c.text.heads = 8;
    c.vision.hidden = 768;
    c.vision.intermediate = 3072;
    c.vision.layers = 12;
    c.vision.heads = 12;
    c.vision.patchSize = 32;
    c.vision.imageSize = 224;
    c.projectionDim = 512;
    return c;
}

ClipConfig ClipConfig::fromJson(const Json& root, const std::string& where)
{
    if (!root.isObject())
        throw ModelError(where + " is not a JSON object.");
    ClipConfig c = vitB32();
    try {
        c.projectionDim = root.intOr("projection_dim", c.projectionDim);
        c.logitScaleInit = root.numberOr("logit_scale_init_value", c.logitScaleInit);
        if (const Json* t = subConfig(root, "text_config", "text_config_dict")) {
            readTower(*t, c.text, where);
            c.text.vocabSize = t->intOr("vocab_size", c.text.vocabSize);
            c.text.maxPositions = t->intOr("max_position_embeddings", c.text.maxPositions);
            c.text.bosTokenId = t->intOr("bos_token_id", c.text.bosTokenId);
            c.text.eosTokenId = t->intOr("eos_token_id", c.text.eosTokenId);
        }
        if (const Json* v = subConfig(root, "vision_config", "vision_config_dict")) {
            readTower(*v, c.vision, where);
            c.vision.imageSize = v->intOr("image_size", c.vision.imageSize);
            c.vision.patchSize = v->intOr("patch_size", c.vision.patchSize);
            c.vision.channels = v->intOr("num_channels", c.vision.channels);
        }
    } catch (const JsonError& e) {
        throw ModelError(where + " has a field of the wrong type (" + e.what() + ").");
    }
    checkTower(c.text, where + " (text_config)");
    checkTower(c.vision, where + " (vision_config)");
    if (c.projectionDim <= 0 || c.projectionDim > kMaxWidth || c.text.vocabSize <= 0
        || c.text.vocabSize > kMaxVocabulary || c.text.maxPositions < 2 || c.text.maxPositions > kMaxWidth)
        throw ModelError(where + " has an invalid projection_dim, vocab_size or max_position_embeddings.");
    if (c.vision.imageSize > kMaxImageSize || c.vision.channels > 16)
        throw ModelError(where + " has an implausibly large image_size or num_channels.");
    if (c.vision.patchSize <= 0 || c.vision.imageSize < c.vision.patchSize
        || c.vision.imageSize % c.vision.patchSize != 0 || c.vision.channels <= 0)
        throw ModelError(where + " has image_size " + std::to_string(c.vision.imageSize)
                         + " that is not a multiple of patch_size " + std::to_string(c.vision.patchSize) + ".");
    return c;
}

ClipConfig ClipConfig::fromFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ModelError("Cannot open model config " + path + ".");
    std::ostringstream ss;
    ss << in.rdbuf();
    Json root;
    try {
        root = Json::parse(ss.str());
    } catch (const JsonError& e) {
        throw ModelError("Model config " + path + " is not valid JSON (" + e.what() + ").");
    }
    return fromJson(root, "Model config " + path);
}

} // namespace clip
