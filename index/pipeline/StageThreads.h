#pragma once
// The threads of one pipeline stage. Whatever ends the run early (a catalog
// write that throws, a thread that cannot be started), they are released
// through `abort` and joined before the state they use goes away: declare a
// StageThreads after everything its threads touch.

#include <functional>
#include <thread>
#include <vector>

namespace photosearch {

class StageThreads {
public:
    explicit StageThreads(std::function<void()> abort);
    ~StageThreads();
    StageThreads(const StageThreads&) = delete;
    StageThreads& operator=(const StageThreads&) = delete;

    void start(std::function<void()> body);
    // Waits for the threads to finish on their own.
    void join();

private:
    std::function<void()> abort_;
    std::vector<std::thread> threads_;
};

} // namespace photosearch
