#pragma once
// Labels → CLIP text embeddings with the CLIP paper's prompt ensemble: each
// label is put into every template ("a photo of a {}."), the texts are
// embedded and normalised, and the label's embedding is the normalised mean
// of those (section 3.1.4: +3.5 points on ImageNet over one template).
// Shared by classify (labels typed by a person) and the tagger (a
// vocabulary of hundreds of tags).
//
// Thread rule: one PromptEnsemble per thread (its cache is not locked); the
// encoder it holds is thread-safe.

#include <torch/types.h>

#include <QHash>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

namespace photosearch {

class ClipEncoder;

// The templates compiled into the binaries (resources/prompts/templates.txt).
QStringList defaultPromptTemplates();
// Templates from a file in that format: one per line, '#' comments, each
// with exactly one "{}". Throws std::runtime_error naming the file when it
// cannot be read or holds no usable template.
QStringList readPromptTemplates(const QString& path);
// Parses the text of such a file; lines without "{}" get " {}" appended
// would be a guess, so they are skipped.
QStringList parsePromptTemplates(const QString& text);

// Where label embeddings survive the process (the library catalog), keyed by
// model and the ensemble's key; optional.
struct LabelEmbeddingStore {
    std::function<std::vector<float>(const QString& key)> load;          // empty = not stored
    std::function<void(const QString& key, const std::vector<float>&)> save;
};

// How the text tower runs for an ensemble's labels.
//   Exact: in the engine's own text precision (fp32 on the CPU), so that a
//     label's vector does not depend on the labels embedded with it; for
//     classify, whose scores a person reads and compares across runs.
//   Fast: with a bf16 copy of the text tower where the CPU has bf16 units
//     (TowerEngine::textTowerForBatches; a vocabulary of 338 labels: 4 s
//     against 9 s, cosine >= 0.9999 to Exact), elsewhere as Exact. A
//     label's vector then moves by ~1e-3 with its batch; for the tag
//     vocabulary, embedded once per library and model and then stored.
enum class LabelPrecision { Exact, Fast };

class PromptEnsemble {
public:
    explicit PromptEnsemble(const ClipEncoder& encoder, QStringList templates = defaultPromptTemplates(),
                            LabelEmbeddingStore store = {});

    // [labels, projectionDim] float32 CPU, unit rows, in the order given.
    // Labels are trimmed; each distinct label is embedded once per ensemble
    // and model, then kept (in memory and in the store).
    torch::Tensor embed(const QStringList& labels);
    std::vector<float> embed(const QString& label);

    // Exact unless set; applies to labels embedded from then on.
    void setPrecision(LabelPrecision precision) { precision_ = precision; }

    const QStringList& templates() const { return templates_; }
    // Identifies the templates: a change of templates is a new key.
    const QString& key() const { return key_; }

private:
    std::vector<std::vector<float>> compute(const QStringList& labels) const;
    QString storeKey(const QString& label) const;

    const ClipEncoder& encoder_;
    QStringList templates_;
    LabelEmbeddingStore store_;
    LabelPrecision precision_ = LabelPrecision::Exact;
    QString key_;
    QHash<QString, std::vector<float>> cache_;
};

} // namespace photosearch
