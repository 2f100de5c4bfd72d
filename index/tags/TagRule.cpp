// The tagger's maths. Tuning constants say what they were chosen from.
#include <torch/torch.h>

#include "TagRule.h"

#include <algorithm>

namespace photosearch {

namespace {

// 1.4826 × MAD estimates the standard deviation of a normal distribution.
constexpr double kMadToSigma = 1.4826;
// A scale floor: a tag every photo scores identically on (a one-photo
// library, a constant model) must not divide by zero.
constexpr double kMinScale = 1e-4;
// Elements sampled for the library-wide median: the median of 1M values is
// exact to well under the scale's own sampling error.
constexpr int64_t kGlobalSample = 1 << 20;
// Photos below which a per-tag MAD says little (with 8 photos it rests on
// the middle four).
constexpr int64_t kMinPhotosForSpread = 8;

const char* const kNeutral[] = {"thing", "object", "scene", "picture", "view"};

} // namespace

const char* const* neutralLabels(int* count)
{
    *count = int(std::size(kNeutral));
    return kNeutral;
}

torch::Tensor tagMargins(const torch::Tensor& photos, const torch::Tensor& tags, const torch::Tensor& neutral)
{
    const torch::Tensor unit = photos / photos.norm(2, 1, true).clamp_min(1e-12);
    const torch::Tensor neutralMean = neutral.mean(0); // mean of cosines = cosine with the mean
    return torch::mm(unit, tags.t()) - torch::mv(unit, neutralMean).unsqueeze(1);
}

TagCalibration calibrateTags(const torch::Tensor& margins, int64_t libraryPhotos, const TagRule& rule)
{
    const torch::Tensor m = margins.to(torch::kFloat);
    const torch::Tensor median = std::get<0>(m.median(0));
    const torch::Tensor mad = std::get<0>((m - median).abs().median(0)) * kMadToSigma;

    torch::Tensor flat = m.reshape({-1});
    if (flat.numel() > kGlobalSample)
        flat = flat.index({torch::indexing::Slice(0, torch::indexing::None, flat.numel() / kGlobalSample + 1)});
    const torch::Tensor globalMedian = flat.median();
    const torch::Tensor globalMad = (flat - globalMedian).abs().median() * kMadToSigma;

    // The prior's scale: the typical within-tag spread once there are photos
    // enough to measure one, else the spread across the whole vocabulary.
    // From kMinPhotosForSpread photos on, each tag's own estimates: a prior
    // centre from other tags would shift a biased tag's z by its bias (at 40
    // photos a weight of 5 photos already shifted it by 2 scales).
    const torch::Tensor priorScale = globalMad;
    const double w = libraryPhotos >= kMinPhotosForSpread
                         ? 1.0
                         : double(libraryPhotos) / (double(libraryPhotos) + std::max(0.0, rule.priorPhotos));
    TagCalibration c;
    c.center = (median * w + globalMedian * (1 - w)).contiguous();
    c.scale = (mad * w + priorScale * (1 - w)).clamp_min(kMinScale).contiguous();
    return c;
}

torch::Tensor tagScores(const torch::Tensor& margins, const TagCalibration& calibration)
{
    return (margins.to(torch::kFloat) - calibration.center) / calibration.scale;
}

TagDecision decideTags(const torch::Tensor& margins, const torch::Tensor& z, const TagRule& rule)
{
    const int64_t tags = z.size(1);
    const int64_t keep = std::min<int64_t>(tags, std::max(rule.storedPerPhoto, rule.maxTagsPerPhoto));
    auto [scores, indices] = z.topk(keep, 1, true, true);
    const torch::Tensor m = margins.to(torch::kFloat).gather(1, indices);
    const torch::Tensor rank = torch::arange(keep).unsqueeze(0);
    torch::Tensor assigned = (scores >= rule.minZ) & (m >= rule.minMargin) & (rank < rule.maxTagsPerPhoto);
    // Stored: the best storedPerPhoto, and every assigned one.
    const torch::Tensor stored = (rank < rule.storedPerPhoto) | assigned;
    // Rows keep their width; unstored entries are marked with index -1.
    TagDecision d;
    d.tags = torch::where(stored, indices, torch::full_like(indices, -1));
    d.scores = scores;
    d.assigned = assigned;
    return d;
}

} // namespace photosearch
