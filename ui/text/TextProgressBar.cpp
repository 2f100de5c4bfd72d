// The text pass's status-bar widget; see TextProgressBar.h.

#include "TextProgressBar.h"

#include "TextReport.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace photosearch {

TextProgressBar::TextProgressBar(QWidget* parent)
    : QWidget(parent)
    , label_(new QLabel(this))
    , bar_(new QProgressBar(this))
    , pause_(new QToolButton(this))
    , cancel_(new QToolButton(this))
{
    setObjectName(QStringLiteral("textProgress"));
    setAccessibleName(tr("Reading text in photos"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(label_);
    bar_->setMaximumWidth(140);
    bar_->setTextVisible(false);
    layout->addWidget(bar_);
    pause_->setObjectName(QStringLiteral("pauseReadingText"));
    pause_->setText(tr("Pause"));
    pause_->setToolTip(tr("Pause reading text in photos"));
    cancel_->setObjectName(QStringLiteral("cancelReadingText"));
    cancel_->setText(tr("Cancel"));
    cancel_->setToolTip(tr("Stop reading text in photos; what was read so far stays."));
    layout->addWidget(pause_);
    layout->addWidget(cancel_);
    connect(pause_, &QToolButton::clicked, this, [this] {
        if (paused_)
            Q_EMIT resumeRequested();
        else
            Q_EMIT pauseRequested();
    });
    connect(cancel_, &QToolButton::clicked, this, &TextProgressBar::cancelRequested);
    hide();
}

void TextProgressBar::start()
{
    paused_ = false;
    pause_->setText(tr("Pause"));
    runMs_ = 0;
    firstDone_ = -1;
    clock_.start();
    bar_->setRange(0, 0); // busy until the total is known
    showText(tr("Looking for photos with text…"));
    show();
}

void TextProgressBar::setProgress(const TextPassProgress& p)
{
    double eta = -1;
    if (p.total > 0) {
        const qint64 scale = p.total > 1'000'000'000 ? p.total / 1'000'000 : 1; // QProgressBar takes ints
        bar_->setRange(0, int(p.total / scale));
        bar_->setValue(int(p.done / scale));
        if (firstDone_ < 0) {
            firstDone_ = p.done; // photos done before timing began do not count
            runMs_ = 0;
            clock_.start();
        }
        const qint64 ms = runMs_ + (paused_ ? 0 : clock_.elapsed());
        const qint64 timed = p.done - firstDone_;
        if (timed >= 3 && ms > 0)
            eta = double(p.total - p.done) * ms / 1000.0 / double(timed);
    }
    showText(textProgressText(p, eta));
}

void TextProgressBar::setPaused(bool paused)
{
    if (paused == paused_)
        return;
    paused_ = paused;
    if (paused)
        runMs_ += clock_.elapsed();
    else
        clock_.start();
    pause_->setText(paused ? tr("Resume") : tr("Pause"));
    pause_->setToolTip(paused ? tr("Go on reading text in photos") : tr("Pause reading text in photos"));
    showText(text_);
}

void TextProgressBar::showText(const QString& text)
{
    text_ = text;
    label_->setText(paused_ ? tr("%1 (paused)").arg(text) : text);
}

void TextProgressBar::finish()
{
    hide();
}

QString TextProgressBar::text() const
{
    return label_->text();
}

} // namespace photosearch
