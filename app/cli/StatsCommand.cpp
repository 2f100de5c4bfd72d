#include "Catalog.h"
#include "Commands.h"
#include "LibraryArgs.h"
#include "LibraryModel.h"

#include <QJsonArray>
#include <QJsonObject>

namespace photosearch::cli {

int statsCommand(const QStringList& args)
{
    const CliArgs a(args, {QStringLiteral("library")}, {});
    if (!a.positionals().isEmpty())
        throw UsageError("stats takes no arguments");
    const QString libraryDir = openLibraryDir(a, LibraryUse::Read);
    const Catalog catalog(libraryDir, libraryAccess(libraryDir));
    const Catalog::Stats s = catalog.stats();

    QJsonObject formats;
    for (const auto& [format, count] : s.byFormat)
        formats.insert(format.isEmpty() ? QStringLiteral("unknown") : format, count);
    QJsonArray failures;
    for (const auto& [path, error] : s.failures)
        failures.append(QJsonObject{{QStringLiteral("path"), path}, {QStringLiteral("error"), error}});
    const QString modelId = libraryModelId(catalog);
    printJsonLine(QJsonObject{
        {QStringLiteral("library"), libraryDir},
        {QStringLiteral("photos"), s.photos},
        {QStringLiteral("indexed"), modelId.isEmpty() ? 0 : catalog.embeddingCount(modelId)},
        {QStringLiteral("failed"), s.failed},
        {QStringLiteral("model"), modelId},
        {QStringLiteral("formats"), formats},
        {QStringLiteral("failures"), failures},
    });
    return 0;
}

} // namespace photosearch::cli
