// bench_duplicates: DuplicateFinder::groups on random 64-bit hashes with
// planted near-duplicates. Not a test; the number goes to docs/BENCHMARKS.md.
//
// Data: N unrelated photos (uniform random hashes, like unrelated pictures
// whose distances centre on 32) plus N/20 planted copies, each 0..10 bits
// from an original (the threshold), a tenth of them as chains of three.
//
// usage: bench_duplicates [N]   (default 100000)

#include "DuplicateFinder.h"

#include <QRandomGenerator>
#include <QString>

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace photosearch;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv)
{
    const int n = argc > 1 ? std::atoi(argv[1]) : 100000;
    QRandomGenerator rng(2024);
    std::vector<HashedPhoto> photos;
    for (int i = 0; i < n; ++i)
        photos.push_back({i, QStringLiteral("/photos/%1.jpg").arg(i, 7, 10, QLatin1Char('0')), rng.generate64()});
    const int planted = n / 20;
    for (int k = 0; k < planted; ++k) {
        quint64 h = photos[size_t(rng.bounded(n))].hash;
        const int copies = k % 10 == 0 ? 2 : 1;
        for (int c = 0; c < copies; ++c) {
            for (int flips = rng.bounded(11); flips > 0; --flips)
                h ^= quint64(1) << rng.bounded(64);
            photos.push_back({qint64(photos.size()), QStringLiteral("/copies/%1-%2.jpg").arg(k).arg(c), h});
        }
    }

    const DuplicateFinder finder;
    double best = 1e9;
    size_t groups = 0, grouped = 0;
    for (int run = 0; run < 3; ++run) {
        const auto t0 = Clock::now();
        const std::vector<DuplicateGroup> g = finder.groups(photos);
        best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
        groups = g.size();
        grouped = 0;
        for (const DuplicateGroup& x : g)
            grouped += x.members.size();
    }
    std::printf("%zu hashes (%d planted copy sets), threshold %d: %zu groups, %zu photos grouped, "
                "best of 3: %.3f s\n",
                photos.size(), planted, finder.maxDistance(), groups, grouped, best);
    return 0;
}
