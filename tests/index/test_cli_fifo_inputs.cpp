// photosearch-cli given a FIFO where it reads a small text file: the tag
// vocabulary, classify's prompt templates, and each JSON/text file of a
// model folder. Each is refused by type before it is opened, with one
// sentence naming the file; without that the command blocks in open() for
// ever. Each run is a process with a timeout: a hang is killed and fails.

// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoder.h"

#include "CliRun.h"
#include "GeneratedLibrary.h"
#include "TestImages.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using photosearch::testcli::Run;
using photosearch::testcli::runCli;
namespace ti = photosearch::testimages;

class TestCliFifoInputs : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString model_;
    QString photos_;
    QString library_;

    QString path(const QString& name) const { return temp_.filePath(name); }

    QString makeFifo(const QString& file)
    {
        QFile::remove(file);
        if (::mkfifo(QFile::encodeName(file).constData(), 0644) != 0)
            qWarning("mkfifo %s failed", qPrintable(file));
        return file;
    }

    // A copy of the tiny model with `name` replaced by a FIFO.
    QString modelWithFifo(const QString& name)
    {
        const QString dir = path(QStringLiteral("model-fifo-") + name);
        QDir().mkpath(dir);
        for (const QFileInfo& f : QDir(model_).entryInfoList(QDir::Files))
            QFile::copy(f.filePath(), QDir(dir).filePath(f.fileName()));
        makeFifo(QDir(dir).filePath(name));
        return dir;
    }

    // Non-zero within 30 s (a hang is killed and fails), the refusal one
    // line on stderr naming the file as not a regular file.
    static void expectRefused(const QStringList& args, const QString& fileName)
    {
        const Run r = runCli(args, 30000);
        const QString command = args.join(QLatin1Char(' '));
        QVERIFY2(r.exitCode != -1, qPrintable(command + QStringLiteral(" hung or crashed")));
        QVERIFY2(r.exitCode != 0, qPrintable(command + QStringLiteral(" succeeded")));
        QByteArray refusal;
        for (const QByteArray& line : r.err.split('\n'))
            if (line.contains(fileName.toUtf8()) && line.contains("not a regular file"))
                refusal = line;
        QVERIFY2(!refusal.isEmpty(), qPrintable(command + QStringLiteral(": ") + QString::fromUtf8(r.err)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("PHOTOSEARCH_MODEL");
        model_ = photosearch::testlib::tinyClipDir();
        if (model_.isEmpty())
            QFAIL("could not write a tiny CLIP model for the tests (see the warning above)");
        photos_ = path(QStringLiteral("photos"));
        QVERIFY(QDir().mkpath(photos_));
        for (int i = 0; i < 2; ++i)
            QVERIFY(ti::writeImage(ti::makePicture(160, 120, 10 + i), QDir(photos_).filePath(QStringLiteral("p%1.jpg").arg(i)),
                                   photosearch::ImageFormat::Jpeg));
        library_ = path(QStringLiteral("library"));
        const Run r = runCli({QStringLiteral("index"), QStringLiteral("--library"), library_, QStringLiteral("--model"),
                              model_, photos_});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void cleanupTestCase() { photosearch::testlib::removeTree(temp_.path()); }

    void vocabularyFifo()
    {
        const QString fifo = makeFifo(path(QStringLiteral("labels.txt")));
        expectRefused({QStringLiteral("tag"), QStringLiteral("--library"), library_, QStringLiteral("--vocabulary"), fifo},
                      QStringLiteral("labels.txt"));
    }

    void templatesFifo()
    {
        const QString fifo = makeFifo(path(QStringLiteral("templates.txt")));
        expectRefused({QStringLiteral("classify"), QStringLiteral("--model"), model_, QStringLiteral("--templates"), fifo,
                       QStringLiteral("--labels"), QStringLiteral("cat,dog"), QDir(photos_).filePath(QStringLiteral("p0.jpg"))},
                      QStringLiteral("templates.txt"));
    }

    void modelFileFifo_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("command");
        const QStringList files = {QStringLiteral("config.json"), QStringLiteral("vocab.json"), QStringLiteral("merges.txt"),
                                   QStringLiteral("preprocessor_config.json")};
        for (const QString& file : files) {
            QTest::addRow("embed %s", qPrintable(file)) << file << QStringLiteral("embed");
            QTest::addRow("index %s", qPrintable(file)) << file << QStringLiteral("index");
        }
        QTest::addRow("tokenize vocab.json") << QStringLiteral("vocab.json") << QStringLiteral("tokenize");
        QTest::addRow("tokenize merges.txt") << QStringLiteral("merges.txt") << QStringLiteral("tokenize");
    }

    void modelFileFifo()
    {
        QFETCH(QString, file);
        QFETCH(QString, command);
        const QString model = modelWithFifo(file);
        QStringList args = {command, QStringLiteral("--model"), model};
        if (command == QLatin1String("embed"))
            args << QStringLiteral("--image") << QDir(photos_).filePath(QStringLiteral("p0.jpg"));
        else if (command == QLatin1String("tokenize"))
            args << QStringLiteral("a dog");
        else
            args << QStringLiteral("--library") << path(QStringLiteral("library-") + file) << photos_;
        expectRefused(args, file);
    }
};

QTEST_GUILESS_MAIN(TestCliFifoInputs)
#include "test_cli_fifo_inputs.moc"
