// photosearch: the desktop app. `--library DIR` (or $PHOTOSEARCH_LIBRARY,
// or the folder chosen in Settings) picks the library; otherwise the
// per-user default is used. `photosearch IMAGE...` (how the desktop file
// opens images) shows photos like the first IMAGE once the library is open;
// with --screenshot it stands for --similar IMAGE.
//
// `--screenshot FILE [--query Q] [--similar IMAGE] [--select N]
// [--classify IMAGE,... --labels L,...] [--download REPO] [--delay MS]
// [--size WxH]` starts the window,
// does what the options say, waits until it has settled, writes a PNG of
// it and exits (used under Xvfb for the README's pictures).

#include "AppSettings.h"
#include "ClassifyPanel.h"
#include "FirstRunPage.h"
#include "LibraryController.h"
#include "LibraryLocation.h"
#include "MainWindow.h"
#include "ResultsModel.h"
#include "ResultsView.h"
#include "ScreenshotRunner.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>

namespace {

struct ScreenshotPlan {
    QString file;
    QString query;
    QString similar;
    int select = -1;
    QString download;      // a repo to start downloading on the first-run page
    int delayMs = 0;       // capture no earlier than this
    QStringList classifyImages;
    QString labels;
    QSize size;
};

// Does what the plan asks once the library is open, then waits for the
// window to settle and captures it.
void startScreenshot(photosearch::MainWindow* window, const ScreenshotPlan& plan)
{
    using namespace photosearch;
    if (plan.size.isValid())
        window->resize(plan.size);
    // The plan runs once the library is open (its model known).
    auto run = [window, plan] {
        if (!plan.download.isEmpty()) {
            window->firstRunPage()->downloadModel(plan.download);
        } else if (!plan.classifyImages.isEmpty()) {
            window->showClassify();
            window->classifyPanel()->setLabelsText(plan.labels);
            window->classifyPanel()->addImages(plan.classifyImages);
        } else if (!plan.similar.isEmpty()) {
            window->showSimilar(plan.similar);
        } else if (!plan.query.isEmpty()) {
            window->searchFor(plan.query);
        }
        if (plan.select >= 0) {
            // Select once the results are there, so the detail pane fills.
            QObject::connect(window->results(), &QAbstractItemModel::modelReset, window, [window, plan] {
                if (window->results()->rowCount() > plan.select)
                    window->resultsView()->setCurrentIndex(window->results()->index(plan.select));
            });
        }
    };
    if (window->controller()->isReady())
        QTimer::singleShot(0, window, run);
    else
        QObject::connect(window->controller(), &LibraryController::libraryOpened, window, run, Qt::SingleShotConnection);
    QElapsedTimer started;
    started.start();
    auto* runner = new ScreenshotRunner(
        window, plan.file, [window, started, delay = plan.delayMs] { return started.elapsed() >= delay && window->isSettled(); },
        window);
    runner->start();
}

// `photosearch IMAGE...` (the desktop file's %F: "Open with PhotoSearch"):
// photos like the first image, once the library is open.
void showSimilarWhenOpen(photosearch::MainWindow* window, const QString& image)
{
    using namespace photosearch;
    auto run = [window, image] { window->showSimilar(image); };
    if (window->controller()->isReady())
        QTimer::singleShot(0, window, run);
    else
        QObject::connect(window->controller(), &LibraryController::libraryOpened, window, run, Qt::SingleShotConnection);
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("photosearch"));
    QApplication::setApplicationDisplayName(QStringLiteral("PhotoSearch"));
    QApplication::setApplicationVersion(QStringLiteral(PHOTOSEARCH_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("photosearch"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Search your photos by describing them."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption library(QStringLiteral("library"), QStringLiteral("Library folder."), QStringLiteral("DIR"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Write a PNG of the settled window to FILE and exit."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption query(QStringLiteral("query"), QStringLiteral("With --screenshot: search for Q first."),
                                   QStringLiteral("Q"));
    const QCommandLineOption similar(QStringLiteral("similar"),
                                     QStringLiteral("With --screenshot: show photos like IMAGE."), QStringLiteral("IMAGE"));
    const QCommandLineOption select(QStringLiteral("select"),
                                    QStringLiteral("With --screenshot: select result N (0 = first)."), QStringLiteral("N"));
    const QCommandLineOption classify(QStringLiteral("classify"),
                                      QStringLiteral("With --screenshot: classify these images (comma-separated)."),
                                      QStringLiteral("IMAGES"));
    const QCommandLineOption labels(QStringLiteral("labels"), QStringLiteral("With --classify: the labels."),
                                    QStringLiteral("LABELS"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("With --screenshot: window size WxH."),
                                  QStringLiteral("WxH"));
    const QCommandLineOption download(QStringLiteral("download"),
                                      QStringLiteral("With --screenshot: start downloading REPO on the first-run page."),
                                      QStringLiteral("REPO"));
    const QCommandLineOption delay(QStringLiteral("delay"),
                                   QStringLiteral("With --screenshot: capture no earlier than MS milliseconds."),
                                   QStringLiteral("MS"));
    parser.addOptions({library, screenshot, query, similar, select, classify, labels, size, download, delay});
    parser.addPositionalArgument(QStringLiteral("images"), QStringLiteral("Show photos like the first IMAGE."),
                                 QStringLiteral("[IMAGE...]"));
    parser.process(app);

    const QString libraryDir = photosearch::AppSettings::resolveLibrary(parser.value(library));
    QString error;
    // A read-only library (a backup disk, PHOTOSEARCH_READ_ONLY=1) opens for
    // search without the write probe; only a new library must be writable.
    const bool readOnlyLibrary = QFileInfo::exists(QDir(libraryDir).filePath(QStringLiteral("catalog.sqlite")))
        && photosearch::LibraryLocation::isReadOnly(libraryDir);
    if (!readOnlyLibrary && !photosearch::LibraryLocation::ensureWritable(libraryDir, &error)) {
        // With --screenshot nobody is there to close a message box.
        std::fprintf(stderr, "photosearch: %s\n", qPrintable(error));
        if (!parser.isSet(screenshot))
            QMessageBox::critical(nullptr, QStringLiteral("PhotoSearch"), error);
        return 1;
    }
    // Closing the window (or File ▸ Quit) during an index run cancels it and
    // closes the window only once the library threads have stopped, so
    // exec() returns (last window closed) with nothing left running and the
    // window's destructor has nothing to wait for.
    photosearch::MainWindow window(libraryDir);
    // Relative to where the launcher ran us, not to what the window changes.
    const QString openedImage =
        parser.positionalArguments().isEmpty() ? QString() : QFileInfo(parser.positionalArguments().first()).absoluteFilePath();
    if (parser.isSet(screenshot)) {
        ScreenshotPlan plan;
        plan.file = parser.value(screenshot);
        plan.query = parser.value(query);
        plan.similar = parser.isSet(similar) ? parser.value(similar) : openedImage;
        plan.select = parser.isSet(select) ? parser.value(select).toInt() : -1;
        plan.download = parser.value(download);
        plan.delayMs = parser.value(delay).toInt();
        plan.classifyImages = parser.value(classify).split(QLatin1Char(','), Qt::SkipEmptyParts);
        plan.labels = parser.value(labels);
        const QStringList wh = parser.value(size).split(QLatin1Char('x'));
        if (wh.size() == 2)
            plan.size = QSize(wh[0].toInt(), wh[1].toInt());
        startScreenshot(&window, plan);
    } else if (!openedImage.isEmpty()) {
        showSimilarWhenOpen(&window, openedImage);
    }
    window.show();
    return app.exec();
}
