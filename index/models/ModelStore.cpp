// The per-user model folder (ModelStore.h). No state: every call reads the
// disk, so any thread may call it (the GUI calls it off its own thread).

#include "ModelStore.h"

#include "ClipConfig.h"
#include "KnownModels.h"
#include "ModelIdentity.h"

#include <QDir>
#include <QFileInfo>
#include <QLockFile>
#include <QStandardPaths>

#include <exception>

namespace photosearch {
namespace {

QString folderName(const QString& repo)
{
    QString name = repo;
    return name.replace(QLatin1Char('/'), QLatin1String("--"));
}

// "openai--clip-vit-base-patch32" → the known model it holds, if any.
const KnownModel* knownByFolder(const QString& folder)
{
    for (const KnownModel& m : knownModels()) {
        if (folderName(m.repo) == folder)
            return &m;
    }
    return nullptr;
}

std::optional<InstalledModel> readInstalled(const QString& dir)
{
    InstalledModel model;
    try {
        model.id = modelIdForDirectory(dir);
        model.dim = int(clip::ClipConfig::fromFile(QDir(dir).filePath(QStringLiteral("config.json")).toStdString())
                            .projectionDim);
    } catch (const std::exception& e) {
        qWarning("models: skipping %s: %s", qPrintable(dir), e.what());
        return std::nullopt;
    }
    const QString folder = QFileInfo(dir).fileName();
    const KnownModel* known = knownByFolder(folder);
    model.name = known ? known->name : folder;
    model.repo = known ? known->repo : QString();
    model.path = QFileInfo(dir).absoluteFilePath();
    return model;
}

} // namespace

QString ModelStore::root()
{
    const QString custom = qEnvironmentVariable("PHOTOSEARCH_MODELS");
    if (!custom.isEmpty())
        return QDir(custom).absolutePath();
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/photosearch/models");
}

QString ModelStore::folderFor(const QString& repo)
{
    return root() + QLatin1Char('/') + folderName(repo);
}

QString ModelStore::partialFolderFor(const QString& repo)
{
    return root() + QStringLiteral("/.partial/") + folderName(repo);
}

QString ModelStore::lockFileFor(const QString& repo)
{
    return partialFolderFor(repo) + QStringLiteral(".lock");
}

bool ModelStore::discardPartial(const QString& repo, QString* error)
{
    const KnownModel* known = findKnownModel(repo);
    const QString name = known ? known->name : repo;
    // Holding the download lock while deleting: a download cannot start
    // into a half-deleted folder, and a running one is not pulled from under.
    QDir().mkpath(root() + QStringLiteral("/.partial"));
    QLockFile lock(lockFileFor(repo));
    lock.setStaleLockTime(0); // stale only when its process is gone
    if (!lock.tryLock(0)) {
        if (error)
            *error = QStringLiteral("%1 is being downloaded now; cancel that download first, then discard it.")
                         .arg(name);
        return false;
    }
    const QString partial = partialFolderFor(repo);
    const bool removed = QDir(partial).removeRecursively() && QDir(partial + QStringLiteral(".old")).removeRecursively();
    if (!removed && error)
        *error = QStringLiteral("The partial download of %1 in %2 could not be removed completely; "
                                "check its permissions and remove it by hand.")
                     .arg(name, QDir::toNativeSeparators(partial));
    return removed;
}

std::vector<InstalledModel> ModelStore::installed()
{
    std::vector<InstalledModel> models;
    // Hidden folders (.partial) hold downloads in progress.
    const QStringList folders = QDir(root()).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString& folder : folders) {
        if (auto model = readInstalled(QDir(root()).filePath(folder)))
            models.push_back(*model);
    }
    return models;
}

std::optional<InstalledModel> ModelStore::installedRepo(const QString& repo)
{
    const QString dir = folderFor(repo);
    if (!QFileInfo(dir).isDir())
        return std::nullopt;
    return readInstalled(dir);
}

bool ModelStore::remove(const QString& path, QString* error)
{
    // Only a model folder directly in the store: never an arbitrary folder.
    const QFileInfo info(path);
    const bool inStore = info.isDir() && QFileInfo(info.absolutePath()).canonicalFilePath()
                                             == QFileInfo(root()).canonicalFilePath();
    if (!inStore || info.fileName().startsWith(QLatin1Char('.'))) {
        if (error)
            *error = QStringLiteral("%1 is not a model folder in %2; nothing was removed.").arg(path, root());
        return false;
    }
    if (!QDir(info.absoluteFilePath()).removeRecursively()) {
        if (error)
            *error = QStringLiteral("%1 could not be removed completely; check its permissions and remove it by hand.")
                         .arg(path);
        return false;
    }
    return true;
}

} // namespace photosearch
