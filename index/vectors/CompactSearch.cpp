#include "CompactSearch.h"

#include "ScanKernels.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexScalarQuantizer.h>
#include <faiss/invlists/InvertedLists.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace photosearch {
namespace {

using idx_t = faiss::Index::idx_t;

// The k best seen so far: a min-heap, so the worst kept is at the front.
class TopK {
public:
    explicit TopK(size_t k) : k_(k) { heap_.reserve(k); }
    bool full() const { return heap_.size() == k_; }
    size_t size() const { return heap_.size(); }
    float worst() const { return heap_.front().score; }
    void push(idx_t id, float score)
    {
        if (full()) {
            if (score <= worst())
                return;
            std::pop_heap(heap_.begin(), heap_.end(), greater);
            heap_.back() = {qint64(id), score};
        } else {
            heap_.push_back({qint64(id), score});
        }
        std::push_heap(heap_.begin(), heap_.end(), greater);
    }
    std::vector<VectorHit> sorted()
    {
        std::sort_heap(heap_.begin(), heap_.end(), greater); // best first
        return std::move(heap_);
    }

private:
    static bool greater(const VectorHit& a, const VectorHit& b) { return a.score > b.score; }
    size_t k_;
    std::vector<VectorHit> heap_;
};

} // namespace

bool isCompactLayout(const faiss::IndexIVFScalarQuantizer& index)
{
    return index.sq.qtype == faiss::ScalarQuantizer::QT_8bit
        && index.metric_type == faiss::METRIC_INNER_PRODUCT && index.code_size == size_t(index.d)
        && index.sq.trained.size() == 2 * size_t(index.d)
        && dynamic_cast<const faiss::IndexFlatIP*>(index.quantizer)
        && index.quantizer->ntotal == idx_t(index.nlist)
        && dynamic_cast<const faiss::ArrayInvertedLists*>(index.invlists);
}

std::vector<VectorHit> searchCompact(const faiss::IndexIVFScalarQuantizer& index, const float* q, int k,
                                     const ProbePlan& plan, const std::function<bool(qint64)>& allowed)
{
    const size_t d = size_t(index.d), nlist = index.nlist;
    const float* centroids = static_cast<const faiss::IndexFlatIP*>(index.quantizer)->get_xb();
    std::vector<float> coarse(nlist);
    for (size_t l = 0; l < nlist; ++l)
        coarse[l] = kernels::dot(q, centroids + l * d, d);
    std::vector<size_t> order(nlist);
    std::iota(order.begin(), order.end(), size_t(0));
    const size_t maxLists = std::min(nlist, size_t(std::max(plan.maxLists, 1)));
    const size_t minLists = std::min(maxLists, size_t(std::max(plan.minLists, 1)));
    std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(maxLists), order.end(),
                      [&](size_t a, size_t b) { return coarse[a] > coarse[b]; });

    // A stored vector decodes to vmin + (code + 0.5) / 255 * vdiff (FAISS's
    // 8-bit codec; plus its list's centroid when residuals are encoded), so
    // its inner product with q is base + sum(w * code) (+ q.centroid), with w
    // and base fixed per query.
    const float* vmin = index.sq.trained.data();
    const float* vdiff = vmin + d;
    std::vector<float> w(d);
    float base = 0, wMax = 0;
    for (size_t i = 0; i < d; ++i) {
        w[i] = q[i] * vdiff[i] / 255.0f;
        base += q[i] * (vmin[i] + 0.5f * vdiff[i] / 255.0f);
        wMax = std::max(wMax, std::abs(w[i]));
    }
    // The weights in 16 bits, largest |w| as large as an int32 sum allows
    // (ScanKernels.h): 16448 at d = 512, rounding far finer than the codes'.
    const int32_t limit = int32_t(std::min<size_t>(32767, size_t(INT32_MAX) / (255 * std::max<size_t>(d, 1))));
    const float scale = wMax > 0 ? float(limit) / wMax : 1.0f, unscale = 1.0f / scale;
    std::vector<int16_t> w16(d);
    for (size_t i = 0; i < d; ++i)
        w16[i] = int16_t(std::lround(w[i] * scale));
    TopK top{size_t(k)};
    const faiss::InvertedLists& lists = *index.invlists;
    const auto scan = [&](size_t l) {
        const size_t n = lists.list_size(l);
        if (n == 0)
            return;
        const uint8_t* codes = lists.get_codes(l); // ArrayInvertedLists: no copy, no release
        const idx_t* ids = lists.get_ids(l);
        const float offset = (index.by_residual ? coarse[l] : 0.0f) + base;
        for (size_t i = 0; i < n; ++i)
            if (!allowed || allowed(qint64(ids[i])))
                top.push(ids[i], offset + unscale * float(kernels::dotCodes16(w16.data(), codes + i * d, d)));
    };
    size_t probed = 0;
    for (qint64 scanned = 0; probed < maxLists && (probed < minLists || scanned < plan.vectors); ++probed) {
        scanned += qint64(lists.list_size(order[probed]));
        scan(order[probed]);
    }
    // A selective filter can leave the probed lists short of k allowed hits.
    if (allowed && !top.full()) {
        if (probed < nlist) // the rest of the order was not sorted; any order does
            std::for_each(order.begin() + std::ptrdiff_t(probed), order.end(), scan);
    }
    return top.sorted();
}

} // namespace photosearch
