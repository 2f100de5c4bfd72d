// Hugging Face response headers and request settings (HfResponse.h).

#include "HfResponse.h"

#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>

namespace photosearch {
namespace {

bool isSha256(const QString& s)
{
    static const QRegularExpression hex64(QStringLiteral("^[0-9a-f]{64}$"));
    return hex64.match(s).hasMatch();
}

} // namespace

QNetworkRequest hubRequest(const QUrl& url)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    // Qt decompresses gzip silently, which would break sizes and Range offsets.
    request.setRawHeader("Accept-Encoding", "identity");
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("photosearch"));
    request.setTransferTimeout(60000);
    return request;
}

QString normalizeEtag(const QByteArray& etag)
{
    QByteArray e = etag.trimmed();
    if (e.startsWith("W/"))
        e = e.mid(2);
    if (e.size() >= 2 && e.startsWith('"') && e.endsWith('"'))
        e = e.mid(1, e.size() - 2);
    return QString::fromLatin1(e).toLower();
}

RemoteFile remoteFileFrom(const QNetworkReply& reply)
{
    RemoteFile file;
    if (reply.hasRawHeader("X-Linked-Size")) {
        bool ok = false;
        const qint64 size = reply.rawHeader("X-Linked-Size").trimmed().toLongLong(&ok);
        file.size = ok ? size : -1;
        file.linked = ok;
    } else if (!isRedirect(httpStatus(reply))) {
        const QVariant length = reply.header(QNetworkRequest::ContentLengthHeader);
        file.size = length.isValid() ? length.toLongLong() : -1;
    }
    const QString etag = normalizeEtag(reply.hasRawHeader("X-Linked-Etag") ? reply.rawHeader("X-Linked-Etag")
                                                                           : reply.rawHeader("ETag"));
    if (isSha256(etag))
        file.sha256 = etag;
    return file;
}

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

QUrl redirectTarget(const QNetworkReply& reply)
{
    const QByteArray location = reply.rawHeader("Location");
    if (location.isEmpty())
        return {};
    return reply.url().resolved(QUrl::fromEncoded(location));
}

bool isAllowedRedirect(const QUrl& from, const QUrl& to)
{
    const QString scheme = to.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return false;
    return !(from.scheme().toLower() == QLatin1String("https") && scheme == QLatin1String("http"));
}

int httpStatus(const QNetworkReply& reply)
{
    return reply.attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

QString statusText(const QNetworkReply& reply)
{
    const QString phrase = reply.attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    return QString::number(httpStatus(reply)) + (phrase.isEmpty() ? QString() : QLatin1Char(' ') + phrase);
}

QUrl resolveUrl(const QString& endpoint, const QString& repo, const QString& revision, const QString& file)
{
    QString base = endpoint;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    const QByteArray path = '/' + repo.toUtf8() + "/resolve/" + QUrl::toPercentEncoding(revision) + '/'
                            + QUrl::toPercentEncoding(file, "/");
    return QUrl::fromEncoded(base.toUtf8() + path, QUrl::StrictMode);
}

} // namespace photosearch
