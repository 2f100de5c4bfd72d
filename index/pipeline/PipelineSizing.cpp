#include "PipelineSizing.h"

#include <QThread>

#include <algorithm>

namespace photosearch {
namespace {

int defaultWorkers(bool cuda)
{
    const int cores = std::max(1, QThread::idealThreadCount());
    // On the CPU the encoder itself uses every core; two decoders keep it fed
    // without taking much from it (see bench_index in docs/BENCHMARKS.md).
    // Each worker may hold a whole file and a decoded image: capped at 8.
    return std::min(8, cuda ? std::max(2, cores - 1) : std::max(2, cores / 2));
}

} // namespace

PipelineSizing choosePipelineSizing(const IndexOptions& options, bool cuda, size_t jobs)
{
    PipelineSizing sizing;
    // Capped: the encoder queue holds three batches of pixels.
    sizing.batchSize = size_t(std::min(options.batchSize > 0 ? options.batchSize : cuda ? 64 : 8, 512));
    sizing.workers = std::max(1, std::min(options.workers > 0 ? options.workers : defaultWorkers(cuda), int(jobs)));
    return sizing;
}

} // namespace photosearch
