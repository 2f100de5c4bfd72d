// The real main window (ui/MainWindow) where the environment is hostile,
// offscreen:
//
//  - a FIFO named like a photo, dropped on the Classify tab, is skipped as
//    not an image: opening it for reading would block the classify thread
//    for good, and with it the window's close;
//  - `photosearch --screenshot` with a library path that is a file exits
//    at once, non-zero, with one sentence on stderr (no message box that
//    nobody can close).
//
// Every case has its own library, HOME, XDG_* and model store folders.

#include "ClassifyPanel.h"
#include "ClassifyTableModel.h"
#include "LibraryController.h"
#include "MainWindow.h"
#include "PhotoScenes.h"
#include "TinyModel.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

using namespace photosearch;
namespace ti = photosearch::testimages;

namespace {

constexpr int kWaitMs = 60'000;

// Lets a reader blocked on (or in) the FIFO `path` go: a writer that opens
// and closes at once gives it end of file. Harmless when nobody reads.
void releaseFifoReader(const QString& path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0)
        ::close(fd);
}

} // namespace

class TestWindowFaults : public QObject {
    Q_OBJECT

private:
    QTemporaryDir suite_;
    QString tinyModel_;
    std::unique_ptr<QTemporaryDir> case_;

    QString casePath(const QString& name) const { return case_->filePath(name); }

    // Runs the photosearch executable with `args` in this case's home;
    // exit code, or -1 when it crashed or ran past the limit.
    int runApp(const QStringList& args, QByteArray* errors)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        for (const char* var : {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR",
                                "PHOTOSEARCH_MODELS"})
            env.insert(QString::fromLatin1(var), qEnvironmentVariable(var));
        env.insert(QStringLiteral("PHOTOSEARCH_MODEL"), QString());
        env.remove(QStringLiteral("PHOTOSEARCH_LIBRARY"));
        QProcess app;
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(PHOTOSEARCH_GUI), args);
        // Nothing in this process talks to the app: blocking here is fine.
        const bool ended = app.waitForFinished(kWaitMs);
        if (!ended) {
            app.kill();
            app.waitForFinished();
        }
        *errors = app.readAllStandardError();
        return ended && app.exitStatus() == QProcess::NormalExit ? app.exitCode() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(suite_.isValid());
        tinyModel_ = suite_.filePath(QStringLiteral("tiny-model"));
        QString error;
        QVERIFY2(testmodel::writeTinyClipModel(tinyModel_, &error), qPrintable(error));
    }

    // Its own home, settings, model store and library folder per case.
    void init()
    {
        case_ = std::make_unique<QTemporaryDir>();
        QVERIFY(case_->isValid());
        const QString config = casePath(QStringLiteral("config"));
        for (const QString& dir : {QStringLiteral("home"), QStringLiteral("config"), QStringLiteral("data"),
                                   QStringLiteral("cache"), QStringLiteral("models")})
            QVERIFY(QDir().mkpath(casePath(dir)));
        qputenv("HOME", casePath(QStringLiteral("home")).toUtf8());
        qputenv("XDG_CONFIG_HOME", config.toUtf8());
        qputenv("XDG_DATA_HOME", casePath(QStringLiteral("data")).toUtf8());
        qputenv("XDG_CACHE_HOME", casePath(QStringLiteral("cache")).toUtf8());
        qputenv("XDG_RUNTIME_DIR", case_->path().toUtf8()); // 0700, as the spec asks
        qputenv("PHOTOSEARCH_MODELS", casePath(QStringLiteral("models")).toUtf8());
        qunsetenv("PHOTOSEARCH_LIBRARY");
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, config);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, config);
    }

    void cleanup()
    {
        case_.reset();
    }

    void fifoDroppedOnClassifyIsSkipped();
    void screenshotWithFileAsLibraryFailsAtOnce();
};

void TestWindowFaults::fifoDroppedOnClassifyIsSkipped()
{
    const QString photo = casePath(QStringLiteral("scene.jpg"));
    QVERIFY(ti::renderScene(320, 240, {7, 500, 0}).save(photo, "JPEG", 92));
    const QString fifo = casePath(QStringLiteral("pipe.jpg"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);

    MainWindow w(casePath(QStringLiteral("library")));
    w.resize(1000, 700);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy changed(w.controller(), &LibraryController::modelChanged);
    QVERIFY(w.chooseModel(tinyModel_));
    QVERIFY(!changed.isEmpty() || changed.wait(kWaitMs));

    w.showClassify();
    ClassifyPanel* panel = w.classifyPanel();
    QSignalSpy added(panel, &ClassifyPanel::imagesAdded);
    panel->setLabelsText(QStringLiteral("a dog, a house"));
    panel->addImages({fifo, photo});
    QVERIFY(added.wait(kWaitMs));
    const int addedCount = added.first().first().toInt();
    // Whatever happened, nothing may stay blocked on the FIFO (the window's
    // close would wait for it forever): release any reader until idle.
    QVERIFY(QTest::qWaitFor([&] {
        releaseFifoReader(fifo);
        return !panel->isBusy();
    }, kWaitMs));
    QCOMPARE(addedCount, 1);
    QCOMPARE(panel->tableModel()->rowCount(), 1);
    QVERIFY2(panel->statusText().contains(QStringLiteral("1 file is not an image")), qPrintable(panel->statusText()));
}

void TestWindowFaults::screenshotWithFileAsLibraryFailsAtOnce()
{
    const QString file = casePath(QStringLiteral("not-a-folder"));
    QFile touch(file);
    QVERIFY(touch.open(QIODevice::WriteOnly));
    touch.close();
    QByteArray errors;
    const int exit = runApp({QStringLiteral("--screenshot"), casePath(QStringLiteral("shot.png")),
                             QStringLiteral("--library"), file},
                            &errors);
    QVERIFY2(exit == 1, errors.constData()); // -1: it hung on a message box nobody could close
    QVERIFY2(errors.contains("is a file, not a folder"), errors.constData());
    QCOMPARE(errors.trimmed().count('\n'), 0); // one sentence, one line
    QVERIFY(!QFile::exists(casePath(QStringLiteral("shot.png"))));
}

QTEST_MAIN(TestWindowFaults)
#include "test_window_faults.moc"
