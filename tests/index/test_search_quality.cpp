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
#include "PhotoTextStore.h"
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
    void labelVectorsDoNotDependOnTheirCompany();
    void oneWrittenWordDoesNotJumpGoodMatches(); // last: it adds written text to the library

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
    // "a red shape": of the photos whose shapes are red, how many of the 5
    // that fit are in the top 5. The fixture model learns colour reliably
    // and shape barely (test_shapes_clip says so), so queries name colours.
    // A random ranking: ~1/8.
    double sum = 0;
    int queries = 0;
    for (sh::Colour colour : sh::allColours()) {
        const auto relevant = photosWith([&](const sh::Scene& s) { return s.colour == colour; });
        if (relevant.empty())
            continue;
        const std::vector<SearchHit> top = engine_->searchText(QStringLiteral("a photo of %1 shapes").arg(sh::colourName(colour)), 5);
        int found = 0;
        for (const SearchHit& h : top)
            found += byPath_.at(h.path)->scene.colour == colour ? 1 : 0;
        sum += double(found) / double(std::min<size_t>(5, relevant.size()));
        ++queries;
    }
    const double recall = sum / queries;
    qInfo("text search recall@5 over %d colour queries: %.3f", queries, recall);
    QVERIFY2(recall >= 0.80, qPrintable(QString::number(recall)));
}

void TestSearchQuality::negativeTermsPushAwayWhatTheyName()
{
    // For every background and colour: how many of the top 10 for
    // "shapes on a BACKGROUND background" have that colour, and how many for
    // "... - COLOUR".
    int with = 0;
    int without = 0;
    int total = 0;
    for (sh::Background bg : sh::allBackgrounds()) {
        for (sh::Colour colour : sh::allColours()) {
            SearchRequest plain;
            plain.query = QStringLiteral("shapes on a %1 background").arg(sh::backgroundName(bg));
            plain.k = 10;
            plain.all = true;
            SearchRequest negated = plain;
            negated.query += QStringLiteral(" - ") + sh::colourName(colour);
            for (const SearchHit& h : engine_->search(plain).hits)
                with += byPath_.at(h.path)->scene.colour == colour ? 1 : 0;
            for (const SearchHit& h : engine_->search(negated).hits)
                without += byPath_.at(h.path)->scene.colour == colour ? 1 : 0;
            total += 10;
        }
    }
    qInfo("negatives: named colour in the top 10: %d -> %d of %d", with, without, total);
    QVERIFY2(without * 3 <= with, qPrintable(QStringLiteral("%1 -> %2").arg(with).arg(without)));
}

void TestSearchQuality::relevanceCutPrecisionAndRecall()
{
    // Micro-averaged over colour queries: what the cut keeps against the
    // photos whose shapes have that colour (about 1/8 of the library each).
    int kept = 0;
    int keptRelevant = 0;
    int relevantTotal = 0;
    for (sh::Colour colour : sh::allColours()) {
        const auto relevant = photosWith([&](const sh::Scene& s) { return s.colour == colour; });
        SearchRequest request;
        request.query = QStringLiteral("a photo of %1 shapes").arg(sh::colourName(colour));
        request.k = kPhotos;
        const QueryResults results = engine_->search(request);
        QVERIFY(results.error.isEmpty());
        QCOMPARE(int(results.hits.size()), std::min(results.goodMatches, kPhotos));
        int mine = 0;
        for (const SearchHit& h : results.hits)
            mine += byPath_.at(h.path)->scene.colour == colour ? 1 : 0;
        qInfo("cut for %s: kept %d, %d of them right, of %d", qPrintable(request.query), int(results.hits.size()),
              mine, int(relevant.size()));
        keptRelevant += mine;
        kept += int(results.hits.size());
        relevantTotal += int(relevant.size());
    }
    const double precision = kept ? double(keptRelevant) / kept : 0;
    const double recall = relevantTotal ? double(keptRelevant) / relevantTotal : 0;
    qInfo("relevance cut: precision %.3f recall %.3f (kept %d, relevant %d)", precision, recall, kept,
          relevantTotal);
    // Measured on the fixture model: precision 0.39, recall 0.32 (green,
    // purple, white: nearly all right; red, blue, orange, black: nothing
    // kept; yellow: all 21 plus 85 others). This model's scores come in one
    // cluster per colour, so a query's background is several modes and its
    // lower tail (RelevanceCut.h) overstates the spread: a known weakness of
    // the cut on multi-modal score distributions. Without a cut precision
    // would be ~1/8.
    QVERIFY2(precision >= 0.30, qPrintable(QString::number(precision)));
    QVERIFY2(recall >= 0.25, qPrintable(QString::number(recall)));
}

void TestSearchQuality::datePhrasesFilterAndDateOrder()
{
    // Photos are dated every 3 days back from 2026-11-30.
    SearchRequest request;
    request.query = QStringLiteral("red shapes from March");
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
    // The red photos of March, if any, rank first.
    QVERIFY(!results.hits.empty());
    int redInMarch = 0;
    for (const Photo& p : photos_)
        redInMarch += p.date.year() == 2026 && p.date.month() == 3 && p.scene.colour == sh::Colour::Red ? 1 : 0;
    for (int i = 0; i < std::min(redInMarch, int(results.hits.size())); ++i)
        QCOMPARE(byPath_.at(results.hits[size_t(i)].path)->scene.colour, sh::Colour::Red);

    // A narrower CLI filter wins over the phrase (filters only narrow).
    SearchRequest narrowedRequest = request;
    narrowedRequest.filter.after = QDate(2026, 3, 20).startOfDay();
    for (const SearchHit& h : engine_->search(narrowedRequest).hits)
        QVERIFY(byPath_.at(h.path)->date >= QDate(2026, 3, 20));

    // Date order: the same photos above the cut, newest first.
    SearchRequest byRelevance;
    byRelevance.query = QStringLiteral("a photo of red shapes");
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

// Classify's labels (Exact) come out the same alone as among 30 others (a
// vocabulary's worth of texts); the tagger's (Fast, bf16 where the CPU has
// bf16 units) stay close to them.
void TestSearchQuality::labelVectorsDoNotDependOnTheirCompany()
{
    QStringList many;
    for (sh::Colour colour : sh::allColours())
        for (const char* thing : {"shapes", "circle", "square", "photo"})
            many << sh::colourName(colour) + QLatin1Char(' ') + QLatin1String(thing);
    QVERIFY(many.size() >= 30);
    const QString label = many.at(5);
    PromptEnsemble alone(*encoder_);
    PromptEnsemble crowd(*encoder_);
    const torch::Tensor a = alone.embed(QStringList{label});
    const torch::Tensor inCrowd = crowd.embed(many)[5].unsqueeze(0);
    const double drift = (a - inCrowd).norm().item<double>();
    QVERIFY2(drift < 1e-5, qPrintable(QString::number(drift)));
    PromptEnsemble fast(*encoder_);
    fast.setPrecision(LabelPrecision::Fast);
    const torch::Tensor f = fast.embed(many);
    const torch::Tensor exact = crowd.embed(many);
    const double worst = (f * exact).sum(1).min().item<double>();
    QVERIFY2(worst >= 0.999, qPrintable(QString::number(worst)));
}

void TestSearchQuality::zeroShotClassifyAndTheEnsemble()
{
    // Colour names as labels (what the fixture model knows; shapes it does
    // not), the held-out photos' stored embeddings classified with the prompt
    // ensemble and with the bare label. Chance: 1/8.
    QStringList labels;
    for (sh::Colour colour : sh::allColours())
        labels << sh::colourName(colour) + QStringLiteral(" shapes");
    PromptEnsemble ensemble(*encoder_);
    PromptEnsemble bare(*encoder_, {QStringLiteral("{}")});
    const ZeroShotClassifier withEnsemble(*encoder_, labels, ensemble);
    const ZeroShotClassifier withBare(*encoder_, labels, bare);
    int rightEnsemble = 0;
    int rightBare = 0;
    for (const Photo& p : photos_) {
        const QString truth = sh::colourName(p.scene.colour) + QStringLiteral(" shapes");
        const std::vector<float> embedding = engine_->imageEmbedding(p.path);
        const Classification a = withEnsemble.classify(embedding);
        float sum = 0;
        for (float x : a.probs)
            sum += x;
        QVERIFY(std::fabs(sum - 1.0f) < 1e-4f);
        rightEnsemble += a.label == truth ? 1 : 0;
        rightBare += withBare.classify(embedding).label == truth ? 1 : 0;
    }
    const double accEnsemble = double(rightEnsemble) / kPhotos;
    const double accBare = double(rightBare) / kPhotos;
    // The ensemble's effect is reported either way (the paper: +3.5 points
    // on ImageNet); both must be far above chance.
    qInfo("zero-shot colour accuracy: ensemble %.3f, bare label %.3f (chance 0.125)", accEnsemble, accBare);
    QVERIFY2(accEnsemble >= 0.8, qPrintable(QString::number(accEnsemble)));
    QVERIFY2(accBare >= 0.5, qPrintable(QString::number(accBare)));
}

void TestSearchQuality::oneWrittenWordDoesNotJumpGoodMatches()
{
    // A long query and the photo CLIP ranks last for it: written on that
    // photo, one of the query's four content words must leave every good
    // CLIP match ahead of it (a flat bonus of the full 8 sigmas would not);
    // all four words put it first.
    SearchRequest request;
    request.query = QStringLiteral("a photo of green shapes on a white background");
    request.k = kPhotos;
    request.all = true;
    const QueryResults before = engine_->search(request);
    request.all = false;
    const int good = engine_->search(request).goodMatches;
    QVERIFY(good > 0);
    const SearchHit last = before.hits.back();
    const auto putText = [&](const QString& text) {
        const std::optional<PhotoRecord> p = engine_->catalog().photo(last.id);
        QVERIFY(p);
        PhotoText t;
        t.text = text;
        t.languages = QStringLiteral("eng");
        PhotoTextStore(engine_->catalog()).put(p->id, p->contentHash, t);
    };
    putText(QStringLiteral("BACKGROUND"));
    request.all = true;
    std::vector<SearchHit> after = engine_->search(request).hits;
    const auto rankOf = [&](qint64 id) {
        return int(std::find_if(after.begin(), after.end(), [&](const SearchHit& h) { return h.id == id; }) - after.begin());
    };
    qInfo("one word of four written: rank %d of %d (CLIP alone: last; %d good matches)", rankOf(last.id),
          int(after.size()), good);
    QVERIFY2(rankOf(last.id) >= good, qPrintable(QString::number(rankOf(last.id))));
    putText(QStringLiteral("GREEN SHAPES\nwhite background"));
    after = engine_->search(request).hits;
    QCOMPARE(after.front().id, last.id);
}

QTEST_GUILESS_MAIN(TestSearchQuality)
#include "test_search_quality.moc"
