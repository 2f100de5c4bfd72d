// photosearch-cli's contract (DESIGN.md "Command line"), run as a process:
// JSON lines on stdout, one-line errors on stderr, exit codes; and the whole
// path from strings and image files to embeddings against transformers.

#include "CliRun.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

namespace {

using photosearch::testcli::Run;
using photosearch::testcli::runCli;

double relativeL2(const QJsonArray& got, const QJsonArray& want)
{
    double diff = 0, norm = 0;
    for (int i = 0; i < want.size(); ++i) {
        const double d = got.at(i).toDouble() - want.at(i).toDouble();
        diff += d * d;
        norm += want.at(i).toDouble() * want.at(i).toDouble();
    }
    return got.size() == want.size() ? std::sqrt(diff / norm) : 1e9;
}

// DESIGN.md: "non-zero with a one-line error"; a usage error names the fix
// (--help) instead of printing the whole usage after it.
bool isOneLineUsageError(const Run& r)
{
    return r.exitCode == 2 && r.out.isEmpty() && r.err.count('\n') == 1 && r.err.startsWith("photosearch-cli: ")
        && r.err.contains("--help");
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT

    QString modelDir_;
    QJsonObject golden_;

    void requireFixture()
    {
        if (modelDir_.isEmpty())
            QSKIP("needs ../shared/fixtures/tiny-clip (absent when CMake was configured)");
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString dir = QStringLiteral(PHOTOSEARCH_TEST_SHARED_DIR "/fixtures/tiny-clip");
        QFile f(dir + QStringLiteral("/golden.json"));
        if (f.open(QIODevice::ReadOnly)) {
            modelDir_ = dir;
            golden_ = QJsonDocument::fromJson(f.readAll()).object();
        }
    }

    void version()
    {
        const Run r = runCli({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("photosearch-cli "));
    }

    void usageErrors()
    {
        Run r = runCli({});
        QCOMPARE(r.exitCode, 2);
        r = runCli({QStringLiteral("frobnicate")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("unknown command 'frobnicate'"));
        r = runCli({QStringLiteral("tokenize"), QStringLiteral("hello")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--model is required"));
        r = runCli({QStringLiteral("embed"), QStringLiteral("--model"), QStringLiteral("x"), QStringLiteral("--bogus")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
    }

    void usageErrorsAreOneLine()
    {
        QTemporaryDir empty; // no library in it: nothing gets as far as opening one
        const QString lib = empty.path();
        const QList<QStringList> cases = {
            {QStringLiteral("frobnicate")},
            {QStringLiteral("tokenize"), QStringLiteral("hello")},
            {QStringLiteral("search"), QStringLiteral("--library"), lib, QStringLiteral("--after"),
             QStringLiteral("2023-13-01"), QStringLiteral("x")},
            {QStringLiteral("search"), QStringLiteral("--library"), lib, QStringLiteral("-k"), QStringLiteral("0"),
             QStringLiteral("x")},
            {QStringLiteral("search"), QStringLiteral("--library"), lib, QStringLiteral("--bogus"), QStringLiteral("x")},
            {QStringLiteral("stats"), QStringLiteral("--library"), lib, QStringLiteral("extra-arg")},
            {QStringLiteral("index"), QStringLiteral("--library"), lib},
        };
        for (const QStringList& args : cases) {
            const Run r = runCli(args);
            QVERIFY2(isOneLineUsageError(r), qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(" -> ")
                                                        + QString::number(r.exitCode) + QStringLiteral(": ")
                                                        + QString::fromUtf8(r.err)));
        }

        // The whole usage only when asked for, or when nothing was given.
        const Run help = runCli({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.startsWith("usage: photosearch-cli"));
        QVERIFY(help.out.contains("YYYY-MM-DDTHH:MM:SS"));
        const Run bare = runCli({});
        QCOMPARE(bare.exitCode, 2);
        QVERIFY(bare.err.startsWith("usage: photosearch-cli"));
    }

    void datesAreReadWholeOrRefused()
    {
        QTemporaryDir empty;
        const auto search = [&](const QString& option, const QString& date) {
            return runCli({QStringLiteral("search"), QStringLiteral("--library"), empty.path(), option, date,
                           QStringLiteral("x")});
        };
        for (const char* bad : {"2023-07-15T25:00", "2023-07-15T99:99", "2023-07-15garbage", "2023/07/15",
                                "2023-13-01", "2023-02-30", "2023-07-15T10:30:61", "2023-07-15T10", "2023-7-15",
                                "2023-07-15 10:30", "2023-07-15T10:30Z", " 2023-07-15", "March"}) {
            for (const QString& option : {QStringLiteral("--after"), QStringLiteral("--before")}) {
                const Run r = search(option, QString::fromLatin1(bad));
                QVERIFY2(isOneLineUsageError(r), qPrintable(option + QLatin1Char(' ') + QLatin1String(bad)
                                                            + QStringLiteral(": ") + QString::fromUtf8(r.err)));
                QVERIFY2(r.err.contains(option.toUtf8()) && r.err.contains(bad), r.err.constData());
            }
        }
        // The three forms the usage names get past the parsing, as far as
        // the missing library.
        for (const char* good : {"2023-07-15", "2023-07-15T10:30", "2023-07-15T23:59:59"}) {
            const Run r = search(QStringLiteral("--after"), QString::fromLatin1(good));
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains("There is no library"), r.err.constData());
        }
    }

    void numberAndOptionMessagesSayWhatIsWrong()
    {
        QTemporaryDir empty;
        const auto search = [&](QStringList args) {
            args.prepend(empty.path());
            args.prepend(QStringLiteral("--library"));
            args.prepend(QStringLiteral("search"));
            return runCli(args);
        };
        for (const char* large : {"2147483648", "99999999999", "99999999999999999999999"}) {
            const Run r = search({QStringLiteral("-k"), QString::fromLatin1(large), QStringLiteral("x")});
            QVERIFY2(isOneLineUsageError(r), r.err.constData());
            QVERIFY2(r.err.contains("-k") && r.err.contains("too large") && r.err.contains("2147483647"),
                     r.err.constData());
        }
        const Run largest = search({QStringLiteral("-k"), QStringLiteral("2147483647"), QStringLiteral("x")});
        QCOMPARE(largest.exitCode, 1); // accepted; no library there
        const Run letters = search({QStringLiteral("-k"), QStringLiteral("ten"), QStringLiteral("x")});
        QVERIFY2(isOneLineUsageError(letters) && letters.err.contains("-k needs a number > 0"), letters.err.constData());

        // An option is shown as it is typed: -k, --library.
        const Run noValue = search({QStringLiteral("x"), QStringLiteral("-k")});
        QVERIFY2(isOneLineUsageError(noValue), noValue.err.constData());
        QVERIFY2(noValue.err.contains("photosearch-cli: -k needs a value"), noValue.err.constData());
        const Run noLibrary = runCli({QStringLiteral("stats"), QStringLiteral("--library")});
        QVERIFY2(noLibrary.err.contains("photosearch-cli: --library needs a value"), noLibrary.err.constData());

        const Run workers = runCli({QStringLiteral("index"), QStringLiteral("--library"), empty.path(),
                                    QStringLiteral("--workers"), QStringLiteral("4294967296"), empty.path()});
        QVERIFY2(isOneLineUsageError(workers) && workers.err.contains("--workers 4294967296 is too large"),
                 workers.err.constData());
    }

    void blankQueryIsAUsageError()
    {
        QTemporaryDir empty;
        for (const char* query : {"", "   ", "\t"}) {
            const Run r = runCli({QStringLiteral("search"), QStringLiteral("--library"), empty.path(),
                                  QString::fromLatin1(query)});
            QVERIFY2(isOneLineUsageError(r), r.err.constData());
            QVERIFY2(r.err.contains("QUERY"), r.err.constData());
        }
        const Run image = runCli({QStringLiteral("similar"), QStringLiteral("--library"), empty.path(), QString()});
        QVERIFY2(isOneLineUsageError(image), image.err.constData());
    }

    void modelFolderThatIsNotOneIsNamed()
    {
        QTemporaryDir tmp;
        const QString missing = tmp.filePath(QStringLiteral("no-such-model"));
        const QString file = tmp.filePath(QStringLiteral("model.safetensors"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        const QList<QPair<QString, const char*>> cases = {{missing, "does not exist"}, {file, "is a file, not a folder"}};
        for (const auto& [model, problem] : cases) {
            for (const QStringList& args :
                 {QStringList{QStringLiteral("embed"), QStringLiteral("--model"), model, QStringLiteral("--text"),
                              QStringLiteral("x")},
                  QStringList{QStringLiteral("tokenize"), QStringLiteral("--model"), model, QStringLiteral("x")}}) {
                const Run r = runCli(args);
                QCOMPARE(r.exitCode, 1);
                QVERIFY(r.out.isEmpty());
                QCOMPARE(r.err.count('\n'), 1);
                QVERIFY2(r.err.contains(model.toUtf8()) && r.err.contains(problem), r.err.constData());
                QVERIFY2(r.err.contains("config.json and model.safetensors"), r.err.constData());
                QVERIFY2(!r.err.contains("Cannot open"), r.err.constData());
            }
        }
    }

    void tokenizeMatchesGolden()
    {
        requireFixture();
        QStringList args{QStringLiteral("tokenize"), QStringLiteral("--model"), modelDir_, QStringLiteral("--")};
        const QJsonArray tokens = golden_.value(QStringLiteral("tokens")).toArray();
        for (const QJsonValue& t : tokens)
            args << t.toObject().value(QStringLiteral("text")).toString();
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 0);
        const auto lines = r.lines();
        QCOMPARE(lines.size(), tokens.size());
        for (int i = 0; i < tokens.size(); ++i) {
            const QJsonObject want = tokens.at(i).toObject();
            QCOMPARE(lines[i].value(QStringLiteral("text")).toString(), want.value(QStringLiteral("text")).toString());
            QCOMPARE(lines[i].value(QStringLiteral("ids")).toArray(), want.value(QStringLiteral("ids")).toArray());
        }
    }

    void embedTextMatchesGolden()
    {
        requireFixture();
        QStringList args{QStringLiteral("embed"), QStringLiteral("--model"), modelDir_, QStringLiteral("--device"),
                         QStringLiteral("cpu")};
        const QJsonArray tokens = golden_.value(QStringLiteral("tokens")).toArray();
        const QJsonArray embeds = golden_.value(QStringLiteral("text_embeds")).toArray();
        for (const QJsonValue& t : tokens)
            args << QStringLiteral("--text") << t.toObject().value(QStringLiteral("text")).toString();
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 0);
        const auto lines = r.lines();
        QCOMPARE(lines.size(), tokens.size());
        for (int i = 0; i < tokens.size(); ++i) {
            const double err = relativeL2(lines[i].value(QStringLiteral("embedding")).toArray(), embeds.at(i).toArray());
            QVERIFY2(err < 1e-4, qPrintable(QStringLiteral("text %1: relative L2 error %2").arg(i).arg(err)));
        }
    }

    void embedImagesFromFilesMatchGolden()
    {
        requireFixture();
        QStringList args{QStringLiteral("embed"), QStringLiteral("--model"), modelDir_};
        const QJsonArray images = golden_.value(QStringLiteral("images")).toArray();
        for (const QJsonValue& im : images)
            args << QStringLiteral("--image") << modelDir_ + QLatin1Char('/') + im.toObject().value(QStringLiteral("file")).toString();
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 0);
        const auto lines = r.lines();
        QCOMPARE(lines.size(), images.size());
        for (int i = 0; i < images.size(); ++i) {
            const double err = relativeL2(lines[i].value(QStringLiteral("embedding")).toArray(),
                                          images.at(i).toObject().value(QStringLiteral("embed")).toArray());
            qInfo("image %d (%s): relative L2 error from the file %.2e", i,
                  qPrintable(images.at(i).toObject().value(QStringLiteral("file")).toString()), err);
            // From files the pixels differ slightly from Pillow's (JPEG decoder,
            // reduced-scale decoding of large JPEGs); see test_preprocess.
            QVERIFY2(err < PHOTOSEARCH_IMAGE_FILE_TOLERANCE, qPrintable(QStringLiteral("image %1: relative L2 error %2").arg(i).arg(err)));
        }
    }

    void embedKeepsInputOrderAndNormalizes()
    {
        requireFixture();
        const QString image = modelDir_ + QStringLiteral("/images/img2_224x224_RGB.png");
        const Run r = runCli({QStringLiteral("embed"), QStringLiteral("--model"), modelDir_, QStringLiteral("--normalize"),
                              QStringLiteral("--text"), QStringLiteral("a"), QStringLiteral("--image"), image,
                              QStringLiteral("--text=b")});
        QCOMPARE(r.exitCode, 0);
        const auto lines = r.lines();
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines[0].value(QStringLiteral("input")).toString(), QStringLiteral("a"));
        QCOMPARE(lines[1].value(QStringLiteral("input")).toString(), image);
        QCOMPARE(lines[2].value(QStringLiteral("input")).toString(), QStringLiteral("b"));
        for (const QJsonObject& line : lines) {
            double norm = 0;
            const QJsonArray e = line.value(QStringLiteral("embedding")).toArray();
            QCOMPARE(e.size(), 32);
            for (const QJsonValue& v : e)
                norm += v.toDouble() * v.toDouble();
            QVERIFY(std::abs(std::sqrt(norm) - 1.0) < 1e-5);
        }
    }

    void errorsAreOneLineAndNothingOnStdout()
    {
        requireFixture();
        QTemporaryDir tmp;
        const QString bad = tmp.filePath(QStringLiteral("not-a-photo.jpg"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is text, not a JPEG\n");
        f.close();
        Run r = runCli({QStringLiteral("embed"), QStringLiteral("--model"), modelDir_, QStringLiteral("--text"),
                        QStringLiteral("ok"), QStringLiteral("--image"), bad});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains("not-a-photo.jpg"), r.err.constData());
        int errorLines = 0;
        for (const QByteArray& line : r.err.split('\n'))
            errorLines += line.startsWith("photosearch-cli:") ? 1 : 0;
        QVERIFY2(errorLines == 1, r.err.constData());

        r = runCli({QStringLiteral("embed"), QStringLiteral("--model"), tmp.path(), QStringLiteral("--text"), QStringLiteral("x")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("config.json"), r.err.constData());

        r = runCli({QStringLiteral("tokenize"), QStringLiteral("--model"), tmp.path(), QStringLiteral("x")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("vocab.json"), r.err.constData());

        r = runCli({QStringLiteral("embed"), QStringLiteral("--model"), modelDir_, QStringLiteral("--device"),
                    QStringLiteral("gpu"), QStringLiteral("--text"), QStringLiteral("x")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("auto, cpu or cuda"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
