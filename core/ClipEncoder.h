#pragma once
// A CLIP model directory made usable: tokenizer, towers and preprocessing
// read from the same Hugging Face layout, so text and images can be embedded
// from strings and files. Shared by the CLI, the indexer and the GUI.

#include "ClipTokenizer.h"
#include "TowerEngine.h"
#include "ImagePreprocessor.h"

#include <QString>
#include <QStringList>

#include <torch/types.h>

#include <memory>

namespace photosearch {

class ClipEncoder {
public:
    // Throws clip::ModelError naming the file that is missing or malformed.
    // `towers` limits what is read: embedTexts needs the text tower,
    // embedPixels the vision tower (std::logic_error without it).
    ClipEncoder(const QString& modelDir, const clip::ComputeOptions& compute,
                clip::Towers towers = clip::Towers::Both, clip::WeightStorage storage = clip::WeightStorage::Copy);
    // From parts already made, e.g. a random ViT-B/32-shaped model and the
    // real tokenizer for benchmarks; `label` stands for the directory.
    ClipEncoder(std::unique_ptr<clip::TowerEngine> model, ClipTokenizer tokenizer, const PreprocessConfig& preprocess,
                const QString& label);

    const QString& modelDir() const { return modelDir_; }
    const clip::TowerEngine& model() const { return *model_; }
    const ClipTokenizer& tokenizer() const { return tokenizer_; }
    const ImagePreprocessor& preprocessor() const { return preprocessor_; }

    // [N, projectionDim] float32, what get_text_features returns.
    torch::Tensor embedTexts(const QStringList& texts) const;
    // Stacks preprocessed [3, S, S] images and runs the vision tower.
    torch::Tensor embedPixels(const std::vector<torch::Tensor>& pixels) const;

    // Rows scaled to unit length (cosine similarity becomes a dot product).
    static torch::Tensor normalized(const torch::Tensor& embeddings);

private:
    QString modelDir_;
    std::unique_ptr<const clip::TowerEngine> model_;
    ClipTokenizer tokenizer_;
    ImagePreprocessor preprocessor_;
};

} // namespace photosearch
