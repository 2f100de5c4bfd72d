#pragma once
// The controller's "library" thread: everything small the window asks of the
// catalog that must still not run on the GUI thread (opening the catalog,
// which may upgrade it; hashing a model folder; statistics; the list of
// folders), and the FolderWatcher, whose walks over the folders are disk
// work too. Index runs and searches have their own threads; this one stays
// free for quick answers while a run goes.
//
// Its own Catalog connection, opened per call (calls are rare): SQLite
// copes with the index thread writing meanwhile.

#include "Catalog.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace photosearch {

class FolderWatcher;

class LibraryWorker : public QObject {
    Q_OBJECT
public:
    explicit LibraryWorker(const QString& libraryDir);
    ~LibraryWorker() override;

    // For tests: called on the worker's thread just before the catalog is
    // first opened (e.g. to record which thread opens it).
    static std::function<void()>& openHookForTesting();

    // All called on the worker's thread (queued by the controller).
    void open();
    // Checks `dir` and either stores it as the library's model at once (no
    // photos indexed with another model, or no folders to re-index) or says
    // that the library must be re-indexed with it first.
    void chooseModel(const QString& dir);
    // Stores the model after a switch's re-index ended.
    void commitModel(const QString& dir, const QString& modelId);
    void readStatistics();
    void addRoot(const QString& root);
    // The roots to watch changed (a folder was removed); re-arms the watcher.
    void watchRoots(const QStringList& roots);
    void setWatching(bool on);

Q_SIGNALS:
    void opened(const QString& modelDir, const QStringList& roots);
    void openFailed(const QString& sentence, const QString& detail, const QString& fallbackModelDir);
    void modelStored(const QString& modelDir);
    void modelNeedsIndex(const QString& modelDir, const QString& modelId);
    void modelFailed(const QString& sentence, const QString& detail);
    void statisticsReady(const photosearch::Catalog::Stats& stats);
    void statisticsFailed(const QString& sentence, const QString& detail);
    void rootsChanged(const QStringList& roots);
    void rootsFailed(const QString& sentence, const QString& detail);
    // Forwarded from the FolderWatcher.
    void rootChanged(const QString& root);

private:
    QStringList rootsOrInferred(Catalog& catalog);
    void storeModel(Catalog& catalog, const QString& dir, const QString& modelId);

    QString libraryDir_;
    FolderWatcher* watcher_ = nullptr; // a child: created on this thread at open()
    bool watching_ = true;
};

} // namespace photosearch
