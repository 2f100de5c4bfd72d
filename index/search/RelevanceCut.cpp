#include "RelevanceCut.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace photosearch {

const float RelevanceCut::kZ = 3.0f;

namespace {

// Quantile q of sorted values, linearly interpolated.
float quantile(const std::vector<float>& sorted, double q)
{
    const double pos = q * double(sorted.size() - 1);
    const auto lo = size_t(pos);
    const size_t hi = std::min(lo + 1, sorted.size() - 1);
    return float(sorted[lo] + (pos - double(lo)) * (sorted[hi] - sorted[lo]));
}

} // namespace

ScoreBackground RelevanceCut::background(std::vector<float> scores)
{
    ScoreBackground b;
    scores.erase(std::remove_if(scores.begin(), scores.end(), [](float s) { return !std::isfinite(s); }),
                 scores.end());
    b.samples = int(scores.size());
    if (scores.empty())
        return b;
    std::sort(scores.begin(), scores.end());
    // Normal quantiles at -2 and -1 sigma.
    const float minus2 = quantile(scores, 0.02275);
    const float minus1 = quantile(scores, 0.15866);
    // A floor: a library of identical photos has no spread, and cosines are
    // float32 (~1e-7), so anything under 1e-3 is noise.
    b.sigma = std::max(minus1 - minus2, 1e-3f);
    b.median = minus1 + b.sigma;
    return b;
}

float RelevanceCut::threshold(const ScoreBackground& background)
{
    if (background.samples < kMinSamples)
        return -std::numeric_limits<float>::infinity();
    return background.median + kZ * background.sigma;
}

int RelevanceCut::relevantCount(const std::vector<float>& rankedScores, const ScoreBackground& background)
{
    const float t = threshold(background);
    int strict = 0;
    while (strict < int(rankedScores.size()) && rankedScores[size_t(strict)] >= t)
        ++strict;
    if (!std::isfinite(t))
        return strict;
    // Results that stand out at kLowZ form the candidates; where they show a
    // clear break (the largest drop between neighbours, at least kMinGap
    // sigmas), the cut falls there: matches of one query often score as a
    // group, above near misses that still stand out of the background
    // ("red" above orange). Without a clear break the kZ rule decides.
    const float low = background.median + kLowZ * background.sigma;
    int candidates = 0;
    while (candidates < int(rankedScores.size()) && rankedScores[size_t(candidates)] >= low)
        ++candidates;
    if (candidates == 0)
        return 0;
    int best = candidates;
    float bestGap = rankedScores[size_t(candidates - 1)]
                    - (candidates < int(rankedScores.size()) ? rankedScores[size_t(candidates)] : low);
    for (int i = 1; i < candidates; ++i) {
        const float gap = rankedScores[size_t(i - 1)] - rankedScores[size_t(i)];
        if (gap > bestGap) {
            bestGap = gap;
            best = i;
        }
    }
    return bestGap >= kMinGap * background.sigma ? best : strict;
}

} // namespace photosearch
