// VectorStore: exact and approximate search, replacement, removal, filters,
// and the file: round trip, every way a file must be refused, and files
// written by earlier builds (tests/index/data/vectors-v*.faiss).
//
// To regenerate the fixtures after a deliberate format change (never for an
// existing version): PHOTOSEARCH_WRITE_FIXTURES=1 ./test_vector_store

#include "VectorFile.h"
#include "VectorStore.h"

#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>

using namespace photosearch;

namespace {

// Deterministic unit vectors (a tiny LCG, so fixtures can be checked
// against the same numbers in any later build).
std::vector<float> unitVectors(size_t n, int dim, uint32_t seed)
{
    std::vector<float> x(n * size_t(dim));
    uint32_t s = seed;
    for (float& v : x) {
        s = s * 1664525u + 1013904223u;
        v = float(s >> 8) / float(1u << 24) - 0.5f;
    }
    for (size_t i = 0; i < n; ++i) {
        float* v = x.data() + i * size_t(dim);
        double norm = 0;
        for (int j = 0; j < dim; ++j)
            norm += double(v[j]) * v[j];
        for (int j = 0; j < dim; ++j)
            v[j] = float(v[j] / std::sqrt(norm));
    }
    return x;
}

std::vector<qint64> idRange(qint64 first, size_t n)
{
    std::vector<qint64> ids(n);
    for (size_t i = 0; i < n; ++i)
        ids[i] = first + qint64(i);
    return ids;
}

const float* row(const std::vector<float>& x, size_t i, int dim) { return x.data() + i * size_t(dim); }

constexpr int kDim = 32;

// Fixture contents: `count` vectors, ids 1000.., seed 7, dimension 8.
// `refusal` empty: the file must load; otherwise why it must be refused
// (format 1's IVF-Flat: rebuilt from the catalog, never read).
struct Fixture {
    const char* file;
    quint32 version;
    size_t count;
    qint64 threshold;
    bool approximate;
    const char* refusal;
};
const Fixture kFixtures[] = {
    {"vectors-v1.faiss", 1, 5, VectorStore::kApproximateThreshold, false, ""},
    {"vectors-v1-ivf.faiss", 1, 300, 100, true, "IVF-Flat"},
    {"vectors-v2.faiss", 2, 5, VectorStore::kApproximateThreshold, false, ""},
    {"vectors-v2-sq8.faiss", 2, 300, 100, true, ""},
};
constexpr int kFixtureDim = 8;
constexpr qint64 kFixtureGeneration = 7;
const char* const kFixtureModel = "fixture-model";

// The compact index scores decoded 8-bit vectors: a self-match scores ~1, not
// exactly 1.
float scoreTolerance(bool approximate) { return approximate ? 1e-2f : 1e-4f; }

// Clustered unit vectors (`clusters` random centres, noise of squared norm
// `noise`), closer to photo embeddings than uniform ones.
std::vector<float> clusteredVectors(size_t n, int dim, int clusters, double noise, uint32_t seed)
{
    const auto centres = unitVectors(size_t(clusters), dim, seed);
    auto x = unitVectors(n, dim, seed + 1);
    const float a = float(std::sqrt(1 - noise)), b = float(std::sqrt(noise));
    for (size_t i = 0; i < n; ++i) {
        float* v = x.data() + i * size_t(dim);
        const float* c = centres.data() + (i * 7919 % size_t(clusters)) * size_t(dim);
        double norm = 0;
        for (int j = 0; j < dim; ++j) {
            v[j] = a * c[j] + b * v[j];
            norm += double(v[j]) * v[j];
        }
        for (int j = 0; j < dim; ++j)
            v[j] = float(v[j] / std::sqrt(norm));
    }
    return x;
}

// Share of the exact top-10 the approximate store returns, over `queries`.
double recallAt10(const VectorStore& exact, const VectorStore& approximate, const std::vector<float>& queries,
                  int dim)
{
    size_t found = 0, total = 0;
    for (size_t i = 0; i < queries.size() / size_t(dim); ++i) {
        std::set<qint64> truth;
        for (const auto& h : exact.search(row(queries, i, dim), 10))
            truth.insert(h.id);
        for (const auto& h : approximate.search(row(queries, i, dim), 10))
            found += truth.count(h.id);
        total += truth.size();
    }
    return double(found) / double(std::max<size_t>(total, 1));
}

// Rewrites a saved file's format version and its checksum, as an earlier
// build writing the same bytes would have.
void rewriteVersion(const QString& path, quint32 version)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QByteArray b = f.readAll();
    qToLittleEndian(version, b.data() + 8);
    vectorfile::Hash64 hash;
    hash.update(b.constData(), size_t(b.size()) - 8);
    qToLittleEndian(hash.value(), b.data() + b.size() - 8);
    QVERIFY(f.seek(0));
    QCOMPARE(f.write(b), qint64(b.size()));
}
} // namespace

class TestVectorStore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString path(const QString& name = QStringLiteral("vectors-m.faiss")) const { return dir_.filePath(name); }

    void corruptAndExpectRefusal(const std::function<void(QByteArray&)>& edit, const char* expected)
    {
        VectorStore store(path(), "m", kDim);
        const auto x = unitVectors(50, kDim, 3);
        store.add(idRange(1, 50), x);
        store.save(1);
        QFile f(path());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray bytes = f.readAll();
        f.close();
        edit(bytes);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(bytes);
        f.close();
        VectorStore again(path(), "m", kDim);
        QString why;
        QVERIFY(!again.load(1, &why));
        QVERIFY2(why.contains(QLatin1String(expected)), qPrintable(why));
        QCOMPARE(again.size(), 0);
        QVERIFY(again.search(row(x, 0, kDim), 5).empty());
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void selfQueryRanksFirst()
    {
        VectorStore store(path(), "m", kDim);
        const auto x = unitVectors(200, kDim, 1);
        store.add(idRange(100, 200), x);
        QCOMPARE(store.size(), 200);
        QVERIFY(!store.isApproximate());
        for (size_t i : {size_t(0), size_t(57), size_t(199)}) {
            const auto hits = store.search(row(x, i, kDim), 10);
            QCOMPARE(hits.size(), size_t(10));
            QCOMPARE(hits[0].id, qint64(100 + i));
            QVERIFY(std::abs(hits[0].score - 1.0f) < 1e-4f);
            for (size_t j = 1; j < hits.size(); ++j)
                QVERIFY(hits[j - 1].score >= hits[j].score);
        }
        QCOMPARE(store.search(row(x, 0, kDim), 1000).size(), size_t(200));
        QVERIFY(store.search(row(x, 0, kDim), 0).empty());
    }

    void badInputThrows()
    {
        VectorStore store(path(), "m", kDim);
        QVERIFY_THROWS_EXCEPTION(VectorStoreError, store.add({1, 2}, std::vector<float>(kDim)));
    }

    void replaceAndRemove_data()
    {
        QTest::addColumn<qint64>("threshold");
        QTest::newRow("exact") << VectorStore::kApproximateThreshold;
        QTest::newRow("approximate") << qint64(300);
    }
    void replaceAndRemove()
    {
        QFETCH(qint64, threshold);
        VectorStore store(path(), "m", kDim);
        store.setApproximateThreshold(threshold);
        const auto x = unitVectors(1000, kDim, 2);
        store.add(idRange(1, 1000), x);
        QCOMPARE(store.isApproximate(), threshold < 1000);
        // id 5 now holds vector 900's neighbour: query 900 → 5 and 901 tie.
        const auto y = unitVectors(1, kDim, 99);
        store.add({5}, y);
        QCOMPARE(store.size(), 1000);
        auto hits = store.search(y.data(), 3);
        QCOMPARE(hits[0].id, qint64(5));
        QVERIFY(std::abs(hits[0].score - 1.0f) < scoreTolerance(store.isApproximate()));
        for (const auto& h : store.search(row(x, 4, kDim), 10))
            QVERIFY(h.id != 5 || h.score < 0.999f); // old vector of 5 is gone
        // Repeats in one batch: the last wins.
        store.add({6, 6}, [&] { auto v = std::vector<float>(row(x, 0, kDim), row(x, 0, kDim) + kDim);
                                v.insert(v.end(), y.begin(), y.end()); return v; }());
        QCOMPARE(store.size(), 1000);
        hits = store.search(y.data(), 2);
        QCOMPARE(hits.size(), size_t(2));
        QVERIFY((hits[0].id == 5 && hits[1].id == 6) || (hits[0].id == 6 && hits[1].id == 5));

        store.remove({5, 6, 7, 123456});
        QCOMPARE(store.size(), 997);
        for (size_t i : {size_t(4), size_t(5), size_t(6)})
            for (const auto& h : store.search(row(x, i, kDim), 50))
                QVERIFY(h.id != 5 && h.id != 6 && h.id != 7);
        QCOMPARE(store.search(row(x, 500, kDim), 1)[0].id, qint64(501));
        store.clear();
        QCOMPARE(store.size(), 0);
        QVERIFY(!store.isApproximate());
    }

    void filteredSearchFindsLowRankedHits_data() { replaceAndRemove_data(); }
    void filteredSearchFindsLowRankedHits()
    {
        QFETCH(qint64, threshold);
        VectorStore store(path(), "m", kDim);
        store.setApproximateThreshold(threshold);
        const auto x = unitVectors(2000, kDim, 4);
        store.add(idRange(1, 2000), x);
        const float* q = row(x, 0, kDim);
        // Allow only the 12 ids ranked last for this query.
        const auto all = store.search(q, 2000);
        QCOMPARE(all.size(), size_t(2000));
        QSet<qint64> tail;
        for (size_t i = all.size() - 12; i < all.size(); ++i)
            tail.insert(all[i].id);
        const auto hits = store.search(q, 10, [&](qint64 id) { return tail.contains(id); });
        QCOMPARE(hits.size(), size_t(10));
        for (const auto& h : hits)
            QVERIFY(tail.contains(h.id));
        // Fewer allowed than k: all of them.
        const auto few = store.search(q, 10, [](qint64 id) { return id == 77 || id == 1999; });
        QCOMPARE(few.size(), size_t(2));
    }

    void approximatePastThreshold()
    {
        VectorStore store(path(), "m", kDim);
        store.setApproximateThreshold(500);
        const auto x = unitVectors(3000, kDim, 5);
        store.add(idRange(1, 400), std::vector<float>(x.begin(), x.begin() + 400 * kDim));
        QVERIFY(!store.isApproximate());
        // Grows in batches: switch at 500, retrain as the lists fill.
        for (size_t first = 400; first < 3000; first += 650) {
            const size_t n = std::min<size_t>(650, 3000 - first);
            store.add(idRange(qint64(first) + 1, n),
                      std::vector<float>(x.begin() + qint64(first) * kDim, x.begin() + qint64(first + n) * kDim));
        }
        QVERIFY(store.isApproximate());
        QCOMPARE(store.size(), 3000);
        QVERIFY2(store.describe().startsWith("IVF-SQ8"), qPrintable(store.describe()));
        for (size_t i = 0; i < 3000; i += 97) {
            const auto hits = store.search(row(x, i, kDim), 10);
            QCOMPARE(hits.size(), size_t(10));
            QCOMPARE(hits[0].id, qint64(i + 1));
        }
        // Shrinking well below the threshold goes back to exact.
        store.remove(idRange(1, 2800));
        QVERIFY(!store.isApproximate());
        QCOMPARE(store.size(), 200);
        QCOMPARE(store.search(row(x, 2900, kDim), 1)[0].id, qint64(2901));
    }

    void saveLoadRoundTrip_data() { replaceAndRemove_data(); }
    void saveLoadRoundTrip()
    {
        QFETCH(qint64, threshold);
        const auto x = unitVectors(800, kDim, 6);
        {
            VectorStore store(path(), "m", kDim);
            store.setApproximateThreshold(threshold);
            store.add(idRange(10, 800), x);
            store.remove({11});
            store.save(42);
        }
        QVERIFY(!QFile::exists(path() + ".tmp"));
        VectorStore again(path(), "m", kDim);
        QString why;
        QVERIFY2(again.load(42, &why), qPrintable(why));
        QCOMPARE(again.size(), 799);
        QCOMPARE(again.isApproximate(), threshold < 800);
        QCOMPARE(again.search(row(x, 300, kDim), 1)[0].id, qint64(310));
        for (const auto& h : again.search(row(x, 1, kDim), 20))
            QVERIFY(h.id != 11);
        // Still writable after loading.
        again.add({11}, std::vector<float>(row(x, 1, kDim), row(x, 1, kDim) + kDim));
        QCOMPARE(again.search(row(x, 1, kDim), 1)[0].id, qint64(11));
    }

    void loadRefusesMismatches()
    {
        QString why;
        {
            VectorStore missing(dir_.filePath("nothing.faiss"), "m", kDim);
            QVERIFY(!missing.load(1, &why));
            QVERIFY2(why.contains("no file"), qPrintable(why));
        }
        VectorStore store(path(), "m", kDim);
        store.add(idRange(1, 20), unitVectors(20, kDim, 8));
        store.save(3);
        QVERIFY(!VectorStore(path(), "m", kDim).load(4, &why));
        QVERIFY2(why.contains("generation 3"), qPrintable(why));
        QVERIFY(!VectorStore(path(), "other", kDim).load(3, &why));
        QVERIFY2(why.contains("model m"), qPrintable(why));
        QVERIFY(!VectorStore(path(), "m", kDim * 2).load(3, &why));
        QVERIFY2(why.contains("dimension"), qPrintable(why));
        // A failed load leaves a loaded store empty.
        VectorStore loaded(path(), "m", kDim);
        QVERIFY(loaded.load(3));
        QCOMPARE(loaded.size(), 20);
        QVERIFY(!loaded.load(5));
        QCOMPARE(loaded.size(), 0);
    }

    void loadRefusesDamagedFiles()
    {
        corruptAndExpectRefusal([](QByteArray& b) { b.chop(b.size() / 3); }, "truncated");
        corruptAndExpectRefusal([](QByteArray& b) { b.chop(1); }, "truncated");
        corruptAndExpectRefusal([](QByteArray& b) { b.truncate(10); }, "truncated");
        corruptAndExpectRefusal([](QByteArray& b) { b[b.size() / 2] = char(b[b.size() / 2] ^ 0x10); },
                                "checksum");
        corruptAndExpectRefusal([](QByteArray& b) { b[b.size() - 20] = char(b[b.size() - 20] ^ 1); },
                                "checksum");
        corruptAndExpectRefusal([](QByteArray& b) { b = QByteArray(4096, 'x'); }, "not a PhotoSearch");
        corruptAndExpectRefusal([](QByteArray& b) { b.clear(); }, "truncated");
        // A newer format version (byte 8 is the low byte of the version).
        corruptAndExpectRefusal([](QByteArray& b) { b[8] = char(99); }, "newer");
    }

    // Files written by earlier builds stay readable.
    void readsFilesOfEarlierVersions()
    {
        const bool write = qEnvironmentVariableIsSet("PHOTOSEARCH_WRITE_FIXTURES");
        const QString dataDir = QFileInfo(QStringLiteral(__FILE__)).absolutePath() + "/data";
        for (const Fixture& f : kFixtures) {
            const auto x = unitVectors(f.count, kFixtureDim, 7);
            if (write && f.version == vectorfile::kFormatVersion) { // never rewrite an older version
                VectorStore out(dataDir + "/" + f.file, kFixtureModel, kFixtureDim);
                out.setApproximateThreshold(f.threshold);
                out.add(idRange(1000, f.count), x);
                out.save(kFixtureGeneration);
            }
            const QString file = QFINDTESTDATA(QStringLiteral("data/") + f.file);
            QVERIFY2(!file.isEmpty(), f.file);
            VectorStore store(file, kFixtureModel, kFixtureDim);
            QString why;
            if (*f.refusal) {
                QVERIFY2(!store.load(kFixtureGeneration, &why), f.file);
                QVERIFY2(why.contains(QLatin1String(f.refusal)), qPrintable(why));
                QCOMPARE(store.size(), 0);
                continue;
            }
            QVERIFY2(store.load(kFixtureGeneration, &why), qPrintable(why));
            QCOMPARE(store.size(), qint64(f.count));
            QCOMPARE(store.isApproximate(), f.approximate);
            for (size_t i = 0; i < f.count; i += 7) {
                const auto hits = store.search(row(x, i, kFixtureDim), 1);
                QCOMPARE(hits[0].id, qint64(1000 + i));
                QVERIFY(std::abs(hits[0].score - 1.0f) < scoreTolerance(f.approximate));
            }
        }
    }

    // A compact index in a file claiming format 1 (which had none) is
    // refused, not misread.
    void refusesCompactIndexOfFormat1()
    {
        VectorStore store(path(), "m", kDim);
        store.setApproximateThreshold(100);
        store.add(idRange(1, 400), unitVectors(400, kDim, 12));
        QVERIFY(store.isApproximate());
        store.save(5);
        rewriteVersion(path(), 1);
        QString why;
        VectorStore again(path(), "m", kDim);
        QVERIFY(!again.load(5, &why));
        QVERIFY2(why.contains("kind 3"), qPrintable(why));
        // The same bytes as format 2 load (so the refusal was the version).
        rewriteVersion(path(), 2);
        QVERIFY2(again.load(5, &why), qPrintable(why));
        QCOMPARE(again.size(), 400);
    }

    // The compact index finds what exact search finds: recall@10 over all
    // lists (only the 8-bit encoding differs) and at the default probes.
    void compactRecallAgainstExact()
    {
        const int dim = 64;
        const auto x = clusteredVectors(4000, dim, 40, 0.5, 21);
        const auto queries = clusteredVectors(100, dim, 40, 0.7, 22);
        VectorStore exact(path("e.faiss"), "m", dim), compact(path(), "m", dim);
        compact.setApproximateThreshold(1000);
        exact.add(idRange(1, 4000), x);
        compact.add(idRange(1, 4000), x);
        QVERIFY(compact.isApproximate() && !exact.isApproximate());
        const double atDefault = recallAt10(exact, compact, queries, dim);
        compact.setProbes(1 << 20); // every list
        const double everyList = recallAt10(exact, compact, queries, dim);
        QVERIFY2(everyList >= 0.97, qPrintable(QString::number(everyList)));
        QVERIFY2(atDefault >= 0.95, qPrintable(QString::number(atDefault)));
        // Scores are the exact ones to within the encoding's error.
        for (size_t i = 0; i < 100; i += 9) {
            const auto e = exact.search(row(queries, i, dim), 1);
            const auto c = compact.search(row(queries, i, dim), 1);
            QVERIFY(std::abs(e[0].score - c[0].score) < 1e-2f);
        }
        // Few probes must cost recall, or the probes above proved nothing.
        compact.setProbes(1);
        QVERIFY(recallAt10(exact, compact, queries, dim) < everyList);
    }

    // A rebuild of a large library starts compact, trained on a sample.
    void prepareBulkAddStartsCompact()
    {
        const int dim = 64;
        const auto x = clusteredVectors(3000, dim, 30, 0.5, 31);
        VectorStore store(path(), "m", dim), exact(path("e.faiss"), "m", dim);
        store.setApproximateThreshold(1000);
        exact.add(idRange(1, 3000), x);
        // Enough rows for the lists 3000 vectors get (64 × 40), every topic.
        const std::vector<float> sample(row(x, 0, dim), row(x, 2600, dim));
        QVERIFY(!store.prepareBulkAdd(900, sample)); // not past the threshold
        QVERIFY(!store.isApproximate());
        QVERIFY(store.prepareBulkAdd(3000, sample));
        QVERIFY(store.isApproximate());
        QCOMPARE(store.size(), 0);
        QVERIFY(!store.prepareBulkAdd(3000, sample)); // only once, on an empty store
        for (size_t first = 0; first < 3000; first += 256) {
            const size_t n = std::min<size_t>(256, 3000 - first);
            store.add(idRange(qint64(first) + 1, n),
                      std::vector<float>(row(x, first, dim), row(x, first + n, dim)));
        }
        QCOMPARE(store.size(), 3000);
        QVERIFY(store.isApproximate());
        const auto queries = clusteredVectors(60, dim, 30, 0.7, 32);
        const double r = recallAt10(exact, store, queries, dim);
        QVERIFY2(r >= 0.95, qPrintable(QString::number(r)));
        QVERIFY(!store.prepareBulkAdd(6000, sample)); // not empty
    }
};

QTEST_GUILESS_MAIN(TestVectorStore)
#include "test_vector_store.moc"
