#pragma once
// A loopback HTTP/1.1 server in Hugging Face's shape, for the model download
// tests: no suite may reach the real network.
//
//   GET|HEAD /{repo}/resolve/{rev}/{file}
//       LFS files (*.safetensors, *.bin, or any file named by markLfs):
//           302, `Location: /cdn/{sha256}` (relative, as the Hub's are),
//           `X-Linked-Size: N`, `X-Linked-Etag: "{sha256}"`, no body.
//       other files: 200 with the bytes, `ETag: "{git blob sha1}"` (40 hex,
//           as the Hub answers for small files kept in git).
//       `rev` is one path segment, percent-decoded: a revision with a slash
//       must come encoded ("refs%2Fpr%2F66"); sent raw it is a 404, like a
//       file that is not there (`X-Error-Code: EntryNotFound`).
//       setRedirect answers a file with a 302 to any Location instead.
//   GET|HEAD /cdn/{sha256}: the bytes, honouring `Range: bytes=A-[B]`
//       (206 + Content-Range; 416 past the end).
//
// Every answer carries `Connection: close` (one request per connection keeps
// the server simple; Qt reconnects).
//
// Thread rule: a QObject driven by the event loop of the thread that created
// it, normally the test's own: QTRY_* macros and QSignalSpy::wait keep that
// loop spinning. Do not block that thread (e.g. QProcess::waitForFinished)
// while a client talks to the server; poll with QTRY_* instead.

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

class QTcpServer;
class QTcpSocket;

namespace photosearch::testhttp {

struct RecordedRequest {
    QByteArray method; // "GET", "HEAD"
    QByteArray path;   // raw, as sent: "/openai/x/resolve/refs%2Fpr%2F66/config.json"
    QByteArray range;  // the Range header's value, empty when none
};

class HttpTestServer : public QObject {
    Q_OBJECT
public:
    explicit HttpTestServer(QObject* parent = nullptr);
    ~HttpTestServer() override;

    // Listens on 127.0.0.1 at a free port; false when it cannot.
    bool listen();
    // "http://127.0.0.1:PORT", the value for HF_ENDPOINT.
    QString endpoint() const;

    // Serves every plain file directly in `dir` (read now, kept in memory) as
    // `repo` ("openai/clip-vit-base-patch32") at `revision` ("main",
    // "refs/pr/66"). Several repos and revisions may be added. False when
    // `dir` holds no readable file.
    bool addRepo(const QString& repo, const QString& revision, const QString& dir);
    // Serves `file` (a name added by addRepo) as an LFS file even when its
    // name does not say so.
    void markLfs(const QString& file);

    // Knobs; `file` is a file name ("model.safetensors"), for every repo.
    // The next body of `file` stops after `bytes` bytes and the connection
    // closes (once; later requests are served whole).
    void dropAfterBytes(const QString& file, qint64 bytes);
    // The next body of `file` stops after `bytes` bytes and the connection
    // then stays open, sending nothing, until the client goes away (once):
    // a download that is reliably "mid-file" for a cancel test.
    void stallAfterBytes(const QString& file, qint64 bytes);
    // Bodies of `file` have a flipped byte in the middle (every time, until
    // cleared with false); headers still announce the true digest.
    void setCorrupt(const QString& file, bool corrupt = true);
    // `/resolve/` requests for `file` answer `status` (404, 500; 0 clears).
    void setStatus(const QString& file, int status);
    // Ignore Range headers: answer 200 with the whole file.
    void setIgnoreRange(bool ignore);
    // `/resolve/` requests for `file` answer `302 Location: <location>`
    // (sent as given, e.g. "file:///etc/passwd"); only for `method` ("GET",
    // "HEAD") when one is named. An empty location clears it.
    void setRedirect(const QString& file, const QByteArray& location, const QByteArray& method = {});
    // Sends the rest of every body held by stallAfterBytes and closes those
    // connections: the stalled download then completes.
    void releaseStalled();

    // Every request seen, in order.
    QList<RecordedRequest> requests() const { return requests_; }
    void clearRequests() { requests_.clear(); }
    // Requests whose path ends with "/" + file (a /cdn/ path counts for the
    // file whose digest it names).
    QList<RecordedRequest> requestsFor(const QString& file) const;
    // A body stopped by stallAfterBytes is being held now.
    bool isStalling() const { return stalling_ > 0; }

private:
    struct Served {
        QString name;
        QByteArray bytes;
        QByteArray sha256;  // lower-case hex
        QByteArray gitSha1; // lower-case hex of "blob N\0" + bytes
    };
    struct Response {
        int status = 200;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QString file; // the served file the body comes from, for the knobs
    };

    void onNewConnection();
    void onReadyRead(QTcpSocket* socket);
    Response answer(const QByteArray& method, const QByteArray& rawPath, const QByteArray& range);
    Response answerResolve(const QByteArray& method, const QList<QByteArray>& segments);
    Response answerCdn(const QByteArray& digest, const QByteArray& range);
    void send(QTcpSocket* socket, const QByteArray& method, Response response);
    bool isLfs(const QString& name) const;

    QTcpServer* server_ = nullptr;
    QHash<QString, QHash<QString, Served>> repos_; // "repo@rev" → name → file
    QHash<QByteArray, Served> byDigest_; // sha256 → file (shared bytes)
    QSet<QString> lfs_;
    QHash<QString, qint64> drop_;
    QHash<QString, qint64> stall_;
    QSet<QString> corrupt_;
    QHash<QString, int> status_;
    QHash<QString, QPair<QByteArray, QByteArray>> redirect_; // file → (location, method or empty)
    bool ignoreRange_ = false;
    int stalling_ = 0;
    QList<RecordedRequest> requests_;
};

} // namespace photosearch::testhttp
