#include "LibraryModel.h"

#include "Catalog.h"
#include "VectorSet.h"

#include <QDir>
#include <QFileInfo>

namespace photosearch {
namespace {

const QString kModelDirSetting = QStringLiteral("model.dir");
const QString kModelIdSetting = QStringLiteral("model.id");

} // namespace

QString libraryModelDir(const Catalog& catalog)
{
    return catalog.setting(kModelDirSetting);
}

QString resolveLibraryModelDir(const Catalog* catalog, const QString& requested)
{
    QString dir = requested;
    if (dir.isEmpty() && catalog)
        dir = libraryModelDir(*catalog);
    if (dir.isEmpty())
        dir = qEnvironmentVariable("PHOTOSEARCH_MODEL");
    return dir.isEmpty() ? QString() : QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
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
    const QString current = libraryModelId(catalog);
    // The same folder with other files (another id): the old weights cannot
    // be loaded any more, so their vectors are no reason to keep the old id.
    // The same files in another precision (VectorSet.h) are still loadable:
    // their set takes over only once it covers as much.
    const bool replacedFiles =
        libraryModelDir(catalog) == modelDir && vectorSetModel(current) != vectorSetModel(modelId);
    if (current.isEmpty() || current == modelId || replacedFiles || catalog.embeddingCount(current) == 0
        || (!cancelled && catalog.embeddingCount(modelId) >= catalog.embeddingCount(current)))
        setLibraryModel(catalog, modelDir, modelId);
}

QString otherModelNotice(const Catalog& catalog, const QString& modelId)
{
    const QString kept = libraryModelId(catalog);
    if (kept.isEmpty() || kept == modelId)
        return {};
    return QStringLiteral("The library still searches with %1 (%2 photos); this model has %3 so far. Index all of "
                          "the library's folders with it to switch, or choose it to search with it.")
        .arg(libraryModelDir(catalog))
        .arg(catalog.embeddingCount(kept))
        .arg(catalog.embeddingCount(modelId));
}

} // namespace photosearch
