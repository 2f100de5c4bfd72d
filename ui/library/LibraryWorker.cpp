#include "LibraryWorker.h"

#include "CatalogRepair.h"
#include "FolderWatcher.h"
#include "LibraryLocation.h"
#include "LibraryModel.h"
#include "LibraryFolders.h"
#include "LibraryRoots.h"
#include "ModelError.h"
#include "ModelIdentity.h"
#include "VectorSet.h"

#include <QDir>
#include <QFileInfo>
#include <QtDebug>

namespace photosearch {

LibraryWorker::LibraryWorker(const QString& libraryDir)
    : libraryDir_(libraryDir)
{
}

LibraryWorker::~LibraryWorker() = default;

std::function<void()>& LibraryWorker::openHookForTesting()
{
    static std::function<void()> hook;
    return hook;
}

void LibraryWorker::open()
{
    watcher_ = new FolderWatcher(this);
    watcher_->setEnabled(watching_);
    watcher_->setIgnored({QDir::cleanPath(QFileInfo(libraryDir_).absoluteFilePath())});
    connect(watcher_, &FolderWatcher::rootChanged, this, &LibraryWorker::rootChanged);
    if (openHookForTesting())
        openHookForTesting()();
    try {
        // May create or upgrade the catalog (seconds); an existing read-only one is only read.
        const bool readOnly = QFileInfo::exists(QDir(libraryDir_).filePath(QStringLiteral("catalog.sqlite")))
            && LibraryLocation::isReadOnly(libraryDir_);
        Catalog catalog(libraryDir_, readOnly ? Catalog::Access::ReadOnly : Catalog::Access::ReadWrite);
        const QStringList roots = rootsOrInferred(catalog);
        watcher_->setRoots(roots);
        Q_EMIT opened(resolveLibraryModelDir(&catalog), roots);
    } catch (const CatalogError& e) {
        qWarning("%s", e.what());
        const QString dir = QDir::toNativeSeparators(libraryDir_);
        // The same way out as the command line's sentence (SqliteConnection.cpp);
        // repair refuses while this window has the catalog open.
        const QString sentence = isCatalogDamage(e)
            ? tr("The library catalog in %1 is damaged; close PhotoSearch, run %2 (it keeps the damaged file aside "
                 "and restores or rebuilds the catalog), then open PhotoSearch again, or choose another library in "
                 "Edit ▸ Settings.")
                  .arg(dir, repairCommandLine(dir))
            : tr("The library in %1 could not be opened; update PhotoSearch if it was made by a newer version, "
                 "otherwise check the folder's permissions or choose another library in Edit ▸ Settings.")
                  .arg(dir);
        Q_EMIT openFailed(sentence, QString::fromUtf8(e.what()), resolveLibraryModelDir(nullptr));
    }
}

// Libraries indexed before folders were recorded have photos but no roots:
// their top-most photo folders become the roots, so they are watched and the
// window does not ask for a first folder again.
QStringList LibraryWorker::rootsOrInferred(Catalog& catalog)
{
    QStringList roots = libraryRoots(catalog);
    if (!roots.isEmpty())
        return roots;
    for (const FolderEntry& folder : libraryFolders(catalog.photos())) {
        try {
            addLibraryRoot(catalog, folder.path);
        } catch (const CatalogError& e) { // read-only: watched this time, not remembered
            qWarning("%s", e.what());
        }
        roots << folder.path;
    }
    return roots;
}

void LibraryWorker::storeModel(Catalog& catalog, const QString& dir, const QString& modelId)
{
    setLibraryModel(catalog, dir, modelId);
    Q_EMIT modelStored(dir);
}

void LibraryWorker::chooseModel(const QString& dir)
{
    const QString clean = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    try {
        const QString filesId = modelIdForDirectory(clean); // hashes the headers
        Catalog catalog(libraryDir_);
        // The set of its vectors already here; without any, the bare id stands
        // until the first index run records the set it fills.
        const QString modelId = libraryVectorSet(catalog, filesId, QStringLiteral("fp32"));
        const QString current = libraryModelId(catalog);
        // Nothing is lost by switching at once when no photo has vectors of
        // the current model, or when there is no folder to re-index with it.
        if (current.isEmpty() || current == modelId || catalog.embeddingCount(current) == 0
            || libraryRoots(catalog).isEmpty())
            storeModel(catalog, clean, modelId);
        else
            Q_EMIT modelNeedsIndex(clean, modelId);
    } catch (const clip::ModelError& e) {
        qWarning("%s", e.what());
        Q_EMIT modelFailed(tr("%1 is not a usable CLIP model folder; choose a folder with config.json, "
                              "model.safetensors, vocab.json and merges.txt.")
                               .arg(QDir::toNativeSeparators(clean)),
                           QString::fromUtf8(e.what()));
    } catch (const CatalogError& e) {
        qWarning("%s", e.what());
        Q_EMIT modelFailed(tr("The model could not be remembered because the library catalog could not be "
                              "written; check the library folder."),
                           QString::fromUtf8(e.what()));
    }
}

void LibraryWorker::commitModel(const QString& dir, const QString& modelId)
{
    try {
        Catalog catalog(libraryDir_);
        // The switching runs filled the set of the precision they computed in
        // (perhaps not the bare id chooseModel named): record that one.
        storeModel(catalog, dir, libraryVectorSet(catalog, vectorSetModel(modelId), vectorSetPrecision(modelId)));
    } catch (const CatalogError& e) {
        qWarning("%s", e.what());
        Q_EMIT modelFailed(tr("The library was indexed with %1 but the model could not be remembered because the "
                              "catalog could not be written; check the library folder and choose the model again.")
                               .arg(QDir::toNativeSeparators(dir)),
                           QString::fromUtf8(e.what()));
    }
}

void LibraryWorker::readStatistics()
{
    try {
        const Catalog catalog(libraryDir_);
        Q_EMIT statisticsReady(catalog.stats());
    } catch (const CatalogError& e) {
        qWarning("%s", e.what());
        Q_EMIT statisticsFailed(tr("The library statistics could not be read from %1; check the library folder.")
                                    .arg(QDir::toNativeSeparators(libraryDir_)),
                                QString::fromUtf8(e.what()));
    }
}

void LibraryWorker::addRoot(const QString& root)
{
    try {
        Catalog catalog(libraryDir_);
        addLibraryRoot(catalog, root);
        const QStringList roots = libraryRoots(catalog);
        watchRoots(roots);
        Q_EMIT rootsChanged(roots);
    } catch (const CatalogError& e) {
        qWarning("%s", e.what());
        Q_EMIT rootsFailed(tr("%1 is indexed but could not be added to the library's folders, so it is not watched "
                              "for changes; check the library folder.")
                               .arg(QDir::toNativeSeparators(root)),
                           QString::fromUtf8(e.what()));
    }
}

void LibraryWorker::watchRoots(const QStringList& roots)
{
    if (watcher_)
        watcher_->setRoots(roots);
}

void LibraryWorker::setWatching(bool on)
{
    watching_ = on;
    if (watcher_)
        watcher_->setEnabled(on);
}

} // namespace photosearch
