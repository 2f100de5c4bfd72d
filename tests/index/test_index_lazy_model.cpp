// An index run that finds nothing to read never loads the model's weights
// (IndexModel.h): not through `photosearch-cli index`, not in-process, not
// through the window's IndexWorker. The proof that nothing was loaded is a
// copy of the model whose vocab.json is broken: the model id does not read
// that file (ModelIdentity.h), so the copy is the same model to the library,
// but loading it fails. A run with a photo to encode must still report it;
// a broken config.json still fails before the scan.

#include "ClipEncoder.h"
#include "ClipEncoderCache.h"

#include "Catalog.h"
#include "CliRun.h"
#include "IndexWorker.h"
#include "Indexer.h"
#include "ModelError.h"
#include "ModelIdentity.h"
#include "TestImages.h"
#include "TinyModel.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace photosearch;
using photosearch::testcli::runCli;

class TestIndexLazyModel : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString model_;
    QString brokenVocab_;
    QString brokenConfig_;
    int nextPicture_ = 1;

    QString path(const QString& name) const { return temp_.filePath(name); }

    // A copy of the good model with `file` replaced by text that is not JSON.
    QString brokenCopy(const QString& name, const QString& file)
    {
        const QString dir = path(name);
        QDir().mkpath(dir);
        for (const QString& f : QDir(model_).entryList(QDir::Files))
            if (!QFile::copy(QDir(model_).filePath(f), QDir(dir).filePath(f)))
                return {};
        QFile broken(QDir(dir).filePath(file));
        if (!broken.open(QIODevice::WriteOnly | QIODevice::Truncate) || broken.write("not JSON {") <= 0)
            return {};
        return dir;
    }

    // A folder of `count` distinct JPEGs.
    QString photoFolder(const QString& name, int count)
    {
        const QString dir = path(name);
        QDir().mkpath(dir);
        for (int i = 0; i < count; ++i)
            addPhoto(dir);
        return dir;
    }

    bool addPhoto(const QString& dir)
    {
        const int seed = nextPicture_++;
        return testimages::writeImage(testimages::makePicture(80, 60, seed),
                                      QDir(dir).filePath(QStringLiteral("p%1.jpg").arg(seed)), ImageFormat::Jpeg);
    }

    static testcli::Run index(const QString& library, const QString& model, const QString& photos)
    {
        return runCli({QStringLiteral("index"), QStringLiteral("--library"), library, QStringLiteral("--model"), model,
                       photos});
    }

    static qint64 summaryValue(const testcli::Run& r, const char* key)
    {
        const QList<QJsonObject> lines = r.lines();
        return lines.isEmpty() ? -1 : qint64(lines.last().value(QLatin1String(key)).toDouble(-1));
    }

    static bool loadedModel(const testcli::Run& r) { return r.err.contains("\nLoaded ") || r.err.startsWith("Loaded "); }

    static qint64 photoRows(const QString& library)
    {
        const Catalog catalog(library);
        return qint64(catalog.photos().size());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(temp_.isValid());
        model_ = path(QStringLiteral("model"));
        QString error;
        QVERIFY2(testmodel::writeTinyClipModel(model_, &error), qPrintable(error));
        brokenVocab_ = brokenCopy(QStringLiteral("model-broken-vocab"), QStringLiteral("vocab.json"));
        brokenConfig_ = brokenCopy(QStringLiteral("model-broken-config"), QStringLiteral("config.json"));
        QVERIFY(!brokenVocab_.isEmpty() && !brokenConfig_.isEmpty());
        // The premise: to the library the broken copy is the same model.
        QCOMPARE(modelIdForDirectory(brokenVocab_), modelIdForDirectory(model_));
        // And loading it fails.
        QVERIFY_THROWS_EXCEPTION(clip::ModelError, ClipEncoder(brokenVocab_, clip::ComputeOptions{}));
    }

    void cliRescanWithNothingNewLoadsNoModel()
    {
        const QString library = path(QStringLiteral("cli-rescan"));
        const QString photos = photoFolder(QStringLiteral("cli-rescan-photos"), 3);
        const testcli::Run first = index(library, model_, photos);
        QVERIFY2(first.exitCode == 0, first.err.constData());
        QCOMPARE(summaryValue(first, "added"), 3);
        QVERIFY2(loadedModel(first), first.err.constData());

        const testcli::Run again = index(library, brokenVocab_, photos);
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QCOMPARE(summaryValue(again, "unchanged"), 3);
        QCOMPARE(summaryValue(again, "added"), 0);
        QVERIFY2(!loadedModel(again), again.err.constData());
    }

    void cliRunWithAPhotoToEncodeReportsTheBrokenModel()
    {
        const QString library = path(QStringLiteral("cli-new"));
        const QString photos = photoFolder(QStringLiteral("cli-new-photos"), 2);
        const testcli::Run first = index(library, model_, photos);
        QVERIFY2(first.exitCode == 0, first.err.constData());

        QVERIFY(addPhoto(photos));
        const testcli::Run broken = index(library, brokenVocab_, photos);
        QVERIFY(broken.exitCode != 0);
        QVERIFY2(broken.err.contains("vocab.json"), broken.err.constData());
        QCOMPARE(photoRows(library), 2); // the new photo is neither indexed nor recorded as failed

        const testcli::Run fixed = index(library, model_, photos);
        QVERIFY2(fixed.exitCode == 0, fixed.err.constData());
        QCOMPARE(summaryValue(fixed, "added"), 1);
    }

    void cliBrokenConfigFailsBeforeTheScan()
    {
        const QString library = path(QStringLiteral("cli-config"));
        const QString photos = photoFolder(QStringLiteral("cli-config-photos"), 2);
        const testcli::Run first = index(library, model_, photos);
        QVERIFY2(first.exitCode == 0, first.err.constData());

        const testcli::Run broken = index(library, brokenConfig_, photos);
        QVERIFY(broken.exitCode != 0);
        QVERIFY2(broken.err.contains("config.json"), broken.err.constData());
        QVERIFY2(!broken.err.contains("scanning"), broken.err.constData());
        QVERIFY(broken.lines().isEmpty());
    }

    void indexerAsksForTheWeightsOnlyWithFilesToRead()
    {
        const QString library = path(QStringLiteral("in-process"));
        const QString photos = photoFolder(QStringLiteral("in-process-photos"), 2);
        const ClipEncoder encoder(model_, clip::ComputeOptions{});
        const QString modelId = modelIdForDirectory(model_);
        int loads = 0;
        bool fail = false;
        const auto run = [&] {
            IndexModel model = IndexModel::fromDirectory(model_, clip::ComputeOptions{},
                                                         [&]() -> const clip::TowerEngine& {
                                                             ++loads;
                                                             if (fail)
                                                                 throw clip::ModelError("no weights today");
                                                             return encoder.model();
                                                         });
            Indexer indexer(library, std::move(model), modelId);
            IndexOptions options;
            options.roots = {photos};
            return indexer.run(options);
        };

        QCOMPARE(run().added, 2);
        QCOMPARE(loads, 1);
        loads = 0;
        fail = true;
        const IndexSummary unchanged = run();
        QCOMPARE(unchanged.unchanged, 2);
        QCOMPARE(loads, 0);
        QCOMPARE(unchanged.modelLoadSeconds, 0.0);

        QVERIFY(addPhoto(photos));
        QVERIFY_THROWS_EXCEPTION(clip::ModelError, run());
        QCOMPARE(loads, 1);
        QCOMPARE(photoRows(library), 2);
        fail = false;
        QCOMPARE(run().added, 1);
    }

    void windowRescanWithNothingNewLoadsNoModel()
    {
        const QString library = path(QStringLiteral("window"));
        const QString photos = photoFolder(QStringLiteral("window-photos"), 2);
        IndexWorker worker(library, std::make_shared<ClipEncoderCache>(clip::DevicePreference::Cpu));
        QStringList statuses;
        QString failure;
        int finished = 0;
        connect(&worker, &IndexWorker::status, this, [&](const QString& s) { statuses << s; });
        connect(&worker, &IndexWorker::failed, this, [&](const QString& s, const QString& detail) {
            failure = s + QLatin1Char(' ') + detail;
        });
        connect(&worker, &IndexWorker::finished, this, [&] { ++finished; });
        const auto loadedModel = [&] {
            return std::any_of(statuses.begin(), statuses.end(),
                               [](const QString& s) { return s.startsWith(QLatin1String("Loading the CLIP model")); });
        };

        worker.run(photos, model_, true, std::make_shared<IndexControl>());
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QCOMPARE(finished, 1);
        QVERIFY(loadedModel());

        statuses.clear();
        worker.run(photos, brokenVocab_, true, std::make_shared<IndexControl>());
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QCOMPARE(finished, 2);
        QVERIFY2(!loadedModel(), qPrintable(statuses.join(QLatin1Char('\n'))));

        QVERIFY(addPhoto(photos));
        worker.run(photos, brokenVocab_, true, std::make_shared<IndexControl>());
        QCOMPARE(finished, 2);
        QVERIFY2(failure.contains(QLatin1String("could not be loaded")) && failure.contains(QLatin1String("vocab.json")),
                 qPrintable(failure));
    }
};

QTEST_GUILESS_MAIN(TestIndexLazyModel)
#include "test_index_lazy_model.moc"
