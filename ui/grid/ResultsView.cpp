// The thumbnail grid (see ResultsView.h): uniform cells, visible-first
// thumbnail requests on scroll/resize/show, Enter and the context menu.
// Thread rule: GUI thread only; it never decodes, it only asks the model.

#include "ResultsView.h"

#include "ResultsModel.h"

#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QScrollBar>
#include <QStyledItemDelegate>

namespace photosearch {
namespace {

// Every cell the same size, with room for the thumbnail before it loads
// (uniform item sizes are measured once, often before any thumbnail is
// there), and thumbnails centred in a square above the name.
class ThumbnailDelegate : public QStyledItemDelegate {
public:
    ThumbnailDelegate(QSize cell, QSize thumbnail, QObject* parent)
        : QStyledItemDelegate(parent)
        , cell_(cell)
        , thumbnail_(thumbnail)
    {
    }

    QSize sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const override { return cell_; }

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->features |= QStyleOptionViewItem::HasDecoration;
        option->decorationSize = thumbnail_;
    }

private:
    QSize cell_;
    QSize thumbnail_;
};

} // namespace

ResultsView::ResultsView(QWidget* parent)
    : QListView(parent)
{
    const int s = ResultsModel::kThumbnailSize;
    setViewMode(QListView::IconMode);
    setUniformItemSizes(true);
    setIconSize(QSize(s, s));
    const QSize cell(s + 16, s + fontMetrics().height() + 12);
    baseGrid_ = cell + QSize(8, 8);
    setGridSize(baseGrid_);
    setItemDelegate(new ThumbnailDelegate(cell, QSize(s, s), this));
    setResizeMode(QListView::Adjust);
    setMovement(QListView::Static);
    setWrapping(true);
    setTextElideMode(Qt::ElideMiddle);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    // Photos drag out to other apps as files (ResultsModel::mimeData); the
    // grid takes no drops through the item view (the window handles those).
    setDragEnabled(true);
    setDragDropMode(QAbstractItemView::DragOnly);
    setDefaultDropAction(Qt::CopyAction);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    verticalScrollBar()->setSingleStep(s / 4);
    setContextMenuPolicy(Qt::DefaultContextMenu);

    requestTimer_.setSingleShot(true);
    requestTimer_.setInterval(15);
    connect(&requestTimer_, &QTimer::timeout, this, &ResultsView::requestThumbnails);
    // Double-click or Enter/Return opens; not `activated`, which is a
    // single click on some platforms.
    connect(this, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex& index) {
        const QString path = pathAt(index);
        if (!path.isEmpty())
            Q_EMIT openRequested(path);
    });
}

void ResultsView::setResultsModel(ResultsModel* model)
{
    results_ = model;
    setModel(model);
    const auto schedule = [this] { requestTimer_.start(); };
    connect(model, &QAbstractItemModel::modelReset, this, schedule);
    connect(model, &QAbstractItemModel::rowsInserted, this, schedule);
    connect(model, &QAbstractItemModel::layoutChanged, this, schedule);
}

QString ResultsView::pathAt(const QModelIndex& index) const
{
    return index.isValid() ? index.data(ResultsModel::PathRole).toString() : QString();
}

QList<int> ResultsView::visibleRows() const
{
    QList<int> rows;
    if (!model())
        return rows;
    const QRect viewportRect = viewport()->rect();
    const int n = model()->rowCount();
    for (int row = 0; row < n; ++row)
        if (visualRect(model()->index(row, 0)).intersects(viewportRect))
            rows << row;
    return rows;
}

void ResultsView::requestThumbnails()
{
    if (!results_ || !isVisible())
        return;
    executeDelayedItemsLayout(); // a reset lays items out lazily
    QList<int> rows = visibleRows();
    // Then the next screenful, so that scrolling down finds them ready.
    const int next = rows.isEmpty() ? 0 : rows.last() + 1;
    const int extra = qMax<int>(int(rows.size()), 8);
    for (int row = next; row < qMin(results_->rowCount(), next + extra); ++row)
        rows << row;
    results_->requestThumbnails(rows);
}

void ResultsView::keyPressEvent(QKeyEvent* event)
{
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && state() != EditingState) {
        const QString path = pathAt(currentIndex());
        if (!path.isEmpty()) {
            Q_EMIT openRequested(path);
            event->accept();
            return;
        }
    }
    QListView::keyPressEvent(event);
}

void ResultsView::contextMenuEvent(QContextMenuEvent* event)
{
    const QString path = pathAt(indexAt(viewport()->mapFromGlobal(event->globalPos())));
    if (path.isEmpty())
        return;
    QMenu menu(this);
    menu.addAction(tr("Show &Similar Photos"), this, [this, path] { Q_EMIT similarRequested(path); });
    menu.addAction(tr("Open &Containing Folder"), this, [this, path] { Q_EMIT showFolderRequested(path); });
    menu.addSeparator();
    menu.addAction(tr("&Open"), this, [this, path] { Q_EMIT openRequested(path); });
    menu.exec(event->globalPos());
}

void ResultsView::scrollContentsBy(int dx, int dy)
{
    QListView::scrollContentsBy(dx, dy);
    requestTimer_.start();
}

void ResultsView::resizeEvent(QResizeEvent* event)
{
    // The width left over after whole columns is shared between them, so the
    // grid fills the view instead of leaving a strip on the right.
    const int width = viewport()->width() - 1;
    const int columns = qMax(1, width / baseGrid_.width());
    const QSize grid(qMax(baseGrid_.width(), width / columns), baseGrid_.height());
    if (grid != gridSize())
        setGridSize(grid);
    QListView::resizeEvent(event);
    requestTimer_.start();
}

void ResultsView::showEvent(QShowEvent* event)
{
    QListView::showEvent(event);
    requestTimer_.start();
}

} // namespace photosearch
