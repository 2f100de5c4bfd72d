#pragma once
// The decode workers: each takes the next planned file, lets the
// JobProcessor read, hash and decode it, and hands the outcome on — to the
// encoder when it has pixels, straight to the writer otherwise. The last
// worker to finish closes the encoder's queue, which is how the encoder
// learns that no more photos are coming.

#include <torch/types.h> // before Qt: PhotoOutcome carries a tensor

#include "IndexPlan.h"
#include "PipelineLinks.h"
#include "StageThreads.h"
#include "StageTimes.h"

#include <atomic>
#include <vector>

namespace photosearch {

class JobProcessor;

class DecodeStage {
public:
    DecodeStage(const std::vector<IndexJob>& jobs, const JobProcessor& processor, PipelineLinks& links,
                int workers);

    void start();
    void join();

    // After join(), summed over the workers (so it can exceed the wall
    // time): busy reading, hashing, decoding and preprocessing; waiting for
    // room in the next queue, which means the encoder (or writer) is behind.
    StageTimes times() const;

private:
    void work(StageTimes& times);

    const std::vector<IndexJob>& jobs_;
    const JobProcessor& processor_;
    PipelineLinks& links_;
    std::atomic<size_t> nextJob_{0};
    std::atomic<int> workersLeft_;
    std::vector<StageTimes> times_; // one per worker, so no worker shares a counter
    StageThreads threads_;          // last: joined before the members above go away
};

} // namespace photosearch
