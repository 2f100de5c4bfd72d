#include "PipelineSizing.h"

#include <QThread>

#include <algorithm>

namespace photosearch {
PipelineSizing choosePipelineSizing(const IndexOptions& options, const clip::ComputeOptions& compute, size_t jobs)
{
    PipelineSizing sizing;
    // Capped: the encoder queue holds three batches of pixels.
    sizing.batchSize = size_t(std::min<int64_t>(options.batchSize > 0 ? options.batchSize : compute.indexBatch(), 512));
    const int workers = options.workers > 0 ? options.workers : compute.decodeWorkers(QThread::idealThreadCount());
    sizing.workers = std::max(1, std::min(workers, int(jobs)));
    return sizing;
}

} // namespace photosearch
