#include "MainWindow.h"

#include "IndexProgressBar.h"
#include "LibraryController.h"
#include "LibraryStatsDialog.h"
#include "ResultsModel.h"
#include "ResultsView.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QUrl>
#include <QVBoxLayout>
#include <QtDebug>

namespace photosearch {

MainWindow::MainWindow(const QString& libraryDir, QWidget* parent)
    : QMainWindow(parent)
    , libraryDir_(libraryDir)
    , controller_(new LibraryController(libraryDir, this))
{
    setWindowTitle(QStringLiteral("PhotoSearch"));
    resize(1100, 720);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    search_ = new QLineEdit(central);
    search_->setObjectName(QStringLiteral("searchField"));
    search_->setPlaceholderText(tr("Describe a photo, e.g. \"dog on a beach\""));
    search_->setClearButtonEnabled(true);
    search_->setAccessibleName(tr("Search photos"));
    layout->addWidget(search_);

    stack_ = new QStackedWidget(central);
    placeholder_ = new QLabel(stack_);
    placeholder_->setObjectName(QStringLiteral("placeholder"));
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    stack_->addWidget(placeholder_);
    results_ = new ResultsModel(this);
    view_ = new ResultsView(stack_);
    view_->setObjectName(QStringLiteral("results"));
    view_->setAccessibleName(tr("Search results"));
    view_->setResultsModel(results_);
    stack_->addWidget(view_);
    layout->addWidget(stack_, 1);
    setCentralWidget(central);
    showPlaceholder(idleText());

    progress_ = new IndexProgressBar(this);
    progress_->setAccessibleName(tr("Indexing progress"));
    statusBar()->addPermanentWidget(progress_);
    buildMenus();

    // Return searches at once; typing searches after a short pause (only the
    // latest request's results are ever shown); Esc clears.
    typingTimer_.setSingleShot(true);
    typingTimer_.setInterval(350);
    connect(&typingTimer_, &QTimer::timeout, this, [this] {
        if (!controller_->modelDir().isEmpty())
            runSearch();
    });
    connect(search_, &QLineEdit::returnPressed, this, &MainWindow::runSearch);
    connect(search_, &QLineEdit::textEdited, this, [this] { typingTimer_.start(); });
    connect(search_, &QLineEdit::textChanged, this, [this](const QString& text) {
        if (text.isEmpty()) // the clear button or Esc
            runSearch();
    });
    auto* clear = new QAction(search_);
    clear->setShortcut(Qt::Key_Escape);
    clear->setShortcutContext(Qt::WidgetShortcut);
    connect(clear, &QAction::triggered, search_, &QLineEdit::clear);
    search_->addAction(clear);

    connect(view_, &ResultsView::openRequested, this, &MainWindow::openPhoto);
    connect(view_, &ResultsView::similarRequested, this, &MainWindow::showSimilar);
    connect(view_, &ResultsView::showFolderRequested, this, &MainWindow::openFolderOf);

    connect(progress_, &IndexProgressBar::pauseRequested, controller_, &LibraryController::pauseIndexing);
    connect(progress_, &IndexProgressBar::resumeRequested, controller_, &LibraryController::resumeIndexing);
    connect(progress_, &IndexProgressBar::cancelRequested, controller_, &LibraryController::cancelIndexing);

    LibraryController* c = controller_;
    connect(c, &LibraryController::modelNeeded, this, &MainWindow::offerChooseModel);
    connect(c, &LibraryController::errorOccurred, this, &MainWindow::showError);
    connect(c, &LibraryController::statusMessage, this, [this](const QString& message) {
        statusBar()->showMessage(message);
    });
    connect(c, &LibraryController::indexingStatus, progress_, &IndexProgressBar::setStatus);
    connect(c, &LibraryController::modelChanged, this, [this](const QString& dir) {
        statusBar()->showMessage(tr("Model: %1").arg(QDir::toNativeSeparators(dir)));
        if (stack_->currentWidget() == placeholder_ && search_->text().isEmpty())
            showPlaceholder(idleText());
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
        if (closing_)
            close(); // the run has stopped: close for real
    });

    statusBar()->showMessage(tr("Library: %1").arg(libraryDir_));
}

MainWindow::~MainWindow()
{
    controller_->shutdown();
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    addFolderAction_ = file->addAction(tr("&Add Folder…"), this, &MainWindow::chooseFolderDialog);
    addFolderAction_->setShortcut(QKeySequence::Open);
    chooseModelAction_ = file->addAction(tr("Choose &Model…"), this, &MainWindow::chooseModelDialog);
    file->addAction(tr("Library &Statistics"), this, &MainWindow::showStatistics);
    file->addSeparator();
    pauseAction_ = file->addAction(tr("&Pause Indexing"), this, [this] {
        if (controller_->isPaused())
            controller_->resumeIndexing();
        else
            controller_->pauseIndexing();
    });
    pauseAction_->setObjectName(QStringLiteral("pauseIndexingAction"));
    pauseAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    pauseAction_->setEnabled(false);
    cancelAction_ = file->addAction(tr("&Cancel Indexing"), controller_, &LibraryController::cancelIndexing);
    cancelAction_->setObjectName(QStringLiteral("cancelIndexingAction"));
    cancelAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X));
    cancelAction_->setEnabled(false);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About PhotoSearch"), this, &MainWindow::showAbout);

    QAction* focusSearch = new QAction(this);
    focusSearch->setShortcut(QKeySequence::Find);
    connect(focusSearch, &QAction::triggered, this, [this] {
        search_->setFocus();
        search_->selectAll();
    });
    addAction(focusSearch);
}

QString MainWindow::idleText() const
{
    if (controller_->modelDir().isEmpty())
        return tr("Choose a CLIP model with File ▸ Choose Model…, then add a folder of photos with "
                  "File ▸ Add Folder… (Ctrl+O).");
    return tr("Describe a photo above to search your library, or add a folder of photos with "
              "File ▸ Add Folder… (Ctrl+O).");
}

void MainWindow::showPlaceholder(const QString& text)
{
    placeholder_->setText(text);
    stack_->setCurrentWidget(placeholder_);
}

void MainWindow::chooseFolderDialog()
{
    if (controller_->modelDir().isEmpty()) {
        offerChooseModel(LibraryController::noModelSentence());
        return;
    }
    const QString start = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Add Folder to Library"), start);
    if (!folder.isEmpty())
        addFolder(folder);
}

void MainWindow::chooseModelDialog()
{
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Choose a CLIP Model Folder (config.json, model.safetensors, vocab.json, merges.txt)"),
        controller_->modelDir());
    if (!dir.isEmpty())
        chooseModel(dir);
}

void MainWindow::addFolder(const QString& folder)
{
    controller_->addFolder(folder);
}

bool MainWindow::chooseModel(const QString& dir)
{
    return controller_->setModelDir(dir);
}

void MainWindow::runSearch()
{
    typingTimer_.stop();
    const QString text = search_->text().trimmed();
    if (text.isEmpty()) {
        controller_->search({});
        return;
    }
    controller_->search(text);
}

void MainWindow::showSimilar(const QString& path)
{
    controller_->findSimilar(path);
}

void MainWindow::showResults(const SearchResults& r)
{
    results_->setHits(r.hits);
    if (r.description.isEmpty()) { // cleared
        showPlaceholder(idleText());
        statusBar()->clearMessage();
        return;
    }
    if (r.hits.empty()) {
        showPlaceholder(r.indexedPhotos == 0
                            ? tr("No photos are indexed with this model yet; add a folder with File ▸ Add Folder… "
                                 "(Ctrl+O).")
                            : tr("No photos match “%1”.").arg(r.description));
        statusBar()->clearMessage();
        return;
    }
    stack_->setCurrentWidget(view_);
    view_->scrollToTop();
    statusBar()->showMessage(tr("%1 photos for “%2”, best first.")
                                 .arg(QLocale().toString(qint64(r.hits.size())), r.description));
}

void MainWindow::showStatistics()
{
    QString error;
    const std::optional<Catalog::Stats> stats = controller_->statistics(&error);
    if (!stats) {
        showError(error, {});
        return;
    }
    auto* dialog = new LibraryStatsDialog(libraryDir_, *stats, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::offerChooseModel(const QString& sentence)
{
    statusBar()->showMessage(sentence);
    if (modelBox_)
        return;
    modelBox_ = new QMessageBox(QMessageBox::Information, tr("No Model Chosen"), sentence, QMessageBox::Cancel, this);
    modelBox_->setObjectName(QStringLiteral("modelNeeded"));
    modelBox_->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton* choose = modelBox_->addButton(tr("Choose Model…"), QMessageBox::AcceptRole);
    connect(choose, &QPushButton::clicked, this, &MainWindow::chooseModelDialog, Qt::QueuedConnection);
    modelBox_->open();
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
    addFolderAction_->setEnabled(false);
    chooseModelAction_->setEnabled(false);
    pauseAction_->setText(tr("&Pause Indexing"));
    pauseAction_->setEnabled(true);
    cancelAction_->setEnabled(true);
    statusBar()->clearMessage();
    progress_->start(folder);
}

void MainWindow::indexingEnded()
{
    progress_->finish();
    addFolderAction_->setEnabled(true);
    chooseModelAction_->setEnabled(true);
    pauseAction_->setEnabled(false);
    cancelAction_->setEnabled(false);
}

void MainWindow::openPhoto(const QString& path)
{
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(path)))
        showError(tr("%1 could not be opened; no application is set up to show it.")
                      .arg(QDir::toNativeSeparators(path)),
                  {});
}

void MainWindow::openFolderOf(const QString& path)
{
    const QString folder = QFileInfo(path).absolutePath();
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(folder)))
        showError(tr("The folder %1 could not be opened; no file manager is set up.")
                      .arg(QDir::toNativeSeparators(folder)),
                  {});
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // Closing (the title bar, File ▸ Quit) during an index run or a search
    // must not block the GUI thread: loading the model, the current batch and
    // the final index save cannot be interrupted. Cancel, keep the window up
    // with a busy message, and close for real once both threads have
    // stopped (the controller's stopped() calls close() again).
    if (!controller_->hasStopped()) {
        event->ignore();
        if (closing_)
            return; // already stopping
        closing_ = true;
        centralWidget()->setEnabled(false);
        menuBar()->setEnabled(false);
        progress_->setEnabled(false);
        setCursor(Qt::BusyCursor);
        statusBar()->showMessage(controller_->isIndexing() ? tr("Stopping the index run…") : tr("Closing…"));
        controller_->requestShutdown(); // what was committed stays
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
    // A catalog that could not be opened (newer schema, unwritable folder):
    // say so once the window is up, rather than "no model" later.
    if (!controller_->startupError().isEmpty()) {
        QTimer::singleShot(0, this, [this] {
            showError(controller_->startupError(), controller_->startupErrorDetail());
        });
    }
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About PhotoSearch"),
                       tr("<b>PhotoSearch %1</b><p>Find photos in your own library by describing them. "
                          "Everything runs on this computer.</p>")
                           .arg(QApplication::applicationVersion()));
}

} // namespace photosearch
