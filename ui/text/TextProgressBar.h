#pragma once
// The status bar's text-pass widget, beside the index run's
// (IndexProgressBar): what is being read (done/total, the photo, ETA), a
// progress bar, Pause/Resume and Cancel. Hidden between passes.
// Object names: "textProgress", "pauseReadingText", "cancelReadingText".
//
// Thread rule: GUI thread only.

#include "TextPass.h"

#include <QElapsedTimer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace photosearch {

class TextProgressBar : public QWidget {
    Q_OBJECT
public:
    explicit TextProgressBar(QWidget* parent = nullptr);

    void start();
    void setProgress(const TextPassProgress& progress);
    void setPaused(bool paused);
    void finish();

    QString text() const;

Q_SIGNALS:
    void pauseRequested();
    void resumeRequested();
    void cancelRequested();

private:
    void showText(const QString& text);

    QLabel* label_;
    QProgressBar* bar_;
    QToolButton* pause_;
    QToolButton* cancel_;
    QString text_;        // without the "(paused)" mark
    QElapsedTimer clock_; // running time, paused time left out, for the ETA
    qint64 runMs_ = 0;    // running time before the last pause
    qint64 firstDone_ = -1;
    bool paused_ = false;
};

} // namespace photosearch
