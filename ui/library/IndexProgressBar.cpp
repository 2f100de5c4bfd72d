#include "IndexProgressBar.h"

#include "IndexReport.h"

#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace photosearch {

IndexProgressBar::IndexProgressBar(QWidget* parent)
    : QWidget(parent)
    , label_(new QLabel(this))
    , bar_(new QProgressBar(this))
    , pause_(new QToolButton(this))
    , cancel_(new QToolButton(this))
{
    setObjectName(QStringLiteral("indexProgress"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(label_);
    bar_->setMaximumWidth(180);
    bar_->setTextVisible(false);
    layout->addWidget(bar_);
    pause_->setObjectName(QStringLiteral("pauseIndexing"));
    pause_->setText(tr("Pause"));
    cancel_->setObjectName(QStringLiteral("cancelIndexing"));
    cancel_->setText(tr("Cancel"));
    cancel_->setToolTip(tr("Stop indexing; what was indexed so far stays."));
    layout->addWidget(pause_);
    layout->addWidget(cancel_);
    connect(pause_, &QToolButton::clicked, this, [this] {
        if (paused_)
            Q_EMIT resumeRequested();
        else
            Q_EMIT pauseRequested();
    });
    connect(cancel_, &QToolButton::clicked, this, &IndexProgressBar::cancelRequested);
    hide();
}

void IndexProgressBar::start(const QString& folder)
{
    paused_ = false;
    pause_->setText(tr("Pause"));
    pause_->setEnabled(true);
    cancel_->setEnabled(true);
    bar_->setRange(0, 0); // busy until the total is known
    label_->setText(tr("Preparing to index %1…").arg(QDir::toNativeSeparators(folder)));
    show();
}

void IndexProgressBar::setProgress(const IndexProgress& p)
{
    if (p.phase == IndexProgress::Phase::Indexing && p.total > 0) {
        // QProgressBar takes ints: scale big runs down.
        const qint64 scale = p.total > 1'000'000'000 ? p.total / 1'000'000 : 1;
        bar_->setRange(0, int(p.total / scale));
        bar_->setValue(int(p.done / scale));
    } else {
        bar_->setRange(0, 0);
    }
    const QString text = indexProgressText(p);
    label_->setText(paused_ ? tr("%1 (paused)").arg(text) : text);
}

void IndexProgressBar::setPaused(bool paused)
{
    paused_ = paused;
    pause_->setText(paused ? tr("Resume") : tr("Pause"));
    if (paused)
        label_->setText(tr("%1 (paused)").arg(label_->text()));
    else
        label_->setText(label_->text().remove(tr(" (paused)")));
}

void IndexProgressBar::setStatus(const QString& text)
{
    label_->setText(text);
}

void IndexProgressBar::finish()
{
    hide();
}

QString IndexProgressBar::text() const
{
    return label_->text();
}

} // namespace photosearch
