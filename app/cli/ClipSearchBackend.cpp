// `search` and `similar` in the full CLI: queries embedded with CLIP.
// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoder.h"

#include "Catalog.h"
#include "ClipQueryEmbedder.h"
#include "Commands.h"
#include "ComputeArgs.h"
#include "ModelIdentity.h"
#include "SearchCommand.h"
#include "VectorSet.h"
#include "VectorSetDtype.h"

#include <memory>

namespace photosearch::cli {
namespace {

// The model is read only when a query must be embedded, and then only the
// tower it needs: a text whose embedding the catalog has cached needs none,
// a new text the text tower, an image term or `similar` with a photo not in
// the library the vision tower. That is most of a search's start-up time.
class LazyEncoders {
public:
    LazyEncoders(const QString& modelDir, const clip::ComputeOptions& compute)
        : modelDir_(modelDir)
        , compute_(compute)
    {
    }

    const ClipEncoder& operator()(EncoderUse use)
    {
        std::unique_ptr<ClipEncoder>& slot = use == EncoderUse::Text ? text_ : vision_;
        if (!slot)
            slot = std::make_unique<ClipEncoder>(modelDir_, compute_,
                                                 use == EncoderUse::Text ? clip::Towers::Text : clip::Towers::Vision,
                                                 clip::WeightStorage::InPlace);
        return *slot;
    }

private:
    QString modelDir_;
    clip::ComputeOptions compute_;
    std::unique_ptr<ClipEncoder> text_;
    std::unique_ptr<ClipEncoder> vision_;
};

SearchModel clipSearchModel(const CliArgs& args, const Catalog& catalog, const QString& modelDir)
{
    const QString filesId = modelIdForDirectory(modelDir);
    const QString existing = existingVectorSet(catalog, filesId);
    const clip::ComputeOptions compute = computeFromArgs(args, vectorSetDtype(existing));
    auto encoders = std::make_shared<LazyEncoders>(modelDir, compute);
    SearchModel model;
    model.setId = readerVectorSet(existing, filesId, compute.dtype);
    model.embedder = std::make_unique<ClipQueryEmbedder>(
        [encoders](EncoderUse use) -> const ClipEncoder& { return (*encoders)(use); });
    return model;
}

} // namespace

int searchCommand(const QStringList& args)
{
    return runSearch(args, SearchMode::Text, clipSearchModel);
}

int similarCommand(const QStringList& args)
{
    return runSearch(args, SearchMode::Similar, clipSearchModel);
}

} // namespace photosearch::cli
