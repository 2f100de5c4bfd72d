#include "IndexControl.h"

namespace photosearch {

void IndexControl::cancel()
{
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    changed_.notify_all();
}

void IndexControl::pause()
{
    std::lock_guard lock(mutex_);
    paused_ = true;
}

void IndexControl::resume()
{
    std::lock_guard lock(mutex_);
    paused_ = false;
    changed_.notify_all();
}

bool IndexControl::isPaused() const
{
    std::lock_guard lock(mutex_);
    return paused_;
}

bool IndexControl::waitWhilePaused()
{
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !paused_ || cancelled_.load(); });
    return !cancelled_.load();
}

} // namespace photosearch
