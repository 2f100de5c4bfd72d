// The desktop app (the photosearch executable, offscreen) and a library:
//
//  - with PHOTOSEARCH_READ_ONLY=1 a search in the window leaves every file
//    of the library byte for byte as it was (the window used to cache the
//    query's embedding in catalog.sqlite);
//  - with PHOTOSEARCH_READ_ONLY=1 the window's other writers (album edits,
//    tag corrections, index runs) refuse with one sentence and write nothing;
//  - `photosearch IMAGE` (how the desktop file's Exec=photosearch %F opens
//    images) shows photos like IMAGE: its screenshot is the one that
//    --similar IMAGE gives, not the one with no search.
//
// The app runs as a process with its own HOME and XDG folders.

#include "AlbumStore.h"
#include "BrowseWorker.h"
#include "CliRun.h"
#include "DetailWorker.h"
#include "LibraryController.h"
#include "LibraryDigests.h"
#include "PhotoScenes.h"
#include "TinyModel.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QMap>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using photosearch::testcli::Run;
using photosearch::testcli::runCli;
namespace ti = photosearch::testimages;

using photosearch::testlibrary::libraryDigests;

namespace {

constexpr int kWaitMs = 120'000;

} // namespace

class TestWindowReadOnly : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString library_;
    QString photos_;

    QString path(const QString& name) const { return temp_.filePath(name); }

    // Runs the app with `args` and `extraEnv`; its exit code, or -1 when it
    // crashed or ran past the limit.
    int runApp(const QStringList& args, const QStringList& extraEnv, QByteArray* errors)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        const QString home = path(QStringLiteral("home"));
        env.insert(QStringLiteral("HOME"), home);
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/cache"));
        env.insert(QStringLiteral("PHOTOSEARCH_MODELS"), home + QStringLiteral("/models"));
        env.insert(QStringLiteral("PHOTOSEARCH_MODEL"), QString());
        env.insert(QStringLiteral("PHOTOSEARCH_NO_THUMBNAIL_CACHE"), QStringLiteral("1"));
        env.remove(QStringLiteral("PHOTOSEARCH_LIBRARY"));
        env.remove(QStringLiteral("PHOTOSEARCH_READ_ONLY"));
        for (const QString& pair : extraEnv)
            env.insert(pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1));
        QProcess app;
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(PHOTOSEARCH_GUI), args);
        const bool ended = app.waitForFinished(kWaitMs);
        if (!ended) {
            app.kill();
            app.waitForFinished();
        }
        *errors = app.readAllStandardError();
        return ended && app.exitStatus() == QProcess::NormalExit ? app.exitCode() : -1;
    }

    // A screenshot of the app on the library with `args`; null on failure.
    QImage screenshot(const QString& name, const QStringList& args)
    {
        const QString file = path(name);
        QByteArray errors;
        const int exit = runApp(QStringList{QStringLiteral("--library"), library_, QStringLiteral("--size"),
                                            QStringLiteral("900x600"), QStringLiteral("--screenshot"), file}
                                    + args,
                                {}, &errors);
        if (exit != 0)
            qWarning("photosearch %s: exit %d: %s", qPrintable(args.join(QLatin1Char(' '))), exit, errors.constData());
        return QImage(file);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(temp_.isValid());
        const QString model = path(QStringLiteral("tiny-model"));
        QString error;
        QVERIFY2(photosearch::testmodel::writeTinyClipModel(model, &error), qPrintable(error));
        for (const char* dir : {"home/config", "home/data", "home/cache", "home/models", "photos"})
            QVERIFY(QDir().mkpath(path(QString::fromLatin1(dir))));
        const QString home = path(QStringLiteral("home"));
        qputenv("HOME", home.toUtf8());
        qputenv("XDG_CONFIG_HOME", (home + QStringLiteral("/config")).toUtf8());
        qputenv("XDG_DATA_HOME", (home + QStringLiteral("/data")).toUtf8());
        qputenv("XDG_CACHE_HOME", (home + QStringLiteral("/cache")).toUtf8());
        qputenv("PHOTOSEARCH_MODELS", (home + QStringLiteral("/models")).toUtf8());
        qunsetenv("PHOTOSEARCH_LIBRARY");
        photos_ = path(QStringLiteral("photos"));
        for (int i = 0; i < 4; ++i)
            QVERIFY(ti::renderScene(320, 240, {quint32(i), quint32(300 + i), 0})
                        .save(QDir(photos_).filePath(QStringLiteral("scene%1.jpg").arg(i)), "JPEG", 92));
        library_ = path(QStringLiteral("library"));
        const Run r = runCli({QStringLiteral("index"), QStringLiteral("--library"), library_, QStringLiteral("--model"),
                              model, photos_});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void searchInReadOnlyWindowWritesNothing()
    {
        const QMap<QString, QByteArray> before = libraryDigests(library_);
        QVERIFY(before.contains(QStringLiteral("catalog.sqlite")));
        const QString shot = path(QStringLiteral("read-only.png"));
        QByteArray errors;
        const int exit = runApp({QStringLiteral("--library"), library_, QStringLiteral("--query"),
                                 QStringLiteral("a red car on a beach"), QStringLiteral("--screenshot"), shot},
                                {QStringLiteral("PHOTOSEARCH_READ_ONLY=1")}, &errors);
        QVERIFY2(exit == 0, errors.constData());
        QVERIFY(QFile::exists(shot)); // the window did search and settle
        const QMap<QString, QByteArray> after = libraryDigests(library_);
        QCOMPARE(after.keys(), before.keys());
        for (auto it = before.begin(); it != before.end(); ++it)
            QVERIFY2(after.value(it.key()) == it.value(), qPrintable(it.key() + QStringLiteral(" changed")));
    }

    void otherWritersRefuseOnReadOnlyLibrary()
    {
        const QMap<QString, QByteArray> before = libraryDigests(library_);
        qputenv("PHOTOSEARCH_READ_ONLY", "1");
        {
            photosearch::BrowseWorker browse(library_, std::make_shared<std::atomic_int>(0));
            QSignalSpy albumFailed(&browse, &photosearch::BrowseWorker::failed);
            browse.createAlbum(QStringLiteral("Holiday"), photosearch::AlbumKind::Manual);
            QCOMPARE(albumFailed.size(), 1);
            QVERIFY2(albumFailed.first().first().toString().contains(QStringLiteral("read-only")),
                     qPrintable(albumFailed.first().first().toString()));

            photosearch::DetailWorker detail(library_, std::make_shared<std::atomic_int>(0));
            QSignalSpy tagFailed(&detail, &photosearch::DetailWorker::correctionFailed);
            detail.confirmTag(QDir(photos_).filePath(QStringLiteral("scene0.jpg")), QStringLiteral("gym"));
            QCOMPARE(tagFailed.size(), 1);
            QVERIFY2(tagFailed.first().at(1).toString().contains(QStringLiteral("read-only")),
                     qPrintable(tagFailed.first().at(1).toString()));

            photosearch::LibraryController controller(library_);
            QTRY_VERIFY_WITH_TIMEOUT(controller.isReady(), kWaitMs);
            QSignalSpy status(&controller, &photosearch::LibraryController::statusMessage);
            controller.addFolder(photos_);
            QTRY_VERIFY_WITH_TIMEOUT(!status.isEmpty() && status.last().first().toString().contains(QStringLiteral("read-only")),
                                     kWaitMs);
            QVERIFY(!controller.isIndexing());
        }
        qunsetenv("PHOTOSEARCH_READ_ONLY");
        const QMap<QString, QByteArray> after = libraryDigests(library_);
        QCOMPARE(after.keys(), before.keys());
        for (auto it = before.begin(); it != before.end(); ++it)
            QVERIFY2(after.value(it.key()) == it.value(), qPrintable(it.key() + QStringLiteral(" changed")));
    }

    void imageArgumentShowsSimilarPhotos()
    {
        const QString image = QDir(photos_).filePath(QStringLiteral("scene2.jpg"));
        // The plain window first: the first writable opening of a library the
        // CLI made may still settle things (its status line says so).
        const QImage plain = screenshot(QStringLiteral("plain.png"), {});
        const QImage similar = screenshot(QStringLiteral("similar.png"), {QStringLiteral("--similar"), image});
        const QImage opened = screenshot(QStringLiteral("opened.png"), {image});
        QVERIFY(!similar.isNull() && !opened.isNull() && !plain.isNull());
        // The status line ("4 photos for “Similar to scene2.jpg”"): the grid's
        // thumbnails and layout may still be drawing when the picture is taken.
        const auto statusLine = [](const QImage& shot) { return shot.copy(0, shot.height() - 24, shot.width() / 2, 24); };
        QVERIFY2(statusLine(similar) != statusLine(plain), "a similar search should change the status line");
        QVERIFY2(statusLine(opened) == statusLine(similar), "photosearch IMAGE should show what --similar IMAGE shows");
    }
};

QTEST_MAIN(TestWindowReadOnly)
#include "test_window_read_only.moc"
