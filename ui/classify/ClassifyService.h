#pragma once
// The window's classify engine: owns one worker thread running a
// ClassifyWorker, and hands it requests. Every method is called on the GUI
// thread and returns at once; answers come back as signals on the GUI thread.
//
// The encoder cache is the window's (LibraryController::encoders()), so the
// Classify panel, search and drops share one loaded model. A newer classify()
// or cancel() makes the running request stop between images.

#include "ClassifyTypes.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

namespace photosearch {

class ClassifyWorker;
class ClipEncoderCache;

class ClassifyService : public QObject {
    Q_OBJECT
public:
    ClassifyService(const QString& libraryDir, std::shared_ptr<ClipEncoderCache> encoders,
                    QObject* parent = nullptr);
    ~ClassifyService() override; // cancels, then waits for the image being classified

    const QString& libraryDir() const { return libraryDir_; }

    // Classifies `paths` against `labels` with the model in `modelDir`;
    // returns the request id the signals carry. Cancels an earlier request.
    int classify(const QStringList& paths, const QStringList& labels, const QString& modelDir);
    // Stops the running request after its current image.
    void cancel();
    // Models are taken from `encoders` from now on (LibraryController makes a
    // new cache when the device or thread settings change).
    void setEncoders(std::shared_ptr<ClipEncoderCache> encoders);
    // Adds each image to the manual album named in its assignment.
    int putIntoAlbums(const QList<AlbumAssignment>& assignments);

Q_SIGNALS:
    void status(int requestId, const QString& message);
    void imageClassified(int requestId, const photosearch::ClassifyRow& row);
    void finished(int requestId);
    void failed(int requestId, const QString& sentence, const QString& detail);
    void albumsFiled(int requestId, const photosearch::AlbumFiling& filing);

private:
    QString libraryDir_;
    std::shared_ptr<std::atomic_int> latest_;
    int nextId_ = 0;
    QThread thread_;
    ClassifyWorker* worker_; // lives on thread_; deleted when it finishes
};

} // namespace photosearch
