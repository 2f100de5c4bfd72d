// The relevance cut on score distributions made to order: where it falls
// for a background with and without relevant outliers, robustness to half
// the library being relevant, and degenerate inputs.

#include "RelevanceCut.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <random>

using photosearch::RelevanceCut;
using photosearch::ScoreBackground;

namespace {

// Normal scores from a fixed generator (mt19937 is specified exactly; the
// Box-Muller transform is ours, so every platform draws the same numbers).
std::vector<float> normalScores(int n, float mean, float sigma, uint32_t seed)
{
    std::mt19937 gen(seed);
    std::vector<float> out;
    for (int i = 0; i < n; ++i) {
        const double u1 = (double(gen()) + 1.0) / 4294967297.0;
        const double u2 = double(gen()) / 4294967296.0;
        out.push_back(mean + sigma * float(std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2)));
    }
    return out;
}

} // namespace

class TestRelevanceCut : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void backgroundIsMedianAndScaledMad();
    void outliersAboveTheCutOnly();
    void halfRelevantLibraryKeepsItsMedian();
    void tinyOrBrokenBackgroundsGiveNoCut();
    void countStopsAtTheFirstScoreBelow();
};

void TestRelevanceCut::backgroundIsMedianAndScaledMad()
{
    // Uniform 0.000..0.999: the 2.28% and 15.87% quantiles (linear
    // interpolation) are 0.0228 and 0.1586, one sigma apart by the lower-tail
    // rule; the centre is one sigma above the upper one.
    std::vector<float> uniform;
    for (int i = 0; i < 1000; ++i)
        uniform.push_back(float(i) / 1000.0f);
    const ScoreBackground b = RelevanceCut::background(uniform);
    QCOMPARE(b.samples, 1000);
    QVERIFY2(std::fabs(b.sigma - 0.1358f) < 2e-3f, qPrintable(QString::number(b.sigma)));
    QVERIFY2(std::fabs(b.median - 0.2944f) < 2e-3f, qPrintable(QString::number(b.median)));
}

void TestRelevanceCut::outliersAboveTheCutOnly()
{
    // A query's background: cosines around 0.18 (sigma 0.02); ten photos
    // that match score 0.30 and up, i.e. six sigmas out.
    std::vector<float> library = normalScores(4000, 0.18f, 0.02f, 1);
    const ScoreBackground b = RelevanceCut::background(library);
    QVERIFY(std::fabs(b.median - 0.18f) < 0.002f);
    QVERIFY(std::fabs(b.sigma - 0.02f) < 0.002f);
    std::vector<float> ranked = {0.36f, 0.34f, 0.33f, 0.32f, 0.31f, 0.31f, 0.30f, 0.30f, 0.30f, 0.30f};
    // ...followed by the background's own best, which stays under median + 3 sigma
    // only in part: the count stops at the first one below.
    ranked.push_back(0.2f);
    ranked.push_back(0.19f);
    QCOMPARE(RelevanceCut::relevantCount(ranked, b), 10);
    QVERIFY(RelevanceCut::threshold(b) > 0.23f && RelevanceCut::threshold(b) < 0.25f);
}

void TestRelevanceCut::halfRelevantLibraryKeepsItsMedian()
{
    // 40% of the library matches (a library of dog photos, query "dog"):
    // the median stays in the background and every match is above the cut.
    std::vector<float> scores = normalScores(600, 0.18f, 0.02f, 2);
    const std::vector<float> matches = normalScores(400, 0.32f, 0.01f, 3);
    scores.insert(scores.end(), matches.begin(), matches.end());
    const ScoreBackground b = RelevanceCut::background(scores);
    QVERIFY2(b.median < 0.24f, qPrintable(QString::number(b.median)));
    int above = 0;
    for (float m : matches)
        above += m >= RelevanceCut::threshold(b) ? 1 : 0;
    QVERIFY2(above >= 390, qPrintable(QString::number(above)));
}

void TestRelevanceCut::tinyOrBrokenBackgroundsGiveNoCut()
{
    const ScoreBackground tiny = RelevanceCut::background({0.1f, 0.2f});
    QCOMPARE(RelevanceCut::threshold(tiny), -std::numeric_limits<float>::infinity());
    QCOMPARE(RelevanceCut::relevantCount({0.5f, 0.1f, -0.3f}, tiny), 3);
    const ScoreBackground empty = RelevanceCut::background({});
    QCOMPARE(empty.samples, 0);
    // Identical photos: no spread, the floor keeps the cut finite and just above.
    const ScoreBackground flat = RelevanceCut::background(std::vector<float>(100, 0.25f));
    QCOMPARE(flat.sigma, 1e-3f);
    QCOMPARE(RelevanceCut::relevantCount({0.2545f, 0.2525f}, flat), 1);
    // NaN and infinities are not scores.
    std::vector<float> withNan = normalScores(100, 0.2f, 0.02f, 4);
    withNan.push_back(std::numeric_limits<float>::quiet_NaN());
    withNan.push_back(std::numeric_limits<float>::infinity());
    QCOMPARE(RelevanceCut::background(withNan).samples, 100);
}

void TestRelevanceCut::countStopsAtTheFirstScoreBelow()
{
    const ScoreBackground b = RelevanceCut::background(normalScores(1000, 0.0f, 0.1f, 5));
    const float t = RelevanceCut::threshold(b);
    QCOMPARE(RelevanceCut::relevantCount({}, b), 0);
    // No clear break (steps of a tenth of sigma): the kZ threshold decides.
    QCOMPARE(RelevanceCut::relevantCount({t + 0.02f, t + 0.01f, t, t - 0.01f, t - 0.02f}, b), 3);
    // A break of two sigmas above the threshold: the cut falls at it, also
    // above near misses that stand out of the background.
    QCOMPARE(RelevanceCut::relevantCount(
                 {t + 0.5f, t + 0.49f, t + 0.2f, t + 0.15f, t + 0.1f, t + 0.05f, t, t - 0.05f, t - 0.09f, t - 0.12f}, b),
             2);
    // A group below the kZ threshold but apart from the background.
    QCOMPARE(RelevanceCut::relevantCount({t - 0.02f, t - 0.03f, t - 0.3f}, b), 2);
}

QTEST_GUILESS_MAIN(TestRelevanceCut)
#include "test_relevance_cut.moc"
