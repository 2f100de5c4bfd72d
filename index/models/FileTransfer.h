#pragma once
// Fetches one file into `<partPath>` and, once complete and verified, renames
// it to `<finalPath>`. An existing part is hashed on a worker thread and then
// resumed with `Range: bytes=N-` (206 continues it; 200 restarts it from
// zero; 416 means it is already complete). Bytes are hashed as they arrive.
// Redirects are followed by hand, at most 10, relative ones included, and
// only to http(s), never from https down to http (isAllowedRedirect). A size
// or SHA-256 mismatch deletes the part (it cannot be trusted to resume).
// A failure or deletion keeps the part for a later resume.
//
// Thread rule: lives on a thread with an event loop; blocking work (hashing
// an existing part) runs off it. Deleting it aborts silently.

#include <QCryptographicHash>
#include <QFile>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace photosearch {

struct TransferSpec {
    QString file;      // "model.safetensors", for messages
    QUrl url;          // the /resolve/ URL
    QString partPath;
    QString finalPath;
    qint64 size = -1;  // expected; -1 unknown
    QString sha256;    // expected lower-case hex; empty: not checked
};

class FileTransfer : public QObject {
    Q_OBJECT
public:
    FileTransfer(QNetworkAccessManager* network, TransferSpec spec, QObject* parent = nullptr);
    ~FileTransfer() override;
    void start();
    // Aborts the request and ignores a pending worker result; no signal follows.
    void stop();

Q_SIGNALS:
    // Bytes of this file on disk now (resumed ones included; drops to 0 on a restart).
    void progressed(qint64 bytesOnDisk);
    void completed();
    void failed(const QString& sentence, const QString& detail);

private:
    void onPartHashed(qint64 bytes);
    void request(const QUrl& url);
    void onHeaders();
    void onData();
    void onFinished();
    bool openPart(bool truncate);
    // Flushes and closes the part (if open); false when the flush failed.
    bool closePart();
    void verifyAndKeep();
    void fail(const QString& sentence, const QString& detail);

    QNetworkAccessManager* network_;
    TransferSpec spec_;
    QObject context_; // drops a worker's result once this object is gone
    std::shared_ptr<QCryptographicHash> hash_;
    QFile part_;
    qint64 onDisk_ = 0;
    QPointer<QNetworkReply> reply_;
    bool accepting_ = false; // the current reply's body belongs in the part
    int redirects_ = 0;
    bool stopped_ = false;
};

} // namespace photosearch
