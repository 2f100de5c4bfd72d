#pragma once
// Where a query's results stop being relevant, from the query's own score
// distribution. CLIP cosines differ per query (a good match for "dog" may
// score 0.30 and one for "receipt" 0.24), so no flat threshold works
// (Immich #5996, rclip #207). Most of a library is unrelated to any one
// query, so the scores of a sample of the library against the query are the
// query's "background": a result is relevant when it stands out of that
// background by kZ standard deviations. The background's centre and spread
// come from its LOWER tail only (the 2.28% and 15.87% quantiles, two and
// one sigma below the centre of a normal distribution): matches score high,
// so they do not move those quantiles until most of the library matches,
// whereas a median and MAD let a library where 40% of photos are dogs push
// the cut for "dog" above every dog (tests/index/test_relevance_cut.cpp).
//
// Pure functions over scores; thread-safe.

#include <vector>

namespace photosearch {

struct ScoreBackground {
    float median = 0;    // the background's centre (estimated from its lower tail)
    float sigma = 0;     // its standard deviation, floored at 1e-3
    int samples = 0;
};

struct RelevanceCut {
    // Standard deviations above the background's median that a result needs.
    // Chosen on the trained test model (tests/index/test_search_quality.cpp
    // states the precision and recall it gives) and docs/BENCHMARKS.md.
    static const float kZ;
    // Results above kLowZ sigmas are candidates; a drop of kMinGap sigmas
    // or more between neighbours among them is a break, and the cut falls
    // at the largest one (RelevanceCut.cpp says why).
    static constexpr float kLowZ = 2.0f;
    static constexpr float kMinGap = 1.0f;

    // Fewer samples than this give no cut (everything counts as relevant):
    // a tiny library has no background to speak of.
    static constexpr int kMinSamples = 16;

    static ScoreBackground background(std::vector<float> scores);
    // The score a result needs; -infinity when the background is too small.
    static float threshold(const ScoreBackground& background);
    // How many of `rankedScores` (best first, as a search returns them) are
    // relevant: up to the largest clear break among those above kLowZ, else
    // those above threshold().
    static int relevantCount(const std::vector<float>& rankedScores, const ScoreBackground& background);
};

} // namespace photosearch
