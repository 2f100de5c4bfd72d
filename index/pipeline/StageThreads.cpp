#include "StageThreads.h"

#include <algorithm>

namespace photosearch {

StageThreads::StageThreads(std::function<void()> abort)
    : abort_(std::move(abort))
{
}

StageThreads::~StageThreads()
{
    const bool running =
        std::any_of(threads_.begin(), threads_.end(), [](const std::thread& t) { return t.joinable(); });
    if (running) {
        // Threads blocked on a queue or a pause would never finish otherwise.
        abort_();
        join();
    }
}

void StageThreads::start(std::function<void()> body)
{
    threads_.emplace_back(std::move(body));
}

void StageThreads::join()
{
    for (std::thread& t : threads_)
        if (t.joinable())
            t.join();
}

} // namespace photosearch
