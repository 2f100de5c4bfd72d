// The grid's list model (see ResultsModel.h): rows from the hits, thumbnails
// from its ThumbnailLoader at the screen's pixel ratio, drags as file URLs.
// Thread rule: GUI thread only; thumbnails decode on the loader's pool and
// arrive through thumbnailReady.

#include "ResultsModel.h"

#include "ThumbnailLoader.h"

#include <QApplication>
#include <QGuiApplication>
#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QMimeData>
#include <QStyle>
#include <QUrl>

namespace photosearch {
namespace {

// Thumbnails are decoded for the screen's pixels, not its logical ones.
qreal screenRatio()
{
    auto* app = qobject_cast<QGuiApplication*>(QCoreApplication::instance());
    return app ? app->devicePixelRatio() : 1.0;
}

} // namespace

ResultsModel::ResultsModel(QObject* parent)
    : QAbstractListModel(parent)
    , loader_(new ThumbnailLoader(QSize(kThumbnailSize, kThumbnailSize) * screenRatio(), this))
{
    loader_->setDevicePixelRatio(screenRatio());
    connect(loader_, &ThumbnailLoader::thumbnailReady, this, &ResultsModel::thumbnailReady);
    if (qobject_cast<QApplication*>(QCoreApplication::instance()))
        brokenIcon_ = QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
}

void ResultsModel::setHits(std::vector<SearchHit> hits)
{
    beginResetModel();
    loader_->cancelAll();
    hits_ = std::move(hits);
    rowOfPath_.clear();
    for (int row = 0; row < int(hits_.size()); ++row)
        rowOfPath_.insert(hits_[size_t(row)].path, row);
    endResetModel();
}

QString ResultsModel::pathAt(int row) const
{
    return row >= 0 && row < int(hits_.size()) ? hits_[size_t(row)].path : QString();
}

void ResultsModel::requestThumbnails(const QList<int>& rows)
{
    QStringList paths;
    paths.reserve(rows.size());
    for (int row : rows)
        if (row >= 0 && row < int(hits_.size()))
            paths << hits_[size_t(row)].path;
    loader_->request(paths);
}

int ResultsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(hits_.size());
}

QVariant ResultsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(hits_.size()))
        return {};
    const SearchHit& h = hits_[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return QFileInfo(h.path).fileName();
    case Qt::DecorationRole: {
        const QPixmap pixmap = loader_->thumbnail(h.path);
        if (!pixmap.isNull())
            return pixmap;
        if (loader_->failed(h.path))
            return brokenIcon_;
        return {};
    }
    case Qt::ToolTipRole:
        return tr("%1\n%2\nScore %3")
            .arg(QFileInfo(h.path).fileName(), QDir::toNativeSeparators(QFileInfo(h.path).absolutePath()),
                 QLocale().toString(double(h.score), 'f', 3));
    case PathRole:
        return h.path;
    case ScoreRole:
        return double(h.score);
    default:
        return {};
    }
}

Qt::ItemFlags ResultsModel::flags(const QModelIndex& index) const
{
    const Qt::ItemFlags base = QAbstractListModel::flags(index);
    return index.isValid() ? base | Qt::ItemIsDragEnabled : base;
}

QStringList ResultsModel::mimeTypes() const
{
    return {QStringLiteral("text/uri-list"), QStringLiteral("text/plain")};
}

QMimeData* ResultsModel::mimeData(const QModelIndexList& indexes) const
{
    QList<QUrl> urls;
    QStringList paths;
    for (const QModelIndex& index : indexes) {
        const QString path = pathAt(index.row());
        if (path.isEmpty() || paths.contains(path))
            continue;
        paths << path;
        urls << QUrl::fromLocalFile(path);
    }
    if (urls.isEmpty())
        return nullptr;
    auto* mime = new QMimeData;
    mime->setUrls(urls); // text/uri-list
    mime->setText(paths.join(QLatin1Char('\n')));
    return mime;
}

void ResultsModel::thumbnailReady(const QString& path)
{
    const auto it = rowOfPath_.constFind(path);
    if (it == rowOfPath_.constEnd())
        return;
    const QModelIndex i = index(it.value());
    Q_EMIT dataChanged(i, i, {Qt::DecorationRole});
}

} // namespace photosearch
