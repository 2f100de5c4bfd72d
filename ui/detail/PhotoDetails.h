#pragma once
// The detail pane's way into the library: owns the detail thread and its
// DetailWorker (with its own Catalog connection). Called on the GUI thread;
// every call returns at once and the answer comes back as a signal.
// Latest request wins: only the answer to the last load() is reported.
//
// Thread rule: create, call and destroy on the GUI thread. The destructor
// stops the thread, waiting for at most the one catalog read in progress.

#include "PhotoInfo.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <memory>

namespace photosearch {

class DetailWorker;

class PhotoDetails : public QObject {
    Q_OBJECT
public:
    explicit PhotoDetails(const QString& libraryDir, QObject* parent = nullptr);
    ~PhotoDetails() override;

    // Reads the photo's details; `modelId` empty: the library's model.
    void load(const QString& path, const QString& modelId = {});
    // Drops the answer of the load in flight, if any.
    void cancel();
    // A person's verdicts (TagCorrections.h); tagsChanged(path) follows.
    void confirmTag(const QString& path, const QString& tag);
    void removeTag(const QString& path, const QString& tag);

Q_SIGNALS:
    void infoReady(const photosearch::PhotoInfo& info);
    void infoFailed(const QString& path, const QString& sentence);
    void tagsChanged(const QString& path);
    void correctionFailed(const QString& path, const QString& sentence);

private:
    QThread thread_;
    DetailWorker* worker_ = nullptr; // lives on thread_; deleted after it stops
    std::shared_ptr<std::atomic_int> latest_;
};

} // namespace photosearch
