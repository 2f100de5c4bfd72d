// The Classify panel's table model (see ClassifyTableModel.h): rows, result
// columns, sort keys and thumbnails. Thread rule: GUI thread only; its
// ThumbnailLoader decodes on its own pool and says thumbnailReady here.

#include "ClassifyTableModel.h"

#include "ThumbnailLoader.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QFont>
#include <QLocale>
#include <QPalette>
#include <QStyle>

namespace photosearch {

ClassifyTableModel::ClassifyTableModel(QObject* parent)
    : QAbstractTableModel(parent)
    , loader_(new ThumbnailLoader(QSize(kThumbnailSize, kThumbnailSize), this))
{
    connect(loader_, &ThumbnailLoader::thumbnailReady, this, &ClassifyTableModel::thumbnailReady);
    if (qobject_cast<QApplication*>(QCoreApplication::instance()))
        brokenIcon_ = QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
}

QStringList ClassifyTableModel::addPaths(const QStringList& paths)
{
    QStringList added;
    const QStringList known = this->paths();
    for (const QString& path : paths)
        if (!known.contains(path) && !added.contains(path))
            added << path;
    if (added.isEmpty())
        return added;
    beginInsertRows({}, int(rows_.size()), int(rows_.size() + size_t(added.size())) - 1);
    for (const QString& path : added)
        rows_.push_back(Entry{path, std::nullopt});
    endInsertRows();
    requestThumbnails();
    return added;
}

void ClassifyTableModel::setLabels(const QStringList& labels)
{
    beginResetModel();
    labels_ = labels;
    for (Entry& e : rows_)
        e.result.reset();
    endResetModel();
}

void ClassifyTableModel::clearResults()
{
    setLabels(labels_);
}

void ClassifyTableModel::clear()
{
    beginResetModel();
    rows_.clear();
    endResetModel();
    loader_->request({}); // drops the decodes still queued
}

void ClassifyTableModel::setResult(const ClassifyRow& row)
{
    for (size_t i = 0; i < rows_.size(); ++i) {
        if (rows_[i].path != row.path)
            continue;
        rows_[i].result = row;
        Q_EMIT dataChanged(index(int(i), 0), index(int(i), columnCount() - 1));
        return;
    }
}

QStringList ClassifyTableModel::paths() const
{
    QStringList out;
    for (const Entry& e : rows_)
        out << e.path;
    return out;
}

QStringList ClassifyTableModel::pendingPaths() const
{
    QStringList out;
    for (const Entry& e : rows_)
        if (!e.result)
            out << e.path;
    return out;
}

int ClassifyTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rows_.size());
}

int ClassifyTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : FirstLabelColumn + int(labels_.size());
}

double ClassifyTableModel::probability(const ClassifyRow& r, int column) const
{
    const qsizetype label = column - FirstLabelColumn;
    if (!r.ok() || label < 0 || label >= labels_.size())
        return -1;
    const qsizetype i = r.labels.indexOf(labels_[label]);
    return i >= 0 && i < r.probs.size() ? r.probs[i] : -1;
}

QVariant ClassifyTableModel::display(const Entry& e, int column) const
{
    if (column == FileColumn)
        return QFileInfo(e.path).fileName();
    if (column == ThumbnailColumn)
        return {};
    if (!e.result)
        return column == BestColumn ? tr("…") : QVariant();
    if (!e.result->ok())
        return column == BestColumn ? tr("Not readable") : QVariant(); // the sentence: tooltip, status line
    if (column == BestColumn)
        return e.result->label;
    const double p = probability(*e.result, column);
    return p < 0 ? QVariant() : QVariant(QLocale().toString(100.0 * p, 'f', 1) + QStringLiteral(" %"));
}

QVariant ClassifyTableModel::sortKey(const Entry& e, int column) const
{
    switch (column) {
    case ThumbnailColumn:
    case FileColumn:
        return QFileInfo(e.path).fileName().toLower();
    case BestColumn:
        return e.result ? (e.result->ok() ? e.result->label.toLower() : QStringLiteral("\uffff")) : QString();
    default:
        return e.result ? probability(*e.result, column) : -2.0;
    }
}

QVariant ClassifyTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(rows_.size()))
        return {};
    const Entry& e = rows_[size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(e, column);
    case Qt::DecorationRole:
        if (column != ThumbnailColumn)
            return {};
        if (const QPixmap pixmap = loader_->thumbnail(e.path); !pixmap.isNull())
            return pixmap;
        return e.result && !e.result->ok() ? QVariant(brokenIcon_) : QVariant();
    case Qt::FontRole: {
        // The best label stands out: its name, and its column's percentage.
        const bool best = e.result && e.result->ok() &&
                          (column == BestColumn ||
                           (column >= FirstLabelColumn && labels_[column - FirstLabelColumn] == e.result->label));
        if (!best)
            return {};
        QFont font;
        font.setBold(true);
        return font;
    }
    case Qt::ForegroundRole:
        if (e.result && !e.result->ok() && column == BestColumn)
            return QPalette().brush(QPalette::Disabled, QPalette::WindowText);
        return {};
    case Qt::TextAlignmentRole:
        return column >= FirstLabelColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                          : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (e.result && !e.result->ok())
            return e.result->error;
        return QDir::toNativeSeparators(e.path);
    case SortRole:
        return sortKey(e, column);
    case PathRole:
        return e.path;
    default:
        return {};
    }
}

QVariant ClassifyTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ThumbnailColumn:
        return QString();
    case FileColumn:
        return tr("File");
    case BestColumn:
        return tr("Best Label");
    default:
        return section - FirstLabelColumn < labels_.size() ? labels_[section - FirstLabelColumn] : QString();
    }
}

void ClassifyTableModel::requestThumbnails()
{
    loader_->request(paths());
}

void ClassifyTableModel::thumbnailReady(const QString& path)
{
    for (size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].path == path)
            Q_EMIT dataChanged(index(int(i), ThumbnailColumn), index(int(i), ThumbnailColumn), {Qt::DecorationRole});
}

} // namespace photosearch
