// `--screenshot FILE` (see ScreenshotRunner.h): polls `settled` every
// kPollMs, grabs the window after kQuietPolls quiet polls (or kLimitMs) and
// quits with 0 or 1. Thread rule: GUI thread only (QWidget::grab).

#include "ScreenshotRunner.h"

#include <QCoreApplication>
#include <QPixmap>
#include <QWidget>

#include <cstdio>

namespace photosearch {

ScreenshotRunner::ScreenshotRunner(QWidget* window, QString file, std::function<bool()> settled, QObject* parent)
    : QObject(parent)
    , window_(window)
    , file_(std::move(file))
    , settled_(std::move(settled))
{
    timer_.setInterval(kPollMs);
    connect(&timer_, &QTimer::timeout, this, &ScreenshotRunner::poll);
}

void ScreenshotRunner::start()
{
    elapsed_.start();
    timer_.start();
}

void ScreenshotRunner::poll()
{
    if (elapsed_.elapsed() > kLimitMs) {
        capture(true);
        return;
    }
    quiet_ = settled_() ? quiet_ + 1 : 0;
    if (quiet_ >= kQuietPolls)
        capture(false);
}

void ScreenshotRunner::capture(bool timedOut)
{
    timer_.stop();
    if (timedOut)
        std::fprintf(stderr, "photosearch: the window had not settled after %d s; capturing it as it is.\n",
                     kLimitMs / 1000);
    const bool saved = window_->grab().save(file_, "PNG");
    if (!saved)
        std::fprintf(stderr, "photosearch: the screenshot could not be written to %s; check the folder.\n",
                     qPrintable(file_));
    // Closing the window shuts the library threads down cleanly first.
    window_->close();
    QCoreApplication::exit(saved ? 0 : 1);
}

} // namespace photosearch
