#include "VectorSetDtype.h"

#include "Compute.h"
#include "VectorSet.h"

namespace photosearch {

c10::ScalarType vectorSetDtype(const QString& setId)
{
    return setId.isEmpty() ? c10::ScalarType::Undefined : clip::parseDtype(vectorSetPrecision(setId).toStdString());
}

c10::ScalarType existingPrecision(const Catalog& catalog, const QString& modelId)
{
    return vectorSetDtype(existingVectorSet(catalog, modelId));
}

QString readerVectorSet(const QString& existing, const QString& modelId, c10::ScalarType computedPrecision)
{
    return readerVectorSet(existing, modelId, QString::fromStdString(clip::dtypeName(computedPrecision)));
}

} // namespace photosearch
