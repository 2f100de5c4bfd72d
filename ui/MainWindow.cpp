#include "MainWindow.h"

#include "AddFoldersPage.h"
#include "AlbumActions.h"
#include "AppIcon.h"
#include "AppSettings.h"
#include "Compute.h"
#include "ClassifyPanel.h"
#include "ClassifyService.h"
#include "FilterBar.h"
#include "FirstRunPage.h"
#include "IndexProgressBar.h"
#include "LibraryBrowser.h"
#include "LibraryController.h"
#include "LibrarySidebar.h"
#include "PhotoDetailPane.h"
#include "ResultsHeader.h"
#include "ResultsModel.h"
#include "ResultsView.h"
#include "SearchField.h"
#include "TextController.h"
#include "TextPass.h"
#include "TextProgressBar.h"
#include "ThumbnailLoader.h"

#include <QCloseEvent>
#include <QDir>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QHBoxLayout>
#include <QVBoxLayout>
#include <QtDebug>

namespace photosearch {

MainWindow::MainWindow(const QString& libraryDir, QWidget* parent)
    : QMainWindow(parent)
    , libraryDir_(libraryDir)
    , controller_(new LibraryController(libraryDir, this))
{
    setWindowTitle(QStringLiteral("PhotoSearch"));
    setWindowIcon(appIcon());
    resize(1280, 800);

    browser_ = new LibraryBrowser(libraryDir, this);
    albumActions_ = new AlbumActions(browser_, this, this);
    classifier_ = new ClassifyService(libraryDir, controller_->encoders(), this);

    pages_ = new QStackedWidget(this);
    firstRun_ = new FirstRunPage(pages_);
    addFolders_ = new AddFoldersPage(pages_);
    mainPage_ = buildMainPage();
    statusPage_ = buildStatusPage();
    pages_->addWidget(statusPage_);
    pages_->addWidget(firstRun_);
    pages_->addWidget(addFolders_);
    pages_->addWidget(mainPage_);
    setCentralWidget(pages_);

    progress_ = new IndexProgressBar(this);
    progress_->setAccessibleName(tr("Indexing progress"));
    statusBar()->addPermanentWidget(progress_);
    text_ = new TextController(libraryDir, this);
    textProgress_ = new TextProgressBar(this);
    statusBar()->addPermanentWidget(textProgress_);
    buildMenus();
    connectController();
    connectResults();
    connectText();
    connect(firstRun_, &FirstRunPage::modelReady, this, &MainWindow::chooseModel);
    connect(addFolders_, &AddFoldersPage::folderChosen, this, &MainWindow::addFolder);
    applySettings(AppSettings::load());

    showPlaceholder(idleText());
    statusBar()->showMessage(tr("Opening the library in %1…").arg(QDir::toNativeSeparators(libraryDir_)));
    updatePage();
}

MainWindow::~MainWindow()
{
    controller_->shutdown();
}

QWidget* MainWindow::buildMainPage()
{
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(6, 6, 6, 0);
    search_ = new SearchField(page);
    layout->addWidget(search_);

    splitter_ = new QSplitter(Qt::Horizontal, page);
    splitter_->setObjectName(QStringLiteral("mainSplitter"));
    splitter_->setChildrenCollapsible(false);
    sidebar_ = new LibrarySidebar(browser_, splitter_);
    tabs_ = new QTabWidget(splitter_);
    tabs_->setObjectName(QStringLiteral("centerTabs"));
    tabs_->setDocumentMode(true);
    tabs_->tabBar()->setChangeCurrentOnDrag(true); // drag images over "Classify" to drop them there
    tabs_->addTab(buildResultsTab(), tr("&Photos"));
    classify_ = new ClassifyPanel(classifier_, tabs_);
    tabs_->addTab(classify_, tr("&Classify"));
    classify_->setModelDir(controller_->modelDir());
    // Albums filed from the Classify tab appear in the sidebar.
    connect(classify_, &ClassifyPanel::albumsFiled, this, [this] { browser_->refresh(); });
    detail_ = new PhotoDetailPane(libraryDir_, splitter_);
    sidebar_->setMinimumWidth(180);
    detail_->setMinimumWidth(240);
    splitter_->addWidget(sidebar_);
    splitter_->addWidget(tabs_);
    splitter_->addWidget(detail_);
    splitter_->setStretchFactor(0, 0);
    splitter_->setStretchFactor(1, 1);
    splitter_->setStretchFactor(2, 0);
    splitter_->setSizes({230, 730, 320});
    layout->addWidget(splitter_, 1);
    return page;
}

QWidget* MainWindow::buildStatusPage()
{
    auto* page = new QWidget(this);
    page->setObjectName(QStringLiteral("libraryStatusPage"));
    statusText_ = new QLabel(tr("Opening your library…"), page);
    statusText_->setObjectName(QStringLiteral("libraryStatus"));
    statusText_->setWordWrap(true);
    statusText_->setAlignment(Qt::AlignCenter);
    statusText_->setMaximumWidth(560);
    // An error here is what the user has to act on: let them copy it.
    statusText_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* settings = new QPushButton(tr("Choose Another Library…"), page);
    settings->setObjectName(QStringLiteral("chooseAnotherLibrary"));
    settings->setVisible(false);
    connect(settings, &QPushButton::clicked, this, &MainWindow::showSettings);
    auto* layout = new QVBoxLayout(page);
    layout->addStretch(1);
    // Centred by stretches, not by an alignment flag: an aligned word-wrapped
    // label gets its one-line size hint and long sentences are clipped.
    auto* row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(statusText_, 10);
    row->addStretch(1);
    layout->addLayout(row);
    layout->addWidget(settings, 0, Qt::AlignHCenter);
    layout->addStretch(2);
    return page;
}

QWidget* MainWindow::buildResultsTab()
{
    auto* tab = new QWidget(this);
    auto* layout = new QVBoxLayout(tab);
    layout->setContentsMargins(0, 4, 0, 0);
    filters_ = new FilterBar(tab);
    header_ = new ResultsHeader(tab);
    layout->addWidget(filters_);
    layout->addWidget(header_);

    resultStack_ = new QStackedWidget(tab);
    placeholder_ = new QLabel(resultStack_);
    placeholder_->setObjectName(QStringLiteral("placeholder"));
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    placeholder_->setMargin(24);
    resultStack_->addWidget(placeholder_);
    results_ = new ResultsModel(this);
    view_ = new ResultsView(resultStack_);
    view_->setObjectName(QStringLiteral("results"));
    view_->setAccessibleName(tr("Photos"));
    view_->setResultsModel(results_);
    // Images dropped on the grid search for photos like them.
    view_->setAcceptDrops(true);
    view_->viewport()->setAcceptDrops(true);
    view_->viewport()->installEventFilter(this);
    placeholder_->setAcceptDrops(true);
    placeholder_->installEventFilter(this);
    resultStack_->addWidget(view_);
    layout->addWidget(resultStack_, 1);
    return tab;
}

void MainWindow::connectController()
{
    LibraryController* c = controller_;
    connect(progress_, &IndexProgressBar::pauseRequested, c, &LibraryController::pauseIndexing);
    connect(progress_, &IndexProgressBar::resumeRequested, c, &LibraryController::resumeIndexing);
    connect(progress_, &IndexProgressBar::cancelRequested, c, &LibraryController::cancelIndexing);

    connect(c, &LibraryController::libraryOpened, this, [this](const QString& modelDir) {
        libraryOpen_ = true;
        classify_->setModelDir(modelDir);
        statusBar()->showMessage(tr("Library: %1").arg(QDir::toNativeSeparators(libraryDir_)), 4000);
        updatePage();
    });
    connect(c, &LibraryController::startupFailed, this, [this](const QString& sentence, const QString& detail) {
        libraryOpen_ = true; // settled, even though it failed
        updatePage();
        showError(sentence, detail);
    });
    connect(c, &LibraryController::modelNeeded, this, [this](const QString& sentence) {
        statusBar()->showMessage(sentence);
        updatePage();
    });
    connect(c, &LibraryController::errorOccurred, this, &MainWindow::showError);
    connect(c, &LibraryController::statusMessage, this, [this](const QString& m) { statusBar()->showMessage(m); });
    connect(c, &LibraryController::indexingStatus, progress_, &IndexProgressBar::setStatus);
    connect(c, &LibraryController::modelChanged, this, [this](const QString& dir) {
        statusBar()->showMessage(tr("Model: %1").arg(QDir::toNativeSeparators(dir)), 6000);
        classify_->setModelDir(dir);
        browser_->refresh();
        updatePage();
    });
    connect(c, &LibraryController::modelSwitchStarted, this, [this](const QString& dir) {
        statusBar()->showMessage(tr("Indexing the library with %1; search keeps using the current model until "
                                    "that is done.")
                                     .arg(QDir(dir).dirName()));
    });
    connect(c, &LibraryController::folderRemoved, this, [this](const QString& root, qint64 photos) {
        statusBar()->showMessage(tr("%1 left the library (%2 photos); the files are untouched.")
                                     .arg(QDir::toNativeSeparators(root))
                                     .arg(photos),
                                 8000);
        browser_->refresh();
    });
    connect(c, &LibraryController::rootsChanged, this, [this](const QStringList& roots) {
        filters_->setFolders(roots);
        browser_->refresh();
        updatePage();
    });
    connect(c, &LibraryController::indexingStarted, this, &MainWindow::indexingStarted);
    connect(c, &LibraryController::indexingProgress, progress_, &IndexProgressBar::setProgress);
    connect(c, &LibraryController::indexingPausedChanged, progress_, &IndexProgressBar::setPaused);
    connect(c, &LibraryController::indexingPausedChanged, this, [this](bool paused) {
        pauseAction_->setText(paused ? tr("&Resume Indexing") : tr("&Pause Indexing"));
    });
    // The controller runs the last search again itself, so the new photos show.
    connect(c, &LibraryController::indexingFinished, this, [this](const IndexSummary&, const QString& sentence) {
        indexingEnded();
        statusBar()->showMessage(sentence);
        browser_->refresh();
    });
    connect(c, &LibraryController::indexingFailed, this, [this](const QString& sentence, const QString& detail) {
        indexingEnded();
        showError(sentence, detail);
    });
    connect(c, &LibraryController::searchStarted, this, [this](const QString& description) {
        statusBar()->showMessage(tr("Searching for “%1”…").arg(description));
    });
    connect(c, &LibraryController::resultsReady, this, &MainWindow::showResults);
    connect(c, &LibraryController::searchFailed, this, &MainWindow::showError);
    connect(c, &LibraryController::stopped, this, [this] {
        controllerStopped_ = true;
        closeWhenStopped(); // the run has stopped: close for real
    });
}

// Which page: the library must open, then a model is needed, then a folder,
// then the library is shown.
void MainWindow::updatePage()
{
    QWidget* page = mainPage_;
    const bool failed = !controller_->startupError().isEmpty();
    if (!libraryOpen_ || failed) {
        page = statusPage_;
        statusText_->setText(failed ? controller_->startupError() : tr("Opening your library…"));
        statusPage_->findChild<QPushButton*>(QStringLiteral("chooseAnotherLibrary"))->setVisible(failed);
    } else if (controller_->modelDir().isEmpty()) {
        page = firstRun_;
    } else if (controller_->roots().isEmpty() && !controller_->isIndexing()) {
        page = addFolders_;
    }
    if (pages_->currentWidget() != page) {
        pages_->setCurrentWidget(page);
        if (page == mainPage_)
            search_->setFocus();
    }
    if (resultStack_->currentWidget() == placeholder_ && search_->text().isEmpty() && !showingCollection_)
        showPlaceholder(idleText());
}

QString MainWindow::idleText() const
{
    if (controller_->isIndexing())
        return tr("Indexing your photos… You can search already: describe a photo above, or drop one here to "
                  "find photos like it.");
    return tr("Describe a photo above — “dog on a beach”, “birthday cake”, “snow last winter” — or drop an "
              "image here to find photos like it.");
}

void MainWindow::showPlaceholder(const QString& text)
{
    placeholder_->setText(text);
    resultStack_->setCurrentWidget(placeholder_);
}

void MainWindow::addFolder(const QString& folder)
{
    controller_->addFolder(folder);
    updatePage();
}

bool MainWindow::chooseModel(const QString& dir)
{
    return controller_->setModelDir(dir);
}

void MainWindow::showError(const QString& sentence, const QString& detail)
{
    if (!detail.isEmpty())
        qWarning("%s", qPrintable(detail));
    statusBar()->showMessage(sentence);
    if (errorBox_) { // one box: the latest error replaces the one shown
        errorBox_->setText(sentence);
        errorBox_->setDetailedText(detail);
        errorBox_->raise();
        return;
    }
    errorBox_ = new QMessageBox(QMessageBox::Warning, QStringLiteral("PhotoSearch"), sentence, QMessageBox::Ok, this);
    errorBox_->setObjectName(QStringLiteral("error"));
    errorBox_->setAttribute(Qt::WA_DeleteOnClose);
    if (!detail.isEmpty())
        errorBox_->setDetailedText(detail);
    errorBox_->open();
}

void MainWindow::indexingStarted(const QString& folder)
{
    pauseAction_->setText(tr("&Pause Indexing"));
    pauseAction_->setEnabled(true);
    cancelAction_->setEnabled(true);
    progress_->start(folder);
    updatePage();
}

void MainWindow::indexingEnded()
{
    progress_->finish();
    pauseAction_->setEnabled(false);
    cancelAction_->setEnabled(false);
    updatePage();
}

void MainWindow::applySettings(const AppSettings& settings)
{
    const clip::DevicePreference device = settings.device == AppSettings::Device::Cpu   ? clip::DevicePreference::Cpu
                                          : settings.device == AppSettings::Device::Gpu ? clip::DevicePreference::Cuda
                                                                                         : clip::DevicePreference::Auto;
    controller_->setComputeSettings(device, settings.threads);
    classifier_->setEncoders(controller_->encoders()); // the same loaded model as search
    controller_->setWatching(settings.watchFolders);
    results_->thumbnails()->setDiskCacheEnabled(settings.shareThumbnails);
    TextPassOptions text;
    text.languages = settings.textLanguages;
    text.all = settings.readTextInEveryPhoto;
    text.threads = settings.threads; // the same CPU budget as the encoder's
    text_->setOptions(text);
}

bool MainWindow::isSettled() const
{
    if (!libraryOpen_ || controller_->isSearching() || collectionPending_ || detailInfoPending_
        || detailImagePending_)
        return false;
    if (pages_->currentWidget() == mainPage_ && resultStack_->currentWidget() == view_
        && results_->thumbnails()->pendingCount() > 0)
        return false;
    return !classify_->isBusy();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // Closing (the title bar, File ▸ Quit) during an index run or a search
    // must not block the GUI thread: loading the model, the current batch and
    // the final index save cannot be interrupted. Cancel, keep the window up
    // with a busy message, and close for real once both threads and the
    // text pass have stopped (closeWhenStopped() calls close() again).
    // Once stopping began, only closeWhenStopped() closes the window,
    // however fast the threads end: a second close request changes nothing.
    if (closing_ && !(controllerStopped_ && textStopped_)) {
        event->ignore();
        return;
    }
    if (!closing_ && !(controller_->hasStopped() && text_->hasStopped())) {
        event->ignore();
        closing_ = true;
        centralWidget()->setEnabled(false);
        menuBar()->setEnabled(false);
        progress_->setEnabled(false);
        textProgress_->setEnabled(false);
        setCursor(Qt::BusyCursor);
        statusBar()->showMessage(controller_->isIndexing() ? tr("Stopping the index run…") : tr("Closing…"));
        controller_->requestShutdown(); // what was committed stays
        text_->requestShutdown();       // what was read stays
        return;
    }
    closing_ = false;
    QMainWindow::closeEvent(event);
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (shownOnce_)
        return;
    shownOnce_ = true;
    search_->setFocus();
}

} // namespace photosearch
