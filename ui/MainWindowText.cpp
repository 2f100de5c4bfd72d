// MainWindow and the text-in-photos pass (MainWindow.h): it runs when the
// library opens (photos indexed by the CLI or before text was read), after
// an index run that wrote photos (once no run is left in the queue) and from
// File ▸ Read Text in Photos, shows its progress beside the index run's, and
// the detail pane and the results follow what it read.

#include "MainWindow.h"

#include "LibraryController.h"
#include "LibraryLocation.h"
#include "PhotoDetailPane.h"
#include "TextController.h"
#include "TextProgressBar.h"

#include <QAction>
#include <QStatusBar>
#include <QTimer>

namespace photosearch {

void MainWindow::connectText()
{
    TextController* t = text_;
    connect(textProgress_, &TextProgressBar::pauseRequested, t, &TextController::pause);
    connect(textProgress_, &TextProgressBar::resumeRequested, t, [this] {
        textAutoPaused_ = false; // the user's resume wins over waiting for the run
        text_->resume();
    });
    connect(textProgress_, &TextProgressBar::cancelRequested, t, [this] {
        text_->cancel();
        statusBar()->showMessage(tr("Stopping the text reading…"));
    });
    connect(t, &TextController::started, this, [this] {
        textProgress_->start();
        readTextAction_->setEnabled(false);
    });
    connect(t, &TextController::progress, textProgress_, &TextProgressBar::setProgress);
    connect(t, &TextController::pausedChanged, textProgress_, &TextProgressBar::setPaused);
    connect(t, &TextController::finished, this, [this](const TextPassSummary& summary, const QString& sentence) {
        textProgress_->finish();
        readTextAction_->setEnabled(true);
        statusBar()->showMessage(sentence, 10000);
        if (summary.read > 0 || summary.failed > 0) {
            detail_->reload();               // the shown photo's text may be new
            controller_->rerunLastSearch(); // its words can be found now
        }
    });
    connect(t, &TextController::failed, this, [this](const QString& sentence, const QString& detail) {
        textProgress_->finish();
        readTextAction_->setEnabled(true);
        showError(sentence, detail);
    });
    connect(t, &TextController::refused, this, [this](const QString& sentence) {
        statusBar()->showMessage(sentence, 10000);
    });
    connect(t, &TextController::stopped, this, [this] {
        textStopped_ = true;
        closeWhenStopped();
    });

    LibraryController* c = controller_;
    // The pass is incremental: with nothing new to read it ends at once.
    connect(c, &LibraryController::libraryOpened, this, [this] {
        textPassWanted_ = true;
        QTimer::singleShot(0, this, &MainWindow::startTextPassWhenIdle);
    });
    connect(c, &LibraryController::indexingStarted, this, [this](const QString&, bool quiet) {
        quietRun_ = quiet;
        // Tesseract and the encoder would fight over the cores: the pass
        // waits for the index runs and goes on after them.
        if (text_->isRunning() && !text_->isPaused()) {
            text_->pause();
            textAutoPaused_ = true;
        }
    });
    // A run the user started, or one that wrote photos: their text is read
    // next. A watcher's run that changed nothing leaves a cancelled pass alone.
    connect(c, &LibraryController::indexingFinished, this, [this](const IndexSummary& s, const QString&) {
        if (!s.cancelled && (!quietRun_ || s.added + s.updated > 0))
            textPassWanted_ = true;
        // After the controller has started its next queued run, if any.
        QTimer::singleShot(0, this, &MainWindow::startTextPassWhenIdle);
    });
    connect(c, &LibraryController::indexingFailed, this,
            [this] { QTimer::singleShot(0, this, &MainWindow::startTextPassWhenIdle); });
}

void MainWindow::startTextPassWhenIdle()
{
    // Index runs and the text pass share the CPU: the pass waits for the
    // queue of runs to empty.
    if (textAutoPaused_ && !controller_->isIndexing()) {
        textAutoPaused_ = false;
        if (text_->isRunning() && text_->isPaused())
            text_->resume();
    }
    if (!textPassWanted_ || closing_ || controller_->isIndexing() || controller_->isShuttingDown())
        return;
    textPassWanted_ = false;
    // Nobody asked: a read-only library is left alone without a word (the
    // menu's request says why it is refused).
    if (controller_->modelDir().isEmpty() || LibraryLocation::isReadOnly(libraryDir_))
        return;
    text_->start();
}

void MainWindow::readTextInPhotos()
{
    if (text_->isRunning()) {
        statusBar()->showMessage(tr("The text in photos is being read already."), 6000);
        return;
    }
    text_->start();
}

void MainWindow::closeWhenStopped()
{
    if (closing_ && controllerStopped_ && textStopped_)
        close();
}

} // namespace photosearch
