#pragma once
// The sentences a download failure shows the user: what failed, which file,
// what to do. One place so that the window and the CLI say the same thing.
// A sentence holds nothing the user cannot act on: no exception text, no
// Qt error string, no URL or HF_ENDPOINT advice (those go to the detail the
// caller logs). Pure functions; any thread.

#include <QString>
#include <QUrl>

class QNetworkReply;

namespace photosearch {

// "605 MB", "1.7 GB", "8.4 MB" (decimal units as Hugging Face shows them,
// one decimal only below 10 of a unit), in the user's locale. The one byte
// formatter of the models code: the window and the CLI both use it.
QString formatBytes(qint64 bytes);

// The server answered an HTTP error status for `file`.
QString httpFailureSentence(const QString& file, const QNetworkReply& reply);
// The connection failed or broke off (no HTTP error status).
QString networkFailureSentence(const QString& file);
QString tooManyRedirectsSentence(const QString& file);
// A redirect pointed somewhere that is not http(s), or from https to http.
QString refusedRedirectSentence(const QString& file);
QString damagedSentence(const QString& file);
QString incompleteSentence(const QString& file, qint64 have, qint64 expected);
QString diskFullSentence(const QString& modelName, qint64 needed, const QString& where);
QString fileWriteSentence(const QString& file, const QString& path);
// Another download (another window's panel, the CLI) holds the repo's lock.
QString alreadyDownloadingSentence(const QString& modelName);

} // namespace photosearch
