#pragma once
// Downloads one Hugging Face model repo into the model store (ModelStore.h)
// with Qt Network: `$HF_ENDPOINT` (default https://huggingface.co, the
// variable huggingface_hub honours for mirrors) + `/{repo}/resolve/{revision}/{file}`
// for each of the known model's files (KnownModels.h); a repo that is not
// known is fetched at `main` with the standard file list.
//
// Per file: the first response gives the size and SHA-256 (`X-Linked-Size`,
// `X-Linked-Etag` for LFS files, which are then served through redirects to
// a CDN; redirects are followed, at most 10); a `.part` file in the partial
// folder is resumed with `Range` (a 200 answer restarts it); the digest is
// checked against the server's or a pinned one; a mismatch deletes the part
// and fails. When every file is there, the folder is checked to load as a
// CLIP model and moved into place atomically (an older install of the same
// repo is replaced only then). Cancel or a failure keeps the `.part` files so
// that the next start resumes.
//
// Thread rule: a QObject used on one thread with an event loop (the GUI
// thread is fine: network I/O is asynchronous, and hashing a resumed part or
// checking the model runs on a worker thread, never blocking that loop).
// One download at a time per object, and one per repo across objects and
// processes: a QLockFile (ModelStore::lockFileFor) is held for the whole run;
// a second start of the same repo fails at once with failed().

#include <QObject>
#include <QString>

#include <memory>

namespace photosearch {

struct DownloadProgress {
    QString file;             // the file being fetched now
    qint64 bytesDone = 0;     // over all files (resumed bytes included)
    qint64 bytesTotal = 0;    // over all files; 0 until the sizes are known
    double bytesPerSecond = 0; // recent rate; 0 when unknown
};

class ModelDownloader : public QObject {
    Q_OBJECT
public:
    explicit ModelDownloader(QObject* parent = nullptr);
    ~ModelDownloader() override; // cancels a download in flight

    // The server base URL: $HF_ENDPOINT or https://huggingface.co.
    static QString endpoint();

    bool isRunning() const;
    // Starts fetching `repo` (e.g. "openai/clip-vit-base-patch32"); false
    // when this object runs one already. Another downloader holding the
    // repo's lock is reported through failed(), from the event loop.
    bool start(const QString& repo);
    // Stops; keeps what was downloaded for a later resume; emits cancelled().
    void cancel();

Q_SIGNALS:
    void progress(const photosearch::DownloadProgress& progress);
    // The installed model's folder (ModelStore::folderFor(repo)).
    void finished(const QString& installedDir);
    // `sentence` for the user (what failed, which file, what to do),
    // `detail` for the log (URL, HTTP status, Qt's error string).
    void failed(const QString& sentence, const QString& detail);
    void cancelled();

private:
    struct Run;
    // Ends the run, then emits failed().
    void fail(const QString& sentence, const QString& detail);
    // Shared only so that late callbacks can hold a weak_ptr; this is the owner.
    std::shared_ptr<Run> run_;
};

} // namespace photosearch
