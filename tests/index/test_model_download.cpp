// ModelDownloader and `photosearch-cli models` against the loopback Hugging
// Face look-alike: a complete download, resume after a dropped connection,
// a damaged file, server errors, cancel and resume, the revision's encoding,
// an unknown repo at main, two downloaders of one repo (the lock), refused
// redirects, discarding parts, and the CLI. The served model is the tiny random
// CLIP the tests write themselves; the server runs on this thread's event
// loop, which QTRY_* keeps spinning.

#include "DownloadMessages.h"
#include "HfResponse.h"
#include "HttpTestServer.h"
#include "KnownModels.h"
#include "ModelDownloader.h"
#include "ModelStore.h"
#include "TinyModel.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace photosearch;
using photosearch::testhttp::HttpTestServer;

namespace {

const QString kRepo = QStringLiteral("openai/clip-vit-base-patch32"); // known: revision refs/pr/66
const QString kWeights = QStringLiteral("model.safetensors");
constexpr int kWaitMs = 60000;

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestModelDownload : public QObject {
    Q_OBJECT
private:
    QTemporaryDir source_;
    std::unique_ptr<QTemporaryDir> models_;
    std::unique_ptr<HttpTestServer> server_;

    QString partPath(const QString& file) const { return ModelStore::partialFolderFor(kRepo) + "/" + file + ".part"; }
    qint64 weightsSize() const { return QFileInfo(source_.filePath(kWeights)).size(); }

    // Runs one download to its end; the spies tell which end.
    struct Outcome {
        int finished = 0, failed = 0, cancelled = 0;
        QString sentence;
    };
    Outcome download(ModelDownloader& d, const QString& repo)
    {
        QSignalSpy finished(&d, &ModelDownloader::finished);
        QSignalSpy failed(&d, &ModelDownloader::failed);
        [&] { QVERIFY(d.start(repo)); }();
        [&] { QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() > 0, kWaitMs); }();
        Outcome o{int(finished.count()), int(failed.count()), 0, QString()};
        if (!failed.isEmpty())
            o.sentence = failed.first().first().toString();
        return o;
    }

    void verifyInstalledIdentical(const QString& repo)
    {
        const auto model = ModelStore::installedRepo(repo);
        QVERIFY(model.has_value());
        QCOMPARE(model->dim, 16);
        for (const QString& name : QDir(source_.path()).entryList(QDir::Files))
            QVERIFY2(readAll(model->path + "/" + name) == readAll(source_.filePath(name)), qPrintable(name));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(source_.isValid());
        QString error;
        QVERIFY2(testmodel::writeTinyClipModel(source_.path(), &error), qPrintable(error));
        QVERIFY(weightsSize() > 1000);
        QVERIFY(findKnownModel(kRepo));
        QCOMPARE(findKnownModel(kRepo)->revision, QStringLiteral("refs/pr/66"));
    }

    void init()
    {
        models_ = std::make_unique<QTemporaryDir>();
        server_ = std::make_unique<HttpTestServer>();
        QVERIFY(server_->listen());
        QVERIFY(server_->addRepo(kRepo, QStringLiteral("refs/pr/66"), source_.path()));
        qputenv("HF_ENDPOINT", server_->endpoint().toUtf8());
        qputenv("PHOTOSEARCH_MODELS", models_->path().toUtf8());
    }

    void knownModelsListRecommendedFirst()
    {
        const auto& models = knownModels();
        QVERIFY(models.size() >= 3);
        QVERIFY(models.front().recommended);
        for (const KnownModel& m : models) {
            QVERIFY2(m.files.contains(kWeights), qPrintable(m.repo));
            QVERIFY(m.approxBytes > 0);
        }
    }

    void completeDownloadInstalls()
    {
        ModelDownloader d;
        QSignalSpy progress(&d, &ModelDownloader::progress);
        const Outcome o = download(d, kRepo);
        QVERIFY2(o.finished == 1, qPrintable(o.sentence));
        QVERIFY(!d.isRunning());
        const std::vector<InstalledModel> installed = ModelStore::installed();
        QCOMPARE(installed.size(), size_t(1));
        QCOMPARE(installed[0].repo, kRepo);
        QCOMPARE(installed[0].name, QStringLiteral("ViT-B/32"));
        QCOMPARE(installed[0].path, ModelStore::folderFor(kRepo));
        QVERIFY(installed[0].id.startsWith("clip-"));
        verifyInstalledIdentical(kRepo);
        // The last progress knows the total: every file's size came from the HEADs.
        QVERIFY(!progress.isEmpty());
        const auto last = progress.last().first().value<DownloadProgress>();
        qint64 total = 0;
        for (const QString& name : QDir(source_.path()).entryList(QDir::Files))
            total += QFileInfo(source_.filePath(name)).size();
        QCOMPARE(last.bytesTotal, total);
        QCOMPARE(last.bytesDone, total);
    }

    void revisionWithSlashIsEncoded()
    {
        ModelDownloader d;
        QCOMPARE(download(d, kRepo).finished, 1);
        int resolves = 0;
        for (const auto& r : server_->requests()) {
            if (!r.path.contains("/resolve/"))
                continue;
            ++resolves;
            QVERIFY2(r.path.startsWith("/openai/clip-vit-base-patch32/resolve/refs%2Fpr%2F66/"), r.path.constData());
        }
        QVERIFY(resolves >= 5);
    }

    void interruptedDownloadResumesWithRange()
    {
        const qint64 half = weightsSize() / 2;
        server_->dropAfterBytes(kWeights, half);
        ModelDownloader d;
        const Outcome first = download(d, kRepo);
        QCOMPARE(first.failed, 1);
        QVERIFY2(first.sentence.contains(kWeights), qPrintable(first.sentence));
        // Advice an ordinary user can follow; the URL and Qt's words go to the log.
        QVERIFY2(first.sentence.contains("check your internet connection and try again"), qPrintable(first.sentence));
        QVERIFY2(!first.sentence.contains("HF_ENDPOINT") && !first.sentence.contains("127.0.0.1"),
                 qPrintable(first.sentence));
        QVERIFY(!ModelStore::installedRepo(kRepo));
        QCOMPARE(QFileInfo(partPath(kWeights)).size(), half);

        server_->clearRequests();
        const Outcome second = download(d, kRepo);
        QVERIFY2(second.finished == 1, qPrintable(second.sentence));
        verifyInstalledIdentical(kRepo);
        bool sawRange = false;
        for (const auto& r : server_->requestsFor(kWeights))
            sawRange |= r.method == "GET" && r.range == "bytes=" + QByteArray::number(half) + "-";
        QVERIFY(sawRange);
    }

    void serverIgnoringRangeRestartsTheFile()
    {
        server_->dropAfterBytes(kWeights, weightsSize() / 3);
        ModelDownloader d;
        QCOMPARE(download(d, kRepo).failed, 1);
        server_->setIgnoreRange(true);
        const Outcome o = download(d, kRepo);
        QVERIFY2(o.finished == 1, qPrintable(o.sentence));
        verifyInstalledIdentical(kRepo);
    }

    void damagedFileFailsAndIsDeleted()
    {
        server_->setCorrupt(kWeights);
        ModelDownloader d;
        const Outcome o = download(d, kRepo);
        QCOMPARE(o.failed, 1);
        QVERIFY2(o.sentence.contains(kWeights) && o.sentence.contains("damaged"), qPrintable(o.sentence));
        QVERIFY(!QFileInfo::exists(partPath(kWeights)));
        QVERIFY(!QFileInfo::exists(ModelStore::folderFor(kRepo)));
        QVERIFY(ModelStore::installed().empty());
    }

    void serverErrorNamesTheFile_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("file");
        QTest::newRow("404 vocab") << 404 << QStringLiteral("vocab.json");
        QTest::newRow("500 weights") << 500 << kWeights;
    }
    void serverErrorNamesTheFile()
    {
        QFETCH(int, status);
        QFETCH(QString, file);
        server_->setStatus(file, status);
        ModelDownloader d;
        const Outcome o = download(d, kRepo);
        QCOMPARE(o.failed, 1);
        QVERIFY2(o.sentence.contains(file) && o.sentence.contains(QString::number(status)), qPrintable(o.sentence));
        QVERIFY2(!o.sentence.contains("HF_ENDPOINT") && !o.sentence.contains("127.0.0.1"), qPrintable(o.sentence));
        QVERIFY(ModelStore::installed().empty());
    }

    // Two panels (first-run page, File ▸ Models…) each own a downloader: the
    // second start of a repo in flight must not append to the same parts.
    void secondDownloaderOfTheSameRepoFailsAtOnce()
    {
        server_->stallAfterBytes(kWeights, weightsSize() / 2);
        ModelDownloader first;
        QSignalSpy firstFinished(&first, &ModelDownloader::finished);
        QSignalSpy firstFailed(&first, &ModelDownloader::failed);
        QVERIFY(first.start(kRepo));
        QTRY_VERIFY_WITH_TIMEOUT(server_->isStalling(), kWaitMs); // mid-file, lock held

        ModelDownloader second;
        QSignalSpy secondFailed(&second, &ModelDownloader::failed);
        QSignalSpy secondFinished(&second, &ModelDownloader::finished);
        const int requestsBefore = int(server_->requests().size());
        QVERIFY(second.start(kRepo));
        QTRY_COMPARE_WITH_TIMEOUT(secondFailed.count(), 1, kWaitMs);
        QCOMPARE(secondFailed.first().first().toString(),
                 QStringLiteral("ViT-B/32 is already being downloaded; wait for it or cancel it there."));
        QCOMPARE(int(server_->requests().size()), requestsBefore); // failed before any request
        QVERIFY(!second.isRunning());

        server_->releaseStalled();
        QTRY_VERIFY_WITH_TIMEOUT(firstFinished.count() + firstFailed.count() > 0, kWaitMs);
        QVERIFY2(firstFinished.count() == 1,
                 qPrintable(firstFailed.isEmpty() ? QString() : firstFailed.first().first().toString()));
        QCOMPARE(secondFinished.count(), 0);
        verifyInstalledIdentical(kRepo);

        // The lock goes with the download: the next one of the repo may start.
        ModelDownloader third;
        QVERIFY2(download(third, kRepo).finished == 1, "the lock outlived its download");
    }

    void redirectsAreCheckedHopByHop()
    {
        QVERIFY(isAllowedRedirect(QUrl("http://a.example/x"), QUrl("https://b.example/y")));
        QVERIFY(isAllowedRedirect(QUrl("https://a.example/x"), QUrl("https://b.example/y")));
        QVERIFY(isAllowedRedirect(QUrl("http://a.example/x"), QUrl("http://a.example/y")));
        QVERIFY(!isAllowedRedirect(QUrl("https://a.example/x"), QUrl("http://b.example/y")));
        QVERIFY(!isAllowedRedirect(QUrl("http://a.example/x"), QUrl("file:///etc/passwd")));
        QVERIFY(!isAllowedRedirect(QUrl("https://a.example/x"), QUrl("ftp://b.example/y")));
        QVERIFY(!isAllowedRedirect(QUrl("http://a.example/x"), QUrl("qrc:/photosearch/models/known-models.json")));
    }

    // HEAD (FileProbe) and GET (FileTransfer) follow redirects by hand; a
    // hostile mirror must not make either read a local file.
    void redirectToALocalFileIsRefused_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::newRow("probe") << QByteArray("HEAD");
        QTest::newRow("transfer") << QByteArray("GET");
    }
    void redirectToALocalFileIsRefused()
    {
        QFETCH(QByteArray, method);
        const QString file = QStringLiteral("config.json");
        server_->setRedirect(file, "file:///etc/passwd", method);
        ModelDownloader d;
        const Outcome o = download(d, kRepo);
        QCOMPARE(o.failed, 1);
        QVERIFY2(o.sentence.contains(file) && o.sentence.contains("redirected to an address"), qPrintable(o.sentence));
        QVERIFY(!QFileInfo::exists(partPath(file)));
        QVERIFY(!QFileInfo::exists(ModelStore::partialFolderFor(kRepo) + "/" + file));
        QVERIFY(ModelStore::installed().empty());
    }

    void discardPartialRemovesTheKeptParts()
    {
        server_->dropAfterBytes(kWeights, weightsSize() / 2);
        ModelDownloader d;
        QCOMPARE(download(d, kRepo).failed, 1);
        QVERIFY(QFileInfo::exists(partPath(kWeights)));
        // Left by an install that stopped between its renames.
        const QString old = ModelStore::partialFolderFor(kRepo) + ".old";
        QVERIFY(QDir().mkpath(old));
        QString error;
        QVERIFY2(ModelStore::discardPartial(kRepo, &error), qPrintable(error));
        QVERIFY(!QFileInfo::exists(ModelStore::partialFolderFor(kRepo)));
        QVERIFY(!QFileInfo::exists(old));

        // Not while a download of the repo runs: it would lose its files.
        server_->stallAfterBytes(kWeights, weightsSize() / 2);
        QSignalSpy finished(&d, &ModelDownloader::finished);
        QVERIFY(d.start(kRepo));
        QTRY_VERIFY_WITH_TIMEOUT(server_->isStalling(), kWaitMs);
        QVERIFY(!ModelStore::discardPartial(kRepo, &error));
        QVERIFY2(error.contains("ViT-B/32") && error.contains("cancel"), qPrintable(error));
        QVERIFY(QFileInfo::exists(partPath(kWeights)));
        server_->releaseStalled();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
        verifyInstalledIdentical(kRepo);
    }

    void leftoverOldInstallIsCleanedOnTheNextInstall()
    {
        const QString old = ModelStore::partialFolderFor(kRepo) + ".old";
        QVERIFY(QDir().mkpath(old));
        QVERIFY(QFile(old + "/model.safetensors").open(QIODevice::WriteOnly));
        ModelDownloader d;
        QCOMPARE(download(d, kRepo).finished, 1);
        QVERIFY(!QFileInfo::exists(old));
        verifyInstalledIdentical(kRepo);
    }

    void byteSizesReadAsTheHubShowsThem()
    {
        QCOMPARE(formatBytes(605'000'000), QStringLiteral("605 MB"));
        QCOMPARE(formatBytes(1'710'000'000), QStringLiteral("1.7 GB"));
        QCOMPARE(formatBytes(8'400'000), QStringLiteral("8.4 MB"));
    }

    void cancelKeepsThePartForALaterResume()
    {
        const qint64 half = weightsSize() / 2;
        server_->stallAfterBytes(kWeights, half);
        ModelDownloader d;
        QSignalSpy cancelled(&d, &ModelDownloader::cancelled);
        QSignalSpy finished(&d, &ModelDownloader::finished);
        QVERIFY(d.start(kRepo));
        QTRY_VERIFY_WITH_TIMEOUT(server_->isStalling(), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(QFileInfo(partPath(kWeights)).size(), half, kWaitMs);
        d.cancel();
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(!d.isRunning());
        QVERIFY(ModelStore::installed().empty());
        QCOMPARE(finished.count(), 0);

        server_->clearRequests();
        const Outcome o = download(d, kRepo);
        QVERIFY2(o.finished == 1, qPrintable(o.sentence));
        verifyInstalledIdentical(kRepo);
        bool sawRange = false;
        for (const auto& r : server_->requestsFor(kWeights))
            sawRange |= r.range == "bytes=" + QByteArray::number(half) + "-";
        QVERIFY(sawRange);
    }

    void downloadAgainReplacesTheOlderInstall()
    {
        ModelDownloader d;
        QCOMPARE(download(d, kRepo).finished, 1);
        const QString marker = ModelStore::folderFor(kRepo) + "/left-by-the-old-install";
        QVERIFY(QFile(marker).open(QIODevice::WriteOnly));
        const Outcome o = download(d, kRepo);
        QVERIFY2(o.finished == 1, qPrintable(o.sentence));
        QVERIFY(!QFileInfo::exists(marker));
        QCOMPARE(ModelStore::installed().size(), size_t(1));
        verifyInstalledIdentical(kRepo);
    }

    void unknownRepoIsFetchedAtMain()
    {
        const QString repo = QStringLiteral("someone/tiny-clip");
        QVERIFY(!findKnownModel(repo));
        QVERIFY(server_->addRepo(repo, QStringLiteral("main"), source_.path()));
        ModelDownloader d;
        const Outcome o = download(d, repo);
        QVERIFY2(o.finished == 1, qPrintable(o.sentence));
        for (const auto& r : server_->requests()) {
            if (r.path.contains("/resolve/"))
                QVERIFY2(r.path.startsWith("/someone/tiny-clip/resolve/main/"), r.path.constData());
        }
        const auto model = ModelStore::installedRepo(repo);
        QVERIFY(model);
        QCOMPARE(model->name, QStringLiteral("someone--tiny-clip"));
        verifyInstalledIdentical(repo);
    }

    void invalidRepoFailsWithASentence()
    {
        ModelDownloader d;
        const Outcome o = download(d, QStringLiteral("../etc"));
        QCOMPARE(o.failed, 1);
        QVERIFY2(o.sentence.contains("owner/name"), qPrintable(o.sentence));
        QVERIFY(server_->requests().isEmpty());
    }

    void cliDownloadsAndLists()
    {
        QProcess p;
        p.start(QStringLiteral(PHOTOSEARCH_CLI), {"models", "download", kRepo});
        // Not waitForFinished: the server answers on this thread's loop.
        QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, kWaitMs);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, err.constData());
        const QJsonObject line = QJsonDocument::fromJson(p.readAllStandardOutput().trimmed()).object();
        QCOMPARE(line.value("dim").toInt(), 16);
        QCOMPARE(line.value("path").toString(), ModelStore::folderFor(kRepo));
        QCOMPARE(line.value("name").toString(), QStringLiteral("ViT-B/32"));
        verifyInstalledIdentical(kRepo);

        p.start(QStringLiteral(PHOTOSEARCH_CLI), {"models"});
        QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, kWaitMs);
        QCOMPARE(p.exitCode(), 0);
        const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        const QJsonObject listed = QJsonDocument::fromJson(lines[0]).object();
        QCOMPARE(listed.value("id").toString(), line.value("id").toString());
        QCOMPARE(listed.value("path").toString(), line.value("path").toString());
    }

    void cliFailureIsOneLineAndExitOne()
    {
        server_->setStatus(QStringLiteral("config.json"), 404);
        QProcess p;
        p.start(QStringLiteral(PHOTOSEARCH_CLI), {"models", "download", kRepo});
        QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, kWaitMs);
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(p.readAllStandardOutput().isEmpty());
        const QList<QByteArray> errLines = p.readAllStandardError().trimmed().split('\n');
        QVERIFY2(errLines.last().contains("config.json") && errLines.last().contains("404"), errLines.last().constData());
    }
};

QTEST_GUILESS_MAIN(TestModelDownload)
#include "test_model_download.moc"
