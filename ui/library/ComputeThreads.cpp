// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "Compute.h"

#include <ATen/Parallel.h>

#include "ComputeThreads.h"

namespace photosearch {

void applyCpuThreads(int threads)
{
    if (threads <= 0) {
        clip::configureCpuThreads();
        return;
    }
    if (at::get_num_threads() != threads)
        at::set_num_threads(threads);
}

} // namespace photosearch
