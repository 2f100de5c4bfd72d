#include "ExactRerank.h"

#include "ScanKernels.h"

#include <algorithm>

namespace photosearch {

ExactRerank::ExactRerank(const Catalog& catalog, const QString& modelId)
    : catalog_(catalog)
    , modelId_(modelId)
{
}

int ExactRerank::candidates(int k)
{
    return k <= 0 ? 0 : std::max(k, kDepth);
}

std::vector<VectorHit> ExactRerank::rerank(const std::vector<float>& query, std::vector<VectorHit> hits, int k,
                                           int depth) const
{
    const size_t scored = std::min(hits.size(), size_t(std::max(depth, 0)));
    std::vector<qint64> ids;
    ids.reserve(scored);
    for (size_t i = 0; i < scored; ++i)
        ids.push_back(hits[i].id);
    const std::vector<std::vector<float>> vectors = catalog_.embeddings(ids, modelId_);
    for (size_t i = 0; i < scored; ++i) {
        if (vectors[i].size() == query.size())
            hits[i].score = kernels::dot(query.data(), vectors[i].data(), query.size());
    }
    std::stable_sort(hits.begin(), hits.end(), [](const VectorHit& a, const VectorHit& b) { return a.score > b.score; });
    hits.resize(std::min(hits.size(), size_t(std::max(k, 0))));
    return hits;
}

} // namespace photosearch
