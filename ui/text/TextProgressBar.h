#pragma once
// The status bar's text-pass widget (RunProgressBar), beside the index
// run's: what is being read (done/total, the photo, ETA), a progress bar,
// Pause/Resume and Cancel. Hidden between passes.
// Object names: "textProgress", "pauseReadingText", "cancelReadingText".
//
// Thread rule: GUI thread only.

#include "RunProgressBar.h"
#include "TextPass.h"

#include <QElapsedTimer>

namespace photosearch {

class TextProgressBar : public RunProgressBar {
    Q_OBJECT
public:
    explicit TextProgressBar(QWidget* parent = nullptr);

    void start();
    void setProgress(const TextPassProgress& progress);
    // The ETA leaves paused time out.
    void setPaused(bool paused);

private:
    QElapsedTimer clock_; // running time, paused time left out, for the ETA
    qint64 runMs_ = 0;    // running time before the last pause
    qint64 firstDone_ = -1;
};

} // namespace photosearch
