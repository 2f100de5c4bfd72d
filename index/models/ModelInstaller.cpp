// Staged folder → installed model (ModelInstaller.h).

#include "ModelInstaller.h"

#include "ModelIdentity.h"

#include <QDir>
#include <QFileInfo>

#include <exception>

namespace photosearch {

QString checkStagedModel(const QString& staging)
{
    try {
        modelIdForDirectory(staging);
        return {};
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
}

bool installStaged(const QString& staging, const QString& finalDir, QString* error)
{
    const QFileInfo target(finalDir);
    QDir().mkpath(target.absolutePath());
    const QString aside = QFileInfo(staging).absolutePath() + QLatin1Char('/') + target.fileName() + QStringLiteral(".old");
    QDir(aside).removeRecursively();
    const bool replacing = target.exists();
    if (replacing && !QDir().rename(finalDir, aside)) {
        *error = QStringLiteral("The older copy in %1 could not be replaced; close programs using it and try again.")
                     .arg(finalDir);
        return false;
    }
    if (!QDir().rename(staging, finalDir)) {
        if (replacing)
            QDir().rename(aside, finalDir);
        *error = QStringLiteral("The downloaded model could not be moved into %1; check the folder's permissions.")
                     .arg(finalDir);
        return false;
    }
    if (replacing)
        QDir(aside).removeRecursively();
    return true;
}

} // namespace photosearch
