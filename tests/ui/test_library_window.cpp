// The window against a real library (offscreen): a generated photo tree is
// indexed through the controller with the tiny CLIP model while the event
// loop keeps running; text search and "similar" fill the grid best first;
// thumbnails load; stale searches never show; cancel and close during a run
// end it cleanly; no model gives one sentence instead of a crash.
// The controller alone: the catalog is opened off the GUI thread; searches
// carry the engine's options (the relevance cut, "show more", dates);
// watched folders are re-indexed when files come and go; a model switch
// keeps searching with the old model until the library is indexed with the
// new one.

#include "Catalog.h"
#include "LibraryModel.h"
#include "GeneratedLibrary.h"
#include "LibraryWorker.h"
#include "TestImages.h"
#include "TinyModel.h"
#include "FolderWatcher.h"
#include "IndexProgressBar.h"
#include "IndexReport.h"
#include "LibraryController.h"
#include "LibraryStatsDialog.h"
#include "MainWindow.h"
#include "SearchWorker.h"
#include "ResultsModel.h"
#include "ResultsView.h"
#include "ThumbnailLoader.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPixmap>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <memory>

using namespace photosearch;

namespace {

constexpr int kRunTimeoutMs = 60'000;

QLineEdit* searchField(MainWindow& w)
{
    return w.findChild<QLineEdit*>(QStringLiteral("searchField"));
}

} // namespace

class TestLibraryWindow : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    testlib::GeneratedLibrary photos_;
    QString model_;

    QString libraryPath(const char* name) const { return temp_.filePath(QString::fromLatin1(name)); }

    // Waits for the run to end and sets `summary`; false (with a warning)
    // when it timed out or failed, so callers write QVERIFY(waitForRun(...)).
    // Chooses the model and waits until the controller took it (asynchronous).
    static bool chooseModel(MainWindow& w, const QString& dir)
    {
        QSignalSpy changed(w.controller(), &LibraryController::modelChanged);
        return w.chooseModel(dir) && changed.wait(kRunTimeoutMs);
    }

    static bool waitForRun(QSignalSpy& finished, QSignalSpy& failed, IndexSummary* summary)
    {
        if (!QTest::qWaitFor([&] { return finished.count() + failed.count() > 0; }, kRunTimeoutMs)) {
            qWarning("the index run did not end within %d ms", kRunTimeoutMs);
            return false;
        }
        if (!failed.isEmpty()) {
            qWarning("index run failed: %s", qPrintable(failed.first().first().toString()));
            return false;
        }
        *summary = finished.first().first().value<IndexSummary>();
        return true;
    }

    // Sets the model and indexes `root` with it; true when the run finished.
    static bool indexWithModel(LibraryController& c, const QString& model, const QString& root)
    {
        QSignalSpy changed(&c, &LibraryController::modelChanged);
        QSignalSpy finished(&c, &LibraryController::indexingFinished);
        QSignalSpy failed(&c, &LibraryController::indexingFailed);
        if (!c.setModelDir(model) || !changed.wait(kRunTimeoutMs))
            return false;
        c.addFolder(root);
        IndexSummary s;
        return waitForRun(finished, failed, &s) && !s.cancelled;
    }

    static SearchResults searchAndWait(LibraryController& c, QSignalSpy& results, const SearchOptions& options)
    {
        results.clear();
        c.search(options);
        if (!QTest::qWaitFor([&] { return !results.isEmpty(); }, kRunTimeoutMs))
            return {};
        return results.last().first().value<SearchResults>();
    }

    static bool hasPath(const SearchResults& r, const QString& path)
    {
        return std::any_of(r.hits.begin(), r.hits.end(), [&](const SearchHit& h) { return h.path == path; });
    }

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("PHOTOSEARCH_MODEL");
        QVERIFY(temp_.isValid());
        model_ = testlib::tinyClipDir();
        QVERIFY2(!model_.isEmpty(), "could not write a tiny CLIP model (see the warning above)");
        photos_ = testlib::generateLibrary(temp_.filePath(QStringLiteral("photos")), 20);
    }

    void cleanupTestCase()
    {
        testlib::removeTree(photos_.root);
    }

    void summarySentences()
    {
        IndexSummary s;
        s.scanned = 1234;
        s.added = 1200;
        s.unchanged = 31;
        s.failed = 3;
        const QString done = indexSummarySentence(s);
        QVERIFY2(done.startsWith(QStringLiteral("Indexed ")), qPrintable(done));
        QVERIFY2(done.contains(QStringLiteral("could not be read — see File ▸ Library Statistics")), qPrintable(done));
        s.unreadableFolders = QStringList{QStringLiteral("/a"), QStringLiteral("/b")};
        const QString withFolders = indexSummarySentence(s);
        QVERIFY2(withFolders.contains(QStringLiteral("2 folders could not be read")), qPrintable(withFolders));
        QVERIFY2(withFolders.endsWith(QLatin1Char('.')) && !withFolders.chopped(1).contains(QStringLiteral(". ")),
                 qPrintable(withFolders)); // one sentence
        s.cancelled = true;
        const QString cancelled = indexSummarySentence(s);
        QVERIFY(cancelled.contains(QStringLiteral("cancelled")));
        QVERIFY2(!cancelled.chopped(1).contains(QStringLiteral(". ")), qPrintable(cancelled));
        IndexProgress p;
        p.phase = IndexProgress::Phase::Indexing;
        p.done = 5;
        p.total = 10;
        p.photosPerSecond = 2.5;
        p.etaSeconds = 125;
        const QString text = indexProgressText(p);
        QVERIFY2(text.contains(QStringLiteral("5 of 10")) && text.contains(QStringLiteral("photos/s"))
                     && text.contains(QStringLiteral("min left")),
                 qPrintable(text));
    }

    void thumbnailRequestsForScrolledAwayItemsAreDropped()
    {
        ThumbnailLoader loader(QSize(96, 96));
        QSignalSpy ready(&loader, &ThumbnailLoader::thumbnailReady);
        const QStringList all = photos_.good.mid(0, 6);
        loader.request(all);
        QCOMPARE(loader.pendingCount(), int(all.size()));
        loader.request({all.last()}); // scrolled: only the last one is still wanted
        QVERIFY(loader.pendingCount() <= 1);
        QTRY_VERIFY_WITH_TIMEOUT(!loader.thumbnail(all.last()).isNull(), 30'000);
        const QPixmap thumb = loader.thumbnail(all.last());
        QVERIFY(thumb.width() <= 96 && thumb.height() <= 96);
        QCOMPARE(loader.pendingCount(), 0);
    }

    void hugeFailureListsAreCut()
    {
        Catalog::Stats stats;
        stats.photos = 1500;
        stats.failed = 1500;
        for (int i = 0; i < 1500; ++i)
            stats.failures.emplace_back(QStringLiteral("/photos/%1.jpg").arg(i), QStringLiteral("bad"));
        LibraryStatsDialog dialog(libraryPath("stats"), stats);
        QCOMPARE(dialog.failureRows(), LibraryStatsDialog::kMaxFailureRows);
        auto* more = dialog.findChild<QLabel*>(QStringLiteral("moreFailures"));
        QVERIFY(more);
        QVERIFY2(more->text().contains(QStringLiteral("500")), qPrintable(more->text()));
    }

    void unreadableCatalogIsShownAtStartup()
    {
        // A catalog that is not a PhotoSearch catalog: the window says so
        // when it is up, and a search repeats it instead of "no model".
        const QString library = libraryPath("foreign");
        QVERIFY(QDir().mkpath(library));
        QFile file(QDir(library).filePath(QStringLiteral("catalog.sqlite")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(4096, 'x'));
        file.close();
        MainWindow w(library);
        QTRY_VERIFY(!w.controller()->startupError().isEmpty()); // reported by the library thread
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTRY_VERIFY(w.findChild<QMessageBox*>(QStringLiteral("error")));
        auto* box = w.findChild<QMessageBox*>(QStringLiteral("error"));
        QCOMPARE(box->text(), w.controller()->startupError());
        QSignalSpy needed(w.controller(), &LibraryController::modelNeeded);
        QSignalSpy failed(w.controller(), &LibraryController::searchFailed);
        w.controller()->search(QStringLiteral("dog"));
        QCOMPARE(needed.count(), 0);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(w.findChildren<QMessageBox*>(QStringLiteral("error")).size(), 1); // reused
    }

    void noModelSaysSoInOneSentence()
    {
        MainWindow w(libraryPath("no-model"));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTRY_VERIFY(w.controller()->isReady());
        QVERIFY(w.controller()->modelDir().isEmpty());
        QVERIFY(w.controller()->startupError().isEmpty());
        QVERIFY(searchField(w)->accessibleName().size() > 0);
        QVERIFY(w.resultsView()->accessibleName().size() > 0);
        QVERIFY(w.findChild<IndexProgressBar*>()->accessibleName().size() > 0);
        // No model: the first-run page offers one instead of an empty search.
        auto* firstRun = w.findChild<QWidget*>(QStringLiteral("firstRunPage"));
        QVERIFY(firstRun);
        QTRY_VERIFY(firstRun->isVisible());
        QVERIFY(!searchField(w)->isVisible());
        QVERIFY(w.statusBar()->currentMessage() != LibraryController::noModelSentence());
        // Asked to index without a model, the library says so in one sentence.
        QSignalSpy needed(w.controller(), &LibraryController::modelNeeded);
        w.addFolder(photos_.root);
        QTRY_COMPARE(needed.count(), 1);
        const QString sentence = needed.first().first().toString();
        QVERIFY(sentence.endsWith(QLatin1Char('.')));
        QVERIFY(!sentence.chopped(1).contains(QStringLiteral(". ")));
        QVERIFY(sentence.contains(QStringLiteral("Models")));
        QCOMPARE(w.statusBar()->currentMessage(), sentence);
        QVERIFY(!w.controller()->isIndexing());
        QVERIFY(firstRun->isVisible());

        // Not a model folder: refused with a sentence, nothing stored.
        QSignalSpy errors(w.controller(), &LibraryController::errorOccurred);
        QSignalSpy changed(w.controller(), &LibraryController::modelChanged);
        w.chooseModel(photos_.root);
        QTRY_COMPARE(errors.count(), 1);
        QVERIFY(w.controller()->modelDir().isEmpty());
        // A second error reuses the box instead of piling up another one.
        w.chooseModel(photos_.root);
        QTRY_COMPARE(errors.count(), 2);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(w.findChildren<QMessageBox*>(QStringLiteral("error")).size(), 1);
        w.findChild<QMessageBox*>(QStringLiteral("error"))->reject();

        // A model but nothing indexed: an empty grid says what to do.
        QVERIFY(chooseModel(w, model_));
        QSignalSpy results(w.controller(), &LibraryController::resultsReady);
        auto* placeholder = w.findChild<QLabel*>(QStringLiteral("placeholder"));
        QVERIFY(!placeholder->text().contains(QStringLiteral("No photos are indexed")));
        // Once a model is there, the next step is a folder.
        QTRY_VERIFY(w.findChild<QWidget*>(QStringLiteral("addFoldersPage"))->isVisible());
        w.searchFor(QStringLiteral("dog on a beach"));
        QVERIFY(results.wait(kRunTimeoutMs));
        QCOMPARE(results.first().first().value<SearchResults>().description, QStringLiteral("dog on a beach"));
        QCOMPARE(w.results()->rowCount(), 0);
        QVERIFY2(placeholder->text().contains(QStringLiteral("No photos are indexed"))
                     && placeholder->text().contains(QStringLiteral("Add Folder")),
                 qPrintable(placeholder->text()));
    }

    void indexSearchSimilarAndThumbnails()
    {
        const QString library = libraryPath("main");
        MainWindow w(library);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        LibraryController* c = w.controller();
        QVERIFY(chooseModel(w, model_));
        QCOMPARE(libraryModelDir(Catalog(library)), QFileInfo(model_).absoluteFilePath());

        QSignalSpy progress(c, &LibraryController::indexingProgress);
        QSignalSpy finished(c, &LibraryController::indexingFinished);
        QSignalSpy failed(c, &LibraryController::indexingFailed);
        auto* pauseAction = w.findChild<QAction*>(QStringLiteral("pauseIndexingAction"));
        auto* cancelAction = w.findChild<QAction*>(QStringLiteral("cancelIndexingAction"));
        QVERIFY(pauseAction && cancelAction);
        QVERIFY(!pauseAction->isEnabled() && !cancelAction->isEnabled());
        w.addFolder(photos_.root);
        QVERIFY(c->isIndexing()); // addFolder returned before the run ended
        QVERIFY(finished.isEmpty());
        QVERIFY(w.findChild<IndexProgressBar*>()->isVisible());
        QVERIFY(pauseAction->isEnabled() && cancelAction->isEnabled());
        QVERIFY(!pauseAction->shortcut().isEmpty() && !cancelAction->shortcut().isEmpty());
        IndexSummary s;
        QVERIFY(waitForRun(finished, failed, &s));
        QVERIFY(progress.count() > 0); // progress reached the window while the run went on
        QVERIFY(!pauseAction->isEnabled() && !cancelAction->isEnabled());
        QVERIFY(!s.cancelled);
        QVERIFY2(s.added >= photos_.good.size(), qPrintable(QString::number(s.added)));
        QVERIFY(s.failed > 0); // the generated tree has bad files
        const QString sentence = finished.first().at(1).toString();
        QVERIFY2(sentence.startsWith(QStringLiteral("Indexed ")), qPrintable(sentence));
        QCOMPARE(w.statusBar()->currentMessage(), sentence);
        QVERIFY(!w.findChild<IndexProgressBar*>()->isVisible());
        QVERIFY(!c->isIndexing());

        // Text search from the field: best first, real files.
        QSignalSpy results(c, &LibraryController::resultsReady);
        searchField(w)->setFocus();
        searchField(w)->setText(QStringLiteral("a photo of a dog"));
        QTest::keyClick(searchField(w), Qt::Key_Return);
        QVERIFY(results.wait(kRunTimeoutMs));
        ResultsModel* model = w.results();
        // The random test model may leave nothing above the relevance cut;
        // then the window asks for the closest photos itself.
        QTRY_VERIFY(model->rowCount() > 0);
        QVERIFY(model->rowCount() <= LibraryController::kSearchResults);
        for (int row = 0; row < model->rowCount(); ++row) {
            QVERIFY2(QFileInfo::exists(model->pathAt(row)), qPrintable(model->pathAt(row)));
            if (row > 0)
                QVERIFY(model->hit(row - 1).score >= model->hit(row).score);
        }
        QVERIFY(model->index(0).data(Qt::ToolTipRole).toString().contains(QFileInfo(model->pathAt(0)).fileName()));
        QVERIFY(w.resultsView()->isVisible());

        // Thumbnails of visible items load.
        QTRY_VERIFY(!w.resultsView()->visibleRows().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!model->index(0).data(Qt::DecorationRole).value<QPixmap>().isNull(), 30'000);
        QTRY_VERIFY_WITH_TIMEOUT(w.results()->thumbnails()->pendingCount() == 0, 30'000);
        const QPixmap thumb = model->index(0).data(Qt::DecorationRole).value<QPixmap>();
        QVERIFY(thumb.width() <= ResultsModel::kThumbnailSize && thumb.height() <= ResultsModel::kThumbnailSize);

        // "Show Similar Photos" puts the photo itself first.
        const QString photo = model->pathAt(qMin(3, model->rowCount() - 1));
        results.clear();
        w.showSimilar(photo);
        QVERIFY(results.wait(kRunTimeoutMs));
        QCOMPARE(model->pathAt(0), photo);
        const QString similarTo = results.first().first().value<SearchResults>().description;
        QVERIFY(similarTo.startsWith(QStringLiteral("Similar to ")));

        // A model change drops results in flight and runs the last request
        // (here "similar", not the text in the field) again.
        results.clear();
        QSignalSpy started(c, &LibraryController::searchStarted);
        QVERIFY(chooseModel(w, model_));
        QCOMPARE(started.count(), 1); // the rerun began with the change
        QTRY_VERIFY_WITH_TIMEOUT(!c->isSearching(), kRunTimeoutMs);
        QCOMPARE(results.count(), 1);
        QCOMPARE(results.first().first().value<SearchResults>().description, similarTo);
        QCOMPARE(model->pathAt(0), photo);

        // Fast typing: only the latest query's results are shown.
        results.clear();
        c->search(QStringLiteral("first"));
        c->search(QStringLiteral("second"));
        c->search(QStringLiteral("third"));
        QTRY_VERIFY_WITH_TIMEOUT(!results.isEmpty(), kRunTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!c->isSearching(), kRunTimeoutMs);
        QCOMPARE(results.count(), 1);
        QCOMPARE(results.first().first().value<SearchResults>().description, QStringLiteral("third"));

        // Esc clears the field and the grid.
        searchField(w)->setFocus();
        QTest::keyClick(searchField(w), Qt::Key_Escape);
        QVERIFY(searchField(w)->text().isEmpty());
        QTRY_COMPARE(model->rowCount(), 0);

        // File ▸ Library Statistics lists the failures.
        w.showStatistics(); // opens once the library thread has read the catalog
        QTRY_VERIFY(w.findChild<LibraryStatsDialog*>());
        auto* dialog = w.findChild<LibraryStatsDialog*>();
        QSignalSpy statsReady(c, &LibraryController::statisticsReady);
        c->requestStatistics(); // read on the library thread
        QVERIFY(statsReady.wait(kRunTimeoutMs));
        const auto stats = statsReady.first().first().value<Catalog::Stats>();
        QCOMPARE(dialog->failureRows(), int(stats.failures.size()));
        QVERIFY(dialog->failureRows() > 0);
        dialog->close();
    }

    void cancelEndsTheRunAndWhatWasCommittedStays()
    {
        const QString library = libraryPath("cancel");
        MainWindow w(library);
        LibraryController* c = w.controller();
        QVERIFY(chooseModel(w, model_));
        QSignalSpy finished(c, &LibraryController::indexingFinished);
        QSignalSpy failed(c, &LibraryController::indexingFailed);
        w.addFolder(photos_.root);
        c->pauseIndexing(); // holds the run at its first photo
        QVERIFY(c->isPaused());
        c->cancelIndexing();
        IndexSummary s;
        QVERIFY(waitForRun(finished, failed, &s));
        QVERIFY(s.cancelled);
        QVERIFY(finished.first().at(1).toString().contains(QStringLiteral("cancelled")));
        QVERIFY(!c->isIndexing());

        // The next run finishes the job.
        finished.clear();
        w.addFolder(photos_.root);
        IndexSummary again;
        QVERIFY(waitForRun(finished, failed, &again));
        QVERIFY(!again.cancelled);
        QVERIFY(Catalog(library).stats().photos >= photos_.good.size());
    }

    void closingDuringARunStopsIt()
    {
        const QString library = libraryPath("close");
        auto w = std::make_unique<MainWindow>(library);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.get()));
        LibraryController* c = w->controller();
        QVERIFY(chooseModel(*w, model_));
        QSignalSpy finished(c, &LibraryController::indexingFinished);
        QSignalSpy failed(c, &LibraryController::indexingFailed);
        QSignalSpy stopped(c, &LibraryController::stopped);
        w->addFolder(photos_.root);
        c->pauseIndexing(); // holds the run at its first photo: still running at close
        QTest::qWait(50);   // let the worker start (load the model) before the close
        QVERIFY(c->isIndexing());

        // Close does not block: it cancels, says so and keeps the window
        // up until both threads have stopped; a second close changes nothing.
        QVERIFY(!w->close());
        QVERIFY(w->isClosing());
        QVERIFY(w->isVisible());
        QCOMPARE(w->statusBar()->currentMessage(), QStringLiteral("Stopping the index run…"));
        QVERIFY(!w->close());
        QTRY_VERIFY_WITH_TIMEOUT(!w->isVisible(), kRunTimeoutMs);
        QVERIFY(!w->isClosing());
        QCOMPARE(stopped.count(), 1);
        QVERIFY(c->hasStopped());
        // The run's own end (queued before the close) is dropped, not
        // delivered to deleted workers.
        QTest::qWait(20);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(failed.count(), 0);
        w.reset();

        // The library is intact: it opens, and a new window indexes it to the end.
        QVERIFY(Catalog(library).photos().size() <= size_t(photos_.good.size() + photos_.bad.size()
                                                           + photos_.maybe.size()));
        MainWindow again(library);
        QSignalSpy finished2(again.controller(), &LibraryController::indexingFinished);
        QSignalSpy failed2(again.controller(), &LibraryController::indexingFailed);
        again.addFolder(photos_.root);
        IndexSummary s;
        QVERIFY(waitForRun(finished2, failed2, &s));
        QVERIFY(!s.cancelled);
        QVERIFY(Catalog(library).stats().photos >= photos_.good.size());
    }

    void startupOpensTheCatalogOffTheGuiThread()
    {
        // The hook runs where the catalog is opened: that must not be here.
        QThread* openedOn = nullptr;
        LibraryWorker::openHookForTesting() = [&openedOn] { openedOn = QThread::currentThread(); };
        const QString library = libraryPath("startup");
        {
            LibraryController c(library);
            QSignalSpy opened(&c, &LibraryController::libraryOpened);
            QVERIFY(!c.isReady()); // the constructor returned before the catalog was opened
            QVERIFY(opened.wait(kRunTimeoutMs));
            QVERIFY(c.isReady());
            QVERIFY(c.startupError().isEmpty());
            QVERIFY(openedOn != nullptr);
            QVERIFY(openedOn != QThread::currentThread());
            // Statistics come back as a signal too.
            QSignalSpy stats(&c, &LibraryController::statisticsReady);
            c.requestStatistics();
            QVERIFY(stats.wait(kRunTimeoutMs));
            QCOMPARE(stats.first().first().value<Catalog::Stats>().photos, qint64(0));
        }
        LibraryWorker::openHookForTesting() = nullptr;
    }

    void searchOptionsCutDatesAndSimilar()
    {
        LibraryController c(libraryPath("options"));
        QVERIFY(indexWithModel(c, model_, photos_.root));
        QSignalSpy results(&c, &LibraryController::resultsReady);
        QSignalSpy failed(&c, &LibraryController::searchFailed);

        SearchOptions options;
        options.text = QStringLiteral("a photo of a dog");
        const SearchResults cut = searchAndWait(c, results, options);
        QVERIFY(cut.error.isEmpty());
        QVERIFY(!cut.understood.isEmpty());
        if (cut.goodMatches > 0) {
            QVERIFY(!cut.all);
            QVERIFY(int(cut.hits.size()) <= cut.goodMatches); // only what passed the cut
        } else { // nothing stood out: the closest few, said to be no clear match
            QVERIFY(cut.all);
            QVERIFY(!cut.hits.empty());
            QVERIFY(int(cut.hits.size()) <= SearchWorker::kNearestWithoutMatches);
        }
        options.all = true; // "show more"
        const SearchResults more = searchAndWait(c, results, options);
        QVERIFY(more.all);
        QVERIFY2(more.hits.size() > cut.hits.size(),
                 qPrintable(QStringLiteral("%1 vs %2").arg(more.hits.size()).arg(cut.hits.size())));
        QCOMPARE(qint64(more.hits.size()), more.indexedPhotos); // k exceeds the library: all of it
        // rerunLastSearch keeps the options.
        results.clear();
        c.rerunLastSearch();
        QVERIFY(results.wait(kRunTimeoutMs));
        QVERIFY(results.first().first().value<SearchResults>().all);
        QCOMPARE(results.first().first().value<SearchResults>().hits.size(), more.hits.size());

        // A date filter narrows: only the photo taken in 2021.
        options.filter.after = QDateTime(QDate(2021, 1, 1), QTime(0, 0));
        options.filter.before = QDateTime(QDate(2022, 1, 1), QTime(0, 0));
        const SearchResults dated = searchAndWait(c, results, options);
        QCOMPARE(dated.hits.size(), size_t(1));
        QVERIFY2(QFileInfo(dated.hits.front().path).fileName().contains(QStringLiteral("2021")),
                 qPrintable(dated.hits.front().path));

        // Similar to a file outside the library works; one that cannot be
        // decoded gives one sentence naming it.
        const QString outside = temp_.filePath(QStringLiteral("outside.png"));
        QVERIFY(testimages::makePicture(64, 48, 4242).save(outside));
        results.clear();
        c.findSimilar(outside);
        QVERIFY(results.wait(kRunTimeoutMs));
        QCOMPARE(qint64(results.first().first().value<SearchResults>().hits.size()), more.indexedPhotos);
        const QString broken = temp_.filePath(QStringLiteral("broken.jpg"));
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a jpeg at all");
        file.close();
        c.findSimilar(broken);
        QVERIFY(failed.wait(kRunTimeoutMs));
        const QString sentence = failed.first().first().toString();
        QVERIFY2(sentence.contains(QStringLiteral("broken.jpg")) && !sentence.chopped(1).contains(QStringLiteral(". ")),
                 qPrintable(sentence));
    }

    void watchedFolderFollowsItsFiles()
    {
        const QString root = temp_.filePath(QStringLiteral("watched"));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/sub")));
        for (int i = 0; i < 3; ++i)
            QVERIFY(testimages::makePicture(96, 64, 100 + i).save(root + QStringLiteral("/p%1.jpg").arg(i)));
        LibraryController c(libraryPath("watched-library"));
        QSignalSpy roots(&c, &LibraryController::rootsChanged);
        QVERIFY(indexWithModel(c, model_, root));
        QTRY_COMPARE(c.roots(), QStringList{QFileInfo(root).absoluteFilePath()});
        QSignalSpy started(&c, &LibraryController::indexingStarted);
        QSignalSpy finished(&c, &LibraryController::indexingFinished);
        QSignalSpy results(&c, &LibraryController::resultsReady);
        SearchOptions all;
        all.text = QStringLiteral("a photo");
        all.all = true;

        // A new photo in a subfolder is indexed without addFolder, quietly.
        const QString added = root + QStringLiteral("/sub/new.jpg");
        QVERIFY(testimages::makePicture(96, 64, 777).save(added));
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() >= 1 && !started.isEmpty(), kRunTimeoutMs);
        QVERIFY(started.first().at(1).toBool()); // quiet
        QTRY_VERIFY_WITH_TIMEOUT(!c.isIndexing(), kRunTimeoutMs);
        QVERIFY(hasPath(searchAndWait(c, results, all), added));

        // A deleted photo leaves the results.
        const QString gone = root + QStringLiteral("/p1.jpg");
        QVERIFY(hasPath(searchAndWait(c, results, all), gone));
        finished.clear();
        QVERIFY(QFile::remove(gone));
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() >= 1, kRunTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!c.isIndexing(), kRunTimeoutMs);
        const SearchResults after = searchAndWait(c, results, all);
        QVERIFY(!hasPath(after, gone));
        QVERIFY(hasPath(after, added));

        // Removing the folder removes its photos and stops watching it.
        QSignalSpy removed(&c, &LibraryController::folderRemoved);
        c.removeFolder(root);
        QVERIFY(removed.wait(kRunTimeoutMs));
        QCOMPARE(removed.first().at(1).toLongLong(), qint64(3));
        QVERIFY(c.roots().isEmpty());
        QVERIFY(searchAndWait(c, results, all).hits.empty());
        finished.clear();
        QVERIFY(testimages::makePicture(96, 64, 778).save(root + QStringLiteral("/later.jpg")));
        QTest::qWait(FolderWatcher::kQuietMs + 1000);
        QCOMPARE(finished.count(), 0);
    }

    void modelSwitchKeepsTheOldModelUntilTheLibraryIsIndexed()
    {
        const QString modelA = temp_.filePath(QStringLiteral("model-a"));
        const QString modelB = temp_.filePath(QStringLiteral("model-b"));
        QString error;
        QVERIFY2(testmodel::writeTinyClipModel(modelA, &error, 11), qPrintable(error));
        QVERIFY2(testmodel::writeTinyClipModel(modelB, &error, 22), qPrintable(error));
        const QString library = libraryPath("switch");
        LibraryController c(library);
        QVERIFY(indexWithModel(c, modelA, photos_.root));
        QCOMPARE(c.modelDir(), modelA);
        QSignalSpy results(&c, &LibraryController::resultsReady);
        SearchOptions options;
        options.text = QStringLiteral("a photo of a dog");
        options.all = true;
        const SearchResults withA = searchAndWait(c, results, options);

        // Choose B: a run with B goes (held paused here); search still uses A.
        QSignalSpy switching(&c, &LibraryController::modelSwitchStarted);
        QSignalSpy changed(&c, &LibraryController::modelChanged);
        QSignalSpy finished(&c, &LibraryController::indexingFinished);
        QSignalSpy progress(&c, &LibraryController::indexingProgress);
        QVERIFY(c.setModelDir(modelB));
        QVERIFY(switching.wait(kRunTimeoutMs));
        QVERIFY(c.isIndexing());
        c.pauseIndexing();
        QCOMPARE(c.pendingModelDir(), modelB);
        QCOMPARE(c.modelDir(), modelA);
        const SearchResults during = searchAndWait(c, results, options);
        QCOMPARE(during.hits.size(), withA.hits.size());
        QCOMPARE(during.hits.front().path, withA.hits.front().path);
        QCOMPARE(during.hits.front().score, withA.hits.front().score); // A's vectors, A's weights
        QCOMPARE(changed.count(), 0);
        QCOMPARE(libraryModelDir(Catalog(library)), modelA);

        // Cancelling the switch leaves A in place.
        c.cancelIndexing();
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, kRunTimeoutMs);
        QVERIFY(finished.first().first().value<IndexSummary>().cancelled);
        QVERIFY(c.pendingModelDir().isEmpty());
        QCOMPARE(c.modelDir(), modelA);
        QCOMPARE(changed.count(), 0);

        // Again, to the end: B takes over and the last search reruns with it.
        std::vector<SearchResults> withModelB;
        connect(&c, &LibraryController::resultsReady, &c, [&](const SearchResults& r) {
            if (c.modelDir() == modelB)
                withModelB.push_back(r);
        });
        QVERIFY(c.setModelDir(modelB));
        QVERIFY(changed.wait(kRunTimeoutMs));
        QCOMPARE(changed.first().first().toString(), modelB);
        QCOMPARE(c.modelDir(), modelB);
        QCOMPARE(libraryModelDir(Catalog(library)), modelB);
        QTRY_VERIFY_WITH_TIMEOUT(!withModelB.empty(), kRunTimeoutMs);
        const SearchResults withB = withModelB.front();
        QCOMPARE(withB.hits.size(), withA.hits.size());
        QVERIFY(withB.hits.front().score != withA.hits.front().score);
    }
};

QTEST_MAIN(TestLibraryWindow)
#include "test_library_window.moc"
