#pragma once
// The status bar's index-run widget: what is happening (done/total,
// photos/s, ETA), a progress bar, Pause/Resume and Cancel. Hidden between
// runs.

#include "IndexTypes.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace photosearch {

class IndexProgressBar : public QWidget {
    Q_OBJECT
public:
    explicit IndexProgressBar(QWidget* parent = nullptr);

    void start(const QString& folder);
    void setProgress(const IndexProgress& progress);
    void setPaused(bool paused);
    void setStatus(const QString& text);
    void finish();

    QString text() const;

Q_SIGNALS:
    void pauseRequested();
    void resumeRequested();
    void cancelRequested();

private:
    QLabel* label_;
    QProgressBar* bar_;
    QToolButton* pause_;
    QToolButton* cancel_;
    bool paused_ = false;
};

} // namespace photosearch
