#pragma once
// PHOTOSEARCH_TIMINGS=1 in the environment: one stderr line per phase of an
// index run, "timing: <phase> <seconds> s (at <seconds since the process
// started> s)", so that a run's time can be split without a profiler
// (bench_rescan prints them). Off, a phase costs one cached flag test.
// Thread rule: any thread; lines from two threads may interleave.

#include <QElapsedTimer>

namespace photosearch {

bool phaseTimingsOn();

// Seconds since the process was started (the kernel's start time: 10 ms
// steps), so the first line also shows what loading the program cost.
double secondsSinceProcessStart();

// A phase's line, when timings are on.
void logPhase(const char* phase, double seconds);

// Times consecutive phases: each mark() logs the time since the last one.
class PhaseClock {
public:
    PhaseClock() { clock_.start(); }
    void mark(const char* phase)
    {
        if (!phaseTimingsOn())
            return;
        logPhase(phase, double(clock_.nsecsElapsed()) / 1e9);
        clock_.start();
    }

private:
    QElapsedTimer clock_;
};

} // namespace photosearch
