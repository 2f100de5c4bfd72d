// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include <torch/types.h>

#include "DecodeStage.h"

#include "JobProcessor.h"

namespace photosearch {

DecodeStage::DecodeStage(const std::vector<IndexJob>& jobs, const JobProcessor& processor, PipelineLinks& links,
                         int workers)
    : jobs_(jobs)
    , processor_(processor)
    , links_(links)
    , workersLeft_(workers)
    , times_(size_t(workers))
    , threads_([&links] { links.abort(); })
{
}

void DecodeStage::start()
{
    for (StageTimes& slot : times_)
        threads_.start([this, &slot] { work(slot); });
}

void DecodeStage::join()
{
    threads_.join();
}

StageTimes DecodeStage::times() const
{
    StageTimes sum;
    for (const StageTimes& t : times_)
        sum += t;
    return sum;
}

void DecodeStage::work(StageTimes& times)
{
    while (links_.control.waitWhilePaused()) {
        const size_t i = nextJob_++;
        if (i >= jobs_.size())
            break;
        const Stopwatch busy;
        PhotoOutcome r = processor_.process(jobs_[i]);
        times.busy += busy.seconds();
        const Stopwatch blocked;
        const bool needsVector = r.kind == PhotoOutcome::Kind::Encode;
        const bool pushed = needsVector ? links_.toEncoder.push(std::move(r)) : links_.toWriter.push(std::move(r));
        times.waiting += blocked.seconds();
        if (!pushed) // closed: the run is being stopped
            break;
    }
    if (--workersLeft_ == 0)
        links_.toEncoder.close();
}

} // namespace photosearch
