// The model pages' disk reads (ModelScan.h): blocking, stateless, called on
// worker threads so that the GUI thread never walks a model folder.

#include "ModelScan.h"

#include "KnownModels.h"
#include "ModelError.h"
#include "ModelIdentity.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

#include <exception>

namespace photosearch {
namespace {

QString canonical(const QString& dir)
{
    const QString path = QFileInfo(dir).canonicalFilePath();
    return path.isEmpty() ? QDir::cleanPath(QFileInfo(dir).absoluteFilePath()) : path;
}

bool hasPartFiles(const QString& dir)
{
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    return it.hasNext();
}

} // namespace

qint64 folderBytes(const QString& dir)
{
    qint64 total = 0;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

std::vector<KnownModelState> scanKnownModels()
{
    std::vector<KnownModelState> states;
    for (const KnownModel& known : knownModels()) {
        KnownModelState state;
        state.repo = known.repo;
        if (const auto installed = ModelStore::installedRepo(known.repo))
            state.installedPath = installed->path;
        state.hasParts = hasPartFiles(ModelStore::partialFolderFor(known.repo));
        states.push_back(state);
    }
    return states;
}

std::vector<InstalledModelRow> scanInstalledModels(const QString& currentModelDir)
{
    const QString current = currentModelDir.isEmpty() ? QString() : canonical(currentModelDir);
    std::vector<InstalledModelRow> rows;
    for (InstalledModel& model : ModelStore::installed()) {
        InstalledModelRow row;
        row.bytesOnDisk = folderBytes(model.path);
        row.current = !current.isEmpty() && canonical(model.path) == current;
        row.model = std::move(model);
        rows.push_back(std::move(row));
    }
    return rows;
}

FolderCheck checkModelFolder(const QString& dir)
{
    FolderCheck check;
    check.dir = dir;
    try {
        check.modelId = modelIdForDirectory(dir);
    } catch (const clip::ModelError& e) {
        // Already one sentence naming the file.
        check.error = QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        qWarning("checking the model folder %s failed: %s", qPrintable(dir), e.what());
        check.error = QCoreApplication::translate("ModelScan",
                                                  "The folder %1 could not be read as a CLIP model; "
                                                  "choose a folder with config.json and model.safetensors.")
                          .arg(QDir::toNativeSeparators(dir));
    }
    return check;
}

} // namespace photosearch
