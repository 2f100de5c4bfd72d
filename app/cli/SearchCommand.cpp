// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoder.h"

#include "Catalog.h"
#include "Commands.h"
#include "LibraryArgs.h"
#include "ModelFiles.h"
#include "ModelIdentity.h"
#include "VectorSet.h"
#include "SearchEngine.h"

#include <QJsonObject>

#include <cstdio>
#include <memory>

namespace photosearch::cli {
namespace {

enum class Mode { Text, Similar };

// The model is read only when a query must be embedded, and then only the
// tower it needs: a text whose embedding the catalog has cached needs none,
// a new text the text tower, an image term or `similar` with a photo not in
// the library the vision tower. That is most of a search's start-up time.
class LazyEncoders {
public:
    LazyEncoders(const QString& modelDir, const clip::ComputeOptions& compute)
        : modelDir_(modelDir)
        , compute_(compute)
    {
    }

    const ClipEncoder& operator()(EncoderUse use)
    {
        std::unique_ptr<ClipEncoder>& slot = use == EncoderUse::Text ? text_ : vision_;
        if (!slot)
            slot = std::make_unique<ClipEncoder>(modelDir_, compute_,
                                                 use == EncoderUse::Text ? clip::Towers::Text : clip::Towers::Vision,
                                                 clip::WeightStorage::InPlace);
        return *slot;
    }

private:
    QString modelDir_;
    clip::ComputeOptions compute_;
    std::unique_ptr<ClipEncoder> text_;
    std::unique_ptr<ClipEncoder> vision_;
};

// What the query was read as and where the relevance cut fell, on stderr
// (stdout stays one JSON line per hit).
void reportUnderstood(const QueryResults& results, const SearchRequest& request)
{
    std::fprintf(stderr, "Searching for: %s\n", qPrintable(results.understood));
    if (!results.notice.isEmpty())
        std::fprintf(stderr, "%s\n", qPrintable(results.notice));
    if (results.textMatches > 0)
        std::fprintf(stderr, "%d of the results ha%s the words written in %s.\n", results.textMatches,
                     results.textMatches == 1 ? "s" : "ve", results.textMatches == 1 ? "it" : "them");
    if (request.all)
        return;
    const int shown = int(results.hits.size());
    std::fprintf(stderr, "%s%d good match%s", results.moreGood ? "at least " : "", results.goodMatches,
                 results.goodMatches == 1 ? "" : "es");
    if (results.goodMatches > shown)
        std::fprintf(stderr, " (showing %d; -k for more)", shown);
    std::fprintf(stderr, "; --all lists the %d best regardless.\n", request.k);
}

int run(const QStringList& args, Mode mode)
{
    QStringList valueOptions = libraryValueOptions() + filterValueOptions();
    valueOptions << QStringLiteral("k");
    if (mode == Mode::Text)
        valueOptions << QStringLiteral("sort");
    const CliArgs a(args, valueOptions, mode == Mode::Text ? QStringList{QStringLiteral("all")} : QStringList{});
    if (a.positionals().size() != 1)
        throw UsageError(mode == Mode::Text ? "search needs one QUERY (quote it if it has spaces)"
                                            : "similar needs one IMAGE");
    // A blank query still embeds (start and end tokens only) and would rank
    // every photo by nothing the user asked for.
    if (a.positionals().first().trimmed().isEmpty())
        throw UsageError(mode == Mode::Text ? "search needs a QUERY with some text in it"
                                            : "similar needs the path of an IMAGE, not an empty one");
    const int k = numberOption(a, QStringLiteral("k"), 20, 1);
    const PhotoFilter filter = filterFromArgs(a);
    const QString sort = a.value(QStringLiteral("sort"), QStringLiteral("relevance"));
    if (sort != QLatin1String("relevance") && sort != QLatin1String("date"))
        throw UsageError("--sort takes relevance or date, not '" + sort.toStdString() + "'");

    const QString libraryDir = openLibraryDir(a, LibraryUse::Read);
    const Catalog::Access access = libraryAccess(libraryDir);
    QString modelDir;
    QString setId;
    clip::ComputeOptions compute;
    {
        const Catalog catalog(libraryDir, access);
        modelDir = resolveModelDir(a, catalog);
        const QString filesId = modelIdForDirectory(modelDir);
        compute = computeFromArgs(a, existingPrecision(catalog, filesId));
        setId = libraryVectorSet(catalog, filesId, compute.dtype);
    }
    // The config is read now, so that a broken one is reported before searching.
    const clip::ClipConfig config = clip::ClipConfig::fromFile(clip::modelFilePath(modelDir.toStdString(), "config.json"));
    auto encoders = std::make_shared<LazyEncoders>(modelDir, compute);
    SearchEngine engine(
        libraryDir, [encoders](EncoderUse use) -> const ClipEncoder& { return (*encoders)(use); },
        int(config.projectionDim), setId, access);
    if (!engine.rebuildReason().isEmpty())
        std::fprintf(stderr, "Rebuilt the vector index from the catalog (%s).\n", qPrintable(engine.rebuildReason()));
    if (engine.vectorCount() == 0)
        std::fprintf(stderr, "The library has no photos indexed with this model; run `photosearch-cli index` first.\n");

    const QString input = a.positionals().first();
    std::vector<SearchHit> hits;
    if (mode == Mode::Text) {
        SearchRequest request;
        request.query = input;
        request.filter = filter;
        request.k = k;
        request.all = a.has(QStringLiteral("all"));
        request.sort = sort == QLatin1String("date") ? SortOrder::Date : SortOrder::Relevance;
        QueryResults results = engine.search(request);
        if (!results.error.isEmpty())
            throw UsageError(results.error.toStdString());
        reportUnderstood(results, request);
        hits = std::move(results.hits);
    } else {
        hits = engine.similarTo(input, k, filter);
    }
    for (const SearchHit& h : hits)
        printJsonLine(QJsonObject{{QStringLiteral("path"), h.path}, {QStringLiteral("score"), double(h.score)}});
    return 0;
}

} // namespace

int searchCommand(const QStringList& args)
{
    return run(args, Mode::Text);
}

int similarCommand(const QStringList& args)
{
    return run(args, Mode::Similar);
}

} // namespace photosearch::cli
