// The written-text side of search as pure logic (TextRanking.h): the words
// a query looks for (stopwords out, split as the FTS index splits), what a
// parsed query requires or excludes, and the merged ranking on a synthetic
// background, where the numbers are known: a photo with every word of the
// query written ranks first even when CLIP scores it as background; one that
// shares a single word with a long query stays behind CLIP's good matches;
// CLIP's good matches are never cut by the merge.

#include "QueryParser.h"
#include "TextRanking.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace photosearch;

namespace {

// A background of 1000 scores, normal-ish around 0.20 with sigma 0.02
// (quantiles of a normal distribution, so the lower-tail estimate is exact).
ScoreBackground syntheticBackground()
{
    std::vector<float> scores;
    for (int i = 0; i < 1000; ++i) {
        const double p = (i + 0.5) / 1000.0;
        // Inverse normal CDF by bisection on erfc.
        double lo = -6, hi = 6;
        for (int it = 0; it < 60; ++it) {
            const double mid = (lo + hi) / 2;
            (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? lo : hi) = mid;
        }
        scores.push_back(float(0.20 + 0.02 * lo));
    }
    return RelevanceCut::background(scores);
}

float atZ(const ScoreBackground& bg, double z)
{
    return float(bg.median + z * bg.sigma);
}

} // namespace

class TestTextRanking : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void words()
    {
        QCOMPARE(splitWrittenWords(QStringLiteral("WiFi-password: hunter2!")),
                 (QStringList{"WiFi", "password", "hunter2"}));
        QCOMPARE(splitWrittenWords(QString::fromUtf8("Caf\xC3\xA9 Z\xC3\xBCrich")),
                 (QStringList{QString::fromUtf8("Caf\xC3\xA9"), QString::fromUtf8("Z\xC3\xBCrich")}));
        // A combining accent stays in its word; a letter beyond the BMP too.
        QCOMPARE(splitWrittenWords(QString::fromUtf8("Cafe\xCC\x81 ok")).size(), 2);
        QCOMPARE(splitWrittenWords(QString::fromUtf8("\xF0\x9D\x90\x80x y")).size(), 2);
        QCOMPARE(splitWrittenWords(QStringLiteral("  -- !! ")), QStringList{});
        QCOMPARE(contentWords(QStringLiteral("a photo of the wifi password on a whiteboard")),
                 (QStringList{"wifi", "password", "whiteboard"}));
        QCOMPARE(contentWords(QStringLiteral("The Receipt FROM the Hardware Store")),
                 (QStringList{"Receipt", "Hardware", "Store"}));
        QCOMPARE(contentWords(QStringLiteral("x y 42")), QStringList{"42"});
    }

    void whatAQueryAsksOfWrittenText()
    {
        const auto asked = [](const QString& q) { return textQuery(parseQuery(q, QDate(2026, 12, 1), {})); };
        const TextQuery picture = asked(QStringLiteral("a photo of a receipt + Receipt from the store - apples"));
        QCOMPARE(picture.rankWords, (QStringList{"receipt", "store"})); // folded repeats once, `-` terms not at all
        QVERIFY(picture.hasPictureTerms);
        QVERIFY(!picture.restricts());

        const TextQuery written = asked(QStringLiteral("\"the wifi password\" + text:the router - text:draft"));
        QVERIFY(!written.hasPictureTerms);
        QCOMPARE(written.required.size(), size_t(2));
        QCOMPARE(written.required[0].words, (QStringList{"the", "wifi", "password"})); // a phrase keeps every word
        QVERIFY(written.required[0].phrase);
        QCOMPARE(written.required[1].words, QStringList{"router"});
        QVERIFY(!written.required[1].phrase);
        QCOMPARE(written.excluded.size(), size_t(1));
        QCOMPARE(written.excluded[0].words, QStringList{"draft"});
        QVERIFY(written.rankWords.isEmpty());
        // Only stopwords: they are what was asked for.
        QCOMPARE(asked(QStringLiteral("text:the who")).required[0].words, (QStringList{"the", "who"}));
        // Punctuation only: nothing an index holds.
        QVERIFY(asked(QStringLiteral("dog + \"?!\"")).required.empty());
    }

    void bonusGrowsWithCoverage()
    {
        const ScoreBackground bg = syntheticBackground();
        const float none = -std::numeric_limits<float>::infinity();
        QCOMPARE(TextRanking::bonus(0, bg, none), 0.0f);
        const float full = TextRanking::bonus(1, bg, none);
        QVERIFY(std::abs(full - float(TextRanking::kFullCoverageSigmas) * bg.sigma) < 1e-6f);
        QVERIFY(TextRanking::bonus(0.5, bg, none) < full / 2);
        QVERIFY(TextRanking::bonus(1.0 / 6, bg, none) < bg.sigma);
        // CLIP's best at 4 sigmas: the least bonus; at 12: enough to lift a
        // photo 2 sigmas under the centre to it.
        QCOMPARE(TextRanking::bonus(1, bg, atZ(bg, 4)), full);
        QVERIFY(std::abs(TextRanking::bonus(1, bg, atZ(bg, 12)) - 14 * bg.sigma) < 1e-4f);
        // No background to speak of: a fixed unit.
        ScoreBackground tiny;
        tiny.samples = 3;
        QVERIFY(TextRanking::bonus(1, tiny, none) > 0);
    }

    void mergedRanking()
    {
        const ScoreBackground bg = syntheticBackground();
        QVERIFY(std::abs(bg.sigma - 0.02f) < 0.002f);
        // CLIP: three good matches (z 6, 5.5, 5), then background.
        std::vector<std::pair<qint64, float>> clip = {{1, atZ(bg, 6)}, {2, atZ(bg, 5.5)}, {3, atZ(bg, 5)},
                                                      {4, atZ(bg, 1)}, {5, atZ(bg, 0.5)}};
        std::unordered_map<qint64, double> coverage = {
            {5, 1.0 / 6},  // one common word of a six-word query, CLIP sees background
            {10, 1.0},     // every word written; CLIP sees background (not among its candidates)
            {11, 0.5},     // half the words; CLIP below background
        };
        const std::vector<TextCandidate> extra = {{10, atZ(bg, 0), 1.0}, {11, atZ(bg, -1), 0.5}};
        const MergedRanking m = TextRanking::merge(clip, coverage, extra, bg);
        std::vector<qint64> order;
        for (const MergedPhoto& p : m.photos)
            order.push_back(p.id);
        QCOMPARE(order.front(), qint64(10)); // 0 + 8 sigmas: above z 6
        QCOMPARE(order.size(), size_t(7));
        // The one-word match stays behind every good CLIP match.
        const auto pos = [&](qint64 id) { return std::find(order.begin(), order.end(), id) - order.begin(); };
        QVERIFY(pos(5) > pos(1) && pos(5) > pos(2) && pos(5) > pos(3));
        // CLIP's three good matches and the full written match are good; the
        // half match (-1 + 2.8 sigmas) and the background are not.
        QCOMPARE(m.goodMatches, 4);
        QVERIFY(pos(11) >= 4);
        QVERIFY(m.photos.front().textMatched);
        QVERIFY(!m.photos[size_t(pos(1))].textMatched);
    }

    void allWordsWrittenGoFirstEvenPastAStrongClipMatch()
    {
        // CLIP is very sure of photo 1 (z 12); photos 9 and 7 have every word
        // written and CLIP sees them under background (7 far under); photo 8
        // has one word of six.
        const ScoreBackground bg = syntheticBackground();
        const std::vector<std::pair<qint64, float>> clip = {{1, atZ(bg, 12)}, {2, atZ(bg, 7)}, {3, atZ(bg, 0)}};
        const MergedRanking m = TextRanking::merge(
            clip, {{9, 1.0}, {8, 1.0 / 6}, {7, 1.0}},
            {{9, atZ(bg, -1), 1.0}, {8, atZ(bg, 0), 1.0 / 6}, {7, atZ(bg, -5), 1.0}}, bg);
        QCOMPARE(m.photos[0].id, qint64(9)); // both above CLIP's best, in CLIP's order
        QCOMPARE(m.photos[1].id, qint64(7));
        QCOMPARE(m.photos[2].id, qint64(1));
        QCOMPARE(m.photos[3].id, qint64(2));
        QCOMPARE(m.photos[4].id, qint64(8)); // 0 + 7% of 14 sigmas: behind z 7
        QCOMPARE(m.goodMatches, 4);
    }

    void mergeKeepsClipsCutWhenTextTowersAboveIt()
    {
        // The break rule alone would cut after a photo 8 sigmas above the
        // rest; the merge keeps CLIP's good matches (z 4, 3.5) good.
        const ScoreBackground bg = syntheticBackground();
        const std::vector<std::pair<qint64, float>> clip = {{1, atZ(bg, 4)}, {2, atZ(bg, 3.5)}, {3, atZ(bg, 0)}};
        const MergedRanking m = TextRanking::merge(clip, {{3, 1.0}}, {}, bg);
        QCOMPARE(m.photos.front().id, qint64(3));
        QCOMPARE(m.goodMatches, 3);
        // Nothing good from CLIP: the kZ threshold decides for written matches.
        const std::vector<std::pair<qint64, float>> weak = {{1, atZ(bg, 1)}, {2, atZ(bg, 0)}};
        const MergedRanking w = TextRanking::merge(weak, {{2, 1.0}}, {{7, atZ(bg, -3), 0.25}}, bg);
        QCOMPARE(w.photos.front().id, qint64(2));
        QCOMPARE(w.goodMatches, 1);
        QVERIFY(std::abs(w.cutScore - RelevanceCut::threshold(bg)) < 1e-6f);
        // A tiny library: no cut, everything counts.
        ScoreBackground tiny;
        tiny.samples = 3;
        QCOMPARE(TextRanking::merge(weak, {}, {}, tiny).goodMatches, 2);
    }

    void mergeWithoutTextKeepsClipsBreakCut()
    {
        // A group of matches (z 9, 8.9, 8.8) over near misses that still pass
        // the kZ threshold (z 4, 3.5): CLIP's break rule keeps the group only,
        // and a merge with no written text must give the same cut.
        const ScoreBackground bg = syntheticBackground();
        const std::vector<std::pair<qint64, float>> clip = {{1, atZ(bg, 9)}, {2, atZ(bg, 8.9)}, {3, atZ(bg, 8.8)},
                                                            {4, atZ(bg, 4)}, {5, atZ(bg, 3.5)}, {6, atZ(bg, 0)}};
        std::vector<float> scores;
        for (const auto& [id, score] : clip)
            scores.push_back(score);
        QCOMPARE(RelevanceCut::relevantCount(scores, bg), 3);
        const MergedRanking m = TextRanking::merge(clip, {}, {}, bg);
        QCOMPARE(m.goodMatches, 3);
        // A photo with every word written still joins the group (above it).
        const MergedRanking t = TextRanking::merge(clip, {{6, 1.0}}, {}, bg);
        QCOMPARE(t.photos.front().id, qint64(6));
        QCOMPARE(t.goodMatches, 4);
    }

    void selection()
    {
        PhotoSelection s;
        QVERIFY(s.everything());
        QVERIFY(s.allows(5));
        s.restrictTo({1, 2, 3});
        s.restrictTo({2, 3, 4});
        s.except.insert(3);
        QVERIFY(!s.everything());
        QVERIFY(s.allows(2));
        QVERIFY(!s.allows(1) && !s.allows(3) && !s.allows(4));
    }
};

QTEST_GUILESS_MAIN(TestTextRanking)
#include "test_text_ranking.moc"
