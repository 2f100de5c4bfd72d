// The loopback Hugging Face look-alike of HttpTestServer.h. One request per
// connection; everything runs on the creating thread's event loop.

#include "HttpTestServer.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

namespace photosearch::testhttp {
namespace {

QByteArray reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 206: return "Partial Content";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 416: return "Range Not Satisfiable";
    case 500: return "Internal Server Error";
    default: return "Status";
    }
}

QString key(const QString& repo, const QString& revision)
{
    return repo + QLatin1Char('@') + revision;
}

} // namespace

HttpTestServer::HttpTestServer(QObject* parent)
    : QObject(parent)
    , server_(new QTcpServer(this))
{
    connect(server_, &QTcpServer::newConnection, this, &HttpTestServer::onNewConnection);
}

HttpTestServer::~HttpTestServer() = default;

bool HttpTestServer::listen()
{
    return server_->listen(QHostAddress::LocalHost, 0);
}

QString HttpTestServer::endpoint() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(server_->serverPort());
}

bool HttpTestServer::addRepo(const QString& repo, const QString& revision, const QString& dir)
{
    QHash<QString, Served>& files = repos_[key(repo, revision)];
    const QStringList names = QDir(dir).entryList(QDir::Files);
    for (const QString& name : names) {
        QFile f(QDir(dir).filePath(name));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        Served s;
        s.name = name;
        s.bytes = f.readAll();
        s.sha256 = QCryptographicHash::hash(s.bytes, QCryptographicHash::Sha256).toHex();
        QCryptographicHash git(QCryptographicHash::Sha1);
        git.addData("blob " + QByteArray::number(s.bytes.size()) + '\0');
        git.addData(s.bytes);
        s.gitSha1 = git.result().toHex();
        byDigest_.insert(s.sha256, s);
        files.insert(name, s);
    }
    return !files.isEmpty();
}

void HttpTestServer::markLfs(const QString& file) { lfs_.insert(file); }
void HttpTestServer::dropAfterBytes(const QString& file, qint64 bytes) { drop_.insert(file, bytes); }
void HttpTestServer::stallAfterBytes(const QString& file, qint64 bytes) { stall_.insert(file, bytes); }
void HttpTestServer::setIgnoreRange(bool ignore) { ignoreRange_ = ignore; }

void HttpTestServer::setRedirect(const QString& file, const QByteArray& location, const QByteArray& method)
{
    if (location.isEmpty())
        redirect_.remove(file);
    else
        redirect_.insert(file, {location, method});
}

void HttpTestServer::releaseStalled()
{
    // The server parents the sockets it hands out.
    for (QTcpSocket* socket : server_->findChildren<QTcpSocket*>()) {
        if (!socket->property("stalled").toBool() || socket->state() != QAbstractSocket::ConnectedState)
            continue;
        socket->write(socket->property("rest").toByteArray());
        socket->disconnectFromHost();
    }
}

void HttpTestServer::setCorrupt(const QString& file, bool corrupt)
{
    if (corrupt)
        corrupt_.insert(file);
    else
        corrupt_.remove(file);
}

void HttpTestServer::setStatus(const QString& file, int status)
{
    if (status)
        status_.insert(file, status);
    else
        status_.remove(file);
}

QList<RecordedRequest> HttpTestServer::requestsFor(const QString& file) const
{
    QList<RecordedRequest> found;
    for (const RecordedRequest& r : requests_) {
        const QByteArray path = r.path;
        const bool direct = path.endsWith("/" + QUrl::toPercentEncoding(file));
        const int cdn = path.indexOf("/cdn/");
        const bool viaCdn = cdn == 0 && byDigest_.value(path.mid(5)).name == file;
        if (direct || viaCdn)
            found << r;
    }
    return found;
}

bool HttpTestServer::isLfs(const QString& name) const
{
    return lfs_.contains(name) || name.endsWith(QLatin1String(".safetensors")) || name.endsWith(QLatin1String(".bin"));
}

void HttpTestServer::onNewConnection()
{
    while (QTcpSocket* socket = server_->nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            if (socket->property("stalled").toBool())
                --stalling_;
            socket->deleteLater();
        });
    }
}

void HttpTestServer::onReadyRead(QTcpSocket* socket)
{
    if (socket->property("answered").toBool())
        return;
    // The request is a few hundred bytes: wait for its blank line.
    QByteArray head = socket->property("head").toByteArray() + socket->readAll();
    socket->setProperty("head", head);
    const int end = head.indexOf("\r\n\r\n");
    if (end < 0)
        return;
    socket->setProperty("answered", true);
    const QList<QByteArray> lines = head.left(end).split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    RecordedRequest r;
    r.method = requestLine.value(0);
    r.path = requestLine.value(1);
    for (const QByteArray& line : lines.mid(1)) {
        const int colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == "range")
            r.range = line.mid(colon + 1).trimmed();
    }
    requests_ << r;
    send(socket, r.method, answer(r.method, r.path, r.range));
}

HttpTestServer::Response HttpTestServer::answer(const QByteArray& method, const QByteArray& rawPath,
                                                const QByteArray& range)
{
    if (method != "GET" && method != "HEAD")
        return Response{400, {}, "only GET and HEAD\n", {}};
    if (rawPath.startsWith("/cdn/"))
        return answerCdn(rawPath.mid(5), range);
    // "", owner, name, "resolve", rev, file
    const QList<QByteArray> segments = rawPath.split('/');
    if (segments.size() == 6 && segments[3] == "resolve")
        return answerResolve(method, segments);
    return Response{404, {{"X-Error-Code", "RepoNotFound"}}, "Repository not found\n", {}};
}

HttpTestServer::Response HttpTestServer::answerResolve(const QByteArray& method, const QList<QByteArray>& segments)
{
    const QString repo = QUrl::fromPercentEncoding(segments[1] + '/' + segments[2]);
    const QString revision = QUrl::fromPercentEncoding(segments[4]);
    const QString name = QUrl::fromPercentEncoding(segments[5]);
    if (redirect_.contains(name) && (redirect_[name].second.isEmpty() || redirect_[name].second == method))
        return Response{302, {{"Location", redirect_[name].first}}, {}, {}};
    if (status_.contains(name))
        return Response{status_.value(name), {}, "knob\n", {}};
    const auto files = repos_.constFind(key(repo, revision));
    if (files == repos_.constEnd() || !files->contains(name))
        return Response{404, {{"X-Error-Code", "EntryNotFound"}}, "Entry not found\n", {}};
    const Served& s = files->value(name);
    if (isLfs(name)) {
        return Response{302,
                        {{"Location", "/cdn/" + s.sha256},
                         {"X-Linked-Size", QByteArray::number(s.bytes.size())},
                         {"X-Linked-Etag", '"' + s.sha256 + '"'},
                         {"ETag", '"' + s.sha256 + '"'}},
                        {},
                        {}};
    }
    return Response{200, {{"ETag", '"' + s.gitSha1 + '"'}}, s.bytes, name};
}

HttpTestServer::Response HttpTestServer::answerCdn(const QByteArray& digest, const QByteArray& range)
{
    const auto it = byDigest_.constFind(digest);
    if (it == byDigest_.constEnd())
        return Response{404, {}, "No such object\n", {}};
    const QByteArray& bytes = it->bytes;
    const qint64 size = bytes.size();
    if (range.isEmpty() || ignoreRange_ || !range.startsWith("bytes="))
        return Response{200, {{"ETag", '"' + digest + '"'}}, bytes, it->name};
    const QList<QByteArray> bounds = range.mid(6).split('-');
    const qint64 first = bounds.value(0).toLongLong();
    const qint64 last = bounds.value(1).isEmpty() ? size - 1 : qMin(size - 1, bounds.value(1).toLongLong());
    if (first >= size || last < first)
        return Response{416, {{"Content-Range", "bytes */" + QByteArray::number(size)}}, {}, {}};
    const QByteArray contentRange =
        "bytes " + QByteArray::number(first) + '-' + QByteArray::number(last) + '/' + QByteArray::number(size);
    return Response{206, {{"Content-Range", contentRange}}, bytes.mid(first, last - first + 1), it->name};
}

void HttpTestServer::send(QTcpSocket* socket, const QByteArray& method, Response response)
{
    const QString& file = response.file;
    if (!file.isEmpty() && corrupt_.contains(file) && !response.body.isEmpty()) {
        const int middle = int(response.body.size() / 2);
        response.body[middle] = char(response.body[middle] ^ 0x5a);
    }
    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reason(response.status) + "\r\n";
    for (const auto& [name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    head += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\nConnection: close\r\n\r\n";
    socket->write(head);
    if (method == "HEAD") {
        socket->disconnectFromHost();
        return;
    }
    // The drop and stall knobs cut this body once; later requests get it whole.
    qint64 cut = -1;
    if (!file.isEmpty() && drop_.contains(file))
        cut = drop_.take(file);
    const bool stall = cut < 0 && !file.isEmpty() && stall_.contains(file);
    if (stall)
        cut = stall_.take(file);
    socket->write(cut < 0 ? response.body : response.body.left(cut));
    if (stall) {
        socket->setProperty("stalled", true);
        socket->setProperty("rest", response.body.mid(cut));
        ++stalling_;
        return;
    }
    socket->disconnectFromHost();
}

} // namespace photosearch::testhttp
