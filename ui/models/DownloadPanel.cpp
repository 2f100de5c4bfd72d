// One download as the user sees it (DownloadPanel.h): the panel turns the
// downloader's signals into a progress bar, one status line and the failure
// sentence with Retry and Back. GUI thread only; it never touches the disk
// itself, the downloader does its blocking work off this thread.

#include "DownloadPanel.h"

#include "DownloadText.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace photosearch {

DownloadPanel::DownloadPanel(QWidget* parent)
    : QWidget(parent)
    , downloader_(new ModelDownloader(this))
{
    setObjectName(QStringLiteral("downloadPanel"));
    build();
    connect(downloader_, &ModelDownloader::progress, this, &DownloadPanel::onProgress);
    connect(downloader_, &ModelDownloader::finished, this, &DownloadPanel::onFinished);
    connect(downloader_, &ModelDownloader::failed, this, &DownloadPanel::onFailed);
    connect(downloader_, &ModelDownloader::cancelled, this, &DownloadPanel::onCancelled);
    connect(cancel_, &QPushButton::clicked, this, &DownloadPanel::cancel);
    connect(retry_, &QPushButton::clicked, this, &DownloadPanel::retry);
    connect(back_, &QPushButton::clicked, this, [this] {
        const QString repo = repo_;
        const bool parts = last_.bytesDone > 0;
        setState(State::Idle);
        Q_EMIT dismissed(repo, parts);
    });
    setState(State::Idle);
}

void DownloadPanel::build()
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    title_ = new QLabel(this);
    title_->setObjectName(QStringLiteral("downloadTitle"));
    title_->setWordWrap(true);
    QFont bold = title_->font();
    bold.setBold(true);
    title_->setFont(bold);
    layout->addWidget(title_);

    bar_ = new QProgressBar(this);
    bar_->setObjectName(QStringLiteral("downloadProgress"));
    bar_->setAccessibleName(tr("Download progress"));
    bar_->setTextVisible(false);
    layout->addWidget(bar_);

    // The progress line and Cancel share a row: the line is what changes,
    // Cancel stays where the eye finds it.
    auto* row = new QHBoxLayout;
    auto* lines = new QVBoxLayout;
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("downloadStatus"));
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    file_ = new QLabel(this);
    file_->setObjectName(QStringLiteral("downloadFile"));
    file_->setForegroundRole(QPalette::PlaceholderText);
    lines->addWidget(status_);
    lines->addWidget(file_);
    row->addLayout(lines, 1);
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setObjectName(QStringLiteral("cancelDownload"));
    cancel_->setToolTip(tr("Stop the download; what was fetched is kept so that it can resume later."));
    row->addWidget(cancel_, 0, Qt::AlignTop);
    layout->addLayout(row);

    // The failure: an icon from the style (not a colour) and the sentence.
    auto* failure = new QHBoxLayout;
    errorIcon_ = new QLabel(this);
    const int icon = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    errorIcon_->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning, nullptr, this).pixmap(icon, icon));
    errorIcon_->setAlignment(Qt::AlignTop);
    error_ = new QLabel(this);
    error_->setObjectName(QStringLiteral("downloadError"));
    error_->setWordWrap(true);
    error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    failure->addWidget(errorIcon_, 0, Qt::AlignTop);
    failure->addWidget(error_, 1);
    layout->addLayout(failure);

    auto* buttons = new QHBoxLayout;
    retry_ = new QPushButton(tr("Retry"), this);
    retry_->setObjectName(QStringLiteral("retryDownload"));
    retry_->setToolTip(tr("Start again; the files already fetched are not fetched again."));
    back_ = new QPushButton(tr("Back"), this);
    back_->setObjectName(QStringLiteral("dismissDownload"));
    back_->setToolTip(tr("Return to the list of models."));
    buttons->addWidget(retry_);
    buttons->addWidget(back_);
    buttons->addStretch(1);
    layout->addLayout(buttons);
}

void DownloadPanel::setState(State state)
{
    state_ = state;
    const bool running = state == State::Running;
    const bool failed = state == State::Failed;
    setVisible(state != State::Idle);
    bar_->setVisible(running || state == State::Done);
    status_->setVisible(running || state == State::Done);
    file_->setVisible(running);
    cancel_->setVisible(running);
    errorIcon_->setVisible(failed);
    error_->setVisible(failed);
    retry_->setVisible(failed);
    back_->setVisible(failed);
}

QString DownloadPanel::statusText() const
{
    return state_ == State::Failed ? error_->text() : status_->text();
}

bool DownloadPanel::start(const QString& repo)
{
    if (downloader_->isRunning())
        return false;
    if (repo != repo_)
        last_ = {};
    repo_ = repo;
    title_->setText(tr("Downloading %1…").arg(modelDisplayName(repo)));
    status_->setText(last_.bytesTotal > 0 ? downloadProgressText(last_) : tr("Connecting…"));
    file_->clear();
    bar_->setRange(0, 0); // busy until the sizes are known
    setState(State::Running);
    if (!downloader_->start(repo)) {
        qWarning("ModelDownloader::start refused %s", qPrintable(repo));
        onFailed(tr("The download of %1 could not start; try again.").arg(modelDisplayName(repo)), {});
        return false;
    }
    if (state_ == State::Running)
        cancel_->setFocus(Qt::OtherFocusReason);
    return true;
}

void DownloadPanel::cancel()
{
    if (downloader_->isRunning())
        downloader_->cancel();
}

void DownloadPanel::retry()
{
    if (!repo_.isEmpty())
        start(repo_);
}

void DownloadPanel::onProgress(const DownloadProgress& progress)
{
    last_ = progress;
    if (progress.bytesTotal > 0) {
        // QProgressBar takes ints: per mille is smooth enough for any size.
        bar_->setRange(0, 1000);
        bar_->setValue(int(qBound(qint64(0), progress.bytesDone * 1000 / progress.bytesTotal, qint64(1000))));
    }
    status_->setText(downloadProgressText(progress));
    file_->setText(progress.file.isEmpty() ? QString() : tr("Fetching %1").arg(progress.file));
}

void DownloadPanel::onFinished(const QString& installedDir)
{
    bar_->setRange(0, 1000);
    bar_->setValue(1000);
    title_->setText(tr("%1 is ready.").arg(modelDisplayName(repo_)));
    status_->setText(last_.bytesTotal > 0 ? tr("%1 downloaded and checked.").arg(formatBytes(last_.bytesTotal))
                                          : tr("Downloaded and checked."));
    setState(State::Done);
    Q_EMIT finished(installedDir);
}

void DownloadPanel::onFailed(const QString& sentence, const QString& detail)
{
    Q_UNUSED(detail) // the downloader logs it itself
    title_->setText(tr("The download of %1 did not finish.").arg(modelDisplayName(repo_)));
    error_->setText(sentence);
    setState(State::Failed);
    retry_->setFocus(Qt::OtherFocusReason);
    Q_EMIT failed(repo_, sentence);
}

void DownloadPanel::onCancelled()
{
    const QString repo = repo_;
    const bool parts = last_.bytesDone > 0;
    setState(State::Idle);
    Q_EMIT cancelled(repo, parts);
}

} // namespace photosearch
