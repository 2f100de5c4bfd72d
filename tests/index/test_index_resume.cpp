// `photosearch-cli index` killed mid-run (SIGKILL: a crash, a power cut) or
// interrupted (SIGINT: Ctrl+C) resumes on the next run and ends with every
// photo indexed exactly once.

#include "Catalog.h"
#include "GeneratedLibrary.h"
#include "VectorCache.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>

using namespace photosearch;

class TestIndexResume : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString model_;
    testlib::GeneratedLibrary photos_;

    QStringList indexArgs(const QString& library, bool withModel = true) const
    {
        QStringList args = {QStringLiteral("index"), QStringLiteral("--library"), library,
                            QStringLiteral("--workers"), QStringLiteral("1"), QStringLiteral("--batch"),
                            QStringLiteral("2"), photos_.root};
        if (withModel)
            args << QStringLiteral("--model") << model_;
        return args;
    }

    QJsonObject runToEnd(const QString& library, bool withModel = true)
    {
        QProcess p;
        p.start(QStringLiteral(PHOTOSEARCH_CLI), indexArgs(library, withModel));
        if (!p.waitForFinished(120000) || p.exitCode() != 0)
            qWarning("index failed: %s", p.readAllStandardError().constData());
        return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    }

    // Starts an index run and returns once at least `atLeast` photos are
    // committed (read through a second catalog connection, as WAL allows).
    bool startAndWait(QProcess& process, const QString& library, qint64 atLeast)
    {
        process.start(QStringLiteral(PHOTOSEARCH_CLI), indexArgs(library));
        if (!process.waitForStarted())
            return false;
        for (int i = 0; i < 3000 && process.state() == QProcess::Running; ++i) {
            QThread::msleep(10);
            try {
                const Catalog catalog(library);
                if (catalog.stats().photos >= atLeast)
                    return process.state() == QProcess::Running;
            } catch (const CatalogError&) {
                // Not created yet.
            }
        }
        return false;
    }

    void verifyComplete(const QString& library)
    {
        const Catalog catalog(library);
        const QString modelId = catalog.setting(QStringLiteral("model.id"));
        QSet<QString> paths;
        qint64 ok = 0;
        int dimension = 0;
        for (const PhotoRecord& r : catalog.photos()) {
            QVERIFY2(!paths.contains(r.path), qPrintable("twice: " + r.path));
            paths.insert(r.path);
            if (r.status == PhotoStatus::Ok) {
                ++ok;
                dimension = int(catalog.embedding(r.id, modelId).size());
            }
        }
        for (const QString& path : photos_.good)
            QVERIFY2(paths.contains(path), qPrintable("missing: " + path));
        QCOMPARE(catalog.embeddingCount(modelId), ok);
        QVERIFY(catalog.photosWithoutEmbedding(modelId).empty());
        QString why;
        const auto reopened = openVectorStore(catalog, library, modelId, dimension, &why);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        QCOMPARE(reopened->size(), ok);
    }

private Q_SLOTS:
    void initTestCase()
    {
        model_ = testlib::tinyClipDir();
        if (model_.isEmpty())
            QFAIL("could not write a tiny CLIP model for the tests (see the warning above)");
        QVERIFY(temp_.isValid());
        photos_ = testlib::generateLibrary(temp_.filePath(QStringLiteral("photos")), 240);
    }

    void cleanupTestCase() { testlib::removeTree(temp_.path()); }

    void killedRunResumes()
    {
        const QString library = temp_.filePath(QStringLiteral("killed"));
        QProcess process;
        const bool midRun = startAndWait(process, library, 30);
        ::kill(pid_t(process.processId()), SIGKILL);
        process.waitForFinished();
        if (!midRun)
            QFAIL("the run ended before it could be killed; make the generated library larger");
        {
            // Whatever was committed is whole: each photo row has its embedding.
            const Catalog catalog(library);
            const qint64 photos = catalog.stats().photos;
            QVERIFY(photos >= 30);
            QVERIFY(photos < photos_.good.size());
        }
        // The killed run was the library's first, and still made the library
        // know its model: resuming needs no --model.
        const QJsonObject summary = runToEnd(library, false);
        QVERIFY(summary.value(QStringLiteral("added")).toInt() > 0);
        QCOMPARE(summary.value(QStringLiteral("removed")).toInt(), 0);
        verifyComplete(library);
        const QJsonObject again = runToEnd(library);
        QCOMPARE(again.value(QStringLiteral("added")).toInt(), 0);
        QCOMPARE(again.value(QStringLiteral("updated")).toInt(), 0);
        QCOMPARE(again.value(QStringLiteral("encoderSeconds")).toDouble(), 0.0);
    }

    void interruptedRunStopsCleanlyAndResumes()
    {
        const QString library = temp_.filePath(QStringLiteral("interrupted"));
        QProcess process;
        QVERIFY(startAndWait(process, library, 20));
        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 130);
        const QJsonObject summary = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
        QCOMPARE(summary.value(QStringLiteral("cancelled")).toBool(), true);
        QVERIFY(process.readAllStandardError().contains("run the same command again"));
        runToEnd(library);
        verifyComplete(library);
    }
};

QTEST_GUILESS_MAIN(TestIndexResume)
#include "test_index_resume.moc"
