// The indexing pipeline and search on a generated library, with the tiny
// CLIP fixture: counts, incremental runs, moves, deletions, changes, bad
// input, filters, pause/cancel, and a corrupted vector file.

#include "ClipEncoder.h"

#include "Catalog.h"
#include "GeneratedLibrary.h"
#include "Indexer.h"
#include "PhotoReader.h"
#include "ModelIdentity.h"
#include "SearchEngine.h"
#include "TestImages.h"
#include "VectorCache.h"

#include <QCryptographicHash>
#include <QDir>
#include <QRandomGenerator>
#include <QFile>
#include <QLockFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace photosearch;

class TestIndexer : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString libraryDir_;
    testlib::GeneratedLibrary photos_;
    std::unique_ptr<ClipEncoder> encoder_;
    QString modelId_;

    IndexSummary index(IndexControl* control = nullptr, const std::function<void(const IndexProgress&)>& progress = {},
                       const QStringList& roots = {}, const QString& modelId = {})
    {
        Indexer indexer(libraryDir_, encoder_->model(), encoder_->preprocessor(), modelId.isEmpty() ? modelId_ : modelId);
        IndexOptions options;
        options.roots = roots.isEmpty() ? QStringList{photos_.root} : roots;
        options.workers = 2;
        return indexer.run(options, control, progress);
    }

    // Every Ok photo has exactly one valid embedding and is in the vector file.
    void verifyConsistent()
    {
        Catalog catalog(libraryDir_);
        qint64 ok = 0;
        QSet<QString> paths;
        for (const PhotoRecord& r : catalog.photos()) {
            QVERIFY2(!paths.contains(r.path), qPrintable(r.path));
            paths.insert(r.path);
            if (r.status == PhotoStatus::Ok)
                ++ok;
        }
        QCOMPARE(catalog.embeddingCount(modelId_), ok);
        QVERIFY(catalog.photosWithoutEmbedding(modelId_).empty());
        QString why;
        VectorStore store(vectorStorePath(libraryDir_, modelId_), modelId_,
                          int(encoder_->model().config().projectionDim));
        QVERIFY2(store.load(catalog.generation(modelId_), &why), qPrintable(why));
        QCOMPARE(store.size(), ok);
    }

private Q_SLOTS:
    // Catalogs written before keep matching: the content hash is the file's
    // SHA-1 in lower-case hex, whichever library computes it.
    void contentHashIsTheFilesSha1()
    {
        QByteArray large(3 * 1024 * 1024 + 17, Qt::Uninitialized);
        QRandomGenerator rng(5);
        for (char& c : large)
            c = char(rng.bounded(256));
        for (const QByteArray& bytes : {QByteArray(), QByteArray("abc"), large}) {
            const QString want =
                QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha1).toHex());
            QCOMPARE(contentHashOf(bytes), want);
        }
        QCOMPARE(contentHashOf("abc"), QStringLiteral("a9993e364706816aba3e25717850c26c9cd0d89d"));
    }

    void initTestCase()
    {
        const QString model = testlib::tinyClipDir();
        if (model.isEmpty())
            QFAIL("could not write a tiny CLIP model for the tests (see the warning above)");
        encoder_ = std::make_unique<ClipEncoder>(model, clip::chooseCompute(clip::DevicePreference::Cpu));
        modelId_ = modelIdForDirectory(model);
        QVERIFY(temp_.isValid());
        libraryDir_ = temp_.filePath(QStringLiteral("library"));
        photos_ = testlib::generateLibrary(temp_.filePath(QStringLiteral("photos")), 150);
        if (!photos_.unavailableFormats.isEmpty())
            qWarning("formats this machine cannot write, left out: %s", qPrintable(photos_.unavailableFormats.join(", ")));
    }

    void cleanupTestCase() { testlib::removeTree(temp_.path()); }

    void firstRunIndexesEverythingAndRecordsFailures()
    {
        std::vector<IndexProgress> updates;
        const IndexSummary s = index(nullptr, [&](const IndexProgress& p) { updates.push_back(p); });
        const qint64 expectedSeen = photos_.good.size() + photos_.bad.size() + photos_.maybe.size();
        QCOMPARE(s.scanned, expectedSeen);
        QVERIFY(s.added >= photos_.good.size());
        QVERIFY(s.added <= photos_.good.size() + photos_.maybe.size());
        QCOMPARE(s.added + s.failed, expectedSeen);
        QCOMPARE(s.removed, 0);
        QVERIFY(!s.cancelled);
        QVERIFY(!updates.empty());
        QCOMPARE(updates.back().phase, IndexProgress::Phase::Finishing);

        Catalog catalog(libraryDir_);
        for (const QString& path : photos_.good) {
            const auto r = catalog.photoByPath(path);
            QVERIFY2(r && r->status == PhotoStatus::Ok, qPrintable(path + ": " + (r ? r->error : "missing")));
            QVERIFY(!r->format.isEmpty());
        }
        for (const QString& path : photos_.bad) {
            const auto r = catalog.photoByPath(path);
            QVERIFY2(r && r->status == PhotoStatus::Failed && !r->error.isEmpty(), qPrintable(path));
        }
        for (const QString& path : photos_.skipped)
            QVERIFY(!catalog.photoByPath(path));
        const Catalog::Stats stats = catalog.stats();
        QCOMPARE(stats.photos, expectedSeen);
        QVERIFY(qint64(stats.failures.size()) >= photos_.bad.size());
        const auto huge = catalog.photoByPath(photos_.root + QStringLiteral("/bad/huge.png"));
        QVERIFY2(huge->error.contains(QLatin1String("megapixels")), qPrintable(huge->error));

        // EXIF read: orientation applied to the size, date and camera kept.
        const auto portrait = catalog.photoByPath(photos_.orientedPortrait);
        QCOMPARE(portrait->width, 300);
        QCOMPARE(portrait->height, 400);
        const auto dated = catalog.photoByPath(photos_.dated.first());
        QCOMPARE(dated->takenAt.date(), QDate(2019, 6, 1));
        QCOMPARE(dated->camera, QStringLiteral("Canon EOS 5D"));
        QVERIFY(dated->hasGps);
        verifyConsistent();
    }

    void secondRunEncodesNothing()
    {
        const IndexSummary s = index();
        QCOMPARE(s.added, 0);
        QCOMPARE(s.updated, 0);
        QCOMPARE(s.failed, 0);
        QCOMPARE(s.removed, 0);
        QCOMPARE(s.encoderSeconds, 0.0);
        QCOMPARE(s.unchanged, s.scanned);
    }

    void newTimesSameBytesEncodeNothing()
    {
        // A restored backup or a copy without times: every mtime changes,
        // no content does. Each file is read and hashed, none decoded again;
        // the metadata is read again (a date an older reader missed appears).
        {
            Catalog catalog(libraryDir_);
            PhotoRecord dated = *catalog.photoByPath(photos_.dated.first());
            dated.takenAt = QDateTime();
            catalog.updatePhoto(dated);
        }
        const QDateTime later = QDateTime::currentDateTime().addSecs(3600);
        for (const QString& path : photos_.good) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.setFileTime(later, QFileDevice::FileModificationTime));
        }
        const IndexSummary s = index();
        QCOMPARE(s.added, 0);
        QCOMPARE(s.updated, 0);
        QCOMPARE(s.encoderSeconds, 0.0);
        QCOMPARE(s.unchanged, s.scanned);
        {
            Catalog catalog(libraryDir_);
            QCOMPARE(catalog.photoByPath(photos_.good.first())->mtimeMs, later.toMSecsSinceEpoch());
            QCOMPARE(catalog.photoByPath(photos_.dated.first())->takenAt.date(), QDate(2019, 6, 1));
        }
        verifyConsistent();
        QCOMPARE(index().unchanged, s.scanned); // the new times are recorded
    }

    void eachPhotoIsItsOwnNearestNeighbour()
    {
        SearchEngine engine(libraryDir_, *encoder_, modelId_);
        QVERIFY2(engine.rebuildReason().isEmpty(), qPrintable(engine.rebuildReason()));
        Catalog catalog(libraryDir_);
        for (int i = 0; i < photos_.good.size(); i += 7) {
            const auto r = catalog.photoByPath(photos_.good[i]);
            const std::vector<float> own = catalog.embedding(r->id, modelId_);
            const std::vector<SearchHit> hits = engine.searchVector(own, 3);
            QVERIFY(!hits.empty());
            QCOMPARE(hits.front().path, photos_.good[i]);
            QVERIFY(qAbs(hits.front().score - 1.0f) < 1e-4f);
            // And through the CLI's path: similar of a file ranks it first.
            QCOMPARE(engine.similarTo(photos_.good[i], 3).front().path, photos_.good[i]);
        }
        const QString query = QStringLiteral("a dog on a beach");
        const std::vector<SearchHit> first = engine.searchText(query, 5);
        QVERIFY(!first.empty());
        // Embedded once: kept in the catalog for the next process too.
        const std::vector<float> cached = catalog.cachedTextEmbedding(modelId_, query);
        QCOMPARE(cached, engine.textEmbedding(query));
        SearchEngine later(libraryDir_, *encoder_, modelId_);
        QCOMPARE(later.searchText(query, 5).front().id, first.front().id);
    }

    void similarOfAFileOutsideTheLibrary()
    {
        const QString outside = temp_.filePath(QStringLiteral("outside.png"));
        QFile::copy(photos_.good[3], outside);
        SearchEngine engine(libraryDir_, *encoder_, modelId_);
        const std::vector<SearchHit> hits = engine.similarTo(outside, 1);
        QCOMPARE(hits.size(), size_t(1));
        QCOMPARE(hits.front().path, photos_.good[3]);
        QVERIFY(hits.front().score > 0.999f);
    }

    void similarOfAFileChangedSinceIndexing()
    {
        // Overwritten with another photo's bytes and not indexed again: the
        // file is embedded as it is now, so that other photo comes first, not
        // the stale vector stored for this path.
        const QString path = photos_.good[5];
        const QString twin = photos_.good[6];
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray original = file.readAll();
        file.close();
        const QDateTime originalTime = QFileInfo(path).lastModified();
        QFile source(twin);
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QByteArray twinBytes = source.readAll();
        QVERIFY(twinBytes != original);
        const auto overwrite = [&](const QByteArray& bytes) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            QCOMPARE(f.write(bytes), qint64(bytes.size()));
        };
        overwrite(twinBytes);
        SearchEngine engine(libraryDir_, *encoder_, modelId_);
        const std::vector<SearchHit> hits = engine.similarTo(path, 2);
        overwrite(original); // as indexed again, for the tests after this one
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.setFileTime(originalTime, QFileDevice::FileModificationTime));
        }
        QVERIFY(!hits.empty());
        QCOMPARE(hits.front().path, twin);
        QVERIFY(hits.front().score > 0.999f);
        QCOMPARE(engine.similarTo(path, 1).front().path, path); // as indexed: its own vector
    }

    void filters()
    {
        SearchEngine engine(libraryDir_, *encoder_, modelId_);
        const QString query = QStringLiteral("a photo");
        PhotoFilter dated;
        dated.after = QDateTime(QDate(2020, 1, 1), QTime(0, 0));
        dated.before = QDateTime(QDate(2022, 1, 1), QTime(0, 0));
        // Files without EXIF dates fall back to their mtime (today), outside.
        const auto hits = engine.searchText(query, 50, dated);
        QCOMPARE(hits.size(), size_t(1));
        QCOMPARE(hits.front().path, photos_.dated[1]);

        PhotoFilter folder;
        folder.folders = QStringList{photos_.root + QStringLiteral("/jpeg/2020")};
        const auto inFolder = engine.searchText(query, 1000, folder);
        QCOMPARE(int(inFolder.size()), 75);
        for (const SearchHit& h : inFolder)
            QVERIFY(h.path.startsWith(folder.folders.first() + QLatin1Char('/')));

        PhotoFilter png;
        png.formats = {QStringLiteral("png")};
        const auto pngs = engine.searchText(query, 1000, png);
        Catalog catalog(libraryDir_);
        QVERIFY(!pngs.empty());
        for (const SearchHit& h : pngs)
            QCOMPARE(catalog.photo(h.id)->format, QStringLiteral("png"));
    }

    void movedFileKeepsItsEmbedding()
    {
        const QString from = photos_.good[10];
        const QString to = photos_.root + QStringLiteral("/deep/a/renamed.jpg");
        Catalog before(libraryDir_);
        const auto old = before.photoByPath(from);
        const std::vector<float> oldVector = before.embedding(old->id, modelId_);
        QVERIFY(QFile::rename(from, to));

        const IndexSummary s = index();
        QCOMPARE(s.moved, 1);
        QCOMPARE(s.updated, 1);
        QCOMPARE(s.added, 0);
        QCOMPARE(s.removed, 0);
        QCOMPARE(s.encoderSeconds, 0.0);
        Catalog after(libraryDir_);
        QVERIFY(!after.photoByPath(from));
        const auto moved = after.photoByPath(to);
        QCOMPARE(moved->id, old->id);
        QCOMPARE(after.embedding(moved->id, modelId_), oldVector);
        photos_.good[10] = to;
        verifyConsistent();
    }

    void copiedFileReusesTheEmbedding()
    {
        const QString copy = photos_.root + QStringLiteral("/deep/copy.jpg");
        QVERIFY(QFile::copy(photos_.good[11], copy));
        const IndexSummary s = index();
        QCOMPARE(s.added, 1);
        QCOMPARE(s.encoderSeconds, 0.0);
        Catalog catalog(libraryDir_);
        QCOMPARE(catalog.embedding(catalog.photoByPath(copy)->id, modelId_),
                 catalog.embedding(catalog.photoByPath(photos_.good[11])->id, modelId_));
        photos_.good << copy;
    }

    void deletedFileLeavesCatalogAndIndex()
    {
        const QString victim = photos_.good[20];
        qint64 id = 0;
        {
            Catalog catalog(libraryDir_);
            id = catalog.photoByPath(victim)->id;
        }
        QVERIFY(QFile::remove(victim));
        photos_.good.removeAt(20);
        const IndexSummary s = index();
        QCOMPARE(s.removed, 1);
        QCOMPARE(s.added, 0);
        Catalog catalog(libraryDir_);
        QVERIFY(!catalog.photo(id));
        SearchEngine engine(libraryDir_, *encoder_, modelId_);
        for (const SearchHit& h : engine.searchText(QStringLiteral("a photo"), 1000))
            QVERIFY(h.id != id);
        verifyConsistent();
    }

    void changedFileIsEncodedAgain()
    {
        const QString path = photos_.good[30];
        std::vector<float> oldVector;
        {
            Catalog catalog(libraryDir_);
            oldVector = catalog.embedding(catalog.photoByPath(path)->id, modelId_);
        }
        QVERIFY(testimages::writeImage(testimages::makePicture(333, 222, 9999), path, ImageFormat::Jpeg));
        const IndexSummary s = index();
        QCOMPARE(s.updated, 1);
        QCOMPARE(s.added, 0);
        QVERIFY(s.encoderSeconds > 0);
        Catalog catalog(libraryDir_);
        const auto r = catalog.photoByPath(path);
        QCOMPARE(r->width, 333);
        QVERIFY(catalog.embedding(r->id, modelId_) != oldVector);
        verifyConsistent();
    }

    void fileDeletedDuringTheRun()
    {
        const QString doomed = photos_.root + QStringLiteral("/deep/doomed.jpg");
        QVERIFY(testimages::writeImage(testimages::makePicture(120, 80, 4242), doomed, ImageFormat::Jpeg));
        bool deleted = false;
        // The scan has listed it; it disappears before it is read.
        const IndexSummary s = index(nullptr, [&](const IndexProgress& p) {
            if (p.phase == IndexProgress::Phase::Scanning && !deleted)
                deleted = QFile::remove(doomed);
        });
        QVERIFY(deleted);
        QCOMPARE(s.failed, 0);
        Catalog catalog(libraryDir_);
        QVERIFY(!catalog.photoByPath(doomed));
        verifyConsistent();
    }

    void corruptVectorFileIsRebuilt()
    {
        const QString file = vectorStorePath(libraryDir_, modelId_);
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadWrite));
            f.seek(f.size() / 2);
            f.write("garbage garbage garbage");
        }
        SearchEngine engine(libraryDir_, *encoder_, modelId_);
        QVERIFY(!engine.rebuildReason().isEmpty());
        Catalog catalog(libraryDir_);
        QCOMPARE(engine.vectorCount(), catalog.embeddingCount(modelId_));
        const auto r = catalog.photoByPath(photos_.good[5]);
        QCOMPARE(engine.searchVector(catalog.embedding(r->id, modelId_), 1).front().id, r->id);
        verifyConsistent(); // saved again after the rebuild

        QVERIFY(QFile::remove(file));
        SearchEngine again(libraryDir_, *encoder_, modelId_);
        QVERIFY(!again.rebuildReason().isEmpty());
        QCOMPARE(again.vectorCount(), catalog.embeddingCount(modelId_));
    }

    void otherRootsAreLeftAlone()
    {
        // Indexing another folder into the same library removes nothing here.
        const QString other = temp_.filePath(QStringLiteral("other"));
        QDir().mkpath(other);
        QVERIFY(testimages::writeImage(testimages::makePicture(150, 100, 777), other + QStringLiteral("/x.jpg"), ImageFormat::Jpeg));
        const IndexSummary s = index(nullptr, {}, {other});
        QCOMPARE(s.added, 1);
        QCOMPARE(s.removed, 0);
        // The same folder through a link and with a trailing slash: nothing new.
        const QString link = temp_.filePath(QStringLiteral("link-to-photos"));
        QVERIFY(QFile::link(photos_.root, link));
        const IndexSummary again = index(nullptr, {}, {link + QLatin1Char('/')});
        QCOMPARE(again.added, 0);
        QCOMPARE(again.removed, 0);
        QCOMPARE(again.encoderSeconds, 0.0);
        verifyConsistent();
    }

    void emptiedRootIsNotTakenAsDeleted()
    {
        // An unmounted drive leaves an empty folder where the photos were.
        const QString other = temp_.filePath(QStringLiteral("other"));
        const QString away = temp_.filePath(QStringLiteral("other-away"));
        QVERIFY(QDir().rename(other, away));
        QVERIFY(QDir().mkpath(other));
        const IndexSummary s = index(nullptr, {}, {other});
        QCOMPARE(s.removed, 0);
        QCOMPARE(s.missingRoots, QStringList{other});
        QVERIFY(Catalog(libraryDir_).photoByPath(other + QStringLiteral("/x.jpg")));
        QVERIFY(QDir(other).removeRecursively());
        QVERIFY(QDir().rename(away, other));
    }

    void anotherModelGetsItsOwnEmbeddings()
    {
        // A second model id: every photo is encoded again for it, a file moved
        // meanwhile included, and the first model's vectors stay.
        const QString other = modelId_ + QStringLiteral("-b");
        const QString from = photos_.good[12];
        const QString to = photos_.root + QStringLiteral("/deep/moved-for-b.jpg");
        QVERIFY(QFile::rename(from, to));
        photos_.good[12] = to;
        const IndexSummary s = index(nullptr, {}, {}, other);
        QVERIFY(s.updated >= photos_.good.size() - 1);
        QCOMPARE(s.moved, 1); // the row moved, and got this model's vector
        Catalog catalog(libraryDir_);
        const auto moved = catalog.photoByPath(to);
        QVERIFY(moved);
        QVERIFY(!catalog.embedding(moved->id, other).empty());
        // All but the photo of the other root, which this run did not cover.
        const std::vector<qint64> without = catalog.photosWithoutEmbedding(other);
        QCOMPARE(without.size(), size_t(1));
        QCOMPARE(catalog.photo(without.front())->path, temp_.filePath(QStringLiteral("other/x.jpg")));
        // For the first model the photo simply moved: its vector is still valid.
        QVERIFY(!catalog.embedding(moved->id, modelId_).empty());
        QVERIFY(catalog.photosWithoutEmbedding(modelId_).empty());
    }

    void aSecondIndexerIsRefused()
    {
        QLockFile held(QDir(libraryDir_).filePath(QStringLiteral("index.lock")));
        QVERIFY(held.tryLock(0));
        QVERIFY_THROWS_EXCEPTION(IndexBusyError, index());
        // A search meanwhile rebuilds a missing cache for itself but leaves
        // writing it to the run.
        const QString file = vectorStorePath(libraryDir_, modelId_);
        QVERIFY(QFile::remove(file));
        {
            SearchEngine engine(libraryDir_, *encoder_, modelId_);
            QVERIFY(!engine.rebuildReason().isEmpty());
            QVERIFY(engine.vectorCount() > 0);
        }
        QVERIFY(!QFile::exists(file));
        held.unlock();
        QCOMPARE(index().added, 0);

        // An empty lock file (being written this instant, or damaged): refused
        // while fresh, without naming a process it does not name.
        {
            QFile empty(QDir(libraryDir_).filePath(QStringLiteral("index.lock")));
            QVERIFY(empty.open(QIODevice::WriteOnly | QIODevice::Truncate));
        }
        try {
            index();
            QFAIL("an index run went ahead under a fresh lock file");
        } catch (const IndexBusyError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("names no process")), e.what());
        }
        QVERIFY(QFile::remove(QDir(libraryDir_).filePath(QStringLiteral("index.lock"))));
    }

    void pauseThenCancel()
    {
        // A fresh library: the run has work to pause and cancel.
        libraryDir_ = temp_.filePath(QStringLiteral("library2"));
        IndexControl control;
        std::atomic<qint64> lastDone{0};
        std::atomic<qint64> doneWhilePaused{-1};
        std::thread canceller;
        const IndexSummary s = index(&control, [&](const IndexProgress& p) {
            if (p.phase != IndexProgress::Phase::Indexing)
                return;
            lastDone = p.done;
            if (!canceller.joinable()) {
                control.pause();
                canceller = std::thread([&] {
                    // What was already decoded may still be written (on a
                    // loaded machine, or under a sanitizer, that takes a
                    // while); once the count has stood still for 0.6 s,
                    // nothing more may come. A pause that does not hold
                    // never settles and fails below.
                    qint64 settled = lastDone;
                    for (int still = 0, polls = 0; still < 3 && polls < 100; ++polls) {
                        std::this_thread::sleep_for(std::chrono::milliseconds(200));
                        const qint64 now = lastDone;
                        still = now == settled ? still + 1 : 0;
                        settled = now;
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds(400));
                    doneWhilePaused = lastDone - settled;
                    control.cancel();
                });
            }
        });
        canceller.join();
        QCOMPARE(doneWhilePaused.load(), qint64(0));
        QVERIFY(s.cancelled);
        QVERIFY(s.added < photos_.good.size());
        verifyConsistent();
    }

    void pauseResumeFinishesTheJob()
    {
        IndexControl control;
        std::thread resumer;
        const IndexSummary s = index(&control, [&](const IndexProgress& p) {
            if (p.phase == IndexProgress::Phase::Indexing && !resumer.joinable()) {
                control.pause();
                resumer = std::thread([&] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(200));
                    control.resume();
                });
            }
        });
        resumer.join();
        QVERIFY(!s.cancelled);
        QVERIFY(s.added > 0);
        Catalog catalog(libraryDir_);
        for (const QString& path : photos_.good)
            QVERIFY2(catalog.photoByPath(path) && catalog.photoByPath(path)->status == PhotoStatus::Ok, qPrintable(path));
        verifyConsistent();
        QCOMPARE(index().encoderSeconds, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestIndexer)
#include "test_indexer.moc"
