// The models room through its real widgets (offscreen): the first-run page
// downloads the recommended model from a loopback server in Hugging Face's
// shape (HttpTestServer) serving a tiny CLIP model as
// openai/clip-vit-base-patch32 at refs/pr/66, shows progress, failures in the
// page with Retry (which resumes), Cancel back to the offer, imports a
// folder; the model manager lists installed models, marks the current one,
// "Use this model" and Remove; both discard a partial download. Every case
// gets its own model store (PHOTOSEARCH_MODELS) so that nothing leaks
// between cases.

#include "DownloadPanel.h"
#include "DownloadText.h"
#include "FirstRunPage.h"
#include "HttpTestServer.h"
#include "KnownModels.h"
#include "ModelManagerDialog.h"
#include "ModelScan.h"
#include "ModelStore.h"
#include "TinyModel.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <memory>

using namespace photosearch;
using photosearch::testhttp::HttpTestServer;

namespace {

constexpr int kTimeoutMs = 60'000;
const QString kRepo = QStringLiteral("openai/clip-vit-base-patch32");
const QString kWeights = QStringLiteral("model.safetensors");

template <typename T>
T* child(QWidget& parent, const QString& name)
{
    return parent.findChild<T*>(name);
}

// Hidden widgets inside a shown page: isVisible() says whether the user sees it.
bool shown(const QWidget* widget)
{
    return widget && widget->isVisible();
}

bool isInstalled(const QString& dir)
{
    for (const InstalledModel& model : ModelStore::installed())
        if (QDir::cleanPath(model.path) == QDir::cleanPath(dir))
            return true;
    return false;
}

} // namespace

class TestFirstRun : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString tinyDir_;
    qint64 weightsBytes_ = 0;
    HttpTestServer server_;
    std::unique_ptr<QTemporaryDir> store_;

    // The page shown at a size like a small window's, as a user would see it.
    static void showPage(FirstRunPage& page)
    {
        page.resize(860, 640);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
    }

    static void savePng(QWidget& widget, const QString& name)
    {
        const QString path = QDir::temp().filePath(name);
        QVERIFY2(widget.grab().save(path), qPrintable(path));
        qInfo("screenshot: %s", qPrintable(path));
    }

    // Clicks the big button and waits for the panel to say it failed.
    static QString failedSentence(FirstRunPage& page)
    {
        QTest::mouseClick(child<QPushButton>(page, QStringLiteral("downloadRecommended")), Qt::LeftButton);
        DownloadPanel* panel = page.downloadPanel();
        if (!QTest::qWaitFor([&] { return panel->state() == DownloadPanel::State::Failed; }, kTimeoutMs))
            return {};
        const auto* error = child<QLabel>(page, QStringLiteral("downloadError"));
        return shown(error) ? error->text() : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(temp_.isValid());
        tinyDir_ = temp_.filePath(QStringLiteral("tiny"));
        QString error;
        QVERIFY2(testmodel::writeTinyClipModel(tinyDir_, &error), qPrintable(error));
        weightsBytes_ = QFileInfo(QDir(tinyDir_).filePath(kWeights)).size();
        QVERIFY(weightsBytes_ > 1000);
        const KnownModel* known = findKnownModel(kRepo);
        QVERIFY2(known, "the served repo must be a known model, since the page offers known models");
        QVERIFY(known->recommended);
        QVERIFY(server_.listen());
        QVERIFY(server_.addRepo(kRepo, known->revision, tinyDir_));
        qputenv("HF_ENDPOINT", server_.endpoint().toUtf8());
    }

    void init()
    {
        store_ = std::make_unique<QTemporaryDir>();
        QVERIFY(store_->isValid());
        qputenv("PHOTOSEARCH_MODELS", store_->path().toUtf8());
        server_.setCorrupt(kWeights, false);
        server_.setStatus(QStringLiteral("config.json"), 0);
        server_.clearRequests();
    }

    void progressTextReadsAsSizesRateAndTimeLeft()
    {
        DownloadProgress p;
        p.file = kWeights;
        p.bytesDone = 312'000'000;
        p.bytesTotal = 605'000'000;
        p.bytesPerSecond = 8'400'000;
        QCOMPARE(downloadProgressText(p), QStringLiteral("312 MB of 605 MB · 8.4 MB/s · about 35 s left"));
        p.bytesPerSecond = 0; // no rate yet: no guess at the time left
        QCOMPARE(downloadProgressText(p), QStringLiteral("312 MB of 605 MB"));
        p.bytesTotal = 0;
        QCOMPARE(downloadProgressText(p), QStringLiteral("312 MB"));
        QCOMPARE(approxSizeText(1'710'000'000), QStringLiteral("about 1.7 GB"));
        QCOMPARE(downloadEtaText(600), QStringLiteral("about 10 min left"));
    }

    void offerNamesTheRecommendedModel()
    {
        FirstRunPage page;
        showPage(page);
        auto* button = child<QPushButton>(page, QStringLiteral("downloadRecommended"));
        QVERIFY(button);
        QCOMPARE(button->text(), QStringLiteral("Download ViT-B/32 (about 605 MB)"));
        QVERIFY(button->focusPolicy() & Qt::TabFocus);
        // Every other known model is offered too.
        for (const KnownModel& model : knownModels())
            if (model.repo != kRepo)
                QVERIFY2(child<QPushButton>(page, QStringLiteral("download:%1").arg(model.repo)),
                         qPrintable(model.repo));
        QVERIFY(!shown(page.downloadPanel()));
        savePng(page, QStringLiteral("photosearch-first-run-offer.png"));
    }

    void downloadRecommendedInstallsTheModel()
    {
        FirstRunPage page;
        showPage(page);
        QSignalSpy ready(&page, &FirstRunPage::modelReady);
        auto* bar = child<QProgressBar>(page, QStringLiteral("downloadProgress"));
        QVERIFY(bar);
        QSignalSpy moved(bar, &QProgressBar::valueChanged);
        QTest::mouseClick(child<QPushButton>(page, QStringLiteral("downloadRecommended")), Qt::LeftButton);
        QVERIFY(shown(bar));
        QVERIFY(!shown(child<QPushButton>(page, QStringLiteral("downloadRecommended"))));
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kTimeoutMs);
        int highest = 0;
        for (const QList<QVariant>& value : moved)
            highest = qMax(highest, value.first().toInt());
        QVERIFY2(highest > 0, "the progress bar never moved");
        const QString dir = ready.first().first().toString();
        QCOMPARE(QDir::cleanPath(dir), QDir::cleanPath(ModelStore::folderFor(kRepo)));
        QVERIFY(isInstalled(dir));
    }

    void midDownloadScreenshotThenCancelReturnsToTheOffer()
    {
        server_.stallAfterBytes(kWeights, weightsBytes_ / 2);
        FirstRunPage page;
        showPage(page);
        QSignalSpy ready(&page, &FirstRunPage::modelReady);
        QTest::mouseClick(child<QPushButton>(page, QStringLiteral("downloadRecommended")), Qt::LeftButton);
        auto* bar = child<QProgressBar>(page, QStringLiteral("downloadProgress"));
        QTRY_VERIFY_WITH_TIMEOUT(server_.isStalling() && bar->maximum() > 0 && bar->value() > 0, kTimeoutMs);
        const QString status = child<QLabel>(page, QStringLiteral("downloadStatus"))->text();
        QVERIFY2(status.contains(QStringLiteral(" of ")), qPrintable(status));
        QTRY_VERIFY_WITH_TIMEOUT(
            child<QLabel>(page, QStringLiteral("downloadFile"))->text().contains(kWeights), kTimeoutMs);
        savePng(page, QStringLiteral("photosearch-first-run-downloading.png"));

        auto* cancel = child<QPushButton>(page, QStringLiteral("cancelDownload"));
        QVERIFY(shown(cancel));
        QTest::mouseClick(cancel, Qt::LeftButton);
        auto* offer = child<QPushButton>(page, QStringLiteral("downloadRecommended"));
        QTRY_VERIFY_WITH_TIMEOUT(shown(offer), kTimeoutMs);
        QVERIFY(!shown(bar));
        // Parts are kept, and the offer says so, with the size the server gave.
        const QString resume = QStringLiteral("Resume download ViT-B/32 (%1)").arg(formatBytes(folderBytes(tinyDir_)));
        QTRY_COMPARE_WITH_TIMEOUT(offer->text(), resume, kTimeoutMs);
        QCOMPARE(ready.count(), 0);
        QVERIFY(ModelStore::installed().empty());
        QVERIFY(!QFileInfo::exists(ModelStore::folderFor(kRepo)));
    }

    void discardPartialDownloadFromTheOffer()
    {
        server_.stallAfterBytes(kWeights, weightsBytes_ / 2);
        FirstRunPage page;
        showPage(page);
        auto* discard = child<QPushButton>(page, QStringLiteral("discard:%1").arg(kRepo));
        QVERIFY(discard);
        QVERIFY(!shown(discard)); // nothing kept yet
        QTest::mouseClick(child<QPushButton>(page, QStringLiteral("downloadRecommended")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(server_.isStalling(), kTimeoutMs);
        QTest::mouseClick(child<QPushButton>(page, QStringLiteral("cancelDownload")), Qt::LeftButton);
        auto* offer = child<QPushButton>(page, QStringLiteral("downloadRecommended"));
        QTRY_VERIFY_WITH_TIMEOUT(offer->text().startsWith(QStringLiteral("Resume download")) && shown(discard),
                                 kTimeoutMs);
        QVERIFY(QFileInfo::exists(ModelStore::partialFolderFor(kRepo)));

        QTest::mouseClick(discard, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(ModelStore::partialFolderFor(kRepo)), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(offer->text().startsWith(QStringLiteral("Download ViT-B/32")) && !shown(discard),
                                 kTimeoutMs);
        QVERIFY(!shown(child<QLabel>(page, QStringLiteral("offerStatus"))));
    }

    void interruptedDownloadFailsInThePageAndRetryResumes()
    {
        server_.dropAfterBytes(kWeights, weightsBytes_ / 2);
        FirstRunPage page;
        showPage(page);
        QSignalSpy ready(&page, &FirstRunPage::modelReady);
        const QString sentence = failedSentence(page);
        QVERIFY2(!sentence.isEmpty(), "no failure sentence in the page");
        QVERIFY2(sentence.contains(kWeights), qPrintable(sentence));
        savePng(page, QStringLiteral("photosearch-first-run-failed.png"));
        QVERIFY(ModelStore::installed().empty());

        server_.clearRequests();
        auto* retry = child<QPushButton>(page, QStringLiteral("retryDownload"));
        QVERIFY(shown(retry));
        QTest::mouseClick(retry, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kTimeoutMs);
        QVERIFY(isInstalled(ready.first().first().toString()));
        // Resumed, not fetched again from the start.
        bool ranged = false;
        for (const auto& request : server_.requestsFor(kWeights))
            ranged = ranged || (request.method == "GET" && !request.range.isEmpty());
        QVERIFY2(ranged, "Retry fetched the weights from the start");
    }

    void checksumMismatchEndsInAFailureWithNothingInstalled()
    {
        server_.setCorrupt(kWeights);
        FirstRunPage page;
        showPage(page);
        QSignalSpy ready(&page, &FirstRunPage::modelReady);
        const QString sentence = failedSentence(page);
        QVERIFY2(!sentence.isEmpty(), "no failure sentence in the page");
        QVERIFY2(sentence.contains(kWeights), qPrintable(sentence));
        QVERIFY(shown(child<QPushButton>(page, QStringLiteral("retryDownload"))));
        QCOMPARE(ready.count(), 0);
        QVERIFY(ModelStore::installed().empty());
        QVERIFY(!QFileInfo::exists(ModelStore::folderFor(kRepo)));
    }

    void serverErrorNamesTheFile()
    {
        server_.setStatus(QStringLiteral("config.json"), 500);
        FirstRunPage page;
        showPage(page);
        const QString sentence = failedSentence(page);
        QVERIFY2(sentence.contains(QStringLiteral("config.json")), qPrintable(sentence));
        QVERIFY(ModelStore::installed().empty());

        // Back returns to the offer.
        QTest::mouseClick(child<QPushButton>(page, QStringLiteral("dismissDownload")), Qt::LeftButton);
        QVERIFY(shown(child<QPushButton>(page, QStringLiteral("downloadRecommended"))));
        QVERIFY(!shown(page.downloadPanel()));
    }

    void importChecksTheFolder()
    {
        FirstRunPage page;
        showPage(page);
        QSignalSpy ready(&page, &FirstRunPage::modelReady);
        QTemporaryDir empty;
        page.importFolder(empty.path());
        auto* status = child<QLabel>(page, QStringLiteral("importStatus"));
        QTRY_VERIFY_WITH_TIMEOUT(shown(status) && !status->text().startsWith(QStringLiteral("Checking")),
                                 kTimeoutMs);
        QVERIFY2(status->text().contains(QStringLiteral("config.json")), qPrintable(status->text()));
        QCOMPARE(ready.count(), 0);

        page.importFolder(tinyDir_);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kTimeoutMs);
        QCOMPARE(ready.first().first().toString(), tinyDir_);
    }

    void managerListsInstalledModelsAndUsesOne()
    {
        const QString known = ModelStore::folderFor(kRepo);
        const QString other = QDir(ModelStore::root()).filePath(QStringLiteral("my-clip"));
        QVERIFY(testmodel::writeTinyClipModel(known));
        QVERIFY(testmodel::writeTinyClipModel(other, nullptr, 7));

        ModelManagerDialog dialog(known);
        QSignalSpy refreshed(&dialog, &ModelManagerDialog::refreshed);
        QSignalSpy chosen(&dialog, &ModelManagerDialog::modelChosen);
        dialog.show();
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 1, kTimeoutMs);
        auto* tree = child<QTreeWidget>(dialog, QStringLiteral("installedModels"));
        QCOMPARE(tree->topLevelItemCount(), 2);
        QTreeWidgetItem* inUse = nullptr;
        QTreeWidgetItem* mine = nullptr;
        for (int i = 0; i < tree->topLevelItemCount(); ++i) {
            QTreeWidgetItem* item = tree->topLevelItem(i);
            QCOMPARE(item->text(1), QStringLiteral("16")); // the tiny model's projection_dim
            if (item->text(3) == QDir::toNativeSeparators(known))
                inUse = item;
            else if (item->text(3) == QDir::toNativeSeparators(other))
                mine = item;
        }
        QVERIFY(inUse && mine);
        QCOMPARE(inUse->text(0), QStringLiteral("ViT-B/32 (in use)"));
        QVERIFY(!mine->text(0).contains(QStringLiteral("in use")));
        // The installed known model is not offered for download again.
        QVERIFY(!child<QPushButton>(dialog, QStringLiteral("download:%1").arg(kRepo)));
        savePng(dialog, QStringLiteral("photosearch-model-manager.png"));

        auto* use = child<QPushButton>(dialog, QStringLiteral("useModel"));
        auto* remove = child<QPushButton>(dialog, QStringLiteral("removeModel"));
        tree->setCurrentItem(inUse);
        QVERIFY(!use->isEnabled());
        QVERIFY(!remove->isEnabled());
        tree->setCurrentItem(mine);
        QVERIFY(use->isEnabled());
        QTest::mouseClick(use, Qt::LeftButton);
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.first().first().toString(), other);
    }

    void managerRemovesANonCurrentModel()
    {
        const QString known = ModelStore::folderFor(kRepo);
        const QString other = QDir(ModelStore::root()).filePath(QStringLiteral("my-clip"));
        QVERIFY(testmodel::writeTinyClipModel(known));
        QVERIFY(testmodel::writeTinyClipModel(other, nullptr, 7));

        ModelManagerDialog dialog(other);
        QSignalSpy refreshed(&dialog, &ModelManagerDialog::refreshed);
        dialog.show();
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 1, kTimeoutMs);
        auto* tree = child<QTreeWidget>(dialog, QStringLiteral("installedModels"));
        QTreeWidgetItem* knownItem = nullptr;
        for (int i = 0; i < tree->topLevelItemCount(); ++i)
            if (tree->topLevelItem(i)->text(3) == QDir::toNativeSeparators(known))
                knownItem = tree->topLevelItem(i);
        QVERIFY(knownItem);
        tree->setCurrentItem(knownItem);
        QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("removeModel")), Qt::LeftButton);
        QMessageBox* confirm = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((confirm = dialog.findChild<QMessageBox*>(QStringLiteral("confirmRemove"))),
                                 kTimeoutMs);
        QTest::mouseClick(confirm->button(QMessageBox::Yes), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 2, kTimeoutMs);
        QVERIFY(!QFileInfo::exists(known));
        QVERIFY(QFileInfo::exists(other));
        QCOMPARE(tree->topLevelItemCount(), 1);
        QCOMPARE(tree->topLevelItem(0)->text(3), QDir::toNativeSeparators(other));
        // Removed, so offered for download again.
        QVERIFY(child<QPushButton>(dialog, QStringLiteral("download:%1").arg(kRepo)));
    }

    void managerDiscardsAPartialDownload()
    {
        const QString partial = ModelStore::partialFolderFor(kRepo);
        QVERIFY(QDir().mkpath(partial));
        QFile part(partial + QStringLiteral("/model.safetensors.part"));
        QVERIFY(part.open(QIODevice::WriteOnly));
        part.write(QByteArray(1000, 'x'));
        part.close();

        ModelManagerDialog dialog(QString{});
        QSignalSpy refreshed(&dialog, &ModelManagerDialog::refreshed);
        dialog.show();
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 1, kTimeoutMs);
        QCOMPARE(child<QPushButton>(dialog, QStringLiteral("download:%1").arg(kRepo))->text(),
                 QStringLiteral("Resume download"));
        auto* discard = child<QPushButton>(dialog, QStringLiteral("discard:%1").arg(kRepo));
        QVERIFY(discard && discard->isEnabled());
        QTest::mouseClick(discard, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 2, kTimeoutMs);
        QVERIFY(!QFileInfo::exists(partial));
        QVERIFY(!child<QPushButton>(dialog, QStringLiteral("discard:%1").arg(kRepo)));
        QCOMPARE(child<QPushButton>(dialog, QStringLiteral("download:%1").arg(kRepo))->text(),
                 QStringLiteral("Download"));
        QVERIFY2(dialog.statusText().contains(QStringLiteral("discarded")), qPrintable(dialog.statusText()));
    }

    void managerDownloadsWithTheSharedPanel()
    {
        ModelManagerDialog dialog(QString{});
        QSignalSpy refreshed(&dialog, &ModelManagerDialog::refreshed);
        dialog.show();
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 1, kTimeoutMs);
        auto* tree = child<QTreeWidget>(dialog, QStringLiteral("installedModels"));
        QCOMPARE(tree->topLevelItemCount(), 0);
        auto* download = child<QPushButton>(dialog, QStringLiteral("download:%1").arg(kRepo));
        QVERIFY(download);
        QTest::mouseClick(download, Qt::LeftButton);
        QVERIFY(dialog.downloadPanel()->isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(tree->topLevelItemCount(), 1, kTimeoutMs);
        QCOMPARE(tree->topLevelItem(0)->text(3), QDir::toNativeSeparators(ModelStore::folderFor(kRepo)));
        QVERIFY(tree->topLevelItem(0)->isSelected()); // the new model, ready for "Use this model"
        QVERIFY(child<QPushButton>(dialog, QStringLiteral("useModel"))->isEnabled());
    }
};

QTEST_MAIN(TestFirstRun)
#include "test_first_run.moc"
