#include "RunProgressBar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace photosearch {

RunProgressBar::RunProgressBar(const Names& names, int barWidth, QWidget* parent)
    : QWidget(parent)
    , label_(new QLabel(this))
    , bar_(new QProgressBar(this))
    , pause_(new QToolButton(this))
    , cancel_(new QToolButton(this))
    , names_(names)
{
    setObjectName(names.widget);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(label_);
    bar_->setMaximumWidth(barWidth);
    bar_->setTextVisible(false);
    layout->addWidget(bar_);
    pause_->setObjectName(names.pause);
    pause_->setText(tr("Pause"));
    pause_->setToolTip(names.pauseTip);
    cancel_->setObjectName(names.cancel);
    cancel_->setText(tr("Cancel"));
    cancel_->setToolTip(names.cancelTip);
    layout->addWidget(pause_);
    layout->addWidget(cancel_);
    connect(pause_, &QToolButton::clicked, this, [this] {
        if (paused_)
            Q_EMIT resumeRequested();
        else
            Q_EMIT pauseRequested();
    });
    connect(cancel_, &QToolButton::clicked, this, &RunProgressBar::cancelRequested);
    hide();
}

void RunProgressBar::restart(const QString& text)
{
    paused_ = false;
    pause_->setText(tr("Pause"));
    pause_->setToolTip(names_.pauseTip);
    setButtonsEnabled(true);
    bar_->setRange(0, 0);
    showText(text);
    show();
}

void RunProgressBar::setBar(qint64 done, qint64 total)
{
    if (total <= 0) {
        bar_->setRange(0, 0);
        return;
    }
    // QProgressBar takes ints: scale big runs down.
    const qint64 scale = total > 1'000'000'000 ? total / 1'000'000 : 1;
    bar_->setRange(0, int(total / scale));
    bar_->setValue(int(done / scale));
}

void RunProgressBar::setPaused(bool paused)
{
    if (paused == paused_)
        return;
    paused_ = paused;
    pause_->setText(paused ? tr("Resume") : tr("Pause"));
    pause_->setToolTip(paused ? names_.resumeTip : names_.pauseTip);
    showText(text_);
}

void RunProgressBar::showText(const QString& text)
{
    text_ = text;
    label_->setText(paused_ ? tr("%1 (paused)").arg(text) : text);
}

void RunProgressBar::setButtonsEnabled(bool enabled)
{
    pause_->setEnabled(enabled);
    cancel_->setEnabled(enabled);
}

QString RunProgressBar::text() const
{
    return label_->text();
}

} // namespace photosearch
