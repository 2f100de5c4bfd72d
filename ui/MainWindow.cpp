#include "MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

namespace photosearch {

MainWindow::MainWindow(const QString& libraryDir, QWidget* parent)
    : QMainWindow(parent)
    , libraryDir_(libraryDir)
{
    setWindowTitle(QStringLiteral("PhotoSearch"));
    resize(1100, 720);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    search_ = new QLineEdit(central);
    search_->setObjectName(QStringLiteral("searchField"));
    search_->setPlaceholderText(tr("Describe a photo, e.g. \"dog on a beach\""));
    search_->setClearButtonEnabled(true);
    // Searching needs an indexed library, which this version cannot build yet.
    search_->setEnabled(false);
    search_->setToolTip(tr("Search becomes available once photos can be indexed."));
    layout->addWidget(search_);
    placeholder_ = new QLabel(tr("No photos indexed yet.\nIndexing folders arrives in the next version; "
                                 "today the command line can embed text and images (photosearch-cli embed)."),
                              central);
    placeholder_->setObjectName(QStringLiteral("placeholder"));
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    layout->addWidget(placeholder_, 1);
    setCentralWidget(central);

    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About PhotoSearch"), this, &MainWindow::showAbout);
    QAction* focusSearch = new QAction(this);
    focusSearch->setShortcut(QKeySequence::Find);
    connect(focusSearch, &QAction::triggered, search_, qOverload<>(&QLineEdit::setFocus));
    addAction(focusSearch);

    statusBar()->showMessage(tr("Library: %1").arg(libraryDir_));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About PhotoSearch"),
                       tr("<b>PhotoSearch %1</b><p>Find photos in your own library by describing them. "
                          "Everything runs on this computer.</p>")
                           .arg(QApplication::applicationVersion()));
}

} // namespace photosearch
