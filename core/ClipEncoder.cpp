#include "ClipEncoder.h"

#include <torch/torch.h>

namespace photosearch {

ClipEncoder::ClipEncoder(const QString& modelDir, const clip::ComputeOptions& compute, clip::Towers towers,
                         clip::WeightStorage storage)
    : modelDir_(modelDir)
    , model_(clip::openTowers(modelDir.toStdString(), compute, towers, storage))
    , tokenizer_(ClipTokenizer::fromDirectory(modelDir))
    , preprocessor_(PreprocessConfig::fromModelDirectory(modelDir, int(model_->config().vision.imageSize)))
{
}

ClipEncoder::ClipEncoder(std::unique_ptr<clip::TowerEngine> model, ClipTokenizer tokenizer, const PreprocessConfig& preprocess,
                         const QString& label)
    : modelDir_(label)
    , model_(std::move(model))
    , tokenizer_(std::move(tokenizer))
    , preprocessor_(preprocess)
{
}

torch::Tensor ClipEncoder::embedTexts(const QStringList& texts) const
{
    std::vector<std::vector<int64_t>> ids;
    ids.reserve(size_t(texts.size()));
    const int maxLength = int(model_->config().text.maxPositions);
    for (const QString& t : texts)
        ids.push_back(tokenizer_.encode(t, maxLength));
    return model_->encodeTokens(ids);
}

torch::Tensor ClipEncoder::embedPixels(const std::vector<torch::Tensor>& pixels) const
{
    if (pixels.empty())
        return torch::empty({0, model_->config().projectionDim});
    return model_->encodeImages(torch::stack(pixels));
}

torch::Tensor ClipEncoder::normalized(const torch::Tensor& embeddings)
{
    return embeddings / embeddings.norm(2, -1, true).clamp_min(1e-12);
}

} // namespace photosearch
