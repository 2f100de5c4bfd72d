// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include <torch/torch.h>

#include "ZeroShotClassifier.h"

#include "ClipEncoder.h"

#include <stdexcept>

namespace photosearch {

namespace {

// Simplified, without empty and repeated ones, in the order given.
QStringList distinctLabels(const QStringList& raw)
{
    QStringList labels;
    for (const QString& part : raw) {
        const QString label = part.simplified();
        if (!label.isEmpty() && !labels.contains(label))
            labels << label;
    }
    return labels;
}

} // namespace

QStringList ZeroShotClassifier::splitLabels(const QString& text)
{
    return distinctLabels(text.split(QLatin1Char(',')));
}

ZeroShotClassifier::ZeroShotClassifier(const ClipEncoder& encoder, const QStringList& labels,
                                       PromptEnsemble& ensemble)
    : labels_(distinctLabels(labels))
    , logitScale_(encoder.model().logitScale())
{
    if (labels_.isEmpty())
        throw std::invalid_argument("classification needs at least one label");
    labelMatrix_ = ensemble.embed(labels_);
}

std::vector<Classification> ZeroShotClassifier::classify(const torch::Tensor& imageEmbeddings) const
{
    torch::NoGradGuard noGrad;
    const torch::Tensor images = ClipEncoder::normalized(imageEmbeddings.to(torch::kFloat32).cpu());
    // The CLIP paper's zero-shot head: logits = exp(logit_scale) × cosine.
    const torch::Tensor probs = torch::softmax(images.matmul(labelMatrix_.t()) * logitScale_, 1).contiguous();
    std::vector<Classification> out;
    for (int64_t i = 0; i < probs.size(0); ++i) {
        const float* row = probs[i].data_ptr<float>();
        Classification c;
        c.probs.assign(row, row + probs.size(1));
        const auto best = std::max_element(c.probs.begin(), c.probs.end()) - c.probs.begin();
        c.label = labels_[int(best)];
        out.push_back(std::move(c));
    }
    return out;
}

Classification ZeroShotClassifier::classify(const std::vector<float>& imageEmbedding) const
{
    const torch::Tensor row =
        torch::from_blob(const_cast<float*>(imageEmbedding.data()), {1, int64_t(imageEmbedding.size())},
                         torch::kFloat32);
    return classify(row).front();
}

} // namespace photosearch
