#include "VectorSet.h"

#include "Catalog.h"
#include "LibraryModel.h"
#include "SqliteConnection.h"

namespace photosearch {
namespace {

const QStringList& reducedPrecisions()
{
    static const QStringList names = {QStringLiteral("bf16"), QStringLiteral("fp16")};
    return names;
}

bool hasAnyEmbedding(const Catalog& catalog, const QString& setId)
{
    Statement s = catalog.connection().statement("SELECT 1 FROM embeddings WHERE model_id = ?1 LIMIT 1");
    s.bind(1, setId);
    return s.next();
}

} // namespace

QString vectorSetId(const QString& modelId, const QString& precision)
{
    return precision.isEmpty() || precision == QLatin1String("fp32") ? modelId : modelId + QLatin1Char('-') + precision;
}

QString vectorSetPrecision(const QString& setId)
{
    for (const QString& p : reducedPrecisions())
        if (setId.endsWith(QLatin1Char('-') + p))
            return p;
    return QStringLiteral("fp32");
}

QString vectorSetModel(const QString& setId)
{
    const QString precision = vectorSetPrecision(setId);
    return precision == QLatin1String("fp32") ? setId : setId.chopped(precision.size() + 1);
}

bool isVectorSetOf(const QString& setId, const QString& modelId)
{
    return !modelId.isEmpty() && setId == vectorSetId(modelId, vectorSetPrecision(setId));
}

QString existingVectorSet(const Catalog& catalog, const QString& modelId)
{
    const QString own = libraryModelId(catalog);
    if (isVectorSetOf(own, modelId) && hasAnyEmbedding(catalog, own))
        return own;
    QString best;
    qint64 bestCount = 0;
    for (const QString& p : QStringList{QStringLiteral("fp32")} + reducedPrecisions()) {
        const QString id = vectorSetId(modelId, p);
        if (id == own || !hasAnyEmbedding(catalog, id))
            continue;
        const qint64 n = catalog.embeddingCount(id);
        if (n > bestCount || best.isEmpty()) {
            best = id;
            bestCount = n;
        }
    }
    return best;
}

QString readerVectorSet(const QString& existing, const QString& modelId, const QString& computedPrecision)
{
    return existing.isEmpty() ? vectorSetId(modelId, computedPrecision) : existing;
}

QString libraryVectorSet(const Catalog& catalog, const QString& modelId, const QString& computedPrecision)
{
    return readerVectorSet(existingVectorSet(catalog, modelId), modelId, computedPrecision);
}

} // namespace photosearch
