// photosearch-cli answers a search whose query embedding the catalog has
// cached without loading LibTorch (app/cli/QuickSearch.h), and hands
// everything else to photosearch-cli-engine with the same answer. Whether
// LibTorch was loaded is read from the dynamic loader's own report
// (LD_DEBUG=files), so these tests see what a user's process does.

#include "CliLibraryFixture.h"
#include "CliRun.h"
#include "GeneratedLibrary.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using photosearch::testcli::finishCli;
using photosearch::testcli::Run;
using photosearch::testcli::runCli;

namespace {

// The CLI with extra environment variables.
Run runWithEnv(const QStringList& args, const QStringList& env)
{
    QProcess p;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (const QString& kv : env)
        e.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
    p.setProcessEnvironment(e);
    return finishCli(p, args, 300000);
}

// Runs the CLI under LD_DEBUG=files; `loadedTorch` says whether any LibTorch
// library was loaded into the process (or the one it exec'd).
Run runWatched(const QStringList& args, bool* loadedTorch, const QStringList& env = {})
{
    Run r = runWithEnv(args, QStringList{QStringLiteral("LD_DEBUG=files")} + env);
    *loadedTorch = r.err.contains("libtorch_cpu.so");
    // Keep only the program's own lines ("  PID:\t..." are the loader's).
    static const QRegularExpression loaderLine(QStringLiteral("^\\s*\\d+:"));
    QByteArray own;
    for (const QByteArray& line : r.err.split('\n'))
        if (!line.isEmpty() && !loaderLine.match(QString::fromUtf8(line)).hasMatch())
            own += line + '\n';
    r.err = own;
    return r;
}

} // namespace

class TestCliQuickSearch : public QObject, private photosearch::testlib::CliLibraryFixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("PHOTOSEARCH_QUICK_SEARCH");
        if (!prepare(12))
            QFAIL("could not write a tiny CLIP model for the tests (see the warning above)");
        const Run r = runCli(indexArgs());
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void cleanupTestCase() { photosearch::testlib::removeTree(temp_.path()); }

    void aNewQueryIsEmbeddedByTheEngineThenAnsweredWithoutLibTorch()
    {
        const QStringList args = lib({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("-k"),
                                      QStringLiteral("6"), QStringLiteral("a red bicycle by a lake")});
        bool torch = false;
        const Run first = runWatched(args, &torch);
        QVERIFY2(first.exitCode == 0, first.err.constData());
        QVERIFY2(torch, "a query the catalog has not cached needs the model");
        QCOMPARE(first.lines().size(), 6);

        const Run again = runWatched(args, &torch);
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QVERIFY2(!torch, "a cached query loaded LibTorch");
        QCOMPARE(again.out, first.out); // same paths, same scores
        QVERIFY2(again.err.contains("Searching for:"), again.err.constData());
    }

    void caseAndSpacingDoNotMissTheCache()
    {
        // CLIP's tokenizer lower-cases and folds whitespace: one embedding,
        // so one cached answer.
        bool torch = false;
        const Run typed = runWatched(lib({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("-k"),
                                          QStringLiteral("6"), QStringLiteral("  A Red  BICYCLE by a lake ")}),
                                     &torch);
        QVERIFY2(typed.exitCode == 0, typed.err.constData());
        QVERIFY2(!torch, "the same words in other case and spacing missed the cache");
        const Run plain = runCli(lib({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("-k"),
                                      QStringLiteral("6"), QStringLiteral("a red bicycle by a lake")}));
        QCOMPARE(typed.out, plain.out);
    }

    void aRebuiltIndexIsReportedWhenTheEngineTakesOver()
    {
        const QStringList files = QDir(library_).entryList({QStringLiteral("vectors-*.faiss")}, QDir::Files);
        QVERIFY(!files.isEmpty());
        for (const QString& f : files)
            QVERIFY(QFile::remove(QDir(library_).filePath(f)));
        bool torch = false;
        const Run r = runWatched(lib({QStringLiteral("search"), QStringLiteral("a green kite never asked")}), &torch);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(torch);
        QCOMPARE(r.err.count("Rebuilt the vector index"), 1);
    }

    void theQuickAnswerIsTheEnginesAnswer()
    {
        const QStringList args = lib({QStringLiteral("search"), QStringLiteral("-k"), QStringLiteral("5"),
                                      QStringLiteral("--sort"), QStringLiteral("date"),
                                      QStringLiteral("a red bicycle by a lake")});
        bool torch = false;
        const Run quick = runWatched(args, &torch);
        QVERIFY2(quick.exitCode == 0, quick.err.constData());
        QVERIFY(!torch);
        const Run engine = runWatched(args, &torch, {QStringLiteral("PHOTOSEARCH_QUICK_SEARCH=0")});
        QVERIFY2(engine.exitCode == 0, engine.err.constData());
        QVERIFY2(torch, "PHOTOSEARCH_QUICK_SEARCH=0 must hand the search to the engine");
        QCOMPARE(quick.out, engine.out);
        QCOMPARE(quick.err, engine.err);
    }

    void similarToALibraryPhotoNeedsNoModel()
    {
        const QString photo = photos_.good.first();
        bool torch = false;
        const Run r = runWatched(lib({QStringLiteral("similar"), QStringLiteral("-k"), QStringLiteral("3"), photo}), &torch);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(!torch, "similar to a photo with a stored vector loaded LibTorch");
        QVERIFY(!r.lines().isEmpty());
        QCOMPARE(r.lines().first().value(QStringLiteral("path")).toString(), QFileInfo(photo).absoluteFilePath());
    }

    void anImageOutsideTheLibraryIsEmbeddedByTheEngine()
    {
        const QString outside = temp_.filePath(QStringLiteral("outside.jpg"));
        QVERIFY(QFile::copy(photos_.good.first(), outside));
        bool torch = false;
        const Run r = runWatched(lib({QStringLiteral("similar"), QStringLiteral("-k"), QStringLiteral("3"), outside}), &torch);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(torch);
        QCOMPARE(r.lines().size(), 3);
        // The same pixels: the library's copy ranks first.
        QCOMPARE(r.lines().first().value(QStringLiteral("path")).toString(),
                 QFileInfo(photos_.good.first()).absoluteFilePath());
    }

    void deviceOptionsAreTheEnginesToCheck()
    {
        const QString query = QStringLiteral("a red bicycle by a lake");
        bool torch = false;
        const Run fp32 = runWatched(lib({QStringLiteral("search"), QStringLiteral("--dtype"), QStringLiteral("fp32"), query}), &torch);
        QVERIFY2(fp32.exitCode == 0, fp32.err.constData());
        QVERIFY2(torch, "--dtype is obeyed by the engine");
        const Run bad = runWatched(lib({QStringLiteral("search"), QStringLiteral("--dtype"), QStringLiteral("fp7"), query}), &torch);
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("fp7"), bad.err.constData());
    }

    void usageErrorsAreOneLineWithoutTheEngine()
    {
        bool torch = false;
        const Run r = runWatched(lib({QStringLiteral("search"), QStringLiteral("-k"), QStringLiteral("0"),
                                      QStringLiteral("a red bicycle by a lake")}), &torch);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(!torch);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.startsWith("photosearch-cli: "), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    void aReadOnlyLibraryAnswersACachedQuery()
    {
        const QString catalog = QDir(library_).filePath(QStringLiteral("catalog.sqlite"));
        const QDateTime before = QFileInfo(catalog).lastModified();
        bool torch = false;
        const Run r = runWatched(lib({QStringLiteral("search"), QStringLiteral("a red bicycle by a lake")}), &torch,
                                 {QStringLiteral("PHOTOSEARCH_READ_ONLY=1")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!torch);
        QCOMPARE(QFileInfo(catalog).lastModified(), before);
    }

    void otherCommandsRunInTheEngine()
    {
        const Run version = runCli({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QVERIFY2(version.out.contains("LibTorch"), version.out.constData());
        const Run stats = runCli(lib({QStringLiteral("stats")}));
        QVERIFY2(stats.exitCode == 0, stats.err.constData());
    }

    void aMissingEngineIsOneSentence()
    {
        // The front alone, away from its engine (a broken installation).
        const QString alone = temp_.filePath(QStringLiteral("bin/photosearch-cli"));
        QVERIFY(QDir().mkpath(QFileInfo(alone).path()));
        QVERIFY(QFile::copy(QStringLiteral(PHOTOSEARCH_CLI), alone));
        QProcess p;
        p.start(alone, {QStringLiteral("stats"), QStringLiteral("--library"), library_});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("could not start") && err.contains("reinstall PhotoSearch"), err.constData());
        QCOMPARE(err.count('\n'), 1);
    }
};

QTEST_GUILESS_MAIN(TestCliQuickSearch)
#include "test_cli_quick_search.moc"
