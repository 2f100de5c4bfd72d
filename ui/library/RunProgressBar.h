#pragma once
// What the status bar shows for a long run (an index run, the text pass): a
// line of text, a progress bar, Pause/Resume and Cancel. Hidden between
// runs. The runs' own widgets (IndexProgressBar, TextProgressBar) say what
// the text is; this holds the widgets and the paused state they share.
//
// Thread rule: GUI thread only.

#include <QString>
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace photosearch {

class RunProgressBar : public QWidget {
    Q_OBJECT
public:
    // Object names: `name` for the widget, `name`'s buttons as given (tests
    // and accessibility find them by these).
    struct Names {
        QString widget, pause, cancel;
        QString pauseTip, resumeTip, cancelTip;
    };
    RunProgressBar(const Names& names, int barWidth, QWidget* parent = nullptr);

    void setPaused(bool paused);
    void finish() { hide(); }
    bool isPaused() const { return paused_; }
    QString text() const;

Q_SIGNALS:
    void pauseRequested();
    void resumeRequested();
    void cancelRequested();

protected:
    // Shown again, not paused, busy until the total is known.
    void restart(const QString& text);
    // A determinate bar at done/total; a busy one when total is 0.
    void setBar(qint64 done, qint64 total);
    // The line, with " (paused)" while paused.
    void showText(const QString& text);
    void setButtonsEnabled(bool enabled);

private:
    QLabel* label_;
    QProgressBar* bar_;
    QToolButton* pause_;
    QToolButton* cancel_;
    Names names_;
    QString text_; // without the paused mark
    bool paused_ = false;
};

} // namespace photosearch
