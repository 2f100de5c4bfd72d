// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include <torch/torch.h>

#include "ClipQueryEmbedder.h"

#include "ClipEncoder.h"
#include "SearchEngine.h"

namespace photosearch {
namespace {

std::vector<float> toVector(const torch::Tensor& row)
{
    const torch::Tensor t = row.to(torch::kFloat32).contiguous();
    return std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
}

} // namespace

ClipQueryEmbedder::ClipQueryEmbedder(EncoderSource encoders)
    : encoders_(std::move(encoders))
{
}

std::vector<float> ClipQueryEmbedder::embedText(const QString& text)
{
    torch::NoGradGuard noGrad;
    return toVector(ClipEncoder::normalized(encoders_(EncoderUse::Text).embedTexts({text}))[0]);
}

std::vector<float> ClipQueryEmbedder::embedImage(const QString& path)
{
    torch::NoGradGuard noGrad;
    const ClipEncoder& encoder = encoders_(EncoderUse::Image);
    const torch::Tensor pixels = encoder.preprocessor().load(path);
    return toVector(ClipEncoder::normalized(encoder.embedPixels({pixels}))[0]);
}

// SearchEngine's constructor for one loaded encoder lives here, with
// LibTorch, so that SearchEngine.cpp links without it.
SearchEngine::SearchEngine(const QString& libraryDir, const ClipEncoder& encoder, const QString& modelId,
                           Catalog::Access access)
    : SearchEngine(libraryDir,
                   std::make_unique<ClipQueryEmbedder>([&encoder](EncoderUse) -> const ClipEncoder& { return encoder; }),
                   int(encoder.model().config().projectionDim), modelId, access)
{
}

} // namespace photosearch
