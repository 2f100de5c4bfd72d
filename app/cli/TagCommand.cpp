// `tag` and `tags` (DESIGN.md "Command line"): zero-shot tags for the
// library from stored embeddings (index/tags/Tagger.h), and each photo's
// tags with the person's corrections applied.
//
// `tags` with an unknown PATH: the other paths are still answered; the
// unknown one gets a line {"path","error"} in its place on stdout (so that
// a script reading line i gets path i), the sentence on stderr, and the
// exit code is 1.

// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoder.h"
#include "LabelEmbeddings.h"

#include "Catalog.h"
#include "Commands.h"
#include "ComputeArgs.h"
#include "LibraryArgs.h"
#include "PhotoLookup.h"
#include "LibraryModel.h"
#include "LibraryTags.h"
#include "ModelIdentity.h"
#include "VectorSet.h"
#include "VectorSetDtype.h"
#include "TagCorrections.h"
#include "TagQueries.h"
#include "Tagger.h"
#include "Vocabulary.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include <cstdio>
#include <memory>
#include <optional>

namespace photosearch::cli {

int tagCommand(const QStringList& args)
{
    const CliArgs a(args, libraryValueOptions() << QStringLiteral("vocabulary"), {});
    if (!a.positionals().isEmpty())
        throw UsageError("tag takes no PATH; it tags every photo of the library");
    // Read the file before touching the library: a bad file changes nothing.
    std::optional<QStringList> vocabulary;
    if (a.has(QStringLiteral("vocabulary")))
        vocabulary = readVocabularyFile(a.value(QStringLiteral("vocabulary")));

    const QString libraryDir = openLibraryDir(a, LibraryUse::MustExist);
    Catalog catalog(libraryDir);
    const QString modelDir = resolveModelDir(a, catalog);
    const QString filesId = modelIdForDirectory(modelDir);
    const QString existing = existingVectorSet(catalog, filesId);
    const clip::ComputeOptions compute = computeFromArgs(a, vectorSetDtype(existing));
    const QString modelId = readerVectorSet(existing, filesId, compute.dtype);
    if (vocabulary)
        setLibraryVocabulary(catalog, *vocabulary);
    if (catalog.embeddingCount(modelId) == 0)
        std::fprintf(stderr, "The library has no photos indexed with this model; run `photosearch-cli index` first.\n");

    // The text tower only for labels the catalog has not stored yet.
    std::unique_ptr<ClipEncoder> encoder;
    CatalogLabelEmbedder labels(catalog, modelId, [&]() -> const ClipEncoder& {
        if (!encoder) {
            std::fprintf(stderr, "Embedding the vocabulary with %s...\n", qPrintable(modelDir));
            encoder = std::make_unique<ClipEncoder>(modelDir, compute);
        }
        return *encoder;
    });
    const TagRunSummary s = tagLibrary(catalog, modelId, labels);
    printJsonLine(QJsonObject{{QStringLiteral("tags"), s.tags},
                              {QStringLiteral("photos"), s.photos},
                              {QStringLiteral("assigned"), s.assigned},
                              {QStringLiteral("seconds"), s.seconds}});
    return 0;
}

namespace {


QJsonObject photoLine(const Catalog& catalog, const QString& modelId, const QString& path, qint64 photoId)
{
    QJsonArray tags;
    for (const PhotoTag& t : photoTags(catalog, modelId, photoId)) {
        QJsonObject tag{{QStringLiteral("tag"), t.tag},
                        {QStringLiteral("score"), t.score ? QJsonValue(*t.score) : QJsonValue()}};
        if (t.confirmed)
            tag.insert(QStringLiteral("confirmed"), true);
        tags.append(tag);
    }
    return QJsonObject{{QStringLiteral("path"), path}, {QStringLiteral("tags"), tags}};
}

} // namespace

int tagsCommand(const QStringList& args)
{
    const QStringList corrections = {QStringLiteral("confirm"), QStringLiteral("remove"), QStringLiteral("clear")};
    const CliArgs a(args, QStringList{QStringLiteral("library")} + corrections, {});
    if (a.positionals().isEmpty())
        throw UsageError("tags needs at least one PATH of a photo in the library");
    QString action;
    for (const QString& c : corrections) {
        if (!a.has(c))
            continue;
        if (!action.isEmpty())
            throw UsageError("tags takes one of --confirm, --remove and --clear at a time");
        action = c;
    }
    const QString tag = action.isEmpty() ? QString() : normalizedLabel(a.value(action));
    if (!action.isEmpty() && tag.isEmpty())
        throw UsageError(QStringLiteral("--%1 needs a TAG").arg(action).toStdString());
    if (tag.size() > kMaxLabelLength)
        throw UsageError(QStringLiteral("--%1: a tag is a short label of at most %2 characters")
                             .arg(action)
                             .arg(kMaxLabelLength)
                             .toStdString());

    // Reading a photo's tags works on a read-only library (LibraryArgs.h);
    // a correction refuses one with a sentence.
    const QString libraryDir = openLibraryDir(a, action.isEmpty() ? LibraryUse::Read : LibraryUse::MustExist);
    Catalog catalog(libraryDir, action.isEmpty() ? libraryAccess(libraryDir) : Catalog::Access::ReadWrite);
    const QString modelId = libraryModelId(catalog);
    int unknown = 0;
    for (const QString& path : a.positionals()) {
        const std::optional<qint64> id = photoIdForPath(catalog, path);
        if (!id) {
            ++unknown;
            reportNotInLibrary(path);
            continue;
        }
        if (action == QLatin1String("confirm"))
            confirmTag(catalog, *id, tag);
        else if (action == QLatin1String("remove"))
            removeTag(catalog, *id, tag);
        else if (action == QLatin1String("clear"))
            clearTagCorrection(catalog, *id, tag);
        printJsonLine(photoLine(catalog, modelId, path, *id));
    }
    return unknown > 0 ? 1 : 0;
}

} // namespace photosearch::cli
