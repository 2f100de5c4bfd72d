// The library commands of photosearch-cli (DESIGN.md "Command line"): index,
// search, similar and stats with their filters, as a user or a script runs
// them — JSON on stdout, one-line errors, exit codes.

#include "CliLibraryFixture.h"
#include "CliRun.h"
#include "GeneratedLibrary.h"
#include "TinyModel.h"
#include "VectorCache.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QProcess>
#include <QTest>

#include <cmath>

using photosearch::testcli::Run;
using photosearch::testcli::runCli;

class TestCliLibrary : public QObject, private photosearch::testlib::CliLibraryFixture {
    Q_OBJECT

private Q_SLOTS:
    // The library is made by the first test, which checks index's summary.
    void initTestCase()
    {
        if (!prepare(20))
            QFAIL("could not write a tiny CLIP model for the tests (see the warning above)");
    }

    void cleanupTestCase() { photosearch::testlib::removeTree(temp_.path()); }

    void indexPrintsTheSummary()
    {
        const Run r = runCli(indexArgs());
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
        const Run r = runCli(lib({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("-k"), QStringLiteral("5"),
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
        const Run withEnvironment = runCli(lib({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("-k"), QStringLiteral("5"),
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
        const Run pngs = runCli(lib({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("-k"), QStringLiteral("100"),
                                     QStringLiteral("--format"), QStringLiteral("png"), QStringLiteral("x")}));
        QVERIFY2(pngs.exitCode == 0, pngs.err.constData());
        QVERIFY(!pngs.lines().isEmpty());
        for (const QJsonObject& h : pngs.lines()) {
            const QString path = h.value(QStringLiteral("path")).toString();
            QVERIFY2(path.endsWith(QLatin1String(".png")) || path.endsWith(QLatin1String("png-named.jpg")), qPrintable(path));
        }

        const Run dated = runCli(lib({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("--after"), QStringLiteral("2020-01-01"),
                                      QStringLiteral("--before"), QStringLiteral("2024-01-01"), QStringLiteral("x")}));
        QCOMPARE(dated.lines().size(), 2);

        const Run folder = runCli(lib({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("-k"), QStringLiteral("100"),
                                       QStringLiteral("--folder"), photos_.root + QStringLiteral("/exif"),
                                       QStringLiteral("x")}));
        QCOMPARE(folder.lines().size(), 11);

        const Run badDate = runCli(lib({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("--after"), QStringLiteral("March"),
                                        QStringLiteral("x")}));
        QCOMPARE(badDate.exitCode, 2);
        QVERIFY(badDate.err.contains("--after"));
        const Run badFormat = runCli(lib({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("--format"), QStringLiteral("psd"),
                                          QStringLiteral("x")}));
        QCOMPARE(badFormat.exitCode, 2);
    }

    void classifyGivesOneLinePerImage()
    {
        const QString notAnImage = temp_.filePath(QStringLiteral("notes.jpg"));
        {
            QFile f(notAnImage);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("not a picture");
        }
        const QStringList images = {photos_.good.at(0), notAnImage, photos_.good.at(1)};
        const Run r = runCli(QStringList{QStringLiteral("classify"), QStringLiteral("--model"), model_,
                                         QStringLiteral("--labels"), QStringLiteral(" cat, dog,,cat ,a red car")}
                             + images);
        // One bad file: its own error line, the others classified, exit 1.
        QCOMPARE(r.exitCode, 1);
        const QList<QJsonObject> lines = r.lines();
        QCOMPARE(lines.size(), 3);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(lines[i].value(QStringLiteral("path")).toString(), images[i]);
        QVERIFY(lines[1].value(QStringLiteral("error")).toString().contains(notAnImage));
        for (int i : {0, 2}) {
            const QJsonObject probs = lines[i].value(QStringLiteral("probs")).toObject();
            QCOMPARE(probs.keys(), (QStringList{QStringLiteral("a red car"), QStringLiteral("cat"),
                                                QStringLiteral("dog")}));
            double sum = 0;
            QString best;
            for (const QString& label : probs.keys()) {
                sum += probs.value(label).toDouble();
                if (best.isEmpty() || probs.value(label).toDouble() > probs.value(best).toDouble())
                    best = label;
            }
            QVERIFY(std::fabs(sum - 1.0) < 1e-4);
            QCOMPARE(lines[i].value(QStringLiteral("label")).toString(), best);
        }
        // Usage errors.
        QCOMPARE(runCli({QStringLiteral("classify"), QStringLiteral("--model"), model_, QStringLiteral("--labels"),
                         QStringLiteral(" , "), photos_.good.at(0)})
                     .exitCode,
                 2);
        QCOMPARE(runCli({QStringLiteral("classify"), QStringLiteral("--model"), model_, QStringLiteral("--labels"),
                         QStringLiteral("cat")})
                     .exitCode,
                 2);
        // With a library, the labels' embeddings are kept in its catalog and
        // the answer does not change.
        const Run cached = runCli(lib({QStringLiteral("classify"), QStringLiteral("--labels"),
                                       QStringLiteral("cat,dog,a red car"), photos_.good.at(0)}));
        QVERIFY2(cached.exitCode == 0, cached.err.constData());
        const Run again = runCli(lib({QStringLiteral("classify"), QStringLiteral("--labels"),
                                      QStringLiteral("cat,dog,a red car"), photos_.good.at(0)}));
        QCOMPARE(again.out, cached.out);
        // Against the same input without the library: images are encoded in
        // batches, and in bf16 (CPUs with bf16 units) a batch's other images
        // move an embedding by ~1e-3.
        const Run alone = runCli({QStringLiteral("classify"), QStringLiteral("--model"), model_, QStringLiteral("--labels"),
                                  QStringLiteral("cat,dog,a red car"), photos_.good.at(0)});
        QVERIFY2(alone.exitCode == 0, alone.err.constData());
        const QJsonObject a = cached.lines().value(0).value(QStringLiteral("probs")).toObject();
        const QJsonObject b = alone.lines().value(0).value(QStringLiteral("probs")).toObject();
        QCOMPARE(a.keys(), b.keys());
        for (const QString& label : a.keys())
            QVERIFY(std::fabs(a.value(label).toDouble() - b.value(label).toDouble()) < 1e-5);
    }

    void queryLanguageErrorsAndOptions()
    {
        // Terms that cancel out, or only operators: one line, exit 2.
        const Run cancel = runCli(lib({QStringLiteral("search"), QStringLiteral("a photo - a photo")}));
        QCOMPARE(cancel.exitCode, 2);
        QVERIFY2(cancel.err.contains("cancel"), cancel.err.constData());
        const Run operators = runCli(lib({QStringLiteral("search"), QStringLiteral("+ - +")}));
        QCOMPARE(operators.exitCode, 2);
        QCOMPARE(operators.err.count('\n'), 1);
        QCOMPARE(runCli(lib({QStringLiteral("search"), QStringLiteral("--sort"), QStringLiteral("size"),
                             QStringLiteral("x")}))
                     .exitCode,
                 2);
        // An image as a term, weighted, minus text: the photo itself first.
        const QString photo = photos_.good.at(2);
        const Run image = runCli(lib({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("-k"),
                                      QStringLiteral("3"), QStringLiteral("3:") + photo + QStringLiteral(" - dog")}));
        QVERIFY2(image.exitCode == 0, image.err.constData());
        QVERIFY2(image.err.contains("image " + QFileInfo(photo).absoluteFilePath().toUtf8()), image.err.constData());
        QCOMPARE(image.lines().size(), 3);
        // Without --all: at most k, and what the cut decided is said on stderr.
        const Run cut = runCli(lib({QStringLiteral("search"), QStringLiteral("-k"), QStringLiteral("3"), photo}));
        QVERIFY2(cut.exitCode == 0, cut.err.constData());
        QVERIFY(cut.lines().size() <= 3);
        QVERIFY2(cut.err.contains("good match"), cut.err.constData());
        // A query longer than any sentence (the parser keeps its start; 1 MB ones are
        // tested in test_query_parser, argv caps one argument at 128 KiB).
        const Run huge = runCli(lib({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("-k"),
                                     QStringLiteral("2"), QString(120000, QLatin1Char('a'))}));
        QVERIFY2(huge.exitCode == 0, huge.err.constData());
        QCOMPARE(huge.lines().size(), 2);
    }

    void anotherModelOverOneFolderDoesNotTakeOverSearch()
    {
        const QString otherModel = temp_.filePath(QStringLiteral("model-b"));
        QString error;
        QVERIFY2(photosearch::testmodel::writeTinyClipModel(otherModel, &error, 7), qPrintable(error));
        const auto everything = [&] {
            return runCli(lib({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("-k"), QStringLiteral("10000"),
                               QStringLiteral("a photo")}))
                .lines()
                .size();
        };
        const qsizetype before = everything();
        QVERIFY(before > 0);
        const QString oneFolder = QFileInfo(photos_.dated.first()).absolutePath();
        const Run r = runCli(lib({QStringLiteral("index"), QStringLiteral("--model"), otherModel, oneFolder}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("library still searches with"), r.err.constData());
        QCOMPARE(everything(), before); // still the model that has every photo
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
        QCOMPARE(runCli(lib({QStringLiteral("search"), QStringLiteral("--all")})).exitCode, 2);
        QCOMPARE(runCli(lib({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("-k"), QStringLiteral("0"), QStringLiteral("x")})).exitCode, 2);
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

        // A blank query would rank every photo by nothing.
        for (const QString& query : {QString(), QStringLiteral("   ")}) {
            const Run blank = runCli(lib({QStringLiteral("search"), QStringLiteral("--all"), query}));
            QCOMPARE(blank.exitCode, 2);
            QVERIFY(blank.out.isEmpty());
            QCOMPARE(blank.err.count('\n'), 1);
        }
    }

    void indexRootsAreCheckedBeforeTheModelLoads()
    {
        const QString library = temp_.filePath(QStringLiteral("roots-library"));
        const auto index = [&](const QString& root) {
            return runCli({QStringLiteral("index"), QStringLiteral("--library"), library, QStringLiteral("--model"),
                           model_, root});
        };
        const Run file = index(photos_.good.first());
        QCOMPARE(file.exitCode, 1);
        QVERIFY(file.out.isEmpty());
        QCOMPARE(file.err.count('\n'), 1);
        QVERIFY2(file.err.contains(photos_.good.first().toUtf8()), file.err.constData());
        QVERIFY2(file.err.contains("is a file, not a folder; pass the folder that holds it"), file.err.constData());

        const QString missingRoot = temp_.filePath(QStringLiteral("no-such-folder"));
        const Run missing = index(missingRoot);
        QCOMPARE(missing.exitCode, 1);
        QCOMPARE(missing.err.count('\n'), 1);
        QVERIFY2(missing.err.contains(QStringLiteral("The folder %1 does not exist").arg(missingRoot).toUtf8()),
                 missing.err.constData());
        // Refused before anything was created or loaded.
        QVERIFY(!QFileInfo::exists(library));

        // An existing folder with nothing in it is still the Indexer's case.
        const QString emptyRoot = temp_.filePath(QStringLiteral("empty-root"));
        QVERIFY(QDir().mkpath(emptyRoot));
        const Run empty = index(emptyRoot);
        QVERIFY2(empty.exitCode == 0, empty.err.constData());
        QCOMPARE(empty.lines().value(0).value(QStringLiteral("scanned")).toInt(), 0);

        // A bad root among usable ones (an unplugged drive) is skipped with a
        // warning; the others are indexed.
        const Run mixed = runCli({QStringLiteral("index"), QStringLiteral("--library"), library,
                                  QStringLiteral("--model"), model_, emptyRoot, missingRoot});
        QVERIFY2(mixed.exitCode == 0, mixed.err.constData());
        QVERIFY2(mixed.err.contains(QStringLiteral("The folder %1 does not exist").arg(missingRoot).toUtf8())
                     && mixed.err.contains("skipped"),
                 mixed.err.constData());
        const QJsonArray skipped = mixed.lines().value(0).value(QStringLiteral("missingRoots")).toArray();
        QCOMPARE(skipped.size(), 1);
        QCOMPARE(skipped.first().toString(), missingRoot);
    }

    void libraryOrModelThatIsAFileIsNamed()
    {
        const Run library = runCli({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("--library"), photos_.good.first(),
                                    QStringLiteral("x")});
        QCOMPARE(library.exitCode, 1);
        QCOMPARE(library.err.count('\n'), 1);
        QVERIFY2(library.err.contains("is a file, not a library folder"), library.err.constData());
        QVERIFY2(!library.err.contains("There is no library"), library.err.constData());

        const QString missingModel = temp_.filePath(QStringLiteral("no-such-model"));
        for (const QString& command : {QStringLiteral("search"), QStringLiteral("index")}) {
            const Run r = runCli(lib({command, QStringLiteral("--model"), missingModel,
                                      command == QLatin1String("search") ? QStringLiteral("x") : photos_.root}));
            QCOMPARE(r.exitCode, 1);
            QCOMPARE(r.err.count('\n'), 1);
            QVERIFY2(r.err.contains(QStringLiteral("The model folder %1 does not exist").arg(missingModel).toUtf8()),
                     r.err.constData());
        }
    }

    void secondIndexRunIsRefusedBeforeTheModelLoads()
    {
        // This process holds the lock, as a running `index` would.
        QLockFile lock(photosearch::indexLockPath(library_));
        QVERIFY(lock.tryLock(0));
        const Run r = runCli(indexArgs());
        lock.unlock();
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        const QByteArray sentence = QStringLiteral("Another PhotoSearch process (pid %1) is indexing %2; wait for it")
                                        .arg(QCoreApplication::applicationPid())
                                        .arg(library_)
                                        .toUtf8();
        QVERIFY2(r.err.contains(sentence), r.err.constData());
        QVERIFY2(!r.err.contains("Loaded"), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
    }

    void folderFilterFollowsSymlinks()
    {
        // Roots are stored by their canonical path; --folder is read the same
        // way, given as the link or as the real folder.
        const QString real = temp_.filePath(QStringLiteral("real-photos"));
        const QString link = temp_.filePath(QStringLiteral("linked-photos"));
        QVERIFY(QDir().mkpath(real + QStringLiteral("/trip")));
        QVERIFY(QDir().mkpath(real + QStringLiteral("/home")));
        for (int i = 0; i < 3; ++i)
            QVERIFY(QFile::copy(photos_.good.at(i), QStringLiteral("%1/trip/%2.jpg").arg(real).arg(i)));
        QVERIFY(QFile::copy(photos_.good.at(3), real + QStringLiteral("/home/3.jpg")));
        // A link below the root: stored as walked (real/album/...), not resolved.
        const QString elsewhere = temp_.filePath(QStringLiteral("elsewhere-album"));
        QVERIFY(QDir().mkpath(elsewhere));
        for (int i = 4; i < 6; ++i)
            QVERIFY(QFile::copy(photos_.good.at(i), QStringLiteral("%1/%2.jpg").arg(elsewhere).arg(i)));
        QVERIFY(QFile::link(elsewhere, real + QStringLiteral("/album")));
        QVERIFY(QFile::link(real, link));
        const QString library = temp_.filePath(QStringLiteral("symlink-library"));
        const Run indexed = runCli({QStringLiteral("index"), QStringLiteral("--library"), library,
                                    QStringLiteral("--model"), model_, link});
        QVERIFY2(indexed.exitCode == 0, indexed.err.constData());
        QCOMPARE(indexed.lines().value(0).value(QStringLiteral("added")).toInt(), 6);

        QList<QByteArray> outputs;
        for (const QString& folder : {link + QStringLiteral("/trip"), real + QStringLiteral("/trip"),
                                      link + QStringLiteral("/./trip/")}) {
            const Run r = runCli({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("--library"), library,
                                  QStringLiteral("--folder"), folder, QStringLiteral("x")});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QCOMPARE(r.lines().size(), 3);
            for (const QJsonObject& hit : r.lines())
                QVERIFY(hit.value(QStringLiteral("path")).toString().contains(QLatin1String("/trip/")));
            outputs << r.out;
        }
        QCOMPARE(outputs.at(0), outputs.at(2));
        QCOMPARE(outputs.at(0), outputs.at(1));

        for (const QString& folder : {real + QStringLiteral("/album"), link + QStringLiteral("/album")}) {
            const Run r = runCli({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("--library"), library,
                                  QStringLiteral("--folder"), folder, QStringLiteral("x")});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QCOMPARE(r.lines().size(), 2);
        }
    }
};

QTEST_GUILESS_MAIN(TestCliLibrary)
#include "test_cli_library.moc"
