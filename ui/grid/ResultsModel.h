#pragma once
// The hits of the current search as a list model for the thumbnail grid:
// the file name as text, the thumbnail as decoration (once loaded), the file
// name, folder and score as tooltip. Best first.
// Rows drag out as file URLs (text/uri-list) and as text paths, so a file
// manager copies the photos and a text field gets their paths.

#include "SearchEngine.h"

#include <QAbstractListModel>
#include <QHash>
#include <QIcon>

#include <vector>

namespace photosearch {

class ThumbnailLoader;

class ResultsModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { PathRole = Qt::UserRole + 1, ScoreRole };
    static constexpr int kThumbnailSize = 160;

    explicit ResultsModel(QObject* parent = nullptr);

    void setHits(std::vector<SearchHit> hits);
    void clear() { setHits({}); }
    const SearchHit& hit(int row) const { return hits_[size_t(row)]; }
    QString pathAt(int row) const;

    // Rows the view shows, most wanted first: their thumbnails are loaded,
    // queued ones for other rows dropped.
    void requestThumbnails(const QList<int>& rows);
    ThumbnailLoader* thumbnails() const { return loader_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QStringList mimeTypes() const override;
    // The photos of `indexes` (each once, in the order given).
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    Qt::DropActions supportedDragActions() const override { return Qt::CopyAction; }

private:
    void thumbnailReady(const QString& path);

    std::vector<SearchHit> hits_;
    QHash<QString, int> rowOfPath_;
    ThumbnailLoader* loader_;
    QIcon brokenIcon_;
};

} // namespace photosearch
