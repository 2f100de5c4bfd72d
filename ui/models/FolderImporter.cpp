// "Import a model folder…" (FolderImporter.h): the folder dialog on the GUI
// thread, the check (loading the model's headers) on a worker thread.

#include "FolderImporter.h"

#include "ModelScan.h"

#include <QDir>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QStandardPaths>
#include <QtConcurrent/QtConcurrentRun>

namespace photosearch {

FolderImporter::FolderImporter(QObject* parent)
    : QObject(parent)
{
}

void FolderImporter::choose(QWidget* parent)
{
    const QString dir = QFileDialog::getExistingDirectory(
        parent, tr("Choose a CLIP model folder"),
        QStandardPaths::writableLocation(QStandardPaths::HomeLocation));
    if (!dir.isEmpty())
        check(dir);
}

void FolderImporter::check(const QString& dir)
{
    if (checking_)
        return;
    checking_ = true;
    Q_EMIT checking(dir);
    auto* watcher = new QFutureWatcher<FolderCheck>(this);
    connect(watcher, &QFutureWatcher<FolderCheck>::finished, this, [this, watcher] {
        watcher->deleteLater();
        checking_ = false;
        const FolderCheck result = watcher->result();
        if (result.error.isEmpty()) {
            Q_EMIT accepted(result.dir, result.modelId);
        } else {
            qWarning("not a model folder: %s: %s", qPrintable(result.dir), qPrintable(result.error));
            Q_EMIT rejected(result.dir, result.error);
        }
    });
    watcher->setFuture(QtConcurrent::run([dir] { return checkModelFolder(dir); }));
}

} // namespace photosearch
