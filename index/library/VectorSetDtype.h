#pragma once
// VectorSet.h's precisions as LibTorch dtypes: what clip::chooseCompute takes
// and the encoders report. Apart from VectorSet.h so that code which only
// names sets (the CLI's quick search) does not link LibTorch.

#include <c10/core/ScalarType.h>

#include <QString>

namespace photosearch {

class Catalog;

// The dtype of a set's vectors; Undefined for an empty id (no set): what
// clip::chooseCompute takes as `preferred`, so that a library keeps the
// precision its vectors have.
c10::ScalarType vectorSetDtype(const QString& setId);

// vectorSetDtype(existingVectorSet(catalog, modelId)).
c10::ScalarType existingPrecision(const Catalog& catalog, const QString& modelId);

// readerVectorSet with the precision the reader computes in.
QString readerVectorSet(const QString& existing, const QString& modelId, c10::ScalarType computedPrecision);

} // namespace photosearch
