#pragma once
// What a Hugging Face `/resolve/` answer says about a file, and the request
// every download step sends. Pure functions; any thread.
//
// The Hub answers an LFS file (the weights) with a redirect to its CDN that
// carries `X-Linked-Size` and `X-Linked-Etag: "<sha256>"`; a small file kept
// in git is served directly with `ETag: "<git blob sha1>"` (40 hex), which
// is not a SHA-256 of the bytes and so is not checked.

#include <QString>
#include <QUrl>

class QNetworkReply;
class QNetworkRequest;

namespace photosearch {

struct RemoteFile {
    qint64 size = -1; // -1: unknown
    QString sha256;   // lower-case hex; empty when the server gave none
    bool linked = false; // X-Linked-Size was present (an LFS file)
};

// A request without automatic redirects (each hop is inspected), without
// compression (sizes and Range offsets are the file's bytes) and with a
// 60 s no-data timeout.
QNetworkRequest hubRequest(const QUrl& url);

// `"abc"`, `W/"abc"` → `abc`.
QString normalizeEtag(const QByteArray& etag);
// The file as far as the reply's headers tell.
RemoteFile remoteFileFrom(const QNetworkReply& reply);

bool isRedirect(int status);
// The Location of a redirect, resolved against the reply's URL; invalid when missing.
QUrl redirectTarget(const QNetworkReply& reply);
// Whether a redirect from `from` to `to` may be followed: only to http or
// https (Qt would also fetch file:, ftp:, data:, qrc: URLs, so a hostile
// mirror could make the download read local files), and never from https
// down to http.
bool isAllowedRedirect(const QUrl& from, const QUrl& to);
int httpStatus(const QNetworkReply& reply);
// "404 Not Found"
QString statusText(const QNetworkReply& reply);

// `$HF_ENDPOINT/{repo}/resolve/{revision}/{file}` with the revision as one
// encoded path segment ("refs%2Fpr%2F66"), as huggingface_hub spells it.
QUrl resolveUrl(const QString& endpoint, const QString& repo, const QString& revision, const QString& file);

} // namespace photosearch
