#include "LibraryModel.h"

#include "Catalog.h"

namespace photosearch {
namespace {

const QString kModelDirSetting = QStringLiteral("model.dir");
const QString kModelIdSetting = QStringLiteral("model.id");

} // namespace

QString libraryModelDir(const Catalog& catalog)
{
    return catalog.setting(kModelDirSetting);
}

QString libraryModelId(const Catalog& catalog)
{
    return catalog.setting(kModelIdSetting);
}

void setLibraryModel(Catalog& catalog, const QString& modelDir, const QString& modelId)
{
    Catalog::Transaction transaction(catalog);
    catalog.setSetting(kModelDirSetting, modelDir);
    catalog.setSetting(kModelIdSetting, modelId);
    transaction.commit();
}

void recordIndexedModel(Catalog& catalog, const QString& modelDir, const QString& modelId, bool cancelled)
{
    if (!cancelled || libraryModelId(catalog).isEmpty())
        setLibraryModel(catalog, modelDir, modelId);
}

} // namespace photosearch
