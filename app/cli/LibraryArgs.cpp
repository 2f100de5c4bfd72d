#include "LibraryArgs.h"

#include "Catalog.h"
#include "ImageFormat.h"
#include "LibraryLocation.h"
#include "LibraryModel.h"

#include <QDir>
#include <QFileInfo>

#include <stdexcept>

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
    if (use == LibraryUse::MustExist && !QFileInfo::exists(QDir(dir).filePath(QStringLiteral("catalog.sqlite"))))
        throw std::runtime_error(QStringLiteral("There is no library at %1; index a folder into it first "
                                                "(photosearch-cli index --model DIR FOLDER).")
                                     .arg(dir)
                                     .toStdString());
    QString error;
    if (!LibraryLocation::ensureWritable(dir, &error))
        throw std::runtime_error(error.toStdString());
    return dir;
}

QString resolveModelDir(const CliArgs& args, const Catalog& catalog)
{
    const QString dir = resolveLibraryModelDir(&catalog, args.value(QStringLiteral("model")));
    if (dir.isEmpty())
        throw UsageError("no CLIP model given: pass --model DIR (a Hugging Face CLIP directory) "
                         "or set PHOTOSEARCH_MODEL");
    return dir;
}

clip::ComputeOptions computeFromArgs(const CliArgs& args)
{
    try {
        const clip::DevicePreference device =
            clip::parseDevicePreference(args.value(QStringLiteral("device"), QStringLiteral("auto")).toStdString());
        torch::ScalarType dtype = torch::ScalarType::Undefined;
        if (args.has(QStringLiteral("dtype")))
            dtype = clip::parseDtype(args.value(QStringLiteral("dtype")).toStdString());
        return clip::chooseCompute(device, dtype);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
}

namespace {

QDateTime parseDate(const QString& option, const QString& text)
{
    QDateTime t = QDateTime::fromString(text, Qt::ISODate);
    if (!t.isValid()) {
        const QDate d = QDate::fromString(text, Qt::ISODate);
        if (d.isValid())
            t = d.startOfDay();
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
        f.folder = QDir::cleanPath(QFileInfo(args.value(QStringLiteral("folder"))).absoluteFilePath());
    if (args.has(QStringLiteral("format"))) {
        for (const QString& name : args.value(QStringLiteral("format")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const ImageFormat format = imageFormatFromName(name.trimmed().toLower());
            if (format == ImageFormat::Unknown)
                throw UsageError(QStringLiteral("--format: unknown format '%1' (use jpeg, png, webp, gif, bmp, "
                                                "tiff, heif or avif)")
                                     .arg(name)
                                     .toStdString());
            f.formats << imageFormatName(format);
        }
    }
    return f;
}

} // namespace photosearch::cli
