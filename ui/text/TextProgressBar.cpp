// The text pass's status-bar widget; see TextProgressBar.h.

#include "TextProgressBar.h"

#include "TextReport.h"

namespace photosearch {

TextProgressBar::TextProgressBar(QWidget* parent)
    : RunProgressBar({QStringLiteral("textProgress"), QStringLiteral("pauseReadingText"),
                      QStringLiteral("cancelReadingText"), tr("Pause reading text in photos"),
                      tr("Go on reading text in photos"), tr("Stop reading text in photos; what was read so far stays.")},
                     140, parent)
{
    setAccessibleName(tr("Reading text in photos"));
}

void TextProgressBar::start()
{
    runMs_ = 0;
    firstDone_ = -1;
    clock_.start();
    restart(tr("Looking for photos with text…"));
}

void TextProgressBar::setProgress(const TextPassProgress& p)
{
    double eta = -1;
    setBar(p.done, p.total);
    if (p.total > 0) {
        if (firstDone_ < 0) {
            firstDone_ = p.done; // photos done before timing began do not count
            runMs_ = 0;
            clock_.start();
        }
        const qint64 ms = runMs_ + (isPaused() ? 0 : clock_.elapsed());
        const qint64 timed = p.done - firstDone_;
        if (timed >= 3 && ms > 0)
            eta = double(p.total - p.done) * ms / 1000.0 / double(timed);
    }
    showText(textProgressText(p, eta));
}

void TextProgressBar::setPaused(bool paused)
{
    if (paused != isPaused()) {
        if (paused)
            runMs_ += clock_.elapsed();
        else
            clock_.start();
    }
    RunProgressBar::setPaused(paused);
}

} // namespace photosearch
