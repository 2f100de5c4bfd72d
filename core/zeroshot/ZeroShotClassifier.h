#pragma once
// Zero-shot classification (the CLIP paper's method): an image's
// probabilities over labels a person types are the softmax of the model's
// logit scale × the cosine between the image embedding and each label's
// prompt-ensemble embedding. Used by `classify` and by the window's
// drag-and-drop panel.
//
// Thread rule: one classifier per thread.

#include "PromptEnsemble.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace photosearch {

struct Classification {
    QString label;             // the most probable label
    std::vector<float> probs;  // one per label, in the order given, summing to 1
};

class ZeroShotClassifier {
public:
    // Labels are trimmed; empty and repeated ones are dropped (labels()
    // says what is left). Throws std::invalid_argument when fewer than one
    // label remains.
    ZeroShotClassifier(const ClipEncoder& encoder, const QStringList& labels, PromptEnsemble& ensemble);

    const QStringList& labels() const { return labels_; }

    // `imageEmbedding`: a projection output (any length; it is normalised).
    Classification classify(const std::vector<float>& imageEmbedding) const;
    // Rows of [N, D] image embeddings at once.
    std::vector<Classification> classify(const torch::Tensor& imageEmbeddings) const;

    // Splits "a, b ,c" at commas (the CLI's --labels and the panel's field).
    static QStringList splitLabels(const QString& text);

private:
    QStringList labels_;
    torch::Tensor labelMatrix_; // [L, D] unit rows
    double logitScale_;
};

} // namespace photosearch
