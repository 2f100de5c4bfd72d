// The window against a real library (offscreen): a generated photo tree is
// indexed through the controller with the tiny CLIP model while the event
// loop keeps running; text search and "similar" fill the grid best first;
// thumbnails load; stale searches never show; cancel and close during a run
// end it cleanly; no model gives one sentence instead of a crash.

#include "Catalog.h"
#include "LibraryModel.h"
#include "GeneratedLibrary.h"
#include "IndexProgressBar.h"
#include "IndexReport.h"
#include "LibraryController.h"
#include "LibraryStatsDialog.h"
#include "MainWindow.h"
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
#include <QTimer>

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
        QVERIFY(!w.controller()->startupError().isEmpty());
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
        QVERIFY(w.controller()->modelDir().isEmpty());
        QVERIFY(w.controller()->startupError().isEmpty());
        QVERIFY(searchField(w)->accessibleName().size() > 0);
        QVERIFY(w.resultsView()->accessibleName().size() > 0);
        QVERIFY(w.findChild<IndexProgressBar*>()->accessibleName().size() > 0);
        QSignalSpy needed(w.controller(), &LibraryController::modelNeeded);
        QVERIFY(!w.findChild<QMessageBox*>(QStringLiteral("modelNeeded"))); // only after the search
        QVERIFY(w.statusBar()->currentMessage() != LibraryController::noModelSentence());
        searchField(w)->setText(QStringLiteral("dog on a beach"));
        QTest::keyClick(searchField(w), Qt::Key_Return);
        QCOMPARE(needed.count(), 1);
        const QString sentence = needed.first().first().toString();
        QVERIFY(sentence.endsWith(QLatin1Char('.')));
        QVERIFY(!sentence.chopped(1).contains(QStringLiteral(". ")));
        QVERIFY(sentence.contains(QStringLiteral("Choose Model")));
        auto* box = w.findChild<QMessageBox*>(QStringLiteral("modelNeeded"));
        QVERIFY(box);
        QVERIFY(box->isVisible());
        QCOMPARE(box->text(), sentence);
        QCOMPARE(w.statusBar()->currentMessage(), sentence);

        w.addFolder(photos_.root);
        QCOMPARE(needed.count(), 2);
        QVERIFY(!w.controller()->isIndexing());
        box->reject();

        // Not a model folder: refused with a sentence, nothing stored.
        QSignalSpy errors(w.controller(), &LibraryController::errorOccurred);
        QVERIFY(!w.chooseModel(photos_.root));
        QCOMPARE(errors.count(), 1);
        QVERIFY(w.controller()->modelDir().isEmpty());
        // A second error reuses the box instead of piling up another one.
        QVERIFY(!w.chooseModel(photos_.root));
        QCOMPARE(errors.count(), 2);
        QCOMPARE(w.findChildren<QMessageBox*>(QStringLiteral("error")).size(), 1);
        w.findChild<QMessageBox*>(QStringLiteral("error"))->reject();

        // A model but nothing indexed: an empty grid says what to do.
        QVERIFY(w.chooseModel(model_));
        QSignalSpy results(w.controller(), &LibraryController::resultsReady);
        auto* placeholder = w.findChild<QLabel*>(QStringLiteral("placeholder"));
        QVERIFY(!placeholder->text().contains(QStringLiteral("No photos are indexed")));
        w.runSearch(); // the field still says "dog on a beach"
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
        QVERIFY(w.chooseModel(model_));
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
        QVERIFY(model->rowCount() > 0);
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
        QVERIFY(w.chooseModel(model_));
        QVERIFY(c->isSearching());
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
        w.showStatistics();
        auto* dialog = w.findChild<LibraryStatsDialog*>();
        QVERIFY(dialog);
        QString error;
        const auto stats = c->statistics(&error);
        QVERIFY(stats);
        QCOMPARE(dialog->failureRows(), int(stats->failures.size()));
        QVERIFY(dialog->failureRows() > 0);
        dialog->close();
    }

    void cancelEndsTheRunAndWhatWasCommittedStays()
    {
        const QString library = libraryPath("cancel");
        MainWindow w(library);
        LibraryController* c = w.controller();
        QVERIFY(w.chooseModel(model_));
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
        QVERIFY(w->chooseModel(model_));
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
};

QTEST_MAIN(TestLibraryWindow)
#include "test_library_window.moc"
