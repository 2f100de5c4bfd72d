// HEAD per file (FileProbe.h). Redirects are followed by hand (the request
// says ManualRedirectPolicy) so that each hop's headers can be read; each hop
// is checked with isAllowedRedirect before it is requested.

#include "FileProbe.h"

#include "DownloadMessages.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace photosearch {

FileProbe::FileProbe(QNetworkAccessManager* network, const QString& file, const QUrl& url, QObject* parent)
    : QObject(parent)
    , network_(network)
    , file_(file)
    , firstUrl_(url)
{
}

FileProbe::~FileProbe()
{
    if (reply_) {
        reply_->disconnect(this);
        reply_->abort();
        reply_->deleteLater();
    }
}

void FileProbe::start()
{
    request(firstUrl_);
}

void FileProbe::request(const QUrl& url)
{
    reply_ = network_->head(hubRequest(url));
    connect(reply_, &QNetworkReply::finished, this, &FileProbe::onFinished);
}

void FileProbe::onFinished()
{
    QNetworkReply* reply = reply_;
    reply_ = nullptr;
    reply->deleteLater();
    const int status = httpStatus(*reply);
    const QString detail = QStringLiteral("HEAD %1: %2 (%3)").arg(reply->url().toString(), statusText(*reply), reply->errorString());
    if (isRedirect(status)) {
        const RemoteFile remote = remoteFileFrom(*reply);
        if (remote.linked) // the Hub's LFS redirect already says it all
            return Q_EMIT known(remote);
        const QUrl next = redirectTarget(*reply);
        if (next.isValid() && !isAllowedRedirect(reply->url(), next))
            return Q_EMIT failed(refusedRedirectSentence(file_),
                                 QStringLiteral("%1: refused redirect to %2").arg(detail, next.toString()));
        if (!next.isValid() || ++redirects_ > 10)
            return Q_EMIT failed(tooManyRedirectsSentence(file_), detail);
        return request(next);
    }
    if (status >= 400)
        return Q_EMIT failed(httpFailureSentence(file_, *reply), detail);
    if (reply->error() != QNetworkReply::NoError || status == 0)
        return Q_EMIT failed(networkFailureSentence(file_), detail);
    Q_EMIT known(remoteFileFrom(*reply));
}

} // namespace photosearch
