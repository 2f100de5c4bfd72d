// One file's download with resume and incremental SHA-256 (FileTransfer.h).
// Runs on the downloader's thread (often the GUI thread): the part file is
// written through QFile's buffer and flushed only when the reply ends, fails
// or is stopped; redirect hops are checked with isAllowedRedirect.

#include "FileTransfer.h"

#include "DownloadMessages.h"
#include "HfResponse.h"
#include "OffThread.h"

#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace photosearch {
namespace {

// Reads what a previous run left in the part into `hash`; returns its size.
qint64 hashPart(const QString& path, QCryptographicHash* hash)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    qint64 total = 0;
    QByteArray chunk;
    while (!(chunk = f.read(1 << 20)).isEmpty()) {
        hash->addData(chunk);
        total += chunk.size();
    }
    return total;
}

// "bytes 100-199/200" → 100; -1 when unreadable.
qint64 rangeStart(const QByteArray& contentRange)
{
    const QByteArray v = contentRange.trimmed();
    if (!v.startsWith("bytes "))
        return -1;
    bool ok = false;
    const qint64 start = v.mid(6, v.indexOf('-') - 6).toLongLong(&ok);
    return ok ? start : -1;
}

} // namespace

FileTransfer::FileTransfer(QNetworkAccessManager* network, TransferSpec spec, QObject* parent)
    : QObject(parent)
    , network_(network)
    , spec_(std::move(spec))
    , hash_(std::make_shared<QCryptographicHash>(QCryptographicHash::Sha256))
    , part_(spec_.partPath)
{
}

FileTransfer::~FileTransfer()
{
    if (reply_) {
        reply_->disconnect(this);
        reply_->abort();
        reply_->deleteLater();
    }
}

void FileTransfer::start()
{
    const QFileInfo info(spec_.partPath);
    if (info.exists() && spec_.size >= 0 && info.size() > spec_.size)
        QFile::remove(spec_.partPath); // longer than the file: not a prefix of it
    if (!QFileInfo::exists(spec_.partPath))
        return onPartHashed(0);
    // A part may be gigabytes: hash it off this (possibly GUI) thread.
    const QString path = spec_.partPath;
    std::shared_ptr<QCryptographicHash> hash = hash_;
    runOffThread<qint64>(&context_, [path, hash] { return hashPart(path, hash.get()); },
                         [this](qint64 bytes) { onPartHashed(bytes); });
}

void FileTransfer::stop()
{
    stopped_ = true;
    if (reply_) {
        reply_->disconnect(this);
        reply_->abort();
    }
    closePart();
}

void FileTransfer::onPartHashed(qint64 bytes)
{
    if (stopped_)
        return;
    onDisk_ = bytes;
    Q_EMIT progressed(onDisk_);
    if (spec_.size >= 0 && onDisk_ == spec_.size && onDisk_ > 0)
        return verifyAndKeep(); // complete already; a Range request would only answer 416
    request(spec_.url);
}

void FileTransfer::request(const QUrl& url)
{
    QNetworkRequest request = hubRequest(url);
    if (onDisk_ > 0)
        request.setRawHeader("Range", "bytes=" + QByteArray::number(onDisk_) + '-');
    accepting_ = false;
    reply_ = network_->get(request);
    connect(reply_, &QNetworkReply::metaDataChanged, this, &FileTransfer::onHeaders);
    connect(reply_, &QNetworkReply::readyRead, this, &FileTransfer::onData);
    connect(reply_, &QNetworkReply::finished, this, &FileTransfer::onFinished);
}

void FileTransfer::onHeaders()
{
    const int status = httpStatus(*reply_);
    if (status == 206 && rangeStart(reply_->rawHeader("Content-Range")) != onDisk_) {
        reply_->disconnect(this);
        reply_->abort();
        return fail(networkFailureSentence(spec_.file),
                    QStringLiteral("GET %1: Content-Range %2 does not continue byte %3")
                        .arg(reply_->url().toString(), QString::fromLatin1(reply_->rawHeader("Content-Range")))
                        .arg(onDisk_));
    }
    if (status != 200 && status != 206)
        return; // a redirect, 416 or an error: decided when it finishes
    // 200 to a Range request: the server sends the whole file, so start over.
    const bool restart = status == 200 && onDisk_ > 0;
    if (restart) {
        qInfo("download: %s: the server ignored Range, restarting", qPrintable(spec_.file));
        hash_->reset();
        onDisk_ = 0;
        Q_EMIT progressed(0);
    }
    if (!openPart(status == 200)) {
        reply_->disconnect(this);
        reply_->abort();
        return fail(fileWriteSentence(spec_.file, spec_.partPath), part_.errorString());
    }
    accepting_ = true;
}

bool FileTransfer::openPart(bool truncate)
{
    if (part_.isOpen())
        part_.close();
    return part_.open(truncate ? QIODevice::WriteOnly | QIODevice::Truncate : QIODevice::WriteOnly | QIODevice::Append);
}

void FileTransfer::onData()
{
    if (!accepting_) {
        reply_->readAll(); // a redirect's or an error's body
        return;
    }
    const QByteArray data = reply_->readAll();
    // No flush per chunk: QFile buffers, and a flush here would be a write
    // syscall per network chunk on this (possibly GUI) thread. closePart()
    // flushes at the end, on failure and on stop, so a resume sees every byte.
    if (part_.write(data) != data.size()) {
        const QString detail = part_.errorString();
        reply_->disconnect(this);
        reply_->abort();
        return fail(fileWriteSentence(spec_.file, spec_.partPath), detail);
    }
    hash_->addData(data);
    onDisk_ += data.size();
    Q_EMIT progressed(onDisk_);
}

void FileTransfer::onFinished()
{
    QNetworkReply* reply = reply_;
    reply_ = nullptr;
    reply->deleteLater();
    if (accepting_ && reply->bytesAvailable() > 0) {
        reply_ = reply;
        onData();
        reply_ = nullptr;
    }
    if (!closePart())
        return fail(fileWriteSentence(spec_.file, spec_.partPath), part_.errorString());
    const int status = httpStatus(*reply);
    const QString detail =
        QStringLiteral("GET %1: %2 (%3)").arg(reply->url().toString(), statusText(*reply), reply->errorString());
    if (isRedirect(status)) {
        const QUrl next = redirectTarget(*reply);
        if (next.isValid() && !isAllowedRedirect(reply->url(), next))
            return fail(refusedRedirectSentence(spec_.file),
                        QStringLiteral("%1: refused redirect to %2").arg(detail, next.toString()));
        if (!next.isValid() || ++redirects_ > 10)
            return fail(tooManyRedirectsSentence(spec_.file), detail);
        return request(next);
    }
    if (status == 416) // the part already holds every byte
        return verifyAndKeep();
    if (status >= 400)
        return fail(httpFailureSentence(spec_.file, *reply), detail);
    if (reply->error() != QNetworkReply::NoError || !accepting_)
        return fail(networkFailureSentence(spec_.file), detail);
    verifyAndKeep();
}

void FileTransfer::verifyAndKeep()
{
    if (spec_.size >= 0 && onDisk_ != spec_.size) {
        if (onDisk_ > spec_.size)
            QFile::remove(spec_.partPath);
        return fail(incompleteSentence(spec_.file, onDisk_, spec_.size),
                    QStringLiteral("%1: %2 bytes, expected %3").arg(spec_.partPath).arg(onDisk_).arg(spec_.size));
    }
    const QString digest = QString::fromLatin1(hash_->result().toHex());
    if (!spec_.sha256.isEmpty() && digest != spec_.sha256) {
        QFile::remove(spec_.partPath); // resuming a damaged prefix would never succeed
        return fail(damagedSentence(spec_.file),
                    QStringLiteral("%1: SHA-256 %2, expected %3").arg(spec_.url.toString(), digest, spec_.sha256));
    }
    QFile::remove(spec_.finalPath);
    if (!QFile::rename(spec_.partPath, spec_.finalPath))
        return fail(fileWriteSentence(spec_.file, spec_.finalPath),
                    QStringLiteral("rename %1 → %2 failed").arg(spec_.partPath, spec_.finalPath));
    Q_EMIT completed();
}

bool FileTransfer::closePart()
{
    if (!part_.isOpen())
        return true;
    const bool flushed = part_.flush();
    part_.close();
    return flushed;
}

void FileTransfer::fail(const QString& sentence, const QString& detail)
{
    closePart();
    qWarning("download: %s", qPrintable(detail));
    Q_EMIT failed(sentence, detail);
}

} // namespace photosearch
