#pragma once
// The Classify panel's table: one row per image (thumbnail, file name, best
// label, then one column per label with its probability as a percentage).
// Rows without an answer for the current labels are "pending"; changing the
// labels makes every row pending again. SortRole gives numbers for the
// probability columns so that a QSortFilterProxyModel sorts them as numbers.
//
// Thread rule: GUI thread only (thumbnails decode on ThumbnailLoader's pool).

#include "ClassifyTypes.h"

#include <QAbstractTableModel>
#include <QIcon>
#include <QStringList>

#include <optional>
#include <vector>

namespace photosearch {

class ThumbnailLoader;

class ClassifyTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ThumbnailColumn, FileColumn, BestColumn, FirstLabelColumn };
    enum Role { SortRole = Qt::UserRole + 1, PathRole };
    static constexpr int kThumbnailSize = 48;

    explicit ClassifyTableModel(QObject* parent = nullptr);

    // Appends the paths not already in the table; returns those added.
    QStringList addPaths(const QStringList& paths);
    // New labels: new columns, and every answer is dropped (pending).
    void setLabels(const QStringList& labels);
    const QStringList& labels() const { return labels_; }
    // Every answer is dropped (another model), rows stay.
    void clearResults();
    void clear();
    // Stores an answer for its path (ignored when the path is not in the table).
    void setResult(const ClassifyRow& row);

    QStringList paths() const;
    QStringList pendingPaths() const;
    // The answer for a row; nullopt while pending.
    const std::optional<ClassifyRow>& result(int row) const { return rows_[size_t(row)].result; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Entry {
        QString path;
        std::optional<ClassifyRow> result;
    };
    QVariant display(const Entry& e, int column) const;
    QVariant sortKey(const Entry& e, int column) const;
    // The probability of column's label in the answer; < 0 when none.
    double probability(const ClassifyRow& r, int column) const;
    void thumbnailReady(const QString& path);
    void requestThumbnails();

    std::vector<Entry> rows_;
    QStringList labels_;
    ThumbnailLoader* loader_;
    QIcon brokenIcon_;
};

} // namespace photosearch
