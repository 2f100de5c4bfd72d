// Loading and saving the window's preferences (see AppSettings.h) under
// QSettings keys, values clamped to sane ranges; and which library to open.
// Thread rule: any thread that may use QSettings; resolveLibrary() may make
// the library folder (LibraryLocation::resolve), so call it before the window.

#include "AppSettings.h"

#include "LibraryLocation.h"

#include <QRegularExpression>
#include <QSettings>

namespace photosearch {

namespace {

// Pack names as Tesseract spells them ("eng", "chi_sim", "script/Latin"),
// joined by '+'; anything else (a hand-edited ini file) means the default.
QString cleanLanguages(const QString& languages)
{
    static const QRegularExpression packs(QStringLiteral("^[A-Za-z0-9_/-]+(\\+[A-Za-z0-9_/-]+)*$"));
    const QString trimmed = languages.trimmed();
    return packs.match(trimmed).hasMatch() ? trimmed : QStringLiteral("eng");
}

} // namespace

AppSettings AppSettings::load()
{
    const QSettings s;
    AppSettings a;
    a.libraryDir = s.value(QStringLiteral("library/path")).toString();
    a.device = Device(qBound(0, s.value(QStringLiteral("compute/device"), 0).toInt(), 2));
    a.threads = qBound(0, s.value(QStringLiteral("compute/threads"), 0).toInt(), 256);
    a.watchFolders = s.value(QStringLiteral("library/watch"), true).toBool();
    a.shareThumbnails = s.value(QStringLiteral("thumbnails/share"), true).toBool();
    a.textLanguages = cleanLanguages(s.value(QStringLiteral("text/languages"), a.textLanguages).toString());
    a.readTextInEveryPhoto = s.value(QStringLiteral("text/readEveryPhoto"), false).toBool();
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
    s.setValue(QStringLiteral("text/languages"), cleanLanguages(textLanguages));
    s.setValue(QStringLiteral("text/readEveryPhoto"), readTextInEveryPhoto);
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
