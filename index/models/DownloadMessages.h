#pragma once
// The sentences a download failure shows the user: what failed, which file,
// what to do. One place so that the window and the CLI say the same thing.
// Pure functions; any thread.

#include <QString>
#include <QUrl>

class QNetworkReply;

namespace photosearch {

// "605 MB", "1.7 GB"
QString formatBytes(qint64 bytes);

// The server answered an HTTP error for `file` at `url`.
QString httpFailureSentence(const QString& file, const QUrl& url, const QNetworkReply& reply);
// The connection failed or broke off (no HTTP error status).
QString networkFailureSentence(const QString& file, const QUrl& url, const QNetworkReply& reply);
QString tooManyRedirectsSentence(const QString& file, const QUrl& url);
QString damagedSentence(const QString& file);
QString incompleteSentence(const QString& file, qint64 have, qint64 expected);
QString diskFullSentence(const QString& modelName, qint64 needed, const QString& where);
QString fileWriteSentence(const QString& file, const QString& path);

} // namespace photosearch
