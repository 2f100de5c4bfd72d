#pragma once
// Decodes one large image at a time for the detail pane and the preview,
// through the shared ImageDecoder (EXIF orientation applied, HEIF/AVIF via
// libheif), on a one-thread pool of its own. Latest request wins: a request
// not yet started when a newer one comes is dropped, and only the answer to
// the newest request is delivered.
//
// Thread rule: create, call and destroy on the GUI thread; decoded() comes
// on the GUI thread. The destructor waits for the decode in progress (the
// pool has one thread), never for queued ones, which it drops.

#include <QImage>
#include <QObject>
#include <QSize>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <memory>

namespace photosearch {

class PreviewDecoder : public QObject {
    Q_OBJECT
public:
    explicit PreviewDecoder(QObject* parent = nullptr);
    ~PreviewDecoder() override;

    // Decodes `path` to fit `box` (device pixels). Returns the request's id.
    int request(const QString& path, QSize box);
    // Nothing asked so far is delivered.
    void cancel();

Q_SIGNALS:
    // `image` is null when the file could not be decoded; `error` then says
    // why in one sentence for the person (ImageError's, naming the file).
    void decoded(int requestId, const QString& path, const QImage& image, QSize box, const QString& error);

private:
    QThreadPool pool_;
    std::shared_ptr<std::atomic_int> latest_;
};

} // namespace photosearch
