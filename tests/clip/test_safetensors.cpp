// The safetensors reader and config parser against malformed files: each must
// give one clear ModelError naming the file (and tensor), never a crash.

#include "ClipConfig.h"
#include "ClipModel.h"
#include "Json.h"
#include "MiniTest.h"
#include "ModelError.h"
#include "SafeTensors.h"
#include "SharedFixtures.h"

#include <torch/torch.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>
#include <unistd.h>

using namespace clip;

namespace {

// A private directory for the test's files, removed when the test exits.
struct TempDir {
    std::string path;
    TempDir()
    {
        const std::string tmpl = (std::filesystem::temp_directory_path() / "photosearch-st-XXXXXX").string();
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back('\0');
        if (!::mkdtemp(buf.data()))
            throw std::runtime_error("cannot create a temporary directory");
        path = buf.data();
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

std::string tempPath(const std::string& name)
{
    static const TempDir dir;
    return dir.path + "/" + name;
}

void writeBytes(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

std::string lengthPrefix(uint64_t n)
{
    std::string s(8, '\0');
    for (int i = 0; i < 8; ++i)
        s[size_t(i)] = char((n >> (8 * i)) & 0xFF);
    return s;
}

// A safetensors file with the given header text and `dataBytes` zero bytes.
std::string makeFile(const std::string& name, const std::string& header, size_t dataBytes)
{
    const std::string path = tempPath(name);
    writeBytes(path, lengthPrefix(header.size()) + header + std::string(dataBytes, '\0'));
    return path;
}

} // namespace

TEST_CASE(reads_f32_f16_bf16_and_ignores_other_tensors)
{
    const float values[4] = {1.0f, -2.5f, 0.15625f, 3.0f};
    const torch::Tensor f32 = torch::from_blob(const_cast<float*>(values), {2, 2});
    const torch::Tensor f16 = f32.to(torch::kFloat16);
    const torch::Tensor bf16 = f32.to(torch::kBFloat16);
    const std::string header = R"({"__metadata__":{"format":"pt"},)"
                               R"("a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},)"
                               R"("b":{"dtype":"F16","shape":[2,2],"data_offsets":[16,24]},)"
                               R"("c":{"dtype":"BF16","shape":[4],"data_offsets":[24,32]},)"
                               R"("position_ids":{"dtype":"I64","shape":[1,2],"data_offsets":[32,48]}})";
    std::string data(48, '\0');
    std::memcpy(&data[0], f32.data_ptr(), 16);
    std::memcpy(&data[16], f16.data_ptr(), 8);
    std::memcpy(&data[24], bf16.data_ptr(), 8);
    const std::string path = tempPath("ok.safetensors");
    writeBytes(path, lengthPrefix(header.size()) + header + data);

    const SafeTensorsFile file(path);
    VERIFY(file.contains("position_ids"));
    VERIFY(torch::equal(file.load("a", {2, 2}), f32));
    VERIFY(torch::equal(file.load("b", {2, 2}), f32)); // values exact in fp16
    VERIFY(torch::equal(file.load("c", {4}), f32.flatten()));
    VERIFY(file.load("b", {2, 2}, torch::kFloat16).scalar_type() == torch::kFloat16);
    VERIFY_THROWS(ModelError, file.load("position_ids", {1, 2}), "'position_ids' has dtype I64");
}

TEST_CASE(malformed_files_give_clear_errors)
{
    VERIFY_THROWS(ModelError, SafeTensorsFile(tempPath("missing.safetensors")), "missing.safetensors");

    writeBytes(tempPath("empty.safetensors"), "");
    VERIFY_THROWS(ModelError, SafeTensorsFile(tempPath("empty.safetensors")), "truncated");

    writeBytes(tempPath("short.safetensors"), "abc");
    VERIFY_THROWS(ModelError, SafeTensorsFile(tempPath("short.safetensors")), "short.safetensors are truncated");

    writeBytes(tempPath("longheader.safetensors"), lengthPrefix(1000) + "{}");
    VERIFY_THROWS(ModelError, SafeTensorsFile(tempPath("longheader.safetensors")), "header claims 1000 bytes");

    writeBytes(tempPath("hugeheader.safetensors"), lengthPrefix(~uint64_t(0)) + "{}");
    VERIFY_THROWS(ModelError, SafeTensorsFile(tempPath("hugeheader.safetensors")), "header claims");

    VERIFY_THROWS(ModelError, SafeTensorsFile(makeFile("notjson.safetensors", "{\"a\": [1,", 0)),
                  "malformed header");
    VERIFY_THROWS(ModelError, SafeTensorsFile(makeFile("array.safetensors", "[1,2]", 0)), "not a JSON object");

    VERIFY_THROWS(ModelError,
                  SafeTensorsFile(makeFile("dtype.safetensors",
                                           R"({"w":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}})", 4)),
                  "tensor 'w' has unknown dtype 'F33'");
    VERIFY_THROWS(ModelError,
                  SafeTensorsFile(makeFile("range.safetensors",
                                           R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", 8)),
                  "tensor 'w' has data offsets [0, 16] outside the 8-byte data section");
    VERIFY_THROWS(ModelError,
                  SafeTensorsFile(makeFile("neg.safetensors",
                                           R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[12,8]}})", 16)),
                  "tensor 'w' has data offsets");
    VERIFY_THROWS(ModelError,
                  SafeTensorsFile(makeFile("size.safetensors",
                                           R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}})", 16)),
                  "tensor 'w' has 16 bytes, but shape [3] of F32 needs 12");
    VERIFY_THROWS(ModelError,
                  SafeTensorsFile(makeFile("overflow.safetensors",
                                           R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]}})",
                                           16)),
                  "impossibly large shape");
    VERIFY_THROWS(ModelError,
                  SafeTensorsFile(makeFile("noshape.safetensors", R"({"w":{"dtype":"F32","data_offsets":[0,4]}})", 4)),
                  "tensor 'w' lacks a valid shape");
    VERIFY_THROWS(ModelError,
                  SafeTensorsFile(makeFile("badtype.safetensors",
                                           R"({"w":{"dtype":"F32","shape":["4"],"data_offsets":[0,16]}})", 16)),
                  "tensor 'w' has a malformed header entry");

    const SafeTensorsFile ok(makeFile("shape.safetensors",
                                      R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}})", 16));
    VERIFY_THROWS(ModelError, ok.load("w", {4}), "tensor 'w' has shape [2, 2] but the model config needs [4]");
    VERIFY_THROWS(ModelError, ok.load("v", {4}), "lack tensor 'v'");
}

TEST_CASE(fixture_truncated_or_missing_tensor_is_reported)
{
    const std::string dir = testsupport::tinyClipDir();
    const std::string bytes = testsupport::readFile(dir + "/model.safetensors");
    const std::string model = tempPath("trunc-model");
    ::mkdir(model.c_str(), 0755);
    writeBytes(model + "/config.json", testsupport::readFile(dir + "/config.json"));

    writeBytes(model + "/model.safetensors", bytes.substr(0, bytes.size() / 2));
    VERIFY_THROWS(ModelError, ClipModel::load(model, ComputeOptions{}), "outside the");

    // A config that disagrees with the weights names the tensor.
    std::string config = testsupport::readFile(dir + "/config.json");
    writeBytes(model + "/model.safetensors", bytes);
    const size_t at = config.find("\"intermediate_size\": 128");
    VERIFY(at != std::string::npos);
    config.replace(at, 24, "\"intermediate_size\": 256");
    writeBytes(model + "/config.json", config);
    VERIFY_THROWS(ModelError, ClipModel::load(model, ComputeOptions{}), "mlp.fc1.weight' has shape [128, 64]");

    // A missing tensor: rename one in the header (same length keeps offsets valid).
    std::string renamed = bytes;
    const size_t name = renamed.find("visual_projection.weight");
    VERIFY(name != std::string::npos);
    renamed.replace(name, 6, "VISUAL");
    writeBytes(model + "/config.json", testsupport::readFile(dir + "/config.json"));
    writeBytes(model + "/model.safetensors", renamed);
    VERIFY_THROWS(ModelError, ClipModel::load(model, ComputeOptions{}), "lack tensor 'visual_projection.weight'");

    VERIFY_THROWS(ModelError, ClipModel::load(tempPath("no-such-model"), ComputeOptions{}), "config.json");

    // No logit_scale: transformers uses the config's initial value.
    std::string noScale = bytes;
    const size_t scale = noScale.find("\"logit_scale\"");
    VERIFY(scale != std::string::npos);
    noScale.replace(scale + 1, 11, "LOGIT_SCALE");
    writeBytes(model + "/model.safetensors", noScale);
    const ClipModel fallback = ClipModel::load(model, ComputeOptions{});
    VERIFY(std::abs(fallback.logitScale() - std::exp(2.6592)) < 1e-9);
}

TEST_CASE(config_defaults_and_errors)
{
    // Missing fields take transformers' defaults (ViT-B/32).
    const ClipConfig c = ClipConfig::fromJson(Json::parse(R"({"vision_config":{"patch_size":16}})"), "cfg");
    VERIFY_EQ(c.vision.patchSize, 16);
    VERIFY_EQ(c.vision.hidden, 768);
    VERIFY_EQ(c.vision.tokens(), 197);
    VERIFY_EQ(c.text.hidden, 512);
    VERIFY_EQ(c.text.heads, 8);
    VERIFY_EQ(c.projectionDim, 512);
    VERIFY(c.text.activation == Activation::QuickGelu);

    const ClipConfig g = ClipConfig::fromJson(
        Json::parse(R"({"text_config":{"hidden_act":"gelu","layer_norm_eps":1e-6},"projection_dim":768})"), "cfg");
    VERIFY(g.text.activation == Activation::Gelu);
    VERIFY(std::abs(g.text.layerNormEps - 1e-6) < 1e-12);
    VERIFY_EQ(g.projectionDim, 768);

    VERIFY_THROWS(ModelError, ClipConfig::fromJson(Json::parse(R"({"text_config":{"hidden_act":"swish"}})"), "cfg.json"),
                  "cfg.json uses activation 'swish'");
    VERIFY_THROWS(ModelError,
                  ClipConfig::fromJson(Json::parse(R"({"text_config":{"hidden_size":100,"num_attention_heads":8}})"),
                                       "cfg.json"),
                  "not divisible");
    VERIFY_THROWS(ModelError, ClipConfig::fromJson(Json::parse(R"({"vision_config":{"image_size":100}})"), "cfg.json"),
                  "not a multiple of patch_size");
    VERIFY_THROWS(ModelError, ClipConfig::fromJson(Json::parse(R"({"projection_dim":"big"})"), "cfg.json"),
                  "wrong type");
    VERIFY_THROWS(ModelError,
                  ClipConfig::fromJson(Json::parse(R"({"vision_config":{"image_size":1099511627776,"patch_size":1}})"),
                                       "cfg.json"),
                  "implausibly large image_size");
    VERIFY_THROWS(ModelError, ClipConfig::fromJson(Json::parse(R"({"text_config":{"num_hidden_layers":100000}})"), "cfg.json"),
                  "implausibly large");
    writeBytes(tempPath("bad-config.json"), "{nope");
    VERIFY_THROWS(ModelError, ClipConfig::fromFile(tempPath("bad-config.json")), "bad-config.json is not valid JSON");
}

TEST_CASE(json_parser_rejects_garbage_without_crashing)
{
    VERIFY_THROWS(JsonError, Json::parse(""), "end of input");
    VERIFY_THROWS(JsonError, Json::parse("{\"a\":1} x"), "after the JSON value");
    VERIFY_THROWS(JsonError, Json::parse("\"\\ud800\""), "surrogate");
    VERIFY_THROWS(JsonError, Json::parse(std::string(100000, '[')), "too deep");
    VERIFY_THROWS(JsonError, Json::parse("[NaN]"), "non-finite");
    const Json j = Json::parse(R"({"s":"caf\u00e9 \ud83d\ude00","n":-12,"f":1.5e3,"b":true})");
    VERIFY_EQ(j.find("s")->asString(), std::string("caf\xc3\xa9 \xf0\x9f\x98\x80"));
    VERIFY_EQ(j.find("n")->asInt(), -12);
    VERIFY_EQ(j.find("f")->asDouble(), 1500.0);
    VERIFY_EQ(Json::parse("0.00001").asDouble(), 1e-5);
    VERIFY(!Json::parse("1.0").isInteger());
    VERIFY(!Json::parse("99999999999999999999").isInteger());
    VERIFY_THROWS(JsonError, Json::parse("1e999"), "out of range");
    VERIFY(j.find("b")->asBool());
}

MINITEST_MAIN
