#pragma once
// Exact scores for an approximate vector store's candidates. The compact
// index (IVF-SQ8, VectorStore.h) scores decoded 8-bit vectors, within ~1e-3
// of the exact cosine: close enough to find a query's neighbourhood, not to
// order its best few when they are packed within ~0.02 (recall@10 0.979 at
// 1M on bench_search's clustered set). So a search of an approximate store
// asks it for candidates(k) hits and re-scores the best kDepth of them with
// the catalog's float32 embeddings (one batched read): the order and scores
// of the best kDepth, what a user sees first, are then exact (recall@10 at
// 1M 0.9998 on the clustered set), and so are the cosines at the top of the
// relevance cut's list. Past kDepth (the cut asks for 500 candidates, the
// window shows up to 200) the store's order and scores are kept: re-scoring
// all 500 costs ~6-7 ms a query, the 40 ~0.8 ms (docs/BENCHMARKS.md, "Search
// at 1M photos", exact re-rank).
//
// A candidate whose photo has no valid embedding in the catalog (changed or
// failed since the store was built) keeps its approximate score: the store
// is a cache and the catalog decides which photos exist (SearchEngine drops
// ids without a catalog row, as before, and now fills their places from the
// extra candidates), not whether a score is usable.
//
// Not thread-safe: it reads through the caller's Catalog (one per thread).

#include "Catalog.h"
#include "VectorStore.h"

#include <QString>

#include <vector>

namespace photosearch {

class ExactRerank {
public:
    // Candidates re-scored per search. The exact 10 best of 1M photos are
    // among the store's best 20 as often as among its best 200 (recall@10
    // 0.9998 clustered, 0.9950 hard; the rest are in lists a query does not
    // scan); twice that, 40, for the margin and k = 20 (the CLI's default).
    // Each costs a catalog row read: ~20 us from the OS page cache, a few
    // 0.25 ms disk reads cold (bench_search --catalog-dir, 1M photos).
    static constexpr int kDepth = 40;

    ExactRerank(const Catalog& catalog, const QString& modelId);

    // How many hits to ask an approximate store for, to return k.
    static int candidates(int k);

    // The k best of `hits` (an approximate store's, best first), the first
    // `depth` of them scored by their inner product with `query` (unit
    // length, the model's dimension); best first, equal scores in the
    // store's order. (Benchmarks vary the depth.)
    std::vector<VectorHit> rerank(const std::vector<float>& query, std::vector<VectorHit> hits, int k,
                                  int depth = kDepth) const;

private:
    const Catalog& catalog_;
    QString modelId_;
};

} // namespace photosearch
