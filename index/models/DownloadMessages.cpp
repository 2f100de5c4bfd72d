// Download failure sentences (DownloadMessages.h).

#include "DownloadMessages.h"

#include "HfResponse.h"

#include <QLocale>
#include <QNetworkReply>

namespace photosearch {
namespace {

// What every transient failure tells the user to do: the parts are kept.
const char* const kRetryAdvice = "check your internet connection and try again (the download resumes where it stopped)";

} // namespace

QString formatBytes(qint64 bytes)
{
    // One decimal only where it says something: "1.7 GB", "8.4 MB", "605 MB".
    double value = double(bytes);
    while (value >= 1000)
        value /= 1000;
    const int precision = value < 10 && bytes >= 1000 ? 1 : 0;
    return QLocale().formattedDataSize(bytes, precision, QLocale::DataSizeSIFormat);
}

QString httpFailureSentence(const QString& file, const QNetworkReply& reply)
{
    const int status = httpStatus(reply);
    QString advice = QString::fromLatin1(kRetryAdvice);
    if (status == 401 || status == 403)
        advice = QStringLiteral("the repo may be private or gated; choose another model");
    else if (status == 404)
        advice = QStringLiteral("the model may have moved; choose another model or try again later");
    return QStringLiteral("%1 could not be downloaded: the server answered %2; %3.")
        .arg(file, statusText(reply), advice);
}

QString networkFailureSentence(const QString& file)
{
    return QStringLiteral("%1 could not be downloaded: the connection failed or broke off; %2.")
        .arg(file, QString::fromLatin1(kRetryAdvice));
}

QString tooManyRedirectsSentence(const QString& file)
{
    return QStringLiteral("%1 could not be downloaded: the server redirected more than 10 times; %2.")
        .arg(file, QString::fromLatin1(kRetryAdvice));
}

QString refusedRedirectSentence(const QString& file)
{
    return QStringLiteral("%1 was not downloaded: the server redirected to an address that is not a secure "
                          "web address, which PhotoSearch refuses; try again later or choose another model.")
        .arg(file);
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

QString alreadyDownloadingSentence(const QString& modelName)
{
    return QStringLiteral("%1 is already being downloaded; wait for it or cancel it there.").arg(modelName);
}

} // namespace photosearch
