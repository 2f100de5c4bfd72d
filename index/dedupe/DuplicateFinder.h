#pragma once
// Near-duplicate groups from perceptual hashes (core/PerceptualHash.h): two
// photos are copies of one another when their hashes are at most
// maxDistance bits apart, and groups are the connected sets of that relation
// (single link: A~B and B~C group A with C even when A and C are further
// apart, as a chain of edits of one photo should).
//
// The rule is the hash alone. Embeddings take no part, on purpose: the
// candidate search below is exhaustive for the threshold (no pair within it
// is missed), so an embedding could only propose pairs that the hash rule
// then rejects, and letting it accept them would make the groups depend on
// the model's quality (a random model puts unrelated photos together).
//
// Candidates without comparing all pairs: multi-index hashing. The 64 bits
// are cut into 4 blocks of 16; if two hashes are within maxDistance, some
// block differs in at most r = maxDistance / 4 bits (pigeonhole), so each
// photo looks up, per block, the buckets of every 16-bit value within r of
// its own (137 buckets for r = 2) and compares full hashes only there.
// About n·4·137 look-ups: 100k hashes group in well under a second
// (bench/bench_duplicates.cpp).
//
// Pure computation: any thread, no shared state.

#include <QString>
#include <QtGlobal>

#include <utility>
#include <vector>

namespace photosearch {

struct HashedPhoto {
    qint64 id = 0;
    QString path;
    quint64 hash = 0;
};

struct DuplicateGroup {
    std::vector<HashedPhoto> members; // at least two, by path
};

class DuplicateFinder {
public:
    // 0..64; the default is kNearDuplicateDistance.
    explicit DuplicateFinder(int maxDistance = -1);

    int maxDistance() const { return maxDistance_; }

    // Every pair (i, j), i < j, of indices into `hashes` within maxDistance,
    // sorted.
    std::vector<std::pair<int, int>> nearPairs(const std::vector<quint64>& hashes) const;

    // Groups of two or more: largest first, then by first path; members by
    // path. Photos in no group are left out.
    std::vector<DuplicateGroup> groups(const std::vector<HashedPhoto>& photos) const;

private:
    int maxDistance_;
};

} // namespace photosearch
