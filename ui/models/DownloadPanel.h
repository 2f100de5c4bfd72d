#pragma once
// One model download as the user sees it, shared by the first-run page and
// the model manager: while it runs, a progress bar, "312 MB of 605 MB ·
// 8.4 MB/s · about 35 s left", the current file and Cancel; when it fails,
// the downloader's sentence in the panel itself (not only in a box) with
// Retry (the downloader resumes from the kept parts) and Back.
//
// The panel owns its ModelDownloader: one download at a time per panel.
// Thread rule: GUI thread only; the downloader does its disk and network
// work without blocking this thread (ModelDownloader.h).

#include "ModelDownloader.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace photosearch {

class DownloadPanel : public QWidget {
    Q_OBJECT
public:
    enum class State { Idle, Running, Failed, Done };

    explicit DownloadPanel(QWidget* parent = nullptr);

    State state() const { return state_; }
    bool isRunning() const { return state_ == State::Running; }
    // The repo of the latest download (also after it was cancelled).
    QString repo() const { return repo_; }
    // The latest download's last sizes (0 until the server gave them), kept
    // after Cancel for "Resume download ViT-B/32 (605 MB)".
    qint64 bytesTotal() const { return last_.bytesTotal; }
    qint64 bytesDone() const { return last_.bytesDone; }
    // What the panel says now: the progress line, or the failure sentence.
    QString statusText() const;

public Q_SLOTS:
    // Shows the panel and starts (or resumes) fetching `repo`; false when a
    // download is already running.
    bool start(const QString& repo);
    void cancel();
    void retry();

Q_SIGNALS:
    void finished(const QString& installedDir);
    // After Cancel: `partsKept` when a later start resumes.
    void cancelled(const QString& repo, bool partsKept);
    void failed(const QString& repo, const QString& sentence);
    // Back after a failure: the panel hid itself; the owner shows its offer again.
    void dismissed(const QString& repo, bool partsKept);

private:
    void build();
    void setState(State state);
    void onProgress(const DownloadProgress& progress);
    void onFinished(const QString& installedDir);
    void onFailed(const QString& sentence, const QString& detail);
    void onCancelled();

    ModelDownloader* downloader_;
    QLabel* title_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* file_ = nullptr;
    QLabel* errorIcon_ = nullptr;
    QLabel* error_ = nullptr;
    QProgressBar* bar_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QPushButton* retry_ = nullptr;
    QPushButton* back_ = nullptr;
    State state_ = State::Idle;
    QString repo_;
    DownloadProgress last_;
};

} // namespace photosearch
