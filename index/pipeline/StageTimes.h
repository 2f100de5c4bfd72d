#pragma once
// Where a pipeline stage's time went: working, or waiting on a neighbour.
// Kept per stage (per thread for the decode workers, summed at the end) so
// that "the encoder is busy 97%" can be told apart from "the encoder is
// fast": a stage that waits names the one that holds it up.

#include <chrono>

namespace photosearch {

struct StageTimes {
    double busy = 0;    // seconds doing the stage's own work
    double waiting = 0; // seconds blocked on the stage before or after it

    StageTimes& operator+=(const StageTimes& other)
    {
        busy += other.busy;
        waiting += other.waiting;
        return *this;
    }
};

// Seconds since construction, on the monotonic clock: a wall-clock change
// during a long run must not turn into negative busy time.
class Stopwatch {
public:
    double seconds() const
    {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

private:
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

} // namespace photosearch
