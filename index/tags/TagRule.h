#pragma once
// The calibrated multi-label rule of the tagger, as pure tensor maths (no
// catalog, no model), so that it can be tested and measured on its own.
//
// Why not one cosine threshold: CLIP cosines carry two biases a flat
// threshold cannot see. Per photo: some images sit closer to every text
// (plain backgrounds, text in the picture). Per tag: some labels sit closer
// to every image ("art", one-word colours), others never pass 0.3 even when
// right. So each score is corrected for both, and what is left is compared
// with one threshold that means the same for every tag:
//
//  1. margin(i,t) = cos(photo i, tag t) − mean_k cos(photo i, neutral k),
//     the neutral labels being generic nouns ("thing", "object", "scene"...)
//     put through the same prompt templates: removes the photo's bias (and
//     the templates' shared part).
//  2. z(i,t) = (margin − centre_t) / scale_t with centre_t the median and
//     scale_t 1.4826 × the MAD of tag t's margins over the library (robust:
//     the photos that carry the tag are the minority, and they do not move
//     the median). Removes the tag's bias and spread. In a library of
//     fewer than 8 photos, where a per-tag median says little, the per-tag
//     estimates are shrunk towards the median and MAD of all margins (every
//     tag) with the weight of TagRule::priorPhotos photos, so a library of
//     one photo degrades to "the tags that stand out among the vocabulary".
//  3. A photo carries tag t when z ≥ minZ AND margin ≥ minMargin (the tag
//     fits better than a generic caption, whatever the library holds), among
//     its maxTagsPerPhoto best by z.
//
// Limitation: a tag that most of the library carries (over half the photos)
// has its centre inside the positives, so only its clearest photos pass.
//
// Thread rule: free functions on tensors; any thread.

#include <torch/types.h>

namespace photosearch {

struct TagRule {
    // Robust standard deviations above the library's typical photo.
    // Measured on the shapes world (tests/index/test_tags_quality.cpp, 300
    // held-out scenes, 22 tags, each on 12-17% of the photos; two trained
    // models): 1.5 gave precision 0.81 / recall 0.61 and 0.66 / 0.38; 2.0
    // gave 0.93 / 0.43 and 0.55 / 0.13; 3.0 kept under 10% of the true
    // tags, because a tag on many photos widens its own MAD. On the suite's
    // final fixture model: 1.0 gives 0.65 / 0.51 (F1 0.57, equal to the best
    // flat cosine threshold picked knowing the answers), 1.5 gives 0.68 /
    // 0.20; hence 1.0. Rarer tags (a
    // real vocabulary) stand out further at the same setting; the neutral
    // margin and the cap bound the false tags a low threshold lets in.
    double minZ = 1.0;
    double minMargin = 0.0; // cosine over the neutral labels
    int maxTagsPerPhoto = 5;
    // Scores kept per photo even when not assigned (the window offers them
    // as suggestions); assigned tags are always among them.
    int storedPerPhoto = 5;
    // Photos' worth of weight of the vocabulary-wide prior in each tag's
    // centre and scale, in libraries under 8 photos.
    double priorPhotos = 5;
};

// The generic labels whose mean cosine is subtracted from every tag's.
const char* const* neutralLabels(int* count);

struct TagCalibration {
    torch::Tensor center; // [T] float32
    torch::Tensor scale;  // [T] float32, > 0
};

// [N, T] cosines of unit photo rows with unit tag rows, minus each photo's
// mean cosine with the unit neutral rows [K, D]. `photos` need not be unit
// length (they are normalised here).
torch::Tensor tagMargins(const torch::Tensor& photos, const torch::Tensor& tags, const torch::Tensor& neutral);

// From the margins of the library's photos (or an even sample of them),
// `libraryPhotos` being how many photos the library has.
TagCalibration calibrateTags(const torch::Tensor& margins, int64_t libraryPhotos, const TagRule& rule);

// z-scores [N, T].
torch::Tensor tagScores(const torch::Tensor& margins, const TagCalibration& calibration);

// Per photo, its S best tags by z (S = max(storedPerPhoto, maxTagsPerPhoto)):
// indices [N, S] (-1 where not worth storing), their z [N, S], and whether
// each is assigned [N, S] (bool; assigned ones are always stored).
struct TagDecision {
    torch::Tensor tags;
    torch::Tensor scores;
    torch::Tensor assigned;
};
TagDecision decideTags(const torch::Tensor& margins, const torch::Tensor& z, const TagRule& rule);

} // namespace photosearch
