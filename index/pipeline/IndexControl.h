#pragma once
// Pause, resume and cancel for a running index, from any thread (the GUI's
// buttons, the CLI's signal handler). The pipeline's threads check it between
// photos, so a pause or cancel takes effect within one photo or one batch.

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace photosearch {

class IndexControl {
public:
    void cancel();
    void pause();
    void resume();
    bool isCancelled() const { return cancelled_.load(); }
    bool isPaused() const;

    // Returns at once unless paused; then waits for resume() or cancel().
    // True when the run should go on.
    bool waitWhilePaused();

    const std::atomic_bool& cancelFlag() const { return cancelled_; }

private:
    std::atomic_bool cancelled_{false};
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bool paused_ = false;
};

} // namespace photosearch
