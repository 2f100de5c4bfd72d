#pragma once
// Which of a library's vector sets a model's embeddings belong to. A set is
// named by the model's id (ModelIdentity.h) and the precision the vectors
// were computed in: "clip-3f2a9c01b4de77a0" for fp32 (and every library from
// before precisions were told apart), "clip-3f2a9c01b4de77a0-bf16",
// "…-fp16". Vectors of different precision agree to a cosine of about 0.9995,
// close but not equal, so they never share a set: a set's embedding rows,
// FAISS file and cached queries all carry its id.

#include <QString>

namespace photosearch {

class Catalog;

// "fp32", "bf16" or "fp16" (clip::dtypeName's names).
QString vectorSetId(const QString& modelId, const QString& precision);
// The precision of a set id; "fp32" for a bare model id.
QString vectorSetPrecision(const QString& setId);
// The model id a set belongs to (the set id without its precision).
QString vectorSetModel(const QString& setId);
// Whether `setId` is one of `modelId`'s sets.
bool isVectorSetOf(const QString& setId, const QString& modelId);

// The set of `modelId` that this library already holds vectors in: the
// library's own set when it is this model's and has any, else this model's
// set with the most vectors; empty when the library has none of this model.
// An index run computes in that set's precision when the device runs it
// natively, so new photos join the vectors already there.
QString existingVectorSet(const Catalog& catalog, const QString& modelId);

// The set readers (search, similar, tags, classify) use for a model, given
// its existingVectorSet: that one, whatever precision they compute queries in
// (a query is not stored with the vectors), else the set of
// `computedPrecision`, the one an index run here would fill.
QString readerVectorSet(const QString& existing, const QString& modelId, const QString& computedPrecision);
// The same, reading existingVectorSet from the catalog.
QString libraryVectorSet(const Catalog& catalog, const QString& modelId, const QString& computedPrecision);

// The LibTorch side (the precision as a dtype) is VectorSetDtype.h: this
// header stays free of LibTorch for the CLI's quick search (QuickSearch.h).

} // namespace photosearch
