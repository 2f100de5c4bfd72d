#pragma once
// How many decode workers and how large an encoder batch a run uses: the
// options when given, else the compute policy's (clip::ComputeOptions).

#include "Compute.h"
#include "IndexTypes.h"

#include <cstddef>

namespace photosearch {

struct PipelineSizing {
    size_t batchSize = 8;
    int workers = 1;
};

// `jobs`: files to read; never more workers than that (but at least one).
PipelineSizing choosePipelineSizing(const IndexOptions& options, const clip::ComputeOptions& compute, size_t jobs);

} // namespace photosearch
