#pragma once
// The encoder thread: gathers decoded photos into batches, runs them through
// the vision tower, and hands each photo on to the writer with its
// normalized vector. It closes the writer's queue when it is done, which is
// how the writer learns the run's photos are all through.

#include <torch/types.h>

#include "PipelineLinks.h"
#include "StageThreads.h"
#include "StageTimes.h"

#include <exception>
#include <vector>

namespace clip {
class TowerEngine;
}

namespace photosearch {

class EncodeStage {
public:
    EncodeStage(const clip::TowerEngine& model, size_t batchSize, PipelineLinks& links);

    void start();
    // Waits for the encoder, then rethrows what stopped it, if anything did
    // (the workers were cancelled then; a failing photo alone does not stop it).
    void join();

    // After join(): busy encoding (stacking, tower, normalizing); waiting
    // for decoded photos, which means the decode workers are behind.
    StageTimes times() const { return times_; }

private:
    void loop();
    void encodeBatch(std::vector<PhotoOutcome>& batch);
    void encodeOneByOne(std::vector<PhotoOutcome>& batch, const std::vector<torch::Tensor>& pixels);
    torch::Tensor embed(const std::vector<torch::Tensor>& pixels);
    void deliver(PhotoOutcome& r, const float* row);

    const clip::TowerEngine& model_;
    const size_t batchSize_;
    const size_t dimension_;
    PipelineLinks& links_;
    StageTimes times_;
    std::exception_ptr error_;
    StageThreads thread_; // last: joined before the members above go away
};

} // namespace photosearch
