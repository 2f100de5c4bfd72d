// Loading and saving the window's preferences (see AppSettings.h) under
// QSettings keys, values clamped to sane ranges; and which library to open.
// Thread rule: any thread that may use QSettings; resolveLibrary() may make
// the library folder (LibraryLocation::resolve), so call it before the window.

#include "AppSettings.h"

#include "LibraryLocation.h"

#include <QSettings>

namespace photosearch {

AppSettings AppSettings::load()
{
    const QSettings s;
    AppSettings a;
    a.libraryDir = s.value(QStringLiteral("library/path")).toString();
    a.device = Device(qBound(0, s.value(QStringLiteral("compute/device"), 0).toInt(), 2));
    a.threads = qBound(0, s.value(QStringLiteral("compute/threads"), 0).toInt(), 256);
    a.watchFolders = s.value(QStringLiteral("library/watch"), true).toBool();
    a.shareThumbnails = s.value(QStringLiteral("thumbnails/share"), true).toBool();
    return a;
}

void AppSettings::save() const
{
    QSettings s;
    s.setValue(QStringLiteral("library/path"), libraryDir);
    s.setValue(QStringLiteral("compute/device"), int(device));
    s.setValue(QStringLiteral("compute/threads"), threads);
    s.setValue(QStringLiteral("library/watch"), watchFolders);
    s.setValue(QStringLiteral("thumbnails/share"), shareThumbnails);
}

QString AppSettings::resolveLibrary(const QString& commandLine)
{
    if (commandLine.isEmpty() && qEnvironmentVariableIsEmpty("PHOTOSEARCH_LIBRARY")) {
        const QString chosen = load().libraryDir;
        if (!chosen.isEmpty())
            return LibraryLocation::resolve(chosen);
    }
    return LibraryLocation::resolve(commandLine);
}

} // namespace photosearch
