#pragma once
// Learns one file's size and digest before anything is downloaded, so that
// the total is known up front and the disk space can be checked: a HEAD to
// the `/resolve/` URL, following redirects (at most 10) until a response
// names the size (`X-Linked-Size` on the Hub's first redirect, else the final
// Content-Length).
//
// Thread rule: lives on a thread with an event loop (the downloader's).
// Deleting it aborts the request silently.

#include "HfResponse.h"

#include <QObject>
#include <QPointer>

class QNetworkAccessManager;
class QNetworkReply;

namespace photosearch {

class FileProbe : public QObject {
    Q_OBJECT
public:
    FileProbe(QNetworkAccessManager* network, const QString& file, const QUrl& url, QObject* parent = nullptr);
    ~FileProbe() override;
    void start();

Q_SIGNALS:
    void known(const photosearch::RemoteFile& file);
    void failed(const QString& sentence, const QString& detail);

private:
    void request(const QUrl& url);
    void onFinished();

    QNetworkAccessManager* network_;
    QString file_;
    QUrl firstUrl_;
    QPointer<QNetworkReply> reply_;
    int redirects_ = 0;
};

} // namespace photosearch
