// Multi-index hashing and union-find; the rule and why are in the header.

#include "DuplicateFinder.h"

#include "PerceptualHash.h"

#include <algorithm>
#include <functional>
#include <numeric>

namespace photosearch {
namespace {

constexpr int kBlocks = 4;
constexpr int kBlockBits = 16;
constexpr int kBuckets = 1 << kBlockBits;
// Beyond this radius per block the look-ups outnumber a plain comparison of
// all pairs for any library size worth indexing: compare all pairs instead.
constexpr int kMaxBlockRadius = 3;

quint32 blockOf(quint64 hash, int block)
{
    return quint32(hash >> (block * kBlockBits)) & (kBuckets - 1);
}

// The 16-bit masks with at most `radius` bits set.
std::vector<quint32> masksWithin(int radius)
{
    std::vector<quint32> masks;
    for (quint32 m = 0; m < quint32(kBuckets); ++m)
        if (int(qPopulationCount(m)) <= radius)
            masks.push_back(m);
    return masks;
}

// One block's buckets: the indices whose block value is v are
// items[offsets[v] .. offsets[v + 1]).
struct BlockTable {
    std::vector<int> offsets;
    std::vector<int> items;

    BlockTable(const std::vector<quint64>& hashes, int block)
        : offsets(kBuckets + 1, 0)
        , items(hashes.size())
    {
        for (quint64 h : hashes)
            ++offsets[blockOf(h, block) + 1];
        std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
        std::vector<int> fill(offsets.begin(), offsets.end() - 1);
        for (size_t i = 0; i < hashes.size(); ++i)
            items[size_t(fill[blockOf(hashes[i], block)]++)] = int(i);
    }
};

// Calls visit(i, j), i < j, for every pair within maxDistance, possibly more
// than once per pair (once per block that finds it).
void forEachNearPair(const std::vector<quint64>& hashes, int maxDistance,
                     const std::function<void(int, int)>& visit)
{
    const int n = int(hashes.size());
    const int radius = maxDistance / kBlocks;
    if (radius > kMaxBlockRadius) {
        for (int i = 0; i < n; ++i)
            for (int j = i + 1; j < n; ++j)
                if (hammingDistance(hashes[size_t(i)], hashes[size_t(j)]) <= maxDistance)
                    visit(i, j);
        return;
    }
    const std::vector<quint32> masks = masksWithin(radius);
    for (int block = 0; block < kBlocks; ++block) {
        const BlockTable table(hashes, block);
        for (int i = 0; i < n; ++i) {
            const quint32 own = blockOf(hashes[size_t(i)], block);
            for (quint32 mask : masks) {
                const quint32 key = own ^ mask;
                for (int k = table.offsets[key]; k < table.offsets[key + 1]; ++k) {
                    const int j = table.items[size_t(k)];
                    if (j > i && hammingDistance(hashes[size_t(i)], hashes[size_t(j)]) <= maxDistance)
                        visit(i, j);
                }
            }
        }
    }
}

struct UnionFind {
    std::vector<int> parent;
    explicit UnionFind(size_t n)
        : parent(n)
    {
        std::iota(parent.begin(), parent.end(), 0);
    }
    int find(int x)
    {
        while (parent[size_t(x)] != x) {
            parent[size_t(x)] = parent[size_t(parent[size_t(x)])];
            x = parent[size_t(x)];
        }
        return x;
    }
    void unite(int a, int b)
    {
        a = find(a);
        b = find(b);
        if (a != b)
            parent[size_t(std::max(a, b))] = std::min(a, b);
    }
};

} // namespace

DuplicateFinder::DuplicateFinder(int maxDistance)
    : maxDistance_(maxDistance < 0 ? kNearDuplicateDistance : std::min(maxDistance, 64))
{
}

std::vector<std::pair<int, int>> DuplicateFinder::nearPairs(const std::vector<quint64>& hashes) const
{
    std::vector<std::pair<int, int>> pairs;
    forEachNearPair(hashes, maxDistance_, [&](int i, int j) { pairs.emplace_back(i, j); });
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    return pairs;
}

std::vector<DuplicateGroup> DuplicateFinder::groups(const std::vector<HashedPhoto>& photos) const
{
    // Equal hashes first, as one entry each: a library with thousands of
    // identical hashes (black frames, one photo copied many times) would
    // otherwise fill one bucket and compare every pair in it.
    std::vector<int> order(photos.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](int a, int b) { return photos[size_t(a)].hash < photos[size_t(b)].hash; });
    UnionFind sets(photos.size());
    std::vector<quint64> distinct;
    std::vector<int> firstWith; // a photo holding distinct[k]
    for (size_t k = 0; k < order.size(); ++k) {
        const int photo = order[k];
        if (k > 0 && photos[size_t(photo)].hash == distinct.back()) {
            sets.unite(firstWith.back(), photo);
            continue;
        }
        distinct.push_back(photos[size_t(photo)].hash);
        firstWith.push_back(photo);
    }
    forEachNearPair(distinct, maxDistance_,
                    [&](int i, int j) { sets.unite(firstWith[size_t(i)], firstWith[size_t(j)]); });

    std::vector<std::vector<int>> byRoot(photos.size());
    for (size_t i = 0; i < photos.size(); ++i)
        byRoot[size_t(sets.find(int(i)))].push_back(int(i));
    std::vector<DuplicateGroup> out;
    for (const std::vector<int>& members : byRoot) {
        if (members.size() < 2)
            continue;
        DuplicateGroup group;
        for (int i : members)
            group.members.push_back(photos[size_t(i)]);
        std::sort(group.members.begin(), group.members.end(),
                  [](const HashedPhoto& a, const HashedPhoto& b) { return a.path < b.path; });
        out.push_back(std::move(group));
    }
    std::sort(out.begin(), out.end(), [](const DuplicateGroup& a, const DuplicateGroup& b) {
        if (a.members.size() != b.members.size())
            return a.members.size() > b.members.size();
        return a.members.front().path < b.members.front().path;
    });
    return out;
}

} // namespace photosearch
