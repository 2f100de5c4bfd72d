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

    // Waits for the run to end; returns the summary (fails the test on an error).
    static IndexSummary waitForRun(QSignalSpy& finished, QSignalSpy& failed)
    {
        [&] { QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() > 0, kRunTimeoutMs); }();
        if (!failed.isEmpty())
            qWarning("index run failed: %s", qPrintable(failed.first().first().toString()));
        return finished.isEmpty() ? IndexSummary{} : finished.first().first().value<IndexSummary>();
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
        s.cancelled = true;
        QVERIFY(indexSummarySentence(s).contains(QStringLiteral("cancelled")));
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

    void noModelSaysSoInOneSentence()
    {
        MainWindow w(libraryPath("no-model"));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.controller()->modelDir().isEmpty());
        QSignalSpy needed(w.controller(), &LibraryController::modelNeeded);
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

        // A model but nothing indexed: an empty grid says what to do.
        QVERIFY(w.chooseModel(model_));
        QSignalSpy results(w.controller(), &LibraryController::resultsReady);
        w.runSearch();
        QVERIFY(results.wait(kRunTimeoutMs));
        QCOMPARE(w.results()->rowCount(), 0);
        QVERIFY(w.findChild<QLabel*>(QStringLiteral("placeholder"))->text().contains(QStringLiteral("Add Folder")));
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
        int ticks = 0; // the GUI thread's event loop runs while indexing
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, this, [&] {
            if (c->isIndexing())
                ++ticks;
        });
        ticker.start(5);
        w.addFolder(photos_.root);
        QVERIFY(c->isIndexing()); // addFolder returned before the run ended
        QVERIFY(finished.isEmpty());
        QVERIFY(w.findChild<IndexProgressBar*>()->isVisible());
        const IndexSummary s = waitForRun(finished, failed);
        QVERIFY(failed.isEmpty());
        ticker.stop();
        QVERIFY(ticks > 0);
        QVERIFY(progress.count() > 0);
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
        const IndexSummary s = waitForRun(finished, failed);
        QVERIFY(failed.isEmpty());
        QVERIFY(s.cancelled);
        QVERIFY(finished.first().at(1).toString().contains(QStringLiteral("cancelled")));
        QVERIFY(!c->isIndexing());

        // The next run finishes the job.
        finished.clear();
        w.addFolder(photos_.root);
        const IndexSummary again = waitForRun(finished, failed);
        QVERIFY(failed.isEmpty());
        QVERIFY(!again.cancelled);
        QVERIFY(Catalog(library).stats().photos >= photos_.good.size());
    }

    void closingDuringARunStopsIt()
    {
        const QString library = libraryPath("close");
        auto w = std::make_unique<MainWindow>(library);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.get()));
        QVERIFY(w->chooseModel(model_));
        QSignalSpy progress(w->controller(), &LibraryController::indexingProgress);
        QSignalSpy finished(w->controller(), &LibraryController::indexingFinished);
        w->addFolder(photos_.root);
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() || !finished.isEmpty(), kRunTimeoutMs);
        QVERIFY(w->close()); // cancels and waits for the threads
        QVERIFY(!w->controller()->isIndexing());
        w.reset();
        // The library is intact: it opens and a new window searches it.
        QVERIFY(Catalog(library).photos().size() <= size_t(photos_.good.size() + photos_.bad.size()
                                                           + photos_.maybe.size()));
    }
};

QTEST_MAIN(TestLibraryWindow)
#include "test_library_window.moc"
