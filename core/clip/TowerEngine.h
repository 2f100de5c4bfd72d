#pragma once
// The seam between PhotoSearch and the engine that runs CLIP's two towers
// (DESIGN.md, "one seam per engine"): the indexer, search, tags and
// classification hold a TowerEngine and never know which engine or precision
// is behind it. Behind it today: ClipModel (LibTorch), which runs fp32 or
// bf16 on the CPU and fp16 on CUDA as its ComputeOptions say; which of those
// a run gets is decided in one place, clip::chooseCompute (Compute.h). fp32,
// bf16 and CUDA are one implementation because LibTorch runs the same
// operations at every precision; another engine (ONNX Runtime, OpenVINO)
// would be another implementation returned by openTowers.
//
// Every method is const and thread-safe.

#include "ClipConfig.h"
#include "Compute.h"

#include <torch/types.h>

#include <memory>
#include <string>
#include <vector>

namespace clip {

// Which towers to read. A text search needs only the text tower (ViT-B/32:
// 63 M of 151 M parameters), an image only the vision tower; reading just
// that one is what makes a search start fast.
enum class Towers { Both, Text, Vision };

// Copy: the weights are read into memory of their own. InPlace: fp32 weights
// computed on the CPU stay in the file's read-only mapping (no copy, and the
// pages of the token table a query does not use are never read), which keeps
// the file mapped for the model's life: for short-lived processes, as a file
// truncated in place under a mapping faults its reader.
enum class WeightStorage { Copy, InPlace };

class TowerEngine {
public:
    virtual ~TowerEngine() = default;

    virtual const ClipConfig& config() const = 0;
    // Where and in which precision the towers run.
    virtual const ComputeOptions& compute() const = 0;
    // exp(logit_scale): the factor applied to cosine similarities.
    virtual double logitScale() const = 0;
    virtual bool hasTextTower() const = 0;
    virtual bool hasVisionTower() const = 0;

    // pixels: [B, C, S, S] preprocessed images (any device/float dtype).
    // Returns [B, projectionDim] float32 on the CPU, what transformers'
    // get_image_features returns. Throws std::logic_error without the vision
    // tower, std::invalid_argument on a wrong shape.
    virtual torch::Tensor encodeImages(const torch::Tensor& pixels) const = 0;
    // Token ids with start and end tokens, at most maxPositions each.
    // Returns [B, projectionDim] float32 on the CPU (get_text_features).
    // Throws std::invalid_argument on an empty or over-long sequence or an
    // id outside the vocabulary, std::logic_error without the text tower.
    virtual torch::Tensor encodeTokens(const std::vector<std::vector<int64_t>>& ids) const = 0;

    // A copy of the text tower for a job of hundreds of texts (a tag
    // vocabulary through every prompt template), in the precision this
    // engine picked for images where that is faster than the one it keeps
    // for text (bf16 products on CPUs with bf16 units: the copy costs tens
    // of milliseconds and halves the job). nullptr where there is nothing
    // to gain: use this engine.
    virtual std::unique_ptr<TowerEngine> textTowerForBatches() const { return nullptr; }
};

// The towers of a Hugging Face CLIP directory on `compute`. Throws
// ModelError naming the file (and tensor) on any problem.
std::unique_ptr<TowerEngine> openTowers(const std::string& modelDir, const ComputeOptions& compute,
                                        Towers towers = Towers::Both, WeightStorage storage = WeightStorage::Copy);

} // namespace clip
