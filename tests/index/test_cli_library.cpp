// The library commands of photosearch-cli (DESIGN.md "Command line"): index,
// search, similar and stats with their filters, as a user or a script runs
// them — JSON on stdout, one-line errors, exit codes.

#include "CliRun.h"
#include "GeneratedLibrary.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using photosearch::testcli::Run;
using photosearch::testcli::runCli;

class TestCliLibrary : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString model_;
    QString library_;
    photosearch::testlib::GeneratedLibrary photos_;

    QStringList lib(QStringList args) const
    {
        args.insert(1, QStringLiteral("--library"));
        args.insert(2, library_);
        return args;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("PHOTOSEARCH_MODEL"); // the tests say where the model comes from
        model_ = photosearch::testlib::tinyClipDir();
        if (model_.isEmpty())
            QFAIL("could not write a tiny CLIP model for the tests (see the warning above)");
        library_ = temp_.filePath(QStringLiteral("library"));
        photos_ = photosearch::testlib::generateLibrary(temp_.filePath(QStringLiteral("photos")), 20);
    }

    void cleanupTestCase() { photosearch::testlib::removeTree(temp_.path()); }

    void indexPrintsTheSummary()
    {
        const Run r = runCli(lib({QStringLiteral("index"), QStringLiteral("--model"), model_, photos_.root}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QJsonObject> lines = r.lines();
        QCOMPARE(lines.size(), 1);
        const QJsonObject s = lines.first();
        for (const char* key : {"scanned", "added", "updated", "removed", "failed", "seconds"})
            QVERIFY2(s.contains(QLatin1String(key)), key);
        QCOMPARE(s.value(QStringLiteral("added")).toInt() + s.value(QStringLiteral("failed")).toInt(),
                 s.value(QStringLiteral("scanned")).toInt());
        QVERIFY(s.value(QStringLiteral("added")).toInt() >= photos_.good.size());
        QVERIFY(r.err.contains("indexing"));
    }

    void searchUsesTheLibrarysModel()
    {
        // No --model: the library remembers the one it was indexed with.
        const Run r = runCli(lib({QStringLiteral("search"), QStringLiteral("-k"), QStringLiteral("5"),
                                  QStringLiteral("a red car")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QJsonObject> hits = r.lines();
        QCOMPARE(hits.size(), 5);
        double previous = 2;
        for (const QJsonObject& h : hits) {
            QVERIFY(QFile::exists(h.value(QStringLiteral("path")).toString()));
            const double score = h.value(QStringLiteral("score")).toDouble();
            QVERIFY(score <= previous);
            previous = score;
        }

        // $PHOTOSEARCH_MODEL is only a default for libraries without a model
        // (the app's rule too): it never switches this one to vectors it lacks.
        qputenv("PHOTOSEARCH_MODEL", temp_.filePath(QStringLiteral("no-such-model")).toUtf8());
        const Run withEnvironment = runCli(lib({QStringLiteral("search"), QStringLiteral("-k"), QStringLiteral("5"),
                                                QStringLiteral("a red car")}));
        qunsetenv("PHOTOSEARCH_MODEL");
        QVERIFY2(withEnvironment.exitCode == 0, withEnvironment.err.constData());
        QCOMPARE(withEnvironment.out, r.out);
    }

    void environmentModelIsTheDefault()
    {
        const QString folder = temp_.filePath(QStringLiteral("one-photo"));
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(QFile::copy(photos_.good.first(), QDir(folder).filePath(QStringLiteral("only.jpg"))));
        const QStringList args = {QStringLiteral("index"), QStringLiteral("--library"),
                                  temp_.filePath(QStringLiteral("env-library")), folder};
        QCOMPARE(runCli(args).exitCode, 2); // no model anywhere: a usage error
        qputenv("PHOTOSEARCH_MODEL", model_.toUtf8());
        const Run r = runCli(args);
        qunsetenv("PHOTOSEARCH_MODEL");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.lines().value(0).value(QStringLiteral("added")).toInt(), 1);
    }

    void similarRanksTheFileFirst()
    {
        for (const QString& path : {photos_.good.first(), photos_.good.last(), photos_.orientedPortrait}) {
            const Run r = runCli(lib({QStringLiteral("similar"), QStringLiteral("-k"), QStringLiteral("3"), path}));
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QCOMPARE(r.lines().first().value(QStringLiteral("path")).toString(), path);
        }
        const Run missing = runCli(lib({QStringLiteral("similar"), temp_.filePath(QStringLiteral("nope.jpg"))}));
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("nope.jpg"));
        QCOMPARE(missing.err.count('\n'), 1);
    }

    void filters()
    {
        const Run pngs = runCli(lib({QStringLiteral("search"), QStringLiteral("-k"), QStringLiteral("100"),
                                     QStringLiteral("--format"), QStringLiteral("png"), QStringLiteral("x")}));
        QVERIFY2(pngs.exitCode == 0, pngs.err.constData());
        QVERIFY(!pngs.lines().isEmpty());
        for (const QJsonObject& h : pngs.lines()) {
            const QString path = h.value(QStringLiteral("path")).toString();
            QVERIFY2(path.endsWith(QLatin1String(".png")) || path.endsWith(QLatin1String("png-named.jpg")), qPrintable(path));
        }

        const Run dated = runCli(lib({QStringLiteral("search"), QStringLiteral("--after"), QStringLiteral("2020-01-01"),
                                      QStringLiteral("--before"), QStringLiteral("2024-01-01"), QStringLiteral("x")}));
        QCOMPARE(dated.lines().size(), 2);

        const Run folder = runCli(lib({QStringLiteral("search"), QStringLiteral("-k"), QStringLiteral("100"),
                                       QStringLiteral("--folder"), photos_.root + QStringLiteral("/exif"),
                                       QStringLiteral("x")}));
        QCOMPARE(folder.lines().size(), 11);

        const Run badDate = runCli(lib({QStringLiteral("search"), QStringLiteral("--after"), QStringLiteral("March"),
                                        QStringLiteral("x")}));
        QCOMPARE(badDate.exitCode, 2);
        QVERIFY(badDate.err.contains("--after"));
        const Run badFormat = runCli(lib({QStringLiteral("search"), QStringLiteral("--format"), QStringLiteral("psd"),
                                          QStringLiteral("x")}));
        QCOMPARE(badFormat.exitCode, 2);
    }

    void statsShowsFailuresWithReasons()
    {
        const Run r = runCli(lib({QStringLiteral("stats")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject s = r.lines().first();
        QCOMPARE(s.value(QStringLiteral("indexed")).toInt() + s.value(QStringLiteral("failed")).toInt(),
                 s.value(QStringLiteral("photos")).toInt());
        const QJsonArray failures = s.value(QStringLiteral("failures")).toArray();
        QVERIFY(failures.size() >= photos_.bad.size());
        QStringList paths;
        for (const QJsonValue& f : failures) {
            QVERIFY(!f.toObject().value(QStringLiteral("error")).toString().isEmpty());
            paths << f.toObject().value(QStringLiteral("path")).toString();
        }
        QVERIFY(paths.contains(photos_.root + QStringLiteral("/bad/huge.png")));
        QVERIFY(s.value(QStringLiteral("formats")).toObject().value(QStringLiteral("jpeg")).toInt() > 0);
    }

    void usageErrors()
    {
        QCOMPARE(runCli(lib({QStringLiteral("index")})).exitCode, 2);
        QCOMPARE(runCli(lib({QStringLiteral("search")})).exitCode, 2);
        QCOMPARE(runCli(lib({QStringLiteral("search"), QStringLiteral("-k"), QStringLiteral("0"), QStringLiteral("x")})).exitCode, 2);
        // A mistyped library is an error, not a new empty library.
        const QString typo = temp_.filePath(QStringLiteral("librray"));
        for (const QString& command : {QStringLiteral("search"), QStringLiteral("stats")}) {
            QStringList args = {command, QStringLiteral("--library"), typo};
            if (command == QLatin1String("search"))
                args << QStringLiteral("x");
            const Run r = runCli(args);
            QCOMPARE(r.exitCode, 1);
            QVERIFY(r.err.contains("There is no library"));
            QVERIFY(!QFileInfo::exists(typo));
        }
        // A folder that does not exist: an error, and nothing removed.
        const Run gone = runCli(lib({QStringLiteral("index"), temp_.filePath(QStringLiteral("no-such-folder"))}));
        QCOMPARE(gone.exitCode, 1);
        QVERIFY(gone.err.contains("no-such-folder"));
    }
};

QTEST_GUILESS_MAIN(TestCliLibrary)
#include "test_cli_library.moc"
