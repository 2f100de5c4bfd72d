// bench_search: exact vs approximate search in VectorStore on synthetic
// CLIP-like embeddings. Not a test; results go to docs/BENCHMARKS.md.
//
// Two data models (--data):
//
// clusters (default, kept for comparison with earlier runs). CLIP image
// embeddings sit in a narrow cone (a strong shared direction; two unrelated
// photos score ~0.3) and bunch into topics (same subject ~0.7). So each vector
// is normalise(a*mu + b*c_j + noise), a^2=0.3, b^2=0.4, |noise|^2=0.3, with mu
// one shared unit direction and c_j one of --clusters random unit centroids.
// Queries: fresh samples from a random cluster with twice the noise
// (|noise|^2=0.6), nearer to a text query, which matches loosely. 4096 random
// centroids in 512 dimensions are nearly orthogonal: the clusters are well
// separated, which flatters an IVF index.
//
// hard: closer to real CLIP image embeddings, whose spectrum is steep (a few
// dozen directions carry most of the variance, the rest a long tail) and
// whose topics overlap. Everything but the cone direction is drawn from one
// anisotropic Gaussian A*g, A = R*diag(sqrt(lambda_i)), lambda_i ~ i^-1
// (power law, normalised to trace 1), R a random rotation, g ~ N(0, I):
//   topic     T_t  = A*g                           (256 topics)
//   subtopic  S_ts = 0.7*T_t + 0.7*A*g             (16 per topic, correlated)
//   photo     normalise(a*mu + b*S + c*A*g),  a^2=0.3, b^2=0.35, c^2=0.35
// Topics are picked with Zipf(1) popularity (a library is lopsided: many
// photos of the same few things, so IVF lists are uneven) and 30% of photos
// blend two subtopics (0.6/0.4: a dog on a beach), so clusters overlap and
// nothing is cleanly separable. Queries: same model, noise c^2 doubled.
//
// What a user sees is measured in a child process (this program re-run with
// --child) that opens the store's saved file: VmRSS after load (the store
// alone, not the build's inputs), open-to-first-result (load + first query,
// page cache warm: the file was just written), p50/p99 single-query latency
// and recall@10 against exact ground truth (FAISS brute force, computed once).
// Latency is one query at a time on one thread, as the app searches.
//
// usage: bench_search [--sizes 10000,100000,1000000] [--queries 1000]
//                     [--data clusters|hard] [--exact-queries N] [--threads N]
//                     [--clusters 4096] [--probes 8,16,32,64] [--dim 512]
// (--probes 0 = the store's default for the size; the child always uses the
// default; --exact-queries 0 skips timing the exact store)

#include "VectorStore.h"

#include <QCoreApplication>
#include <QFile>
#include <QStringList>
#include <QTemporaryDir>

#include <faiss/IndexFlat.h>
#include <faiss/VectorTransform.h>
#include <faiss/utils/random.h>
#include <omp.h>

#include <sys/wait.h>
#include <unistd.h>

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

void normalise(float* x, size_t n, int dim)
{
#pragma omp parallel for
    for (int64_t i = 0; i < int64_t(n); ++i) {
        float* v = x + size_t(i) * size_t(dim);
        double s = 0;
        for (int j = 0; j < dim; ++j)
            s += double(v[j]) * v[j];
        const float inv = float(1 / std::sqrt(s));
        for (int j = 0; j < dim; ++j)
            v[j] *= inv;
    }
}

struct Data {
    virtual ~Data() = default;
    // n samples; `loose` for queries (noisier than photos).
    virtual std::vector<float> sample(size_t n, bool loose, int64_t seed) const = 0;
};

struct Clusters : Data {
    int dim, clusters;
    std::vector<float> mu, centroids;
    Clusters(int d, int k) : dim(d), clusters(k), mu(size_t(d)), centroids(size_t(d) * size_t(k))
    {
        faiss::float_randn(mu.data(), mu.size(), 1);
        faiss::float_randn(centroids.data(), centroids.size(), 2);
        normalise(mu.data(), 1, dim);
        normalise(centroids.data(), size_t(k), dim);
    }
    std::vector<float> sample(size_t n, bool loose, int64_t seed) const override
    {
        std::vector<float> x(n * size_t(dim));
        faiss::float_randn(x.data(), x.size(), seed);
        std::vector<int> pick(n);
        faiss::RandomGenerator rng(seed + 1);
        for (int& p : pick)
            p = rng.rand_int(clusters);
        const float a = float(std::sqrt(0.3)), b = float(std::sqrt(0.4));
        const float s = float(std::sqrt((loose ? 0.6 : 0.3) / dim));
#pragma omp parallel for
        for (int64_t i = 0; i < int64_t(n); ++i) {
            float* v = x.data() + size_t(i) * size_t(dim);
            const float* c = centroids.data() + size_t(pick[size_t(i)]) * size_t(dim);
            for (int j = 0; j < dim; ++j)
                v[j] = a * mu[size_t(j)] + b * c[j] + s * v[j];
        }
        normalise(x.data(), n, dim);
        return x;
    }
};

struct Hard : Data {
    static constexpr int kTopics = 256, kSub = 16;
    int dim;
    std::vector<float> mu, scale, subtopics, topicCdf;
    faiss::RandomRotationMatrix rotation;

    explicit Hard(int d) : dim(d), mu(size_t(d)), scale(size_t(d)), rotation(d, d)
    {
        rotation.init(3);
        faiss::float_randn(mu.data(), mu.size(), 1);
        normalise(mu.data(), 1, dim);
        double trace = 0;
        for (int i = 0; i < dim; ++i)
            trace += 1.0 / (i + 1);
        for (int i = 0; i < dim; ++i)
            scale[size_t(i)] = float(std::sqrt(1.0 / (i + 1) / trace));
        const std::vector<float> topics = gaussian(kTopics, 4);
        subtopics = gaussian(size_t(kTopics) * kSub, 5);
        for (size_t t = 0; t < kTopics; ++t)
            for (size_t s = 0; s < kSub; ++s)
                for (int j = 0; j < dim; ++j) {
                    float& v = subtopics[(t * kSub + s) * size_t(dim) + size_t(j)];
                    v = 0.7f * topics[t * size_t(dim) + size_t(j)] + 0.7f * v;
                }
        double sum = 0;
        for (int t = 0; t < kTopics; ++t)
            topicCdf.push_back(float(sum += 1.0 / (t + 1)));
        for (float& c : topicCdf)
            c = float(c / sum);
    }
    // n draws of A*g: E|A*g|^2 = 1.
    std::vector<float> gaussian(size_t n, int64_t seed) const
    {
        std::vector<float> g(n * size_t(dim)), out(n * size_t(dim));
        faiss::float_randn(g.data(), g.size(), seed);
        for (size_t i = 0; i < n; ++i)
            for (int j = 0; j < dim; ++j)
                g[i * size_t(dim) + size_t(j)] *= scale[size_t(j)];
        rotation.apply_noalloc(faiss::Index::idx_t(n), g.data(), out.data());
        return out;
    }
    int pickSubtopic(faiss::RandomGenerator& rng) const
    {
        const float u = rng.rand_float();
        const int t = int(std::lower_bound(topicCdf.begin(), topicCdf.end(), u) - topicCdf.begin());
        return std::min(t, kTopics - 1) * kSub + rng.rand_int(kSub);
    }
    std::vector<float> sample(size_t n, bool loose, int64_t seed) const override
    {
        std::vector<float> x = gaussian(n, seed);
        std::vector<int> first(n), second(n, -1);
        faiss::RandomGenerator rng(seed + 1);
        for (size_t i = 0; i < n; ++i) {
            first[i] = pickSubtopic(rng);
            if (rng.rand_float() < 0.3f)
                second[i] = pickSubtopic(rng);
        }
        const float a = float(std::sqrt(0.3)), b = float(std::sqrt(0.35));
        const float c = float(std::sqrt(loose ? 0.7 : 0.35));
#pragma omp parallel for
        for (int64_t i = 0; i < int64_t(n); ++i) {
            float* v = x.data() + size_t(i) * size_t(dim);
            const float* s1 = subtopics.data() + size_t(first[size_t(i)]) * size_t(dim);
            const int other = second[size_t(i)];
            const float* s2 = other >= 0 ? subtopics.data() + size_t(other) * size_t(dim) : s1;
            const float w1 = other >= 0 ? 0.6f : 1.0f, w2 = 1.0f - w1;
            for (int j = 0; j < dim; ++j)
                v[j] = a * mu[size_t(j)] + b * (w1 * s1[j] + w2 * s2[j]) + c * v[j];
        }
        normalise(x.data(), n, dim);
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
    if (ms.empty())
        return t;
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

// Ids are row + 1. Brute force over all queries at once (BLAS).
std::vector<std::vector<qint64>> groundTruth(const std::vector<float>& x, const std::vector<float>& q,
                                             int dim, double* meanTop1, double* meanTop10)
{
    faiss::IndexFlatIP flat(dim);
    flat.add(faiss::Index::idx_t(x.size() / size_t(dim)), x.data());
    const size_t nq = q.size() / size_t(dim);
    std::vector<float> scores(nq * 10);
    std::vector<faiss::Index::idx_t> rows(nq * 10);
    flat.search(faiss::Index::idx_t(nq), q.data(), 10, scores.data(), rows.data());
    std::vector<std::vector<qint64>> truth(nq);
    *meanTop1 = *meanTop10 = 0;
    for (size_t i = 0; i < nq; ++i) {
        for (size_t j = 0; j < 10; ++j)
            truth[i].push_back(qint64(rows[i * 10 + j]) + 1);
        *meanTop1 += scores[i * 10] / double(nq);
        *meanTop10 += scores[i * 10 + 9] / double(nq);
    }
    return truth;
}

std::vector<long> parseList(const QString& s)
{
    std::vector<long> out;
    for (const QString& p : s.split(',', Qt::SkipEmptyParts))
        out.push_back(p.toLong());
    return out;
}

template <typename T> void writeRaw(const QString& path, const std::vector<T>& v)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)
        || f.write(reinterpret_cast<const char*>(v.data()), qint64(v.size() * sizeof(T))) != qint64(v.size() * sizeof(T)))
        qFatal("cannot write %s", qPrintable(path));
}

template <typename T> std::vector<T> readRaw(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    const QByteArray b = f.readAll();
    std::vector<T> v(size_t(b.size()) / sizeof(T));
    std::memcpy(v.data(), b.constData(), v.size() * sizeof(T));
    return v;
}

// The child: opens the saved store like the app does and searches it.
int child(const QString& dir, long n, const QString& data, int dim)
{
    const auto q = readRaw<float>(dir + "/queries");
    const auto flatTruth = readRaw<qint64>(dir + "/truth");
    std::vector<std::vector<qint64>> truth(flatTruth.size() / 10), got;
    for (size_t i = 0; i < truth.size(); ++i)
        truth[i].assign(flatTruth.begin() + qint64(i * 10), flatTruth.begin() + qint64(i * 10 + 10));
    const std::string rss0 = procStatus("VmRSS");
    const auto t0 = Clock::now();
    VectorStore store(dir + "/store.faiss", "bench", dim);
    QString why;
    if (!store.load(1, &why))
        qFatal("load failed: %s", qPrintable(why));
    const double load = seconds(t0);
    const std::string rss = procStatus("VmRSS"), hwm = procStatus("VmHWM");
    store.search(q.data(), 10);
    const double first = seconds(t0);
    const Timing t = run(store, q, int(truth.size()), dim, &got);
    std::printf("| %ld | %s | %s | %.2f | %.0f | %.2f | %.2f | %.4f | %s | %s | %s |\n", n, qPrintable(data),
                qPrintable(store.describe().section(',', 0, 0)), load, first * 1e3, t.p50, t.p99,
                recall(truth, got), rss0.c_str(), rss.c_str(), hwm.c_str());
    std::fflush(stdout);
    return 0;
}

void runChild(const QString& dir, long n, const QString& data, int dim)
{
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
        const std::string d = dir.toStdString(), ns = std::to_string(n), ds = data.toStdString(),
                          dims = std::to_string(dim);
        execl("/proc/self/exe", "bench_search", "--child", d.c_str(), "--sizes", ns.c_str(), "--data",
              ds.c_str(), "--dim", dims.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        std::printf("child failed (status %d)\n", status);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    std::vector<long> sizes{10000, 100000, 1000000}, probes{8, 16, 32, 64};
    int queries = 1000, exactQueries = -1, threads = 0, clusters = 4096, dim = 512;
    QString data = "clusters", childDir;
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
        else if (k == "--data") data = v;
        else if (k == "--child") childDir = v;
        else { std::fprintf(stderr, "unknown option %s\n", qPrintable(k)); return 2; }
    }
    if (data != "clusters" && data != "hard") {
        std::fprintf(stderr, "--data must be clusters or hard\n");
        return 2;
    }
    if (!childDir.isEmpty())
        return child(childDir, sizes.empty() ? 0 : sizes[0], data, dim);
    if (threads > 0)
        omp_set_num_threads(threads); // build/training only; one query runs on one thread
    if (exactQueries < 0)
        exactQueries = queries;
    std::printf("data %s, dim %d, clusters %d, queries %d (exact store timed on %d), OpenMP threads %d\n",
                qPrintable(data), dim, clusters, queries, exactQueries, omp_get_max_threads());
    QTemporaryDir tmp;
    std::unique_ptr<Data> gen;
    if (data == "hard")
        gen = std::make_unique<Hard>(dim);
    else
        gen = std::make_unique<Clusters>(dim, clusters);
    const std::vector<float> q = gen->sample(size_t(queries), true, 99);
    writeRaw(tmp.filePath("queries"), q);

    for (long n : sizes) {
        auto t0 = Clock::now();
        std::vector<float> x = gen->sample(size_t(n), false, 1000 + n);
        std::vector<qint64> ids(static_cast<size_t>(n));
        for (long i = 0; i < n; ++i)
            ids[size_t(i)] = i + 1;
        double top1 = 0, top10 = 0;
        const auto truth = groundTruth(x, q, dim, &top1, &top10);
        std::vector<qint64> flatTruth;
        for (const auto& t : truth)
            flatTruth.insert(flatTruth.end(), t.begin(), t.end());
        writeRaw(tmp.filePath("truth"), flatTruth);
        std::printf("\nN %ld: data + ground truth %.1f s; mean query score of exact top-1 %.3f, top-10 %.3f\n",
                    n, seconds(t0), top1, top10);
        std::printf("| N | index | build s | p50 ms | p99 ms | recall@10 | VmRSS | VmHWM |\n");
        std::printf("|---|---|---|---|---|---|---|---|\n");
        std::vector<std::vector<qint64>> got;
        if (exactQueries > 0) {
            VectorStore exact(tmp.filePath("e"), "bench", dim);
            exact.setApproximateThreshold(n + 1);
            t0 = Clock::now();
            exact.add(ids, x);
            const double build = seconds(t0);
            const Timing te = run(exact, q, exactQueries, dim, &got);
            std::printf("| %ld | exact | %.2f | %.2f | %.2f | %.4f | %s | %s |\n", n, build, te.p50, te.p99,
                        recall(truth, got), procStatus("VmRSS").c_str(), procStatus("VmHWM").c_str());
            std::fflush(stdout);
        }
        {
            VectorStore approx(tmp.filePath("store.faiss"), "bench", dim);
            approx.setApproximateThreshold(1);
            t0 = Clock::now();
            approx.add(ids, x);
            const double build = seconds(t0);
            std::vector<float>().swap(x);
            const std::string rss = procStatus("VmRSS"), hwm = procStatus("VmHWM");
            for (long p : probes) {
                approx.setProbes(int(p));
                const Timing ta = run(approx, q, queries, dim, &got);
                std::printf("| %ld | %s | %.2f | %.2f | %.2f | %.4f | %s | %s |\n", n,
                            qPrintable(approx.describe().section(',', 0, 0)), build, ta.p50, ta.p99,
                            recall(truth, got), rss.c_str(), hwm.c_str());
                std::fflush(stdout);
            }
            approx.setProbes(0);
            t0 = Clock::now();
            approx.save(1);
            std::printf("default: %s; saved in %.2f s, %.0f MB\n", qPrintable(approx.describe()), seconds(t0),
                        double(QFile(tmp.filePath("store.faiss")).size()) / 1e6);
        }
        std::printf("opened from the file by a fresh process (store alone):\n");
        std::printf("| N | data | index | load s | open to first result ms | p50 ms | p99 ms | recall@10 "
                    "| VmRSS before | VmRSS loaded | VmHWM |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        runChild(tmp.path(), n, data, dim);
        QFile::remove(tmp.filePath("store.faiss"));
    }
    return 0;
}
