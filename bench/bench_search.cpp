// bench_search: exact vs approximate search in VectorStore on synthetic
// CLIP-like embeddings. Not a test; results go to docs/BENCHMARKS.md.
//
// Data model. CLIP image embeddings are not uniform on the sphere: they sit in
// a narrow cone (a strong shared direction; two unrelated photos score ~0.3)
// and bunch into topics (same subject ~0.7). So each vector is
//   normalise(a*mu + b*c_j + noise),  a^2=0.3, b^2=0.4, |noise|^2=0.3,
// with mu one shared unit direction and c_j one of --clusters random unit
// centroids. Queries are fresh samples from a random cluster with twice the
// noise (|noise|^2=0.6): nearer to a text query, which matches photos more
// loosely than a near-duplicate does.
//
// usage: bench_search [--sizes 10000,100000,1000000] [--queries 1000]
//                     [--exact-queries N] [--threads N] [--clusters 4096]
//                     [--probes 8,16,32,64] [--dim 512]
// (--probes 0 = the store's default for the size)

#include "VectorStore.h"

#include <QCoreApplication>
#include <QStringList>
#include <QTemporaryDir>

#include <faiss/utils/random.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <string>

using namespace photosearch;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string procStatus(const char* key)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0) {
            auto v = line.substr(line.find(':') + 1);
            v.erase(0, v.find_first_not_of(" \t"));
            return v;
        }
    return "?";
}

struct Generator {
    int dim;
    std::vector<float> mu, centroids;
    int clusters;
    Generator(int d, int k) : dim(d), mu(size_t(d)), centroids(size_t(d) * size_t(k)), clusters(k)
    {
        faiss::float_randn(mu.data(), mu.size(), 1);
        faiss::float_randn(centroids.data(), centroids.size(), 2);
        normalise(mu.data(), 1);
        normalise(centroids.data(), size_t(k));
    }
    void normalise(float* x, size_t n) const
    {
        for (size_t i = 0; i < n; ++i) {
            float* v = x + i * size_t(dim);
            double s = 0;
            for (int j = 0; j < dim; ++j)
                s += double(v[j]) * v[j];
            const float inv = float(1 / std::sqrt(s));
            for (int j = 0; j < dim; ++j)
                v[j] *= inv;
        }
    }
    // n samples; noise2 is the squared norm of the noise.
    std::vector<float> sample(size_t n, double noise2, int64_t seed) const
    {
        std::vector<float> x(n * size_t(dim));
        faiss::float_randn(x.data(), x.size(), seed);
        std::vector<int> pick(n);
        faiss::RandomGenerator rng(seed + 1);
        for (int& p : pick)
            p = rng.rand_int(clusters);
        const float a = float(std::sqrt(0.3)), b = float(std::sqrt(0.4));
        const float s = float(std::sqrt(noise2 / dim));
#pragma omp parallel for
        for (int64_t i = 0; i < int64_t(n); ++i) {
            float* v = x.data() + size_t(i) * size_t(dim);
            const float* c = centroids.data() + size_t(pick[size_t(i)]) * size_t(dim);
            for (int j = 0; j < dim; ++j)
                v[j] = a * mu[size_t(j)] + b * c[j] + s * v[j];
        }
        normalise(x.data(), n);
        return x;
    }
};

struct Timing {
    double p50 = 0, p99 = 0, mean = 0;
};

Timing run(const VectorStore& store, const std::vector<float>& q, int nq, int dim,
           std::vector<std::vector<qint64>>* results)
{
    std::vector<double> ms;
    results->assign(size_t(nq), {});
    for (int i = 0; i < nq; ++i) {
        const auto t0 = Clock::now();
        auto hits = store.search(q.data() + size_t(i) * size_t(dim), 10);
        ms.push_back(seconds(t0) * 1e3);
        for (auto& h : hits)
            (*results)[size_t(i)].push_back(h.id);
    }
    Timing t;
    std::sort(ms.begin(), ms.end());
    t.p50 = ms[ms.size() / 2];
    t.p99 = ms[std::min(ms.size() - 1, size_t(double(ms.size()) * 0.99))];
    for (double m : ms)
        t.mean += m / double(ms.size());
    return t;
}

double recall(const std::vector<std::vector<qint64>>& truth, const std::vector<std::vector<qint64>>& got)
{
    size_t found = 0, total = 0;
    for (size_t i = 0; i < got.size() && i < truth.size(); ++i) {
        std::set<qint64> t(truth[i].begin(), truth[i].end());
        total += t.size();
        for (qint64 id : got[i])
            found += t.count(id);
    }
    return total ? double(found) / double(total) : 0;
}

std::vector<long> parseList(const QString& s)
{
    std::vector<long> out;
    for (const QString& p : s.split(',', Qt::SkipEmptyParts))
        out.push_back(p.toLong());
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    std::vector<long> sizes{10000, 100000, 1000000}, probes{8, 16, 32, 64};
    int queries = 1000, exactQueries = -1, threads = 0, clusters = 4096, dim = 512;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        const QString& k = args[i];
        const QString& v = args[i + 1];
        if (k == "--sizes") sizes = parseList(v);
        else if (k == "--probes") probes = parseList(v);
        else if (k == "--queries") queries = v.toInt();
        else if (k == "--exact-queries") exactQueries = v.toInt();
        else if (k == "--threads") threads = v.toInt();
        else if (k == "--clusters") clusters = v.toInt();
        else if (k == "--dim") dim = v.toInt();
        else { std::fprintf(stderr, "unknown option %s\n", qPrintable(k)); return 2; }
    }
    if (threads > 0)
        omp_set_num_threads(threads); // build/training only; one query runs on one thread
    if (exactQueries < 0)
        exactQueries = queries;
    std::printf("dim %d, clusters %d, queries %d (exact %d), OpenMP threads %d\n", dim, clusters,
                queries, exactQueries, omp_get_max_threads());
    QTemporaryDir tmp;
    Generator gen(dim, clusters);
    const std::vector<float> q = gen.sample(size_t(queries), 0.6, 99);

    std::printf("| N | index | build s | p50 ms | p99 ms | recall@10 | VmRSS | VmHWM |\n");
    std::printf("|---|---|---|---|---|---|---|---|\n");
    for (long n : sizes) {
        std::vector<float> x = gen.sample(size_t(n), 0.3, 1000 + n);
        std::vector<qint64> ids(static_cast<size_t>(n));
        for (long i = 0; i < n; ++i)
            ids[size_t(i)] = i + 1;
        std::vector<std::vector<qint64>> truth, got;

        Timing te;
        double buildExact = 0;
        {
            VectorStore exact(tmp.filePath("e"), "bench", dim);
            exact.setApproximateThreshold(n + 1);
            auto t0 = Clock::now();
            exact.add(ids, x);
            buildExact = seconds(t0);
            te = run(exact, q, exactQueries, dim, &truth);
            std::printf("| %ld | exact | %.2f | %.2f | %.2f | 1 | %s | %s |\n", n, buildExact, te.p50,
                        te.p99, procStatus("VmRSS").c_str(), procStatus("VmHWM").c_str());
            std::fflush(stdout);
        }
        VectorStore approx(tmp.filePath("a"), "bench", dim);
        approx.setApproximateThreshold(1);
        auto t0 = Clock::now();
        approx.add(ids, x);
        const double build = seconds(t0);
        std::vector<float>().swap(x); // so RSS shows the index, not the input
        const std::string rss = procStatus("VmRSS"), hwm = procStatus("VmHWM");
        for (long p : probes) {
            approx.setProbes(int(p));
            Timing ta = run(approx, q, queries, dim, &got);
            got.resize(truth.size());
            std::printf("| %ld | %s | %.2f | %.2f | %.2f | %.4f | %s | %s |\n", n,
                        qPrintable(approx.describe().section(',', 0, 0)), build, ta.p50, ta.p99,
                        recall(truth, got), rss.c_str(), hwm.c_str());
            std::fflush(stdout);
        }
        approx.setProbes(0);
        std::printf("default: %s\n", qPrintable(approx.describe()));
    }
    return 0;
}
