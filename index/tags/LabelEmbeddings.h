#pragma once
// Label embeddings (prompt-ensemble text embeddings of tag names) kept per
// model in the catalog's label_embeddings table, so that re-tagging, and
// tagging photos added later, needs no text tower once a vocabulary has been
// embedded. Unlike the query cache, nothing here is evicted: a vocabulary is
// a few hundred rows per model.
//
// Thread rule: like the Catalog they use, one thread.

#include <torch/types.h>

#include "PromptEnsemble.h"

#include <QString>
#include <QStringList>

#include <functional>

namespace photosearch {

class Catalog;
class ClipEncoder;

// A PromptEnsemble's LabelEmbeddingStore backed by the catalog (any key the
// ensemble chooses, under `modelId`), for classify. The catalog must outlive
// it. A catalog that cannot be read or written reads as a miss and skips
// the write: it is a cache.
LabelEmbeddingStore catalogLabelStore(Catalog& catalog, const QString& modelId);

// Turns labels into [L, D] unit rows; key() names what the embeddings depend
// on besides the model (the prompt templates), so that a change re-tags.
class LabelEmbedder {
public:
    virtual ~LabelEmbedder() = default;
    virtual torch::Tensor embed(const QStringList& labels) = 0;
    virtual QString key() const = 0;
};

// The tagger's embedder: the prompt ensemble of `templates`, read from the
// catalog when stored there, else computed and stored. The encoder is asked
// for only on a miss (loading a model takes seconds), through `encoder`,
// which must return one that outlives this object.
class CatalogLabelEmbedder : public LabelEmbedder {
public:
    CatalogLabelEmbedder(Catalog& catalog, QString modelId, std::function<const ClipEncoder&()> encoder,
                         QStringList templates = defaultPromptTemplates());
    ~CatalogLabelEmbedder() override;
    torch::Tensor embed(const QStringList& labels) override;
    QString key() const override { return key_; }
    // Labels computed (not read from the catalog) so far.
    int computed() const { return computed_; }

private:
    QString storeKey(const QString& label) const;

    Catalog& catalog_;
    QString modelId_;
    std::function<const ClipEncoder&()> encoder_;
    QStringList templates_;
    QString key_;
    std::unique_ptr<PromptEnsemble> ensemble_;
    int computed_ = 0;
};

} // namespace photosearch
