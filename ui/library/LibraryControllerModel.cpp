// LibraryController: which model search uses, and the compute settings.
// Choosing a model is checked on the library thread. When photos are indexed
// with the current model, the new one takes over only after every library
// folder was indexed with it (one queued run per folder that leaves the
// library's model alone): search keeps the old model and its vectors until
// then, and a cancelled or failed switch run leaves the old model in place.

// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoderCache.h"

#include "LibraryController.h"

#include "IndexWorker.h"
#include "LibraryWorker.h"
#include "SearchWorker.h"

#include <QDir>

#include <algorithm>

namespace photosearch {

bool LibraryController::setModelDir(const QString& dir)
{
    if (shutDown_)
        return false;
    if (isIndexing() && !current_.quiet) {
        Q_EMIT errorOccurred(tr("The model cannot be changed while a folder is being indexed; wait for it or cancel it."),
                             {});
        return false;
    }
    if (!switchDir_.isEmpty()) {
        Q_EMIT errorOccurred(tr("The library is still being indexed with %1; wait for it or cancel it before "
                                "choosing another model.")
                                 .arg(QDir::toNativeSeparators(switchDir_)),
                             {});
        return false;
    }
    whenOpen([this, dir] {
        LibraryWorker* worker = libraryWorker_;
        if (worker)
            QMetaObject::invokeMethod(worker, [worker, dir] { worker->chooseModel(dir); }, Qt::QueuedConnection);
    });
    return true;
}

void LibraryController::onModelStored(const QString& dir)
{
    if (shutDown_)
        return;
    modelDir_ = dir;
    switchDir_.clear();
    switchId_.clear();
    ++*latestSearch_; // results in flight come from the old model
    searching_ = false;
    Q_EMIT modelChanged(modelDir_);
    rerunLastSearch();
}

void LibraryController::onModelNeedsIndex(const QString& dir, const QString& modelId)
{
    if (shutDown_)
        return;
    switchDir_ = dir;
    switchId_ = modelId;
    for (const QString& root : roots_) {
        Run run;
        run.root = root;
        run.modelDir = dir;
        run.switching = true;
        enqueue(run);
    }
    Q_EMIT modelSwitchStarted(dir);
    Q_EMIT statusMessage(tr("Indexing the library with %1; search uses the current model until that is done.")
                             .arg(QDir::toNativeSeparators(dir)));
    startNext();
}

void LibraryController::switchRunEnded(bool completed)
{
    if (switchDir_.isEmpty())
        return;
    if (!completed) {
        queue_.erase(std::remove_if(queue_.begin(), queue_.end(), [](const Run& r) { return r.switching; }),
                     queue_.end());
        Q_EMIT statusMessage(tr("The library keeps searching with %1; choose the other model again to switch.")
                                 .arg(QDir::toNativeSeparators(modelDir_)));
        switchDir_.clear();
        switchId_.clear();
        return;
    }
    if (std::any_of(queue_.begin(), queue_.end(), [](const Run& r) { return r.switching; }))
        return; // more folders to go
    LibraryWorker* worker = libraryWorker_;
    const QString dir = switchDir_;
    const QString id = switchId_;
    if (worker)
        QMetaObject::invokeMethod(worker, [worker, dir, id] { worker->commitModel(dir, id); }, Qt::QueuedConnection);
}

void LibraryController::setComputeSettings(clip::DevicePreference device, int threads)
{
    if (shutDown_ || (device == device_ && std::max(0, threads) == threads_))
        return; // a new cache would only make every worker load the model again
    device_ = device;
    threads_ = std::max(0, threads);
    // A new cache: the device is fixed per cache. Workers that hold a model
    // from the old one keep it until they let it go.
    encoders_ = std::make_shared<ClipEncoderCache>(device);
    const std::shared_ptr<ClipEncoderCache> encoders = encoders_;
    const int n = std::max(0, threads);
    IndexWorker* index = indexWorker_;
    SearchWorker* search = searchWorker_;
    if (index)
        QMetaObject::invokeMethod(index, [index, encoders, n] { index->setEncoders(encoders, n); },
                                  Qt::QueuedConnection);
    if (search)
        QMetaObject::invokeMethod(search, [search, encoders, n] { search->setEncoders(encoders, n); },
                                  Qt::QueuedConnection);
}

} // namespace photosearch
