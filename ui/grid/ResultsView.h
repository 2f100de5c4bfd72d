#pragma once
// The thumbnail grid: a QListView in icon mode with uniform cells. It tells
// the model which rows are on screen (then the next screenful) whenever it
// scrolls, resizes or gets new rows, so thumbnails load visible-first.
// Enter / double-click opens a photo; the context menu offers "Show Similar
// Photos" and "Open Containing Folder". Selected photos drag out as files.

#include <QListView>
#include <QTimer>

namespace photosearch {

class ResultsModel;

class ResultsView : public QListView {
    Q_OBJECT
public:
    explicit ResultsView(QWidget* parent = nullptr);

    void setResultsModel(ResultsModel* model);
    // Rows whose cells intersect the viewport, in reading order.
    QList<int> visibleRows() const;

Q_SIGNALS:
    void openRequested(const QString& path);
    void similarRequested(const QString& path);
    void showFolderRequested(const QString& path);

protected:
    void contextMenuEvent(QContextMenuEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void requestThumbnails();
    QString pathAt(const QModelIndex& index) const;

    ResultsModel* results_ = nullptr;
    QTimer requestTimer_; // coalesces scroll/resize bursts into one request
    QSize baseGrid_;      // the smallest grid cell; resizeEvent widens it
};

} // namespace photosearch
