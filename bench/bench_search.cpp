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
// With --catalog-dir ROOT the same vectors also live in a real catalog
// (ROOT/<data>-<n>-d<dim>/catalog.sqlite, photo id = row + 1, seeded through
// the Catalog API the first time and re-used after), and the child measures
// the exact re-rank as SearchEngine runs it on an approximate store
// (index/search/ExactRerank.h): the store's candidates re-scored with float32
// vectors read from that catalog, plus the k photo rows the engine maps hits
// to, before (no re-rank) and after in the same process, for each candidate
// count of --rerank; the engine's wide search (--wide-k, the relevance cut's
// 500 candidates); the batched read alone against one statement per id;
// and, with --cold N, N queries after the catalog file's pages were dropped
// from the OS page cache (posix_fadvise, that file only). The other rows read
// a warm catalog (the file read once first).
//
// usage: bench_search [--sizes 10000,100000,1000000] [--queries 1000]
//                     [--data clusters|hard] [--exact-queries N] [--threads N]
//                     [--clusters 4096] [--probes 8,16,32,64] [--dim 512]
//                     [--catalog-dir ROOT] [--rerank 20,50,100,200]
//                     [--wide-k 500] [--cold N]
// (--probes 0 = the store's default for the size; the child always uses the
// default; --exact-queries 0 skips timing the exact store; --probes "" skips
// the parent's probe sweep; --wide-k 0 skips the wide search)

#include "Catalog.h"
#include "ExactRerank.h"
#include "SqliteConnection.h"
#include "VectorStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStringList>
#include <QTemporaryDir>

#include <faiss/IndexFlat.h>
#include <faiss/VectorTransform.h>
#include <faiss/utils/random.h>
#include <omp.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <set>
#include <string>

using namespace photosearch;
using Clock = std::chrono::steady_clock;

namespace {

// The model id of the bench's vectors in the catalog and the store.
const QString kModel = QStringLiteral("bench");

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

std::string loadAverage()
{
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return a + " " + b + " " + c;
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

Timing summarise(std::vector<double> ms)
{
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

// One query's search as a user runs it: the hits, best first.
using Searcher = std::function<std::vector<VectorHit>(const float* query)>;

Timing run(const Searcher& search, const std::vector<float>& q, int nq, int dim,
           std::vector<std::vector<qint64>>* results)
{
    std::vector<double> ms;
    results->assign(size_t(nq), {});
    for (int i = 0; i < nq; ++i) {
        const auto t0 = Clock::now();
        auto hits = search(q.data() + size_t(i) * size_t(dim));
        ms.push_back(seconds(t0) * 1e3);
        for (auto& h : hits)
            (*results)[size_t(i)].push_back(h.id);
    }
    return summarise(std::move(ms));
}

Timing run(const VectorStore& store, const std::vector<float>& q, int nq, int dim,
           std::vector<std::vector<qint64>>* results)
{
    return run([&](const float* x) { return store.search(x, 10); }, q, nq, dim, results);
}

// The share of each query's k exact best found among its first k hits.
double recall(const std::vector<std::vector<qint64>>& truth, const std::vector<std::vector<qint64>>& got,
              size_t k = 10)
{
    size_t found = 0, total = 0;
    for (size_t i = 0; i < got.size() && i < truth.size(); ++i) {
        const size_t n = std::min(k, truth[i].size());
        std::set<qint64> t(truth[i].begin(), truth[i].begin() + std::ptrdiff_t(n));
        total += t.size();
        for (size_t j = 0; j < got[i].size() && j < k; ++j)
            found += t.count(got[i][j]);
    }
    return total ? double(found) / double(total) : 0;
}

// Ids are row + 1; the `depth` best per query. Brute force over all queries
// at once (BLAS).
std::vector<std::vector<qint64>> groundTruth(const std::vector<float>& x, const std::vector<float>& q, int dim,
                                             int depth, double* meanTop1, double* meanTop10)
{
    faiss::IndexFlatIP flat(dim);
    flat.add(faiss::Index::idx_t(x.size() / size_t(dim)), x.data());
    const size_t nq = q.size() / size_t(dim), kk = size_t(depth);
    std::vector<float> scores(nq * kk);
    std::vector<faiss::Index::idx_t> rows(nq * kk);
    flat.search(faiss::Index::idx_t(nq), q.data(), faiss::Index::idx_t(kk), scores.data(), rows.data());
    std::vector<std::vector<qint64>> truth(nq);
    *meanTop1 = *meanTop10 = 0;
    for (size_t i = 0; i < nq; ++i) {
        for (size_t j = 0; j < kk; ++j)
            truth[i].push_back(qint64(rows[i * kk + j]) + 1);
        *meanTop1 += scores[i * kk] / double(nq);
        *meanTop10 += scores[i * kk + 9] / double(nq);
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

QString joinList(const std::vector<long>& v)
{
    QStringList parts;
    for (long x : v)
        parts << QString::number(x);
    return parts.join(',');
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

// --- the catalog holding the same vectors (--catalog-dir) ---

QString fakeHash(long i)
{
    // 40 hex digits, like the SHA-1 the indexer stores.
    return QStringLiteral("%1").arg(quint64(i) * 0x9E3779B97F4A7C15ull, 16, 16, QLatin1Char('0')).repeated(3).left(40);
}

void seedRows(Catalog& catalog, const std::vector<float>& x, long from, long to, int dim)
{
    Catalog::Transaction tx(catalog);
    std::vector<float> v(static_cast<size_t>(dim));
    for (long i = from; i < to; ++i) {
        PhotoRecord r;
        r.path = QStringLiteral("/home/someone/Pictures/%1/IMG_%2.jpg").arg(2000 + i % 25).arg(i, 7, 10, QLatin1Char('0'));
        r.size = 2500000 + i % 100000;
        r.mtimeMs = 1500000000000 + i * 1000;
        r.contentHash = fakeHash(i);
        r.width = 4000;
        r.height = 3000;
        r.format = QStringLiteral("jpeg");
        if (catalog.insertPhoto(r) != i + 1)
            qFatal("the catalog must be new: photo %ld did not get id %ld", i, i + 1);
        std::copy_n(x.data() + size_t(i) * size_t(dim), size_t(dim), v.begin());
        catalog.putEmbedding(r.id, kModel, v, r.contentHash);
    }
    tx.commit();
}

// The catalog for this data set (seeded once, then re-used): its directory.
QString seedCatalog(const QString& root, const QString& data, long n, int dim, int clusters,
                    const std::vector<float>& x)
{
    const QString dir = QDir(root).filePath(QStringLiteral("%1-%2-d%3").arg(data).arg(n).arg(dim));
    const QString signature = QStringLiteral("%1 n=%2 dim=%3 clusters=%4 seed=%5 v1")
                                  .arg(data).arg(n).arg(dim).arg(data == "clusters" ? clusters : 0).arg(1000 + n);
    if (QFile::exists(dir + "/catalog.sqlite")) {
        Catalog catalog(dir);
        if (catalog.setting("bench_search") == signature && catalog.embeddingCount(kModel) == n) {
            std::printf("catalog re-used: %s\n", qPrintable(dir));
            return dir;
        }
    }
    QDir(dir).removeRecursively();
    QDir().mkpath(dir);
    const auto t0 = Clock::now();
    {
        Catalog catalog(dir);
        constexpr long kBatch = 10000; // the indexer's transactions are per batch too
        for (long from = 0; from < n; from += kBatch) {
            seedRows(catalog, x, from, std::min(n, from + kBatch), dim);
            if ((from + kBatch) % 200000 == 0)
                std::fprintf(stderr, "seeded %ld rows, %.0f s\n", from + kBatch, seconds(t0));
        }
        catalog.setSetting("bench_search", signature);
    }
    std::printf("catalog seeded through the Catalog API: %ld photos in %.0f s (load %s), %.0f MB: %s\n", n,
                seconds(t0), loadAverage().c_str(), double(QFileInfo(dir + "/catalog.sqlite").size()) / 1e6,
                qPrintable(dir));
    return dir;
}

// --- the child: what a user sees ---

struct ChildOptions {
    QString dir;        // the store's file and the queries
    QString catalogDir; // empty: the store alone
    long n = 0;
    QString data;
    int dim = 512;
    std::vector<long> rerank;
    int wideK = 0;
    int cold = 0;
};

// The photo rows SearchEngine reads for the hits it returns (hitFor).
void readRows(const Catalog& catalog, const std::vector<VectorHit>& hits)
{
    for (const VectorHit& h : hits)
        if (!catalog.photo(h.id))
            qFatal("photo %lld is not in the catalog", h.id);
}

void printRow(int k, const QString& what, const Timing& t, double recallK, double recall10)
{
    std::printf("| %d | %s | %.2f | %.2f | %.2f | %.4f | %.4f | %s | %s |\n", k, qPrintable(what), t.p50, t.p99,
                t.mean, recallK, recall10, procStatus("VmRSS").c_str(), loadAverage().c_str());
    std::fflush(stdout);
}

struct Variant {
    QString label;
    int k = 10;
    Searcher search;
};

// Runs every variant on every query, in blocks of 100 queries with the
// variants' order rotated from block to block: on a shared machine each
// variant sees the same load, and one variant's reads barely warm SQLite's
// page cache (2 MB) for the next (a block reads far more than that).
void runInterleaved(const std::vector<Variant>& variants, const std::vector<float>& q,
                    const std::vector<std::vector<qint64>>& truth, int dim)
{
    constexpr int kBlock = 100;
    const int nq = int(truth.size());
    const size_t nv = variants.size();
    std::vector<std::vector<double>> ms(nv);
    std::vector<std::vector<std::vector<qint64>>> got(nv, std::vector<std::vector<qint64>>(size_t(nq)));
    for (int b = 0; b * kBlock < nq; ++b) {
        for (size_t r = 0; r < nv; ++r) {
            const size_t v = (r + size_t(b)) % nv;
            for (int i = b * kBlock; i < std::min(nq, (b + 1) * kBlock); ++i) {
                const auto t0 = Clock::now();
                const std::vector<VectorHit> hits = variants[v].search(q.data() + size_t(i) * size_t(dim));
                ms[v].push_back(seconds(t0) * 1e3);
                for (const VectorHit& h : hits)
                    got[v][size_t(i)].push_back(h.id);
            }
        }
    }
    for (size_t v = 0; v < nv; ++v)
        printRow(variants[v].k, variants[v].label, summarise(ms[v]), recall(truth, got[v], size_t(variants[v].k)),
                 recall(truth, got[v], 10));
}

// k = 10, as `search -k 10 --all` and `similar` ask: before (the store's 10
// and their photo rows) and after (the store's c, re-ranked, then the rows).
void measureRerank(const VectorStore& store, const Catalog& catalog, const ChildOptions& o,
                   const std::vector<float>& q, const std::vector<std::vector<qint64>>& truth)
{
    const ExactRerank exact(catalog, kModel);
    std::vector<Variant> variants;
    variants.push_back({QStringLiteral("store's 10 (before: no re-rank)"), 10, [&](const float* x) {
                            auto hits = store.search(x, 10);
                            readRows(catalog, hits);
                            return hits;
                        }});
    for (long c : o.rerank) {
        const bool engine = c == ExactRerank::candidates(10) && c == ExactRerank::kDepth;
        variants.push_back({QStringLiteral("store's %1, re-ranked%2").arg(c).arg(engine ? " (engine's default)" : ""),
                            10, [&, c](const float* x) {
                                auto hits = exact.rerank(std::vector<float>(x, x + o.dim), store.search(x, int(c)),
                                                         10, int(c));
                                readRows(catalog, hits);
                                return hits;
                            }});
    }
    runInterleaved(variants, q, truth, o.dim);
}

// The relevance cut's wide search (SearchEngine asks for 500 candidates):
// the engine re-scores the best kDepth; all of them for comparison.
void measureWide(const VectorStore& store, const Catalog& catalog, const ChildOptions& o, const std::vector<float>& q,
                 const std::vector<std::vector<qint64>>& truth)
{
    const ExactRerank exact(catalog, kModel);
    const int k = o.wideK, c = ExactRerank::candidates(k);
    std::vector<Variant> variants;
    variants.push_back({QStringLiteral("store's %1 (before)").arg(k), k,
                        [&](const float* x) { return store.search(x, k); }});
    for (int depth : {ExactRerank::kDepth, c}) {
        variants.push_back({QStringLiteral("store's %1, best %2 re-ranked%3")
                                .arg(c)
                                .arg(depth)
                                .arg(depth == ExactRerank::kDepth ? " (engine's default)" : ""),
                            k, [&, depth](const float* x) {
                                return exact.rerank(std::vector<float>(x, x + o.dim), store.search(x, c), k, depth);
                            }});
    }
    runInterleaved(variants, q, truth, o.dim);
}

// The other way the batched read could be written: one cached statement
// stepped per id (in id order); the rows it read.
size_t readById(const Catalog& catalog, std::vector<qint64> ids)
{
    std::sort(ids.begin(), ids.end());
    std::vector<std::vector<float>> out;
    for (qint64 id : ids) {
        Statement s = catalog.connection().statement(
            "SELECT e.dim, e.vector FROM embeddings e JOIN photos p ON p.id = e.photo_id "
            "WHERE e.photo_id = ?1 AND e.model_id = ?2 "
            "AND e.content_hash = p.content_hash AND p.status = 0 AND length(e.vector) = e.dim * 4");
        s.bind(1, id).bind(2, kModel);
        if (s.next()) {
            int size = 0;
            const float* blob = static_cast<const float*>(s.blob(1, &size));
            out.emplace_back(blob, blob + size / 4);
        }
    }
    return out.size();
}

// The batched read alone, Catalog::embeddings against readById, on the ids
// of the store's candidates; which goes first alternates (the first warms
// SQLite's page cache for the second), and each is timed first and second.
void measureRead(const VectorStore& store, const Catalog& catalog, const ChildOptions& o, const std::vector<float>& q,
                 int nq)
{
    const int c = ExactRerank::candidates(10);
    std::vector<double> api[2], perId[2];
    size_t rows = 0;
    for (int i = 0; i < nq; ++i) {
        std::vector<qint64> ids;
        for (const VectorHit& h : store.search(q.data() + size_t(i) * size_t(o.dim), c))
            ids.push_back(h.id);
        for (int pass = 0; pass < 2; ++pass) {
            const bool apiNow = (i + pass) % 2 == 0;
            const auto t0 = Clock::now();
            if (apiNow) {
                for (const std::vector<float>& v : catalog.embeddings(ids, kModel))
                    rows += v.empty() ? 0 : 1;
            } else {
                rows += readById(catalog, ids);
            }
            (apiNow ? api : perId)[pass].push_back(seconds(t0) * 1e3);
        }
    }
    const Timing a0 = summarise(api[0]), a1 = summarise(api[1]), j0 = summarise(perId[0]), j1 = summarise(perId[1]);
    std::printf("batched read of the store's %d candidates, %d queries (%zu rows), p50 / p99 ms when run first | "
                "second: Catalog::embeddings (one json_each() statement) %.2f / %.2f | %.2f / %.2f; one statement per id "
                "%.2f / %.2f | %.2f / %.2f\n",
                c, nq, rows, a0.p50, a0.p99, a1.p50, a1.p99, j0.p50, j0.p99, j1.p50, j1.p99);
}

// Drops the catalog file's pages from the OS page cache (that file only).
void evictFromPageCache(const QString& path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY);
    if (fd < 0)
        return;
    ::fdatasync(fd);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
}

// Reads the file once (into a reused buffer: the OS page cache, not this
// process, keeps it); the seconds taken.
double readIntoPageCache(const QString& path)
{
    const auto t0 = Clock::now();
    QFile f(path);
    if (f.open(QIODevice::ReadOnly)) {
        QByteArray buffer(1 << 20, Qt::Uninitialized);
        while (f.read(buffer.data(), buffer.size()) > 0) {
        }
    }
    return seconds(t0);
}

void measureCold(const VectorStore& store, const ChildOptions& o, const std::vector<float>& q,
                 const std::vector<std::vector<qint64>>& truth)
{
    evictFromPageCache(o.catalogDir + "/catalog.sqlite");
    evictFromPageCache(o.catalogDir + "/catalog.sqlite-wal");
    const auto t0 = Clock::now();
    Catalog catalog(o.catalogDir);
    const double open = seconds(t0) * 1e3;
    const ExactRerank exact(catalog, kModel);
    const int c = ExactRerank::candidates(10), nq = std::min<int>(o.cold, int(truth.size()));
    std::vector<std::vector<qint64>> got;
    const Timing t = run(
        [&](const float* x) {
            auto hits = exact.rerank(std::vector<float>(x, x + o.dim), store.search(x, c), 10);
            readRows(catalog, hits);
            return hits;
        },
        q, nq, o.dim, &got);
    std::printf("cold catalog (its pages dropped from the OS cache; opened in %.0f ms):\n", open);
    printRow(10, QStringLiteral("store's %1, re-ranked, first %2 queries cold").arg(c).arg(nq), t,
             recall(truth, got, 10), recall(truth, got, 10));
}

void childCatalog(const VectorStore& store, const ChildOptions& o, const std::vector<float>& q,
                  const std::vector<std::vector<qint64>>& truth)
{
    std::printf("\ncatalog file read into the OS page cache in %.1f s (a warm catalog)\n",
                readIntoPageCache(o.catalogDir + "/catalog.sqlite"));
    {
        const auto t0 = Clock::now();
        const Catalog catalog(o.catalogDir);
        std::printf("with the catalog (%s, opened in %.0f ms; VmRSS %s, store + catalog):\n",
                    qPrintable(o.catalogDir), seconds(t0) * 1e3, procStatus("VmRSS").c_str());
        std::printf("| k | search | p50 ms | p99 ms | mean ms | recall@k | recall@10 | VmRSS after | load avg |\n"
                    "|---|---|---|---|---|---|---|---|---|\n");
        measureRerank(store, catalog, o, q, truth);
        if (o.wideK > 0 && truth[0].size() >= size_t(o.wideK))
            measureWide(store, catalog, o, q, truth);
        measureRead(store, catalog, o, q, std::min<int>(300, int(truth.size())));
    }
    if (o.cold > 0)
        measureCold(store, o, q, truth);
    std::printf("VmRSS after all queries %s, VmHWM %s\n", procStatus("VmRSS").c_str(), procStatus("VmHWM").c_str());
}

// The child: opens the saved store like the app does and searches it.
int child(const ChildOptions& o)
{
    const auto q = readRaw<float>(o.dir + "/queries");
    const auto flatTruth = readRaw<qint64>(o.dir + "/truth");
    const size_t nq = q.size() / size_t(o.dim), depth = nq ? flatTruth.size() / nq : 0;
    std::vector<std::vector<qint64>> truth(nq), got;
    for (size_t i = 0; i < nq; ++i)
        truth[i].assign(flatTruth.begin() + qint64(i * depth), flatTruth.begin() + qint64(i * depth + depth));
    const std::string rss0 = procStatus("VmRSS");
    const auto t0 = Clock::now();
    VectorStore store(o.dir + "/store.faiss", kModel, o.dim);
    QString why;
    if (!store.load(1, &why))
        qFatal("load failed: %s", qPrintable(why));
    const double load = seconds(t0);
    const std::string rss = procStatus("VmRSS"), hwm = procStatus("VmHWM");
    store.search(q.data(), 10);
    const double first = seconds(t0);
    const Timing t = run(store, q, int(truth.size()), o.dim, &got);
    std::printf("| %ld | %s | %s | %.2f | %.0f | %.2f | %.2f | %.4f | %s | %s | %s |\n", o.n, qPrintable(o.data),
                qPrintable(store.describe().section(',', 0, 0)), load, first * 1e3, t.p50, t.p99,
                recall(truth, got), rss0.c_str(), rss.c_str(), hwm.c_str());
    std::fflush(stdout);
    if (!o.catalogDir.isEmpty())
        childCatalog(store, o, q, truth);
    return 0;
}

void runChild(const ChildOptions& o)
{
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
        std::vector<std::string> a{"bench_search", "--child", o.dir.toStdString(), "--sizes", std::to_string(o.n),
                                   "--data", o.data.toStdString(), "--dim", std::to_string(o.dim)};
        if (!o.catalogDir.isEmpty()) {
            for (const std::string& s : {std::string("--catalog"), o.catalogDir.toStdString(), std::string("--rerank"),
                                         joinList(o.rerank).toStdString(), std::string("--wide-k"),
                                         std::to_string(o.wideK), std::string("--cold"), std::to_string(o.cold)})
                a.push_back(s);
        }
        std::vector<char*> argv;
        for (std::string& s : a)
            argv.push_back(s.data());
        argv.push_back(nullptr);
        execv("/proc/self/exe", argv.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        std::printf("child failed (status %d)\n", status);
}

struct Options {
    std::vector<long> sizes{10000, 100000, 1000000}, probes{8, 16, 32, 64}, rerank{20, 50, 100, 200};
    int queries = 1000, exactQueries = -1, threads = 0, clusters = 4096, dim = 512, wideK = 500, cold = 0;
    QString data = "clusters", childDir, catalogRoot, childCatalog;
};

bool parse(const QStringList& args, Options* o)
{
    for (int i = 1; i + 1 < args.size(); i += 2) {
        const QString& k = args[i];
        const QString& v = args[i + 1];
        if (k == "--sizes") o->sizes = parseList(v);
        else if (k == "--probes") o->probes = parseList(v);
        else if (k == "--rerank") o->rerank = parseList(v);
        else if (k == "--queries") o->queries = v.toInt();
        else if (k == "--exact-queries") o->exactQueries = v.toInt();
        else if (k == "--threads") o->threads = v.toInt();
        else if (k == "--clusters") o->clusters = v.toInt();
        else if (k == "--dim") o->dim = v.toInt();
        else if (k == "--wide-k") o->wideK = v.toInt();
        else if (k == "--cold") o->cold = v.toInt();
        else if (k == "--data") o->data = v;
        else if (k == "--child") o->childDir = v;
        else if (k == "--catalog-dir") o->catalogRoot = v;
        else if (k == "--catalog") o->childCatalog = v;
        else { std::fprintf(stderr, "unknown option %s\n", qPrintable(k)); return false; }
    }
    if (o->data != "clusters" && o->data != "hard") {
        std::fprintf(stderr, "--data must be clusters or hard\n");
        return false;
    }
    return true;
}

void timeExact(long n, const std::vector<qint64>& ids, const std::vector<float>& x, const std::vector<float>& q,
               const std::vector<std::vector<qint64>>& truth, const Options& o, const QTemporaryDir& tmp)
{
    std::vector<std::vector<qint64>> got;
    VectorStore exact(tmp.filePath("e"), kModel, o.dim);
    exact.setApproximateThreshold(n + 1);
    const auto t0 = Clock::now();
    exact.add(ids, x);
    const double build = seconds(t0);
    const Timing te = run(exact, q, o.exactQueries, o.dim, &got);
    std::printf("| %ld | exact | %.2f | %.2f | %.2f | %.4f | %s | %s |\n", n, build, te.p50, te.p99,
                recall(truth, got), procStatus("VmRSS").c_str(), procStatus("VmHWM").c_str());
    std::fflush(stdout);
}

// Builds the approximate store (freeing `x` once it is in), sweeps the
// probes and saves it for the child.
void buildApproximate(long n, const std::vector<qint64>& ids, std::vector<float>& x, const std::vector<float>& q,
                      const std::vector<std::vector<qint64>>& truth, const Options& o, const QTemporaryDir& tmp)
{
    std::vector<std::vector<qint64>> got;
    VectorStore approx(tmp.filePath("store.faiss"), kModel, o.dim);
    approx.setApproximateThreshold(1);
    auto t0 = Clock::now();
    approx.add(ids, x);
    const double build = seconds(t0);
    std::vector<float>().swap(x);
    const std::string rss = procStatus("VmRSS"), hwm = procStatus("VmHWM");
    std::printf("approximate store built in %.1f s (load %s)\n", build, loadAverage().c_str());
    for (long p : o.probes) {
        approx.setProbes(int(p));
        const Timing ta = run(approx, q, o.queries, o.dim, &got);
        std::printf("| %ld | %s | %.2f | %.2f | %.2f | %.4f | %s | %s |\n", n,
                    qPrintable(approx.describe().section(',', 0, 0)), build, ta.p50, ta.p99, recall(truth, got),
                    rss.c_str(), hwm.c_str());
        std::fflush(stdout);
    }
    approx.setProbes(0);
    t0 = Clock::now();
    approx.save(1);
    std::printf("default: %s; saved in %.2f s, %.0f MB\n", qPrintable(approx.describe()), seconds(t0),
                double(QFile(tmp.filePath("store.faiss")).size()) / 1e6);
}

void benchSize(long n, const Data& gen, const std::vector<float>& q, const Options& o, const QTemporaryDir& tmp)
{
    auto t0 = Clock::now();
    std::vector<float> x = gen.sample(size_t(n), false, 1000 + n);
    std::vector<qint64> ids(static_cast<size_t>(n));
    for (long i = 0; i < n; ++i)
        ids[size_t(i)] = i + 1;
    double top1 = 0, top10 = 0;
    const bool withCatalog = !o.catalogRoot.isEmpty();
    const int depth = withCatalog ? std::max(10, o.wideK) : 10;
    const auto truth = groundTruth(x, q, o.dim, depth, &top1, &top10);
    std::vector<qint64> flatTruth;
    for (const auto& t : truth)
        flatTruth.insert(flatTruth.end(), t.begin(), t.end());
    writeRaw(tmp.filePath("truth"), flatTruth);
    std::printf("\nN %ld: data + ground truth %.1f s; mean query score of exact top-1 %.3f, top-10 %.3f\n", n,
                seconds(t0), top1, top10);
    const QString catalogDir = withCatalog ? seedCatalog(o.catalogRoot, o.data, n, o.dim, o.clusters, x) : QString();
    std::printf("| N | index | build s | p50 ms | p99 ms | recall@10 | VmRSS | VmHWM |\n");
    std::printf("|---|---|---|---|---|---|---|---|\n");
    if (o.exactQueries > 0)
        timeExact(n, ids, x, q, truth, o, tmp);
    buildApproximate(n, ids, x, q, truth, o, tmp);
    std::printf("opened from the file by a fresh process (store alone):\n");
    std::printf("| N | data | index | load s | open to first result ms | p50 ms | p99 ms | recall@10 "
                "| VmRSS before | VmRSS loaded | VmHWM |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    runChild({tmp.path(), catalogDir, n, o.data, o.dim, o.rerank, o.wideK, o.cold});
    QFile::remove(tmp.filePath("store.faiss"));
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    Options o;
    if (!parse(app.arguments(), &o))
        return 2;
    if (!o.childDir.isEmpty())
        return child({o.childDir, o.childCatalog, o.sizes.empty() ? 0 : o.sizes[0], o.data, o.dim, o.rerank,
                      o.wideK, o.cold});
    if (o.threads > 0)
        omp_set_num_threads(o.threads); // build/training only; one query runs on one thread
    if (o.exactQueries < 0)
        o.exactQueries = o.queries;
    std::printf("data %s, dim %d, clusters %d, queries %d (exact store timed on %d), OpenMP threads %d, load %s\n",
                qPrintable(o.data), o.dim, o.clusters, o.queries, o.exactQueries, omp_get_max_threads(),
                loadAverage().c_str());
    QTemporaryDir tmp;
    std::unique_ptr<Data> gen;
    if (o.data == "hard")
        gen = std::make_unique<Hard>(o.dim);
    else
        gen = std::make_unique<Clusters>(o.dim, o.clusters);
    const std::vector<float> q = gen->sample(size_t(o.queries), true, 99);
    writeRaw(tmp.filePath("queries"), q);
    for (long n : o.sizes)
        benchSize(n, *gen, q, o, tmp);
    return 0;
}
