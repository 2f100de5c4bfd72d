// Search, the relevance cut, date phrases and zero-shot classification
// judged on answers that can be checked: held-out scenes of the shapes world
// (tests/support/ShapesWorld.h), indexed with the CLIP model the suite
// trains itself (the shapes_clip fixture). Each check states the measured
// value in the log and bounds it below what was measured, with a margin for
// another LibTorch or CPU; every bound is far above what a random model
// gets (see the comments). The methods are the product's, not the fixture's:
// nothing here knows the model's internals.

// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoder.h"

#include "Indexer.h"
#include "ModelIdentity.h"
#include "SearchEngine.h"
#include "ShapesWorld.h"
#include "ZeroShotClassifier.h"

#include <QtTest>

#include <map>
#include <memory>
#include <set>

using namespace photosearch;
namespace sh = photosearch::shapes;

namespace {

constexpr uint64_t kHeldOutSeed = 0x5EA5C0DEull; // not the trainer's seed
constexpr int kPhotos = 240;
const QDate kToday(2026, 12, 1);

struct Photo {
    sh::Scene scene;
    QString path;
    QDate date;
};

QString colourShape(const sh::Scene& s)
{
    return sh::colourName(s.colour) + QLatin1Char(' ') + sh::shapeName(s.shape);
}

} // namespace

class TestSearchQuality : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void textSearchRecallAt5();
    void negativeTermsPushAwayWhatTheyName();
    void relevanceCutPrecisionAndRecall();
    void datePhrasesFilterAndDateOrder();
    void zeroShotClassifyAndTheEnsemble();

private:
    std::vector<Photo> photosWith(const std::function<bool(const sh::Scene&)>& pred) const;
    std::set<QString> paths(const std::vector<SearchHit>& hits) const;

    QTemporaryDir tmp_;
    std::unique_ptr<ClipEncoder> encoder_;
    std::unique_ptr<SearchEngine> engine_;
    std::vector<Photo> photos_;
    std::map<QString, const Photo*> byPath_;
};

void TestSearchQuality::initTestCase()
{
    const QString modelDir = QStringLiteral(PHOTOSEARCH_SHAPES_CLIP_DIR);
    if (!QFileInfo::exists(modelDir + QStringLiteral("/model.safetensors")))
        QFAIL("the shapes_clip fixture did not produce a model");
    encoder_ = std::make_unique<ClipEncoder>(modelDir, clip::chooseCompute(clip::DevicePreference::Cpu));
    const QString photosDir = tmp_.filePath(QStringLiteral("photos"));
    QVERIFY(QDir().mkpath(photosDir));
    // Photos spread over the two years before "today", one per 3 days,
    // dated by their file time (no EXIF): what date filters fall back to.
    const std::vector<sh::Scene> scenes = sh::scenes(kHeldOutSeed, kPhotos);
    for (int i = 0; i < kPhotos; ++i) {
        Photo p{scenes[size_t(i)], QStringLiteral("%1/p%2.jpg").arg(photosDir).arg(i, 3, 10, QLatin1Char('0')),
                kToday.addDays(-3 * i - 1)};
        QVERIFY(sh::writeSceneJpeg(p.scene, p.path));
        QFile f(p.path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(p.date.startOfDay().addSecs(12 * 3600), QFileDevice::FileModificationTime));
        photos_.push_back(p);
    }
    for (const Photo& p : photos_)
        byPath_[p.path] = &p;
    const QString library = tmp_.filePath(QStringLiteral("library"));
    const QString modelId = modelIdForDirectory(modelDir);
    Indexer indexer(library, encoder_->model(), encoder_->preprocessor(), modelId);
    IndexOptions options;
    options.roots = {photosDir};
    const IndexSummary summary = indexer.run(options);
    QCOMPARE(summary.added, qint64(kPhotos));
    engine_ = std::make_unique<SearchEngine>(library, *encoder_, modelId);
}

std::vector<Photo> TestSearchQuality::photosWith(const std::function<bool(const sh::Scene&)>& pred) const
{
    std::vector<Photo> out;
    for (const Photo& p : photos_)
        if (pred(p.scene))
            out.push_back(p);
    return out;
}

std::set<QString> TestSearchQuality::paths(const std::vector<SearchHit>& hits) const
{
    std::set<QString> out;
    for (const SearchHit& h : hits)
        out.insert(h.path);
    return out;
}

void TestSearchQuality::textSearchRecallAt5()
{
    // "a red circle": of the photos showing red circles, how many of the
    // min(5, n) that fit are in the top 5. A random model: ~5/240 per slot.
    double sum = 0;
    int queries = 0;
    for (sh::Shape shape : sh::allShapes()) {
        for (sh::Colour colour : sh::allColours()) {
            const auto relevant =
                photosWith([&](const sh::Scene& s) { return s.shape == shape && s.colour == colour; });
            if (relevant.empty())
                continue;
            const QString query = QStringLiteral("a %1 %2").arg(sh::colourName(colour), sh::shapeName(shape));
            const std::vector<SearchHit> top = engine_->searchText(query, 5);
            int found = 0;
            for (const SearchHit& h : top) {
                const sh::Scene& s = byPath_.at(h.path)->scene;
                found += s.shape == shape && s.colour == colour ? 1 : 0;
            }
            sum += double(found) / double(std::min<size_t>(5, relevant.size()));
            ++queries;
        }
    }
    const double recall = sum / queries;
    qInfo("text search recall@5 over %d colour+shape queries: %.3f", queries, recall);
    QVERIFY2(recall >= 0.60, qPrintable(QString::number(recall)));
}

void TestSearchQuality::negativeTermsPushAwayWhatTheyName()
{
    // For every shape and colour: how many of the top 10 for "SHAPE" have
    // that colour, and how many for "SHAPE - COLOUR".
    int with = 0;
    int without = 0;
    int shapeKept = 0;
    for (sh::Shape shape : sh::allShapes()) {
        for (sh::Colour colour : sh::allColours()) {
            SearchRequest plain;
            plain.query = sh::shapeName(shape);
            plain.k = 10;
            plain.all = true;
            SearchRequest negated = plain;
            negated.query = sh::shapeName(shape) + QStringLiteral(" - ") + sh::colourName(colour);
            for (const SearchHit& h : engine_->search(plain).hits)
                with += byPath_.at(h.path)->scene.colour == colour ? 1 : 0;
            for (const SearchHit& h : engine_->search(negated).hits) {
                without += byPath_.at(h.path)->scene.colour == colour ? 1 : 0;
                shapeKept += byPath_.at(h.path)->scene.shape == shape ? 1 : 0;
            }
        }
    }
    const int total = int(sh::allShapes().size() * sh::allColours().size()) * 10;
    qInfo("negatives: named colour in top 10 %d -> %d of %d; the shape still in %d of %d", with, without, total,
          shapeKept, total);
    QVERIFY2(without * 3 <= with, qPrintable(QStringLiteral("%1 -> %2").arg(with).arg(without)));
    QVERIFY2(shapeKept * 10 >= total * 5, qPrintable(QString::number(shapeKept)));
}

void TestSearchQuality::relevanceCutPrecisionAndRecall()
{
    // Micro-averaged over colour+shape queries: what the cut keeps against
    // the photos that show the colour and the shape.
    int kept = 0;
    int keptRelevant = 0;
    int relevantTotal = 0;
    int emptyQueries = 0;
    for (sh::Shape shape : sh::allShapes()) {
        for (sh::Colour colour : sh::allColours()) {
            const auto relevant =
                photosWith([&](const sh::Scene& s) { return s.shape == shape && s.colour == colour; });
            SearchRequest request;
            request.query = QStringLiteral("a %1 %2").arg(sh::colourName(colour), sh::shapeName(shape));
            request.k = kPhotos;
            const QueryResults results = engine_->search(request);
            QVERIFY(results.error.isEmpty());
            QCOMPARE(int(results.hits.size()), std::min(results.goodMatches, kPhotos));
            for (const SearchHit& h : results.hits) {
                const sh::Scene& s = byPath_.at(h.path)->scene;
                keptRelevant += s.shape == shape && s.colour == colour ? 1 : 0;
            }
            kept += int(results.hits.size());
            relevantTotal += int(relevant.size());
            emptyQueries += relevant.empty() && results.hits.empty() ? 1 : 0;
        }
    }
    const double precision = kept ? double(keptRelevant) / kept : 0;
    const double recall = relevantTotal ? double(keptRelevant) / relevantTotal : 0;
    qInfo("relevance cut: precision %.3f recall %.3f (kept %d, relevant %d); %d queries without a match returned "
          "nothing",
          precision, recall, kept, relevantTotal, emptyQueries);
    // Without a cut (everything returned) precision would be ~1/50.
    QVERIFY2(precision >= 0.35, qPrintable(QString::number(precision)));
    QVERIFY2(recall >= 0.60, qPrintable(QString::number(recall)));
}

void TestSearchQuality::datePhrasesFilterAndDateOrder()
{
    // Photos are dated every 3 days back from 2026-11-30.
    SearchRequest request;
    request.query = QStringLiteral("circle from March");
    request.today = kToday;
    request.k = kPhotos;
    request.all = true;
    const QueryResults results = engine_->search(request);
    QVERIFY2(results.understood.contains(QStringLiteral("March 2026")), qPrintable(results.understood));
    int march = 0;
    for (const Photo& p : photos_)
        march += p.date.year() == 2026 && p.date.month() == 3 ? 1 : 0;
    QCOMPARE(int(results.hits.size()), march); // --all: every photo of March, best first
    for (const SearchHit& h : results.hits) {
        const QDate d = byPath_.at(h.path)->date;
        QVERIFY2(d.year() == 2026 && d.month() == 3, qPrintable(d.toString(Qt::ISODate)));
    }
    // The circles of March rank first.
    QVERIFY(!results.hits.empty());
    QCOMPARE(byPath_.at(results.hits.front().path)->scene.shape, sh::Shape::Circle);

    // A narrower CLI filter wins over the phrase (filters only narrow).
    SearchRequest narrowedRequest = request;
    narrowedRequest.filter.after = QDate(2026, 3, 20).startOfDay();
    for (const SearchHit& h : engine_->search(narrowedRequest).hits)
        QVERIFY(byPath_.at(h.path)->date >= QDate(2026, 3, 20));

    // Date order: the same photos above the cut, newest first.
    SearchRequest byRelevance;
    byRelevance.query = QStringLiteral("a red circle");
    byRelevance.k = 50;
    SearchRequest byDate = byRelevance;
    byDate.sort = SortOrder::Date;
    const std::vector<SearchHit> relevance = engine_->search(byRelevance).hits;
    const std::vector<SearchHit> dated = engine_->search(byDate).hits;
    QCOMPARE(paths(dated), paths(relevance));
    for (size_t i = 1; i < dated.size(); ++i)
        QVERIFY(byPath_.at(dated[i - 1].path)->date >= byPath_.at(dated[i].path)->date);

    // Only a date: every photo of the period, newest first.
    SearchRequest onlyDate;
    onlyDate.query = QStringLiteral("in 2025");
    onlyDate.today = kToday;
    onlyDate.k = kPhotos;
    const QueryResults year = engine_->search(onlyDate);
    int in2025 = 0;
    QDate newest2025;
    for (const Photo& p : photos_) {
        if (p.date.year() == 2025) {
            ++in2025;
            newest2025 = std::max(newest2025, p.date);
        }
    }
    QCOMPARE(int(year.hits.size()), in2025);
    QCOMPARE(byPath_.at(year.hits.front().path)->date, newest2025);
    for (size_t i = 1; i < year.hits.size(); ++i)
        QVERIFY(byPath_.at(year.hits[i - 1].path)->date > byPath_.at(year.hits[i].path)->date);
}

void TestSearchQuality::zeroShotClassifyAndTheEnsemble()
{
    // Shape names as labels, the held-out photos' stored embeddings
    // classified with the prompt ensemble and with the bare label. Chance: 1/8.
    QStringList labels;
    for (sh::Shape shape : sh::allShapes())
        labels << sh::shapeName(shape);
    PromptEnsemble ensemble(*encoder_);
    PromptEnsemble bare(*encoder_, {QStringLiteral("{}")});
    const ZeroShotClassifier withEnsemble(*encoder_, labels, ensemble);
    const ZeroShotClassifier withBare(*encoder_, labels, bare);
    int rightEnsemble = 0;
    int rightBare = 0;
    for (const Photo& p : photos_) {
        const std::vector<float> embedding = engine_->imageEmbedding(p.path);
        const Classification a = withEnsemble.classify(embedding);
        float sum = 0;
        for (float x : a.probs)
            sum += x;
        QVERIFY(std::fabs(sum - 1.0f) < 1e-4f);
        rightEnsemble += a.label == sh::shapeName(p.scene.shape) ? 1 : 0;
        rightBare += withBare.classify(embedding).label == sh::shapeName(p.scene.shape) ? 1 : 0;
    }
    const double accEnsemble = double(rightEnsemble) / kPhotos;
    const double accBare = double(rightBare) / kPhotos;
    qInfo("zero-shot shape accuracy: ensemble %.3f, bare label %.3f (chance 0.125)", accEnsemble, accBare);
    QVERIFY2(accEnsemble >= 0.6, qPrintable(QString::number(accEnsemble)));
}

QTEST_GUILESS_MAIN(TestSearchQuality)
#include "test_search_quality.moc"
