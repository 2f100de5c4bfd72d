// The CLIP towers against Hugging Face transformers: golden.json holds
// get_text_features for token ids and get_image_features for preprocessed
// pixels, computed by transformers from the tiny fixture model.

#include "ClipModel.h"
#include "Json.h"
#include "MiniTest.h"
#include "Npy.h"
#include "SharedFixtures.h"
#include "TensorCompare.h"

#include <torch/torch.h>

using namespace clip;

namespace {

double relativeL2(const torch::Tensor& got, const std::vector<float>& want)
{
    return testsupport::relativeL2(got, torch::tensor(want));
}

std::vector<float> floats(const Json& array)
{
    std::vector<float> v;
    for (const Json& x : array.asArray())
        v.push_back(float(x.asDouble()));
    return v;
}

// Golden runs on the CPU in fp32 and bf16 always (bf16 is emulated, slowly,
// where the CPU has no bf16 units, and must agree all the same; 3e-2 relative
// error is a cosine of about 0.9995); with CUDA also in CUDA fp32/fp16/bf16.
std::vector<std::pair<ComputeOptions, double>> computeTargets()
{
    std::vector<std::pair<ComputeOptions, double>> targets = {{ComputeOptions{}, 1e-4},
                                                              {ComputeOptions{torch::kCPU, torch::kBFloat16}, 3e-2}};
    if (torch::cuda::is_available()) {
        const torch::Device cuda(torch::kCUDA, 0);
        targets.push_back({ComputeOptions{cuda, torch::kFloat32}, 1e-4});
        targets.push_back({ComputeOptions{cuda, torch::kFloat16}, 2e-2});
        targets.push_back({ComputeOptions{cuda, torch::kBFloat16}, 2e-2});
    }
    return targets;
}

} // namespace

TEST_CASE(text_embeddings_match_transformers)
{
    const std::string dir = testsupport::tinyClipDir();
    const Json golden = Json::parse(testsupport::readFile(dir + "/golden.json"));
    const auto& tokens = golden.find("tokens")->asArray();
    const auto& embeds = golden.find("text_embeds")->asArray();
    VERIFY_EQ(tokens.size(), embeds.size());
    for (const auto& [compute, tolerance] : computeTargets()) {
        const ClipModel model = ClipModel::load(dir, compute);
        // One at a time and all in one padded batch: both must match.
        std::vector<std::vector<int64_t>> all;
        for (size_t i = 0; i < tokens.size(); ++i) {
            std::vector<int64_t> ids;
            for (const Json& id : tokens[i].find("ids")->asArray())
                ids.push_back(id.asInt());
            all.push_back(ids);
            const double err = relativeL2(model.encodeTokens({ids}), floats(embeds[i]));
            VERIFY_MSG(err < tolerance, describe(compute) << " text " << i << " relative L2 error " << err);
        }
        const torch::Tensor batch = model.encodeTokens(all);
        for (size_t i = 0; i < all.size(); ++i) {
            const double err = relativeL2(batch[int64_t(i)], floats(embeds[i]));
            VERIFY_MSG(err < tolerance, describe(compute) << " batched text " << i << " relative L2 error " << err);
        }
    }
}

TEST_CASE(image_embeddings_match_transformers)
{
    const std::string dir = testsupport::tinyClipDir();
    const Json golden = Json::parse(testsupport::readFile(dir + "/golden.json"));
    const auto& images = golden.find("images")->asArray();
    VERIFY(!images.empty());
    for (const auto& [compute, tolerance] : computeTargets()) {
        const ClipModel model = ClipModel::load(dir, compute);
        std::vector<torch::Tensor> pixels;
        for (const Json& image : images) {
            const auto npy = testsupport::readNpyFloat32(dir + "/" + image.find("pixels")->asString());
            VERIFY((npy.shape == std::vector<int64_t>{3, 224, 224}));
            pixels.push_back(torch::tensor(npy.data).view({1, 3, 224, 224}));
        }
        const torch::Tensor batch = model.encodeImages(torch::cat(pixels));
        for (size_t i = 0; i < images.size(); ++i) {
            const auto want = floats(*images[i].find("embed"));
            const double single = relativeL2(model.encodeImages(pixels[i]), want);
            const double batched = relativeL2(batch[int64_t(i)], want);
            VERIFY_MSG(single < tolerance && batched < tolerance,
                      describe(compute) << " image " << i << " relative L2 error " << single << " / " << batched);
        }
    }
}

TEST_CASE(logit_scale_is_exp_of_stored_value)
{
    const std::string dir = testsupport::tinyClipDir();
    const Json golden = Json::parse(testsupport::readFile(dir + "/golden.json"));
    const ClipModel model = ClipModel::load(dir, ComputeOptions{});
    const double want = std::exp(golden.find("logit_scale")->asDouble());
    VERIFY_MSG(std::abs(model.logitScale() - want) < 1e-4 * want, model.logitScale() << " vs " << want);
}

TEST_CASE(text_tower_ignores_tokens_after_the_end_token)
{
    const std::string dir = testsupport::tinyClipDir();
    const ClipModel model = ClipModel::load(dir, ComputeOptions{});
    const std::vector<int64_t> ids = {49406, 320, 1125, 539, 320, 1929, 49407};
    std::vector<int64_t> padded = ids;
    padded.resize(77, 0); // what a padded 77-token batch looks like
    const torch::Tensor a = model.encodeTokens({ids});
    const torch::Tensor b = model.encodeTokens({padded});
    VERIFY(torch::allclose(a, b, 1e-5, 1e-6));
    VERIFY_EQ(model.pooledIndex(padded), 6);
}

TEST_CASE(bad_token_input_is_rejected)
{
    const std::string dir = testsupport::tinyClipDir();
    const ClipModel model = ClipModel::load(dir, ComputeOptions{});
    VERIFY_THROWS(std::invalid_argument, model.encodeTokens({{}}), "1 to 77");
    VERIFY_THROWS(std::invalid_argument, model.encodeTokens({std::vector<int64_t>(78, 320)}), "1 to 77");
    VERIFY_THROWS(std::invalid_argument, model.encodeTokens({{49406, 49408, 49407}}), "outside the vocabulary");
    VERIFY_THROWS(std::invalid_argument, model.encodeImages(torch::zeros({1, 3, 200, 224})), "224");
    VERIFY_EQ(model.encodeImages(torch::zeros({0, 3, 224, 224})).size(0), 0);
}

MINITEST_MAIN
