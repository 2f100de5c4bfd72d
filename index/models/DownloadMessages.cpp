// Download failure sentences (DownloadMessages.h).

#include "DownloadMessages.h"

#include "HfResponse.h"

#include <QNetworkReply>

#include <cmath>

namespace photosearch {

QString formatBytes(qint64 bytes)
{
    if (bytes >= 1000000000)
        return QString::number(double(bytes) / 1e9, 'f', 1) + QStringLiteral(" GB");
    if (bytes >= 1000000)
        return QString::number(std::ceil(double(bytes) / 1e6), 'f', 0) + QStringLiteral(" MB");
    return QString::number(std::ceil(double(bytes) / 1e3), 'f', 0) + QStringLiteral(" kB");
}

QString httpFailureSentence(const QString& file, const QUrl& url, const QNetworkReply& reply)
{
    const int status = httpStatus(reply);
    QString advice = QStringLiteral("check HF_ENDPOINT or try again later");
    if (status == 401 || status == 403)
        advice = QStringLiteral("the repo may be private or gated; choose another model");
    else if (status == 404)
        advice = QStringLiteral("check the repo name and HF_ENDPOINT, or try again later");
    return QStringLiteral("%1 could not be downloaded from %2: the server answered %3; %4.")
        .arg(file, url.toDisplayString(), statusText(reply), advice);
}

QString networkFailureSentence(const QString& file, const QUrl& url, const QNetworkReply& reply)
{
    return QStringLiteral("%1 could not be downloaded from %2: %3; check your connection and try again "
                          "(the download resumes where it stopped).")
        .arg(file, url.toDisplayString(), reply.errorString());
}

QString tooManyRedirectsSentence(const QString& file, const QUrl& url)
{
    return QStringLiteral("%1 could not be downloaded from %2: the server redirected more than 10 times; "
                          "check HF_ENDPOINT or try again later.")
        .arg(file, url.toDisplayString());
}

QString damagedSentence(const QString& file)
{
    return QStringLiteral("%1 was damaged in transit (its SHA-256 does not match the server's); "
                          "the damaged copy was deleted, try again.")
        .arg(file);
}

QString incompleteSentence(const QString& file, qint64 have, qint64 expected)
{
    return QStringLiteral("%1 arrived incomplete (%2 of %3 bytes); try again (the download resumes).")
        .arg(file)
        .arg(have)
        .arg(expected);
}

QString diskFullSentence(const QString& modelName, qint64 needed, const QString& where)
{
    return QStringLiteral("%1 needs %2 free on %3; free some space or set PHOTOSEARCH_MODELS to another disk.")
        .arg(modelName, formatBytes(needed), where);
}

QString fileWriteSentence(const QString& file, const QString& path)
{
    return QStringLiteral("%1 could not be written to %2; check that the disk is writable and has space, "
                          "or set PHOTOSEARCH_MODELS to another folder.")
        .arg(file, path);
}

} // namespace photosearch
