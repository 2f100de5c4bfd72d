#include "QuickSearch.h"

#include "Catalog.h"
#include "CliArgs.h"
#include "ModelIdentity.h"
#include "SearchCommand.h"
#include "VectorSet.h"

namespace photosearch::cli {
namespace {

class CachedOnlyEmbedder final : public QueryEmbedder {
public:
    std::vector<float> embedText(const QString&) override { throw NeedsFullCli("the query is not cached"); }
    std::vector<float> embedImage(const QString&) override { throw NeedsFullCli("the image must be embedded"); }
};

SearchModel cachedSearchModel(const CliArgs& args, const Catalog& catalog, const QString& modelDir)
{
    // The device and precision options are the full CLI's to check and obey.
    if (args.has(QStringLiteral("device")) || args.has(QStringLiteral("dtype")))
        throw NeedsFullCli("--device or --dtype given");
    SearchModel model;
    model.setId = existingVectorSet(catalog, modelIdForDirectory(modelDir));
    if (model.setId.isEmpty())
        throw NeedsFullCli("no vectors of the model yet");
    model.embedder = std::make_unique<CachedOnlyEmbedder>();
    return model;
}

} // namespace

int quickSearchCommand(const QStringList& args)
{
    return runSearch(args, SearchMode::Text, cachedSearchModel);
}

int quickSimilarCommand(const QStringList& args)
{
    return runSearch(args, SearchMode::Similar, cachedSearchModel);
}

} // namespace photosearch::cli
