// MainWindow's menus, shortcuts and the dialogs they open (MainWindow.h).

#include "MainWindow.h"

#include "AppSettings.h"
#include "LibraryController.h"
#include "LibraryStatsDialog.h"
#include "ModelManagerDialog.h"
#include "ResultsView.h"
#include "SearchField.h"
#include "SettingsDialog.h"

#include <QAction>
#include <QApplication>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QUrl>

#include <memory>

namespace photosearch {

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    addFolderAction_ = file->addAction(tr("&Add Folder…"), this, &MainWindow::chooseFolderDialog);
    addFolderAction_->setShortcut(QKeySequence::Open);
    file->addAction(tr("&Models…"), this, &MainWindow::showModelManager);
    file->addAction(tr("&Import Model Folder…"), this, &MainWindow::importModelDialog);
    file->addAction(tr("Library &Statistics"), this, &MainWindow::showStatistics);
    readTextAction_ = file->addAction(tr("Read &Text in Photos"), this, &MainWindow::readTextInPhotos);
    readTextAction_->setObjectName(QStringLiteral("readTextAction"));
    readTextAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    readTextAction_->setStatusTip(tr("Read the text written in photos (receipts, signs, screenshots) so that "
                                     "search finds it."));
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

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* find = edit->addAction(tr("&Find"), this, [this] {
        search_->setFocus();
        search_->selectAll();
    });
    find->setShortcut(QKeySequence::Find);
    edit->addAction(tr("Clear Search &History"), search_, &SearchField::clearHistory);
    edit->addSeparator();
    QAction* settings = edit->addAction(tr("&Settings…"), this, &MainWindow::showSettings);
    settings->setShortcut(QKeySequence::Preferences);
    settings->setMenuRole(QAction::PreferencesRole);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* photos = view->addAction(tr("&Photos"), this, [this] { tabs_->setCurrentIndex(0); });
    photos->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    QAction* classify = view->addAction(tr("&Classify"), this, &MainWindow::showClassify);
    classify->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    view->addSeparator();
    QAction* sidebar = view->addAction(tr("&Sidebar"));
    sidebar->setCheckable(true);
    sidebar->setChecked(true);
    sidebar->setShortcut(QKeySequence(Qt::Key_F9));
    connect(sidebar, &QAction::toggled, splitter_->widget(0), &QWidget::setVisible);
    QAction* details = view->addAction(tr("&Details"));
    details->setCheckable(true);
    details->setChecked(true);
    details->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    // The detail pane belongs to the Photos tab; the Classify tab uses the width.
    auto showDetails = [this, details] { splitter_->widget(2)->setVisible(details->isChecked() && tabs_->currentIndex() == 0); };
    connect(details, &QAction::toggled, this, showDetails);
    connect(tabs_, &QTabWidget::currentChanged, this, showDetails);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About PhotoSearch"), this, &MainWindow::showAbout);
}

void MainWindow::chooseFolderDialog()
{
    const QString start = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Add Folder to Library"), start);
    if (!folder.isEmpty())
        addFolder(folder);
}

void MainWindow::importModelDialog()
{
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Import a CLIP Model Folder (config.json, model.safetensors, vocab.json, merges.txt)"),
        controller_->modelDir());
    if (!dir.isEmpty())
        chooseModel(dir);
}

void MainWindow::showModelManager()
{
    auto* dialog = new ModelManagerDialog(controller_->modelDir(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ModelManagerDialog::modelChosen, this, &MainWindow::chooseModel);
    dialog->open();
}

void MainWindow::showSettings()
{
    auto* dialog = new SettingsDialog(libraryDir_, controller_->modelDir(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SettingsDialog::manageModelsRequested, this, &MainWindow::showModelManager);
    connect(dialog, &SettingsDialog::settingsChanged, this, [this](const AppSettings& s, bool libraryMoved) {
        applySettings(s);
        if (libraryMoved)
            statusBar()->showMessage(tr("The new library location is used from the next start."));
    });
    dialog->open();
}

void MainWindow::showStatistics()
{
    // The catalog is read on the library thread; the dialog opens with the
    // answer (once, however often the menu was chosen meanwhile).
    if (statisticsPending_)
        return;
    statisticsPending_ = true;
    auto once = std::make_shared<QMetaObject::Connection>();
    auto failed = std::make_shared<QMetaObject::Connection>();
    *once = connect(controller_, &LibraryController::statisticsReady, this, [this, once, failed](const Catalog::Stats& stats) {
        disconnect(*once);
        disconnect(*failed);
        statisticsPending_ = false;
        auto* dialog = new LibraryStatsDialog(libraryDir_, stats, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    *failed = connect(controller_, &LibraryController::statisticsFailed, this,
                      [this, once, failed](const QString& sentence, const QString& detail) {
                          disconnect(*once);
                          disconnect(*failed);
                          statisticsPending_ = false;
                          showError(sentence, detail);
                      });
    controller_->requestStatistics();
}

void MainWindow::showClassify()
{
    tabs_->setCurrentIndex(1); // the Classify tab (buildMainPage)
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

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About PhotoSearch"),
                       tr("<b>PhotoSearch %1</b><p>Find photos in your own library by describing them. "
                          "Everything runs on this computer; the only network access is downloading a "
                          "model when you ask for one.</p>")
                           .arg(QApplication::applicationVersion()));
}

} // namespace photosearch
