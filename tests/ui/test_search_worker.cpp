// The window's search worker (ui/library/SearchWorker) takes the CLIP model
// from the app's encoder cache only when a query needs it: a query the
// catalog has cached, or "similar" to a photo of the library, starts with no
// model at all (a fast first search after the app starts); a new text loads
// the text tower alone. Observed through the worker's "Loading the CLIP
// model" status and what the shared cache then holds.
// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoderCache.h"

#include "ModelIdentity.h"
#include "SearchWorker.h"
#include "TestImages.h"
#include "TinyModel.h"

#include <QDir>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace photosearch;

namespace {

struct Answer {
    SearchResults results;
    QString failure;
    int loads = 0; // "Loading the CLIP model…" statuses
};

// One search through a worker of its own, as a freshly started window does.
Answer searchOnce(const QString& library, const QString& model, const std::shared_ptr<ClipEncoderCache>& cache,
                  SearchJob job)
{
    auto latest = std::make_shared<std::atomic_int>(job.id);
    SearchWorker worker(library, latest, cache);
    Answer a;
    QObject::connect(&worker, &SearchWorker::finished, [&](const SearchResults& r) { a.results = r; });
    QObject::connect(&worker, &SearchWorker::failed, [&](int, const QString& s, const QString& d) { a.failure = s + d; });
    QObject::connect(&worker, &SearchWorker::status, [&](const QString& s) {
        if (s.startsWith(QStringLiteral("Loading the CLIP model")))
            ++a.loads;
    });
    job.modelDir = model;
    worker.search(job); // on this thread: the connections above are direct
    return a;
}

SearchJob textJob(const QString& text)
{
    SearchJob job;
    job.id = 1;
    job.options.text = text;
    job.options.all = true;
    job.options.k = 5;
    return job;
}

QStringList paths(const SearchResults& r)
{
    QStringList list;
    for (const SearchHit& h : r.hits)
        list << h.path;
    return list;
}

} // namespace

class TestSearchWorker : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString model_;
    QString library_;
    QString photos_;

private Q_SLOTS:
    void initTestCase()
    {
        model_ = temp_.filePath(QStringLiteral("model"));
        QString error;
        QVERIFY2(testmodel::writeTinyClipModel(model_, &error), qPrintable(error));
        photos_ = temp_.filePath(QStringLiteral("photos"));
        QVERIFY(QDir().mkpath(photos_));
        for (int i = 0; i < 8; ++i)
            QVERIFY(testimages::writeImage(testimages::makePicture(160, 120, i),
                                           QDir(photos_).filePath(QStringLiteral("p%1.jpg").arg(i)), ImageFormat::Jpeg));
        library_ = temp_.filePath(QStringLiteral("library"));
        QProcess index;
        index.start(QStringLiteral(PHOTOSEARCH_CLI), {QStringLiteral("index"), QStringLiteral("--library"), library_,
                                                      QStringLiteral("--model"), model_, photos_});
        QVERIFY(index.waitForFinished(300000));
        QVERIFY2(index.exitCode() == 0, index.readAllStandardError().constData());
    }

    void aNewTextLoadsTheTextTowerAlone()
    {
        auto cache = std::make_shared<ClipEncoderCache>();
        const Answer a = searchOnce(library_, model_, cache, textJob(QStringLiteral("a striped kite")));
        QVERIFY2(a.failure.isEmpty(), qPrintable(a.failure));
        QCOMPARE(a.loads, 1);
        QCOMPARE(int(a.results.hits.size()), 5);
    }

    void aCachedTextNeedsNoModel()
    {
        const SearchJob job = textJob(QStringLiteral("a blue boat at dawn"));
        const Answer first = searchOnce(library_, model_, std::make_shared<ClipEncoderCache>(), job);
        QVERIFY2(first.failure.isEmpty(), qPrintable(first.failure));
        QCOMPARE(first.loads, 1);
        // The app started again: a new cache, a new worker.
        const Answer again = searchOnce(library_, model_, std::make_shared<ClipEncoderCache>(), job);
        QVERIFY2(again.failure.isEmpty(), qPrintable(again.failure));
        QCOMPARE(again.loads, 0);
        QCOMPARE(paths(again.results), paths(first.results));
    }

    void similarToALibraryPhotoNeedsNoModel()
    {
        SearchJob job;
        job.id = 1;
        job.kind = SearchJob::Kind::Similar;
        job.path = QDir(photos_).filePath(QStringLiteral("p3.jpg"));
        job.options.k = 3;
        const Answer a = searchOnce(library_, model_, std::make_shared<ClipEncoderCache>(), job);
        QVERIFY2(a.failure.isEmpty(), qPrintable(a.failure));
        QCOMPARE(a.loads, 0);
        QVERIFY(!a.results.hits.empty());
        QCOMPARE(a.results.hits.front().path, job.path);
    }

    void theTextTowerGivesWayToAWholeModelTheAppHolds()
    {
        // The app's indexing holds the whole model: a search uses it rather
        // than loading the text tower a second time.
        auto cache = std::make_shared<ClipEncoderCache>();
        const QString filesId = modelIdForDirectory(model_);
        const std::shared_ptr<const ClipEncoder> whole = cache->acquire(model_, filesId);
        QVERIFY(whole->model().hasVisionTower());
        const std::shared_ptr<const ClipEncoder> text = cache->acquire(model_, filesId, torch::ScalarType::Undefined, clip::Towers::Text);
        QCOMPARE(text.get(), whole.get());
        // Without it, the text tower alone.
        auto fresh = std::make_shared<ClipEncoderCache>();
        const std::shared_ptr<const ClipEncoder> alone = fresh->acquire(model_, filesId, torch::ScalarType::Undefined, clip::Towers::Text);
        QVERIFY(alone->model().hasTextTower());
        QVERIFY(!alone->model().hasVisionTower());
    }
};

QTEST_GUILESS_MAIN(TestSearchWorker)
#include "test_search_worker.moc"
