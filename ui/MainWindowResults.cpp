// What MainWindow's grid shows (a search, "similar", a sidebar collection)
// and what acts on the shown photos: selection → details, Space → large
// preview, Delete → out of the shown album, drops → "photos like this".

#include "MainWindow.h"

#include "AlbumActions.h"
#include "FilterBar.h"
#include "ImageDrops.h"
#include "LibraryBrowser.h"
#include "LibraryController.h"
#include "LibrarySidebar.h"
#include "PhotoDetailPane.h"
#include "PreviewDialog.h"
#include "ResultsHeader.h"
#include "ResultsModel.h"
#include "ResultsView.h"
#include "SearchField.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMimeData>
#include <QShortcut>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>

namespace photosearch {

void MainWindow::connectResults()
{
    connect(search_, &SearchField::searchRequested, this, [this](const QString& text) {
        SearchOptions o = options_;
        o.text = text;
        o.all = false;
        o.k = kSearchResults;
        search(o);
    });
    connect(search_, &SearchField::imageDropped, this, &MainWindow::showSimilar);
    connect(header_, &ResultsHeader::showAllRequested, this, [this] {
        if (!similarPath_.isEmpty())
            return;
        SearchOptions o = options_;
        o.all = true;
        o.k = kSearchResults;
        search(o);
    });
    connect(header_, &ResultsHeader::sortOrderChanged, this, [this](SortOrder order) {
        SearchOptions o = options_;
        o.sort = order;
        search(o);
    });
    connect(filters_, &FilterBar::filterChanged, this, [this](const PhotoFilter& filter) {
        options_.filter = filter;
        if (!similarPath_.isEmpty())
            controller_->findSimilar(similarPath_, filter);
        else if (!options_.text.isEmpty())
            search(options_);
    });

    connect(view_, &ResultsView::openRequested, this, &MainWindow::openPhoto);
    connect(view_, &ResultsView::similarRequested, this, &MainWindow::showSimilar);
    connect(view_, &ResultsView::showFolderRequested, this, &MainWindow::openFolderOf);
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::selectionChanged);
    connect(view_->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::selectionChanged);
    view_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view_, &QWidget::customContextMenuRequested, this,
            [this](const QPoint& pos) { gridContextMenu(view_->viewport()->mapToGlobal(pos)); });
    auto* space = new QShortcut(QKeySequence(Qt::Key_Space), view_, nullptr, nullptr, Qt::WidgetShortcut);
    connect(space, &QShortcut::activated, this, &MainWindow::showLargePreview);
    auto* remove = new QShortcut(QKeySequence::Delete, view_, nullptr, nullptr, Qt::WidgetShortcut);
    connect(remove, &QShortcut::activated, this, &MainWindow::removeSelectionFromAlbum);

    connect(detail_, &PhotoDetailPane::findSimilarRequested, this, &MainWindow::showSimilar);
    connect(detail_, &PhotoDetailPane::openRequested, this, &MainWindow::openPhoto);
    connect(detail_, &PhotoDetailPane::showInFolderRequested, this, &MainWindow::openFolderOf);
    connect(detail_, &PhotoDetailPane::detailsShown, this, [this](const QString& path) {
        if (path == detail_->photo())
            detailInfoPending_ = false;
    });
    connect(detail_, &PhotoDetailPane::imageShown, this, [this](const QString& path) {
        if (path == detail_->photo())
            detailImagePending_ = false;
    });
    // A tag confirmed or removed changes the tag albums' counts.
    connect(detail_, &PhotoDetailPane::tagsChanged, browser_, &LibraryBrowser::refresh);

    // The sidebar asks the browser for the entry's photos itself.
    connect(sidebar_, &LibrarySidebar::collectionRequested, this, &MainWindow::showCollection);
    connect(browser_, &LibraryBrowser::collectionReady, this, &MainWindow::showCollectionResults);
    connect(browser_, &LibraryBrowser::collectionFailed, this, [this](const QString& sentence, const QString& detail) {
        collectionPending_ = false;
        showError(sentence, detail);
    });
    // The album shown was deleted: the grid shows nothing.
    connect(browser_, &LibraryBrowser::collectionCleared, this, [this] {
        showingCollection_ = false;
        results_->setHits({});
        header_->clear();
        showPlaceholder(idleText());
    });
    // A library that could not be opened has said so once; the sidebar's
    // own failures to read it would only hide that sentence.
    connect(browser_, &LibraryBrowser::errorOccurred, this, [this](const QString& sentence, const QString& detail) {
        if (libraryOpen_ && controller_->startupError().isEmpty())
            showError(sentence, detail);
        else
            qWarning("%s", qPrintable(detail));
    });
    connect(browser_, &LibraryBrowser::statusMessage, this, [this](const QString& m) { statusBar()->showMessage(m, 6000); });
}

void MainWindow::searchFor(const QString& text)
{
    search_->setText(text);
    runSearch();
}

void MainWindow::runSearch()
{
    SearchOptions o = options_;
    o.text = search_->text().trimmed();
    o.all = false;
    o.k = kSearchResults;
    search(o);
}

void MainWindow::search(const SearchOptions& options)
{
    options_ = options;
    similarPath_.clear();
    if (options.text.isEmpty() && showingCollection_)
        return; // the sidebar's collection stays until something else is asked for
    showingCollection_ = false;
    collectionPending_ = false;
    sidebar_->clearChoice();
    tabs_->setCurrentIndex(0);
    controller_->search(options);
}

void MainWindow::showSimilar(const QString& path)
{
    similarPath_ = path;
    showingCollection_ = false;
    collectionPending_ = false;
    sidebar_->clearChoice();
    tabs_->setCurrentIndex(0);
    controller_->findSimilar(path, options_.filter);
}

void MainWindow::showResults(const SearchResults& r)
{
    if (showingCollection_)
        return; // a search answer that arrived after the user picked a collection
    results_->setHits(r.hits);
    if (r.description.isEmpty()) { // cleared
        header_->clear();
        showPlaceholder(idleText());
        statusBar()->clearMessage();
        return;
    }
    header_->showSearch(r);
    if (!r.error.isEmpty()) {
        showPlaceholder(r.error);
        return;
    }
    if (r.hits.empty()) {
        showPlaceholder(r.indexedPhotos == 0 ? tr("No photos are indexed with this model yet; add a folder with "
                                                  "File ▸ Add Folder… (Ctrl+O).")
                                             : tr("No photos match “%1”.").arg(r.description));
        statusBar()->clearMessage();
        return;
    }
    if (similarPath_.isEmpty() && r.description == search_->text().trimmed())
        search_->remember(r.description);
    resultStack_->setCurrentWidget(view_);
    view_->scrollToTop();
    statusBar()->showMessage(ResultsHeader::summary(r));
}

void MainWindow::showCollection()
{
    showingCollection_ = true;
    collectionPending_ = true;
    similarPath_.clear();
    tabs_->setCurrentIndex(0);
}

void MainWindow::showCollectionResults(const SearchResults& r)
{
    collectionPending_ = false;
    if (!showingCollection_)
        return;
    results_->setHits(r.hits);
    header_->showCollection(tr("%1 · %2 photos").arg(r.description, QLocale().toString(qint64(r.hits.size()))));
    if (r.hits.empty()) {
        showPlaceholder(tr("%1 has no photos yet.").arg(r.description));
        return;
    }
    resultStack_->setCurrentWidget(view_);
    view_->scrollToTop();
}

QStringList MainWindow::selectedPaths() const
{
    QStringList paths;
    const QModelIndexList rows = view_->selectionModel()->selectedIndexes();
    for (const QModelIndex& index : rows)
        paths << index.data(ResultsModel::PathRole).toString();
    return paths;
}

void MainWindow::selectionChanged()
{
    const QModelIndex current = view_->currentIndex();
    const QString path = current.isValid() ? current.data(ResultsModel::PathRole).toString() : QString();
    if (path == detail_->photo())
        return;
    detailInfoPending_ = detailImagePending_ = !path.isEmpty();
    detail_->setPhoto(path); // empty clears
}

void MainWindow::showLargePreview()
{
    const QModelIndex current = view_->currentIndex();
    if (!current.isValid())
        return;
    QStringList paths;
    for (int row = 0; row < results_->rowCount(); ++row)
        paths << results_->pathAt(row);
    auto* preview = new PreviewDialog(this);
    preview->setAttribute(Qt::WA_DeleteOnClose);
    // The grid (and so the detail pane) follows Left/Right in the preview.
    connect(preview, &PreviewDialog::currentChanged, this, [this, paths](const QString& path) {
        const int row = int(paths.indexOf(path));
        if (row >= 0 && row < results_->rowCount())
            view_->setCurrentIndex(results_->index(row));
    });
    preview->showPreview(paths, current.row());
}

void MainWindow::removeSelectionFromAlbum()
{
    const QStringList paths = selectedPaths();
    if (paths.isEmpty() || !albumActions_->removeSelectionFromShownAlbum(paths))
        statusBar()->showMessage(tr("Delete takes photos out of the album shown; files are never deleted."), 5000);
}

void MainWindow::gridContextMenu(const QPoint& globalPos)
{
    const QStringList paths = selectedPaths();
    if (paths.isEmpty())
        return;
    QMenu menu(this);
    const QString first = paths.first();
    menu.addAction(tr("&Open"), this, [this, first] { openPhoto(first); });
    menu.addAction(tr("Show &Similar Photos"), this, [this, first] { showSimilar(first); });
    menu.addAction(tr("Show in &Folder"), this, [this, first] { openFolderOf(first); });
    menu.addSeparator();
    albumActions_->addTo(&menu, paths, browser_->shownCollection());
    menu.exec(globalPos);
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    const bool dropTarget = watched == view_->viewport() || watched == placeholder_;
    if (!dropTarget)
        return QMainWindow::eventFilter(watched, event);
    if (event->type() == QEvent::DragEnter || event->type() == QEvent::DragMove) {
        auto* drag = static_cast<QDropEvent*>(event);
        // Our own photos dragged inside the grid are not a search.
        if (drag->source() != view_ && hasLocalImages(drag->mimeData()))
            drag->acceptProposedAction();
        else
            drag->ignore(); // the grid takes no other drop: its model would misread the data
        return true;
    } else if (event->type() == QEvent::Drop) {
        auto* drop = static_cast<QDropEvent*>(event);
        const QStringList images = drop->source() == view_ ? QStringList() : localImagePaths(drop->mimeData());
        if (!images.isEmpty()) {
            drop->acceptProposedAction();
            showSimilar(images.first());
        } else {
            drop->ignore();
        }
        return true;
    }
    return QMainWindow::eventFilter(watched, event);
}

} // namespace photosearch
