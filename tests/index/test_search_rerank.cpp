// Exact re-rank of an approximate store (index/search/ExactRerank.h): a
// library whose store is IVF-SQ8 (forced with a small threshold) and whose
// query has 20 near neighbours 2e-4 apart in exact cosine, far less than
// the 8-bit codes' error (~1e-3). The store alone mis-orders them (checked
// first: without the re-rank SearchEngine returns the store's order and
// scores, so every check below would fail); SearchEngine must return the
// exact order and exact scores, filtered searches still k allowed hits, a
// photo removed since is dropped and one whose embedding went stale keeps
// the store's score.

#include "Catalog.h"
#include "ExactRerank.h"
#include "QueryEmbedder.h"
#include "SearchEngine.h"
#include "VectorCache.h"
#include "VectorStore.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <numeric>

using namespace photosearch;

namespace {

constexpr int kDim = 32;
constexpr int kPhotos = 400;
constexpr int kNear = 20;
const QString kModel = QStringLiteral("rerank-test");

// Deterministic numbers in [-0.5, 0.5) (an LCG: the same in any build).
class Lcg {
public:
    explicit Lcg(uint32_t seed) : s_(seed) {}
    float next()
    {
        s_ = s_ * 1664525u + 1013904223u;
        return float(s_ >> 8) / float(1u << 24) - 0.5f;
    }

private:
    uint32_t s_;
};

void normalise(std::vector<float>& v)
{
    double n = 0;
    for (float x : v)
        n += double(x) * x;
    for (float& x : v)
        x = float(x / std::sqrt(n));
}

double dot(const std::vector<float>& a, const std::vector<float>& b)
{
    double s = 0;
    for (size_t i = 0; i < a.size(); ++i)
        s += double(a[i]) * b[i];
    return s;
}

// A unit vector whose cosine with the unit `q` is `cosine`.
std::vector<float> atCosine(const std::vector<float>& q, double cosine, Lcg& rng)
{
    std::vector<float> u(static_cast<size_t>(kDim));
    for (float& x : u)
        x = rng.next();
    const double along = dot(u, q);
    for (int j = 0; j < kDim; ++j)
        u[size_t(j)] -= float(along * q[size_t(j)]);
    normalise(u);
    std::vector<float> v(static_cast<size_t>(kDim));
    const double side = std::sqrt(1 - cosine * cosine);
    for (int j = 0; j < kDim; ++j)
        v[size_t(j)] = float(cosine * q[size_t(j)] + side * u[size_t(j)]);
    return v;
}

class FixedEmbedder : public QueryEmbedder {
public:
    explicit FixedEmbedder(std::vector<float> v) : v_(std::move(v)) {}
    std::vector<float> embedText(const QString&) override { return v_; }
    std::vector<float> embedImage(const QString&) override { return v_; }

private:
    std::vector<float> v_;
};

std::vector<qint64> idsOf(const std::vector<SearchHit>& hits)
{
    std::vector<qint64> ids;
    for (const SearchHit& h : hits)
        ids.push_back(h.id);
    return ids;
}

} // namespace

class TestSearchRerank : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::vector<float> query_;
    std::map<qint64, std::vector<float>> vectors_; // photo id -> its embedding
    std::vector<qint64> exactOrder_;               // every photo, best first

    QString library() const { return dir_.filePath(QStringLiteral("library")); }

    std::unique_ptr<SearchEngine> engine() const
    {
        auto e = std::make_unique<SearchEngine>(library(), std::make_unique<FixedEmbedder>(query_), kDim, kModel);
        if (!e->rebuildReason().isEmpty())
            qWarning("the store was rebuilt (%s): it is no longer approximate", qPrintable(e->rebuildReason()));
        return e;
    }

    // The store as saved, searched alone: what SearchEngine would return
    // without the re-rank.
    std::vector<VectorHit> storeAlone(int k) const
    {
        VectorStore store(vectorStorePath(library(), kModel), kModel, kDim);
        Catalog catalog(library());
        if (!store.load(catalog.generation(kModel)) || !store.isApproximate())
            return {};
        return store.search(query_.data(), k);
    }

    std::vector<qint64> exactBest(int k, const std::function<bool(qint64)>& allowed = {}) const
    {
        std::vector<qint64> out;
        for (qint64 id : exactOrder_)
            if (int(out.size()) < k && (!allowed || allowed(id)))
                out.push_back(id);
        return out;
    }

    void checkExactScores(const std::vector<SearchHit>& hits) const
    {
        for (const SearchHit& h : hits)
            QVERIFY2(std::abs(h.score - dot(vectors_.at(h.id), query_)) < 1e-5,
                     qPrintable(QStringLiteral("photo %1: score %2, exact %3")
                                    .arg(h.id).arg(double(h.score), 0, 'f', 6)
                                    .arg(dot(vectors_.at(h.id), query_), 0, 'f', 6)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        Lcg rng(7);
        query_.resize(size_t(kDim));
        for (float& x : query_)
            x = rng.next();
        normalise(query_);
        // Near neighbours at 0.95, 0.9498, ...; the rest spread over -0.3..0.6.
        std::vector<std::vector<float>> rows;
        for (int i = 0; i < kPhotos; ++i)
            rows.push_back(atCosine(query_, i < kNear ? 0.95 - 2e-4 * i : 0.15 + 0.9 * double(rng.next()), rng));
        // Ids unrelated to the exact order (insertion order shuffled).
        std::vector<int> order(static_cast<size_t>(kPhotos));
        std::iota(order.begin(), order.end(), 0);
        for (int i = kPhotos - 1; i > 0; --i)
            std::swap(order[size_t(i)], order[size_t(std::abs(int(rng.next() * 1e6)) % (i + 1))]);

        Catalog catalog(library());
        std::vector<qint64> ids;
        std::vector<float> flat;
        for (int i : order) {
            PhotoRecord r;
            r.path = QStringLiteral("/photos/%1.jpg").arg(i);
            r.contentHash = QStringLiteral("hash-%1").arg(i);
            r.format = ids.size() % 2 ? QStringLiteral("png") : QStringLiteral("jpeg");
            const qint64 id = catalog.insertPhoto(r);
            catalog.putEmbedding(id, kModel, rows[size_t(i)], r.contentHash);
            vectors_[id] = rows[size_t(i)];
            ids.push_back(id);
            flat.insert(flat.end(), rows[size_t(i)].begin(), rows[size_t(i)].end());
        }
        exactOrder_ = ids;
        std::sort(exactOrder_.begin(), exactOrder_.end(),
                  [&](qint64 a, qint64 b) { return dot(vectors_[a], query_) > dot(vectors_[b], query_); });

        VectorStore store(vectorStorePath(library(), kModel), kModel, kDim);
        store.setApproximateThreshold(50);
        store.add(ids, flat);
        QVERIFY(store.isApproximate());
        store.save(catalog.generation(kModel));
    }

    // The premise: the 8-bit codes alone get the order and the scores wrong.
    void storeAloneMisordersTheNeighbours()
    {
        const std::vector<VectorHit> hits = storeAlone(10);
        QCOMPARE(hits.size(), size_t(10));
        std::vector<qint64> ids;
        double worst = 0;
        for (const VectorHit& h : hits) {
            ids.push_back(h.id);
            worst = std::max(worst, std::abs(h.score - dot(vectors_.at(h.id), query_)));
        }
        QVERIFY2(ids != exactBest(10), "the test's vectors no longer fool the 8-bit codes: make the gaps smaller");
        QVERIFY2(worst > 1e-4, qPrintable(QStringLiteral("store's worst score error %1").arg(worst)));
    }

    void searchVectorIsExact()
    {
        const auto e = engine();
        QVERIFY2(e->rebuildReason().isEmpty(), qPrintable(e->rebuildReason()));
        const std::vector<SearchHit> hits = e->searchVector(query_, 10);
        QCOMPARE(idsOf(hits), exactBest(10));
        checkExactScores(hits);
    }

    // The query language's path (SearchEngine::search, all = the k best).
    void searchIsExact()
    {
        const auto e = engine();
        SearchRequest request;
        request.query = QStringLiteral("near neighbours");
        request.k = 10;
        request.all = true;
        const QueryResults results = e->search(request);
        QVERIFY2(results.error.isEmpty(), qPrintable(results.error));
        QCOMPARE(idsOf(results.hits), exactBest(10));
        checkExactScores(results.hits);
    }

    void filteredSearchReturnsKAllowedHitsInExactOrder()
    {
        const auto e = engine();
        PhotoFilter filter;
        filter.formats = {QStringLiteral("png")};
        const std::vector<SearchHit> hits = e->searchVector(query_, 7, filter);
        const auto isPng = [&](qint64 id) { return e->catalog().photo(id)->format == QLatin1String("png"); };
        QCOMPARE(idsOf(hits), exactBest(7, isPng));
        checkExactScores(hits);
    }

    // The batched read behind the re-rank: element i is ids[i]'s vector, in
    // the order asked (not id order), repeats included; empty for an id
    // with no photo or another model's vectors.
    void catalogReadsManyEmbeddingsInTheOrderAsked()
    {
        const Catalog catalog(library());
        const qint64 a = exactOrder_[5], b = exactOrder_[0], missing = 1000000;
        const std::vector<qint64> ids{a, missing, b, a};
        const std::vector<std::vector<float>> got = catalog.embeddings(ids, kModel);
        QCOMPARE(got.size(), ids.size());
        QCOMPARE(got[0], vectors_.at(a));
        QVERIFY(got[1].empty());
        QCOMPARE(got[2], vectors_.at(b));
        QCOMPARE(got[3], vectors_.at(a));
        QVERIFY(catalog.embeddings({}, kModel).empty());
        for (const std::vector<float>& v : catalog.embeddings({a, b}, QStringLiteral("another-model")))
            QVERIFY(v.empty());
    }

    // Beyond the depth re-scored, the store's scores are kept.
    void rerankBeyondItsDepthKeepsTheStoresScores()
    {
        std::vector<VectorHit> hits = storeAlone(ExactRerank::candidates(10));
        QCOMPARE(hits.size(), size_t(ExactRerank::candidates(10)));
        const Catalog catalog(library());
        const std::vector<VectorHit> out = ExactRerank(catalog, kModel).rerank(query_, hits, int(hits.size()), 3);
        QCOMPARE(out.size(), hits.size());
        for (const VectorHit& h : out) {
            const auto it = std::find_if(hits.begin(), hits.end(), [&](const VectorHit& s) { return s.id == h.id; });
            const bool scored = it - hits.begin() < 3;
            QCOMPARE(h.score, scored ? float(dot(vectors_.at(h.id), query_)) : it->score);
        }
        QVERIFY(std::is_sorted(out.begin(), out.end(),
                               [](const VectorHit& a, const VectorHit& b) { return a.score > b.score; }));
    }

    // Changes after the store was opened: the removed photo is dropped (it
    // has no catalog row), the changed one keeps the store's score (its
    // embedding is stale until it is indexed again).
    void removedAndStalePhotos()
    {
        const auto e = engine();
        const std::vector<qint64> best = exactBest(3);
        const std::vector<VectorHit> alone = storeAlone(ExactRerank::candidates(10));
        e->catalog().removePhoto(best[0]);
        PhotoRecord changed = *e->catalog().photo(best[1]);
        changed.contentHash = QStringLiteral("changed since");
        e->catalog().updatePhoto(changed);
        QVERIFY(e->catalog().embedding(best[1], kModel).empty());

        const std::vector<SearchHit> hits = e->searchVector(query_, 10);
        QCOMPARE(hits.size(), size_t(10));
        for (const SearchHit& h : hits) {
            QVERIFY(h.id != best[0]);
            if (h.id == best[1]) {
                const auto s = std::find_if(alone.begin(), alone.end(), [&](const VectorHit& v) { return v.id == h.id; });
                QVERIFY(s != alone.end());
                QCOMPARE(h.score, s->score);
            }
        }
        const std::vector<qint64> ids = idsOf(hits);
        QVERIFY(std::find(ids.begin(), ids.end(), best[1]) != ids.end());
        std::vector<SearchHit> exactOnes;
        for (const SearchHit& h : hits)
            if (h.id != best[1])
                exactOnes.push_back(h);
        checkExactScores(exactOnes);
    }
};

QTEST_GUILESS_MAIN(TestSearchRerank)
#include "test_search_rerank.moc"
