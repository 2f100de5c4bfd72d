// The real main window (ui/MainWindow) driven end to end, offscreen, the way
// a person goes through it. The room suites test each widget alone; this one
// proves that the window wires the rooms together:
//
//  - first run: an empty library shows the first-run page; the recommended
//    model downloads from a loopback Hugging Face server, the window moves on
//    to "add a folder", then to the library, indexes it, and a query typed
//    into the search field fills the grid and names itself above it;
//  - an image from outside the library dropped on the search field or on the
//    grid searches for photos like it (the original first); a file that is
//    not an image is refused at drag-enter and searches nothing;
//  - keyboard: the selection fills the detail pane, Space opens the large
//    preview, Right in it moves the grid, Esc closes it; Delete on the grid
//    takes the selected photo out of the album shown, and the file stays;
//  - the app's --screenshot option writes a PNG of the requested size, for
//    an empty library and for a search with a selection.
//
// Every case has its own library, photos, model store (PHOTOSEARCH_MODELS),
// HOME and XDG_* folders, so QSettings (search history, settings) never
// touches the real home and nothing leaks between cases.

#include "FirstRunPage.h"
#include "HttpTestServer.h"
#include "KnownModels.h"
#include "LibraryBrowser.h"
#include "LibraryController.h"
#include "LibrarySidebar.h"
#include "MainWindow.h"
#include "ModelStore.h"
#include "PhotoDetailPane.h"
#include "PhotoScenes.h"
#include "PreviewDialog.h"
#include "ResultsModel.h"
#include "ResultsView.h"
#include "SearchField.h"
#include "TinyModel.h"

#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QMimeData>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>

using namespace photosearch;
using photosearch::testhttp::HttpTestServer;
namespace ti = photosearch::testimages;
using Kind = CollectionRequest::Kind;

namespace {

constexpr int kWaitMs = 60'000;
constexpr int kPhotos = 8;
const QString kRepo = QStringLiteral("openai/clip-vit-base-patch32");

// Distinct photo-like scenes as JPEGs in `dir`, in name order.
QStringList writeScenes(const QString& dir, int count)
{
    QDir().mkpath(dir);
    QStringList paths;
    for (int i = 0; i < count; ++i) {
        const QString path = QStringLiteral("%1/scene%2.jpg").arg(dir).arg(i, 2, 10, QLatin1Char('0'));
        if (!ti::renderScene(320, 240, {quint32(i + 7), quint32(i + 500), 0}).save(path, "JPEG", 92))
            return {};
        paths << path;
    }
    return paths;
}

// A copy of `photo` as another file: re-compressed and saved as PNG.
bool writeResavedCopy(const QString& photo, const QString& copy)
{
    const QImage original(photo);
    return !original.isNull() && ti::recompressedCopy(original, 80).save(copy, "PNG");
}

bool isShown(const QWidget* widget)
{
    return widget && widget->isVisible();
}

QWidget* page(MainWindow& w, const char* name)
{
    return w.findChild<QWidget*>(QString::fromLatin1(name));
}

QString resultsSentence(MainWindow& w)
{
    const auto* label = w.findChild<QLabel*>(QStringLiteral("resultsSentence"));
    return label ? label->text() : QString();
}

void showWindow(MainWindow& w)
{
    w.resize(1200, 760);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
}

// Makes `widget` the focus of the active window, so its shortcuts fire.
void focusOn(MainWindow& w, QWidget* widget)
{
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    widget->setFocus();
    QTRY_VERIFY(widget->hasFocus());
}

// Chooses `model` and waits until the controller took it (asynchronous).
bool chooseModel(MainWindow& w, const QString& model)
{
    QSignalSpy changed(w.controller(), &LibraryController::modelChanged);
    return w.chooseModel(model) && (!changed.isEmpty() || changed.wait(kWaitMs));
}

// Adds `folder` and waits for the index run to finish (not fail).
bool indexFolder(MainWindow& w, const QString& folder)
{
    QSignalSpy finished(w.controller(), &LibraryController::indexingFinished);
    QSignalSpy failed(w.controller(), &LibraryController::indexingFailed);
    w.addFolder(folder);
    if (!QTest::qWaitFor([&] { return finished.count() + failed.count() > 0; }, kWaitMs))
        qWarning("the index run did not end within %d ms", kWaitMs);
    if (!failed.isEmpty())
        qWarning("index run failed: %s", qPrintable(failed.first().first().toString()));
    return finished.count() == 1 && failed.isEmpty();
}

// What a file manager's drag carries for one local file.
std::unique_ptr<QMimeData> fileDrag(const QString& path)
{
    auto mime = std::make_unique<QMimeData>();
    mime->setUrls({QUrl::fromLocalFile(path)});
    return mime;
}

// A real drag-enter, then (when accepted) a drop on `target`, as Qt's drag
// manager delivers them. Returns whether the drag-enter was accepted.
bool dragAndDrop(QWidget* target, const QString& path, bool dropEvenIfRefused = false)
{
    const std::unique_ptr<QMimeData> mime = fileDrag(path);
    const QPointF at(target->width() / 2.0, target->height() / 2.0);
    QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    const bool accepted = enter.isAccepted();
    if (accepted || dropEvenIfRefused) {
        QDropEvent drop(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(target, &drop);
    }
    return accepted;
}

// Drops `image` on `target` and waits for the answer; the paths shown in
// the grid, best first (empty when nothing came).
QStringList dropAndWait(MainWindow& w, QWidget* target, const QString& image)
{
    QSignalSpy results(w.controller(), &LibraryController::resultsReady);
    if (!dragAndDrop(target, image)) {
        qWarning("the drag of %s was refused", qPrintable(image));
        return {};
    }
    if (!results.wait(kWaitMs) && results.isEmpty())
        return {};
    QStringList shown;
    for (int row = 0; row < w.results()->rowCount(); ++row)
        shown << w.results()->pathAt(row);
    return shown;
}

} // namespace

class TestWindowFlows : public QObject {
    Q_OBJECT

private:
    QTemporaryDir suite_;
    QString tinyModel_;
    std::unique_ptr<QTemporaryDir> case_;

    QString casePath(const QString& name) const { return case_->filePath(name); }

    // A window on a new library with the tiny model and `kPhotos` scenes
    // indexed through the window itself.
    bool openIndexedWindow(MainWindow& w, const QString& photos)
    {
        showWindow(w);
        return !QTest::currentTestFailed() && chooseModel(w, tinyModel_) && indexFolder(w, photos);
    }

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

    // Checks that `file` is a PNG of `size` (times the device pixel ratio).
    static void verifyScreenshot(const QString& file, QSize size)
    {
        const QImage shot(file);
        QVERIFY2(!shot.isNull(), qPrintable(file));
        QVERIFY2(shot.width() >= size.width() && shot.width() % size.width() == 0,
                 qPrintable(QStringLiteral("%1x%2").arg(shot.width()).arg(shot.height())));
        QCOMPARE(shot.size(), size * (shot.width() / size.width()));
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
        // QSettings reads XDG_CONFIG_HOME once per process: point it here too.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, config);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, config);
    }

    void cleanup()
    {
        case_.reset();
    }

    void firstRunDownloadThenFolderThenSearch();
    void dropsOnSearchFieldAndGridSearchForLikePhotos();
    void keyboardPreviewAndAlbumDelete();
    void screenshotOptionWritesAPng();
};

void TestWindowFlows::firstRunDownloadThenFolderThenSearch()
{
    const KnownModel* known = findKnownModel(kRepo);
    QVERIFY(known && known->recommended);
    HttpTestServer server;
    QVERIFY(server.listen());
    QVERIFY(server.addRepo(kRepo, known->revision, tinyModel_));
    qputenv("HF_ENDPOINT", server.endpoint().toUtf8());
    const QStringList photos = writeScenes(casePath(QStringLiteral("photos")), kPhotos);
    QCOMPARE(photos.size(), kPhotos);

    MainWindow w(casePath(QStringLiteral("library")));
    showWindow(w);
    QTRY_VERIFY(isShown(page(w, "firstRunPage")));
    QVERIFY(!isShown(w.searchField()));
    QVERIFY(w.controller()->modelDir().isEmpty());

    auto* download = w.findChild<QPushButton*>(QStringLiteral("downloadRecommended"));
    QVERIFY(isShown(download));
    QTest::mouseClick(download, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(isShown(page(w, "addFoldersPage")), kWaitMs);
    QVERIFY(!isShown(page(w, "firstRunPage")));
    QCOMPARE(QDir::cleanPath(w.controller()->modelDir()), QDir::cleanPath(ModelStore::folderFor(kRepo)));
    QVERIFY(ModelStore::installedRepo(kRepo).has_value());
    QVERIFY(!server.requestsFor(QStringLiteral("model.safetensors")).isEmpty()); // it came from the server

    QSignalSpy finished(w.controller(), &LibraryController::indexingFinished);
    w.addFolder(casePath(QStringLiteral("photos")));
    QTRY_VERIFY(isShown(w.searchField()));
    QVERIFY(!isShown(page(w, "addFoldersPage")));
    QVERIFY(finished.wait(kWaitMs));

    const QString query = QStringLiteral("red house by the sea");
    focusOn(w, w.searchField());
    QTest::keyClicks(w.searchField(), query);
    QTest::keyClick(w.searchField(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(w.results()->rowCount() > 0, kWaitMs);
    QVERIFY(photos.contains(w.results()->pathAt(0)));
    QTRY_VERIFY2(resultsSentence(w).contains(query), qPrintable(resultsSentence(w)));
    QVERIFY(isShown(w.resultsView()));
}

void TestWindowFlows::dropsOnSearchFieldAndGridSearchForLikePhotos()
{
    const QStringList photos = writeScenes(casePath(QStringLiteral("photos")), kPhotos);
    QCOMPARE(photos.size(), kPhotos);
    const QString outside = casePath(QStringLiteral("elsewhere"));
    QVERIFY(QDir().mkpath(outside));
    const QString copyOf3 = outside + QStringLiteral("/from a friend.png");
    const QString copyOf5 = outside + QStringLiteral("/downloaded.png");
    const QString notes = outside + QStringLiteral("/notes.txt");
    QVERIFY(writeResavedCopy(photos[3], copyOf3));
    QVERIFY(writeResavedCopy(photos[5], copyOf5));
    QFile text(notes);
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("not an image\n");
    text.close();

    MainWindow w(casePath(QStringLiteral("library")));
    QVERIFY(openIndexedWindow(w, casePath(QStringLiteral("photos"))));
    QTRY_VERIFY(isShown(w.searchField()));

    // On the search field: photos like the dropped one, the original first.
    const QStringList likeField = dropAndWait(w, w.searchField(), copyOf3);
    QVERIFY2(!likeField.isEmpty() && likeField.first() == photos[3], qPrintable(likeField.join(QLatin1Char(' '))));
    QVERIFY(!likeField.contains(copyOf3)); // the dropped file is not in the library
    QTRY_VERIFY(isShown(w.resultsView()));

    // On the grid: the same, for another photo.
    const QStringList likeGrid = dropAndWait(w, w.resultsView()->viewport(), copyOf5);
    QVERIFY2(!likeGrid.isEmpty() && likeGrid.first() == photos[5], qPrintable(likeGrid.join(QLatin1Char(' '))));

    // Not an image: refused at drag-enter on both, and a drop searches nothing.
    QSignalSpy started(w.controller(), &LibraryController::searchStarted);
    QSignalSpy results(w.controller(), &LibraryController::resultsReady);
    QVERIFY(!dragAndDrop(w.searchField(), notes, true));
    QVERIFY(!dragAndDrop(w.resultsView()->viewport(), notes, true));
    QCoreApplication::processEvents();
    QVERIFY(!w.controller()->isSearching());
    QCOMPARE(started.count(), 0);
    QCOMPARE(results.count(), 0);
    QCOMPARE(w.results()->pathAt(0), photos[5]); // the grid still shows the last answer
}

void TestWindowFlows::keyboardPreviewAndAlbumDelete()
{
    const QStringList photos = writeScenes(casePath(QStringLiteral("photos")), kPhotos);
    QCOMPARE(photos.size(), kPhotos);
    MainWindow w(casePath(QStringLiteral("library")));
    QVERIFY(openIndexedWindow(w, casePath(QStringLiteral("photos"))));
    w.searchFor(QStringLiteral("a garden"));
    QTRY_VERIFY_WITH_TIMEOUT(w.results()->rowCount() > 1 && isShown(w.resultsView()), kWaitMs);

    // The selection fills the detail pane.
    ResultsView* view = w.resultsView();
    const QString first = w.results()->pathAt(0);
    const QString second = w.results()->pathAt(1);
    view->setCurrentIndex(w.results()->index(0));
    QCOMPARE(w.detailPane()->photo(), first);
    QTRY_VERIFY(isShown(w.detailPane()));

    // Space: the large preview; Right moves the grid along; Esc closes.
    focusOn(w, view);
    QTest::keyClick(view, Qt::Key_Space);
    QPointer<PreviewDialog> preview = w.findChild<PreviewDialog*>(QStringLiteral("largePreview"));
    QVERIFY(preview);
    QTRY_VERIFY(preview->isVisible());
    QTest::keyClick(preview, Qt::Key_Right);
    QCOMPARE(view->currentIndex().row(), 1);
    QCOMPARE(w.detailPane()->photo(), second);
    QTest::keyClick(preview, Qt::Key_Escape);
    QTRY_VERIFY(!preview || !preview->isVisible());

    // Two photos in a manual album, shown from the sidebar.
    auto* browser = w.findChild<LibraryBrowser*>();
    auto* sidebar = w.findChild<LibrarySidebar*>();
    QVERIFY(browser && sidebar);
    const QString name = QStringLiteral("Keepers");
    const CollectionRequest album{Kind::Album, name};
    browser->createAlbum(name, AlbumKind::Manual);
    browser->addToAlbum(name, {photos[2], photos[6]});
    auto albumCount = [&]() -> qint64 {
        for (const AlbumEntry& a : browser->contents().albums)
            if (a.name == name)
                return a.photos;
        return -1;
    };
    QTRY_COMPARE_WITH_TIMEOUT(albumCount(), qint64(2), kWaitMs);
    QTRY_VERIFY(sidebar->indexFor(album).isValid());
    sidebar->select(album);
    QTRY_COMPARE_WITH_TIMEOUT(w.results()->rowCount(), 2, kWaitMs);
    QTRY_VERIFY(resultsSentence(w).contains(name));

    // Delete on the grid: out of the album; the file stays.
    const int row = w.results()->pathAt(0) == photos[2] ? 0 : 1;
    QCOMPARE(w.results()->pathAt(row), photos[2]);
    view->setCurrentIndex(w.results()->index(row));
    focusOn(w, view);
    QTest::keyClick(view, Qt::Key_Delete);
    QTRY_COMPARE_WITH_TIMEOUT(albumCount(), qint64(1), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(w.results()->rowCount(), 1, kWaitMs); // the grid follows the album
    QCOMPARE(w.results()->pathAt(0), photos[6]);
    QVERIFY(QFileInfo::exists(photos[2]));
}

void TestWindowFlows::screenshotOptionWritesAPng()
{
    const QSize size(900, 600);
    QByteArray errors;

    // An empty library: the first-run page, captured.
    const QString emptyShot = casePath(QStringLiteral("empty.png"));
    const int emptyExit = runApp({QStringLiteral("--screenshot"), emptyShot, QStringLiteral("--library"),
                                  casePath(QStringLiteral("empty-library")), QStringLiteral("--size"),
                                  QStringLiteral("900x600")},
                                 &errors);
    QVERIFY2(emptyExit == 0, errors.constData());
    QVERIFY2(!errors.contains("had not settled"), errors.constData());
    verifyScreenshot(emptyShot, size);
    if (QTest::currentTestFailed())
        return;

    // A library with photos and a model: a search with the first hit selected.
    const QString library = casePath(QStringLiteral("library"));
    QCOMPARE(writeScenes(casePath(QStringLiteral("photos")), kPhotos).size(), kPhotos);
    {
        MainWindow w(library);
        QVERIFY(openIndexedWindow(w, casePath(QStringLiteral("photos"))));
    }
    const QString searchShot = casePath(QStringLiteral("search.png"));
    const int searchExit = runApp({QStringLiteral("--screenshot"), searchShot, QStringLiteral("--library"), library,
                                   QStringLiteral("--query"), QStringLiteral("a lake at dusk"),
                                   QStringLiteral("--select"), QStringLiteral("0"), QStringLiteral("--size"),
                                   QStringLiteral("900x600")},
                                  &errors);
    QVERIFY2(searchExit == 0, errors.constData());
    QVERIFY2(!errors.contains("had not settled"), errors.constData());
    verifyScreenshot(searchShot, size);
    QVERIFY(QImage(searchShot) != QImage(emptyShot));
}

QTEST_MAIN(TestWindowFlows)
#include "test_window_flows.moc"
