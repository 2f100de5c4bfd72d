#pragma once
// `photosearch --screenshot FILE`: once the window has settled (the library
// is open, no search or thumbnail is in flight, nothing changed for a
// moment), writes a PNG of it and quits. Used for the README's pictures and
// by scripts under Xvfb; a window that never settles is still captured after
// the time limit, with a warning, so a script never hangs.
// GUI thread only.

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

class QWidget;

namespace photosearch {

class ScreenshotRunner : public QObject {
    Q_OBJECT
public:
    static constexpr int kPollMs = 100;
    static constexpr int kQuietPolls = 8;     // settled this long (0.8 s) before the shot
    static constexpr int kLimitMs = 120'000;

    // `settled` says whether the window has nothing in flight now.
    ScreenshotRunner(QWidget* window, QString file, std::function<bool()> settled, QObject* parent = nullptr);

    void start();

private:
    void poll();
    void capture(bool timedOut);

    QWidget* window_;
    QString file_;
    std::function<bool()> settled_;
    QTimer timer_;
    QElapsedTimer elapsed_;
    int quiet_ = 0;
};

} // namespace photosearch
