#include "LibraryArgs.h"

#include "Catalog.h"
#include "CatalogBackup.h"
#include "CatalogRepair.h"
#include "ImageFormat.h"
#include "LibraryLocation.h"
#include "LibraryModel.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <stdexcept>

#include <unistd.h>

namespace photosearch::cli {

QStringList libraryValueOptions()
{
    return {QStringLiteral("library"), QStringLiteral("model"), QStringLiteral("device"), QStringLiteral("dtype")};
}

QStringList filterValueOptions()
{
    return {QStringLiteral("after"), QStringLiteral("before"), QStringLiteral("folder"), QStringLiteral("format")};
}

QString openLibraryDir(const CliArgs& args, LibraryUse use)
{
    const QString dir = LibraryLocation::resolve(args.value(QStringLiteral("library")));
    // Before "no library there": a file is not a typo to index into.
    const QFileInfo info(dir);
    if (info.exists() && !info.isDir())
        throw std::runtime_error(QStringLiteral("The library location %1 is a file, not a library folder; "
                                                "choose another with --library.")
                                     .arg(dir)
                                     .toStdString());
    // A repair that stopped half-way left its result beside the missing catalog.
    if (use != LibraryUse::Create && qEnvironmentVariableIntValue("PHOTOSEARCH_READ_ONLY") != 1)
        finishInterruptedRepair(QDir(dir).filePath(QStringLiteral("catalog.sqlite")));
    const QString catalog = QDir(dir).filePath(QStringLiteral("catalog.sqlite"));
    if (use != LibraryUse::Create && !QFileInfo::exists(catalog)) {
        const QStringList copies = catalogBackups(catalog);
        if (copies.isEmpty())
            throw std::runtime_error(QStringLiteral("There is no library at %1; index a folder into it first "
                                                    "(photosearch-cli index --model DIR FOLDER).")
                                         .arg(dir)
                                         .toStdString());
        // A lost catalog, not a mistyped path: repair (a MustExist command)
        // restores it, and opening it for writing names repair too.
        if (use == LibraryUse::Read)
            throw std::runtime_error(QStringLiteral("%1 is missing although copies of it are kept beside it (%2); "
                                                    "run %3 to restore it from the newest copy.")
                                         .arg(catalog, copies.first(), repairCommandLine(dir))
                                         .toStdString());
    }
    if (use == LibraryUse::Read)
        return dir;
    if (qEnvironmentVariableIntValue("PHOTOSEARCH_READ_ONLY") == 1)
        throw std::runtime_error(QStringLiteral("The library at %1 is opened read-only (PHOTOSEARCH_READ_ONLY=1); "
                                                "unset PHOTOSEARCH_READ_ONLY to index, tag, edit albums or repair it.")
                                     .arg(dir)
                                     .toStdString());
    QString error;
    if (!LibraryLocation::ensureWritable(dir, &error))
        throw std::runtime_error(error.toStdString());
    return dir;
}

bool libraryIsReadOnly(const QString& dir)
{
    return LibraryLocation::isReadOnly(dir); // the window decides the same way
}

Catalog::Access libraryAccess(const QString& dir)
{
    return LibraryLocation::catalogAccess(dir);
}

QString resolveModelDir(const CliArgs& args, const Catalog& catalog)
{
    const QString dir = resolveLibraryModelDir(&catalog, args.value(QStringLiteral("model")));
    if (dir.isEmpty())
        throw UsageError("no CLIP model given: pass --model DIR (a Hugging Face CLIP directory) "
                         "or set PHOTOSEARCH_MODEL");
    requireModelFolder(dir);
    return dir;
}

namespace {

QDateTime parseDate(const QString& option, const QString& text)
{
    // Only the three forms the usage names, each exactly: Qt::ISODate alone
    // also takes "2023-07-15T25:00" or "2023-07-15garbage" and drops a part.
    static const QRegularExpression shape(
        QStringLiteral("^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$"));
    QDateTime t;
    if (shape.match(text).hasMatch()) {
        const int length = int(text.size());
        if (length == 10) {
            const QDate d = QDate::fromString(text, QStringLiteral("yyyy-MM-dd"));
            if (d.isValid())
                t = d.startOfDay();
        } else {
            t = QDateTime::fromString(text, length == 16 ? QStringLiteral("yyyy-MM-dd'T'HH:mm")
                                                         : QStringLiteral("yyyy-MM-dd'T'HH:mm:ss"));
        }
    }
    if (!t.isValid())
        throw UsageError(QStringLiteral("--%1 needs a date like 2024-03-31 or 2024-03-31T18:00, not '%2'")
                             .arg(option, text)
                             .toStdString());
    return t;
}

} // namespace

PhotoFilter filterFromArgs(const CliArgs& args)
{
    PhotoFilter f;
    if (args.has(QStringLiteral("after")))
        f.after = parseDate(QStringLiteral("after"), args.value(QStringLiteral("after")));
    if (args.has(QStringLiteral("before")))
        f.before = parseDate(QStringLiteral("before"), args.value(QStringLiteral("before")));
    if (args.has(QStringLiteral("folder")))
        f.folders = folderSpellings(args.value(QStringLiteral("folder")));
    if (args.has(QStringLiteral("format"))) {
        for (const QString& name : args.value(QStringLiteral("format")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const ImageFormat format = imageFormatFromName(name.trimmed().toLower());
            if (format == ImageFormat::Unknown)
                throw UsageError(QStringLiteral("--format: unknown format '%1' (use jpeg, png, webp, gif, bmp, "
                                                "tiff, heif, avif or raw)")
                                     .arg(name)
                                     .toStdString());
            f.formats << imageFormatName(format);
        }
    }
    return f;
}

} // namespace photosearch::cli
