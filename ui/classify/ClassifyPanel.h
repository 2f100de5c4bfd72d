#pragma once
// The Classify panel: images dropped here (files or folders) or added with
// "Add Images…" are classified against the labels typed above them, with a
// table of probabilities per image; "Put into Albums by Label" files the
// confident ones into manual albums named after their best label.
//
// Thread rule: GUI thread. Models, disk and the catalog are reached through
// the ClassifyService (its worker thread) and a short-lived thread that
// expands dropped folders, so the panel never waits on them.
//
// The window owns the ClassifyService and tells the panel which model the
// library uses (setModelDir). Editing the labels re-runs (debounced) for
// every image in the table.

#include "ClassifyTypes.h"

#include <QStringList>
#include <QTimer>
#include <QWidget>

class QSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace photosearch {

class ClassifyService;
class ClassifyTableModel;
struct ImageExpansion;

class ClassifyPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kLabelDebounceMs = 400;

    // `service` is not owned and must outlive the panel.
    explicit ClassifyPanel(ClassifyService* service, QWidget* parent = nullptr);

    // The CLIP model to classify with; empty: none (the panel says so).
    void setModelDir(const QString& modelDir);
    const QString& modelDir() const { return modelDir_; }
    // Adds images and folders (expanded off the GUI thread) as a drop does.
    void addImages(const QStringList& paths);
    void setLabelsText(const QString& text);
    void clear();

    ClassifyTableModel* tableModel() const { return model_; }
    // The sentence under the table (progress, summary, or what went wrong).
    QString statusText() const;
    bool isBusy() const { return requestId_ != 0; }

Q_SIGNALS:
    // A run ended (all answered, cancelled, or failed).
    void classificationFinished();
    // Dropped folders were expanded and their images added.
    void imagesAdded(int count);
    // "Put into Albums by Label" finished; `albums` received photos (the
    // window refreshes its album list).
    void albumsFiled(const QStringList& albums, const QString& message);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dragLeaveEvent(QDragLeaveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    QWidget* buildDropZone();
    QWidget* buildAlbumRow();
    void labelsEdited();
    void startRun();
    void cancelRun();
    void chooseImages();
    void expanded(const ImageExpansion& expansion);
    void imageClassified(int requestId, const ClassifyRow& row);
    void runFinished(int requestId);
    void runFailed(int requestId, const QString& sentence, const QString& detail);
    void putIntoAlbums();
    void filed(int requestId, const AlbumFiling& filing);
    void sizeColumns();
    void setStatus(const QString& text);
    void setDropHighlight(bool on);
    void updateControls();
    QString summary() const;

    ClassifyService* service_;
    ClassifyTableModel* model_;
    QSortFilterProxyModel* sorted_;
    QString modelDir_;
    QStringList labels_;
    QTimer labelTimer_;
    int requestId_ = 0;       // the running classification, 0 when none
    int albumRequestId_ = 0;  // the running "Put into Albums", 0 when none
    int expanding_ = 0;       // folder expansions running
    int runTotal_ = 0;
    int runDone_ = 0;
    QString addNote_;         // what the last drop left out (cap, non-images)
    QString albumNote_;       // images left out of the albums by the threshold

    QLineEdit* labelsEdit_;
    QLabel* noModel_;
    QLabel* dropZone_;
    QTableView* table_;
    QLabel* status_;
    QProgressBar* progress_;
    QPushButton* cancel_;
    QPushButton* putIntoAlbums_;
    QSpinBox* threshold_; // percent
    QPushButton* clear_;
};

} // namespace photosearch
