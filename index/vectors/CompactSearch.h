#pragma once
// Search of VectorStore's compact index: IVF lists of 8-bit scalar-quantized
// residuals (faiss::IndexIVFScalarQuantizer, QT_8bit, inner product, flat
// coarse quantizer; non-residual encoding is read too). FAISS keeps the lists, ids, adds, removes
// and the file; this scans them, because Debian's FAISS build decodes the
// codes one float at a time (~10 ms for 16k vectors on the reference
// machine) where AVX2 does it several times faster (ScanKernels.h).

#include "VectorStore.h"

#include <functional>
#include <vector>

namespace faiss {
struct IndexIVFScalarQuantizer;
}

namespace photosearch {

// Whether `index` has the layout searchCompact() reads (checked when a file
// is loaded; the store only ever builds this layout).
bool isCompactLayout(const faiss::IndexIVFScalarQuantizer& index);

// Which lists a query scans, best centroid first: at least `minLists`, then
// more until `vectors` stored vectors have been scanned (counting vectors,
// not lists, keeps the cost even when list sizes are not), at most
// `maxLists`. A fixed count is minLists = maxLists.
struct ProbePlan {
    int minLists = 8;
    int maxLists = 8;
    qint64 vectors = 0;
};

// Best k first, scores = inner product of the query with the decoded
// vectors. With `allowed`, when the planned lists hold fewer than k allowed
// vectors, every list is scanned (an exact search of the allowed subset over
// the codes).
std::vector<VectorHit> searchCompact(const faiss::IndexIVFScalarQuantizer& index, const float* query, int k,
                                     const ProbePlan& plan, const std::function<bool(qint64)>& allowed);

} // namespace photosearch
