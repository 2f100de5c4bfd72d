#include "SearchCommand.h"

#include "Catalog.h"
#include "CliArgs.h"
#include "Commands.h"
#include "LibraryArgs.h"
#include "ModelFiles.h"
#include "SearchEngine.h"

#include "ClipConfig.h"

#include <QJsonObject>

#include <cstdio>
#include <memory>

namespace photosearch::cli {
namespace {

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

// A search as the command line asked for it, checked before the library is opened.
struct SearchQuery {
    QString input; // the query text, or the image for `similar`
    PhotoFilter filter;
    int k = 20;
    bool all = false;
    SortOrder sort = SortOrder::Relevance;
};

SearchQuery parseQuery(const CliArgs& a, SearchMode mode)
{
    const bool text = mode == SearchMode::Text;
    if (a.positionals().size() != 1)
        throw UsageError(text ? "search needs one QUERY (quote it if it has spaces)" : "similar needs one IMAGE");
    SearchQuery q;
    q.input = a.positionals().first();
    // A blank query still embeds (start and end tokens only) and would rank
    // every photo by nothing the user asked for.
    if (q.input.trimmed().isEmpty())
        throw UsageError(text ? "search needs a QUERY with some text in it"
                              : "similar needs the path of an IMAGE, not an empty one");
    q.k = numberOption(a, QStringLiteral("k"), 20, 1);
    q.filter = filterFromArgs(a);
    q.all = a.has(QStringLiteral("all"));
    const QString sort = a.value(QStringLiteral("sort"), QStringLiteral("relevance"));
    if (sort != QLatin1String("relevance") && sort != QLatin1String("date"))
        throw UsageError("--sort takes relevance or date, not '" + sort.toStdString() + "'");
    q.sort = sort == QLatin1String("date") ? SortOrder::Date : SortOrder::Relevance;
    return q;
}

QString rebuildNotice(const SearchEngine& engine)
{
    return engine.rebuildReason().isEmpty()
        ? QString()
        : QStringLiteral("Rebuilt the vector index from the catalog (%1).").arg(engine.rebuildReason());
}

// What the engine said about the library on opening, printed once the search
// has an answer or fails: a quick search that hands over to the full CLI
// prints nothing (the full one says it).
void printOpeningNotices(const SearchEngine& engine)
{
    if (const QString rebuilt = rebuildNotice(engine); !rebuilt.isEmpty())
        std::fprintf(stderr, "%s\n", qPrintable(rebuilt));
    if (engine.vectorCount() == 0)
        std::fprintf(stderr, "The library has no photos indexed with this model; run `photosearch-cli index` first.\n");
}

std::vector<SearchHit> answer(SearchEngine& engine, const SearchQuery& q, SearchMode mode)
{
    if (mode == SearchMode::Similar)
        return engine.similarTo(q.input, q.k, q.filter);
    SearchRequest request;
    request.query = q.input;
    request.filter = q.filter;
    request.k = q.k;
    request.all = q.all;
    request.sort = q.sort;
    QueryResults results = engine.search(request);
    if (!results.error.isEmpty())
        throw UsageError(results.error.toStdString());
    reportUnderstood(results, request);
    return std::move(results.hits);
}

} // namespace

int runSearch(const QStringList& args, SearchMode mode, const SearchBackend& backend)
{
    const bool text = mode == SearchMode::Text;
    QStringList valueOptions = libraryValueOptions() + filterValueOptions();
    valueOptions << QStringLiteral("k");
    if (text)
        valueOptions << QStringLiteral("sort");
    const CliArgs a(args, valueOptions, text ? QStringList{QStringLiteral("all")} : QStringList{});
    const SearchQuery query = parseQuery(a, mode);

    const QString libraryDir = openLibraryDir(a, LibraryUse::Read);
    const Catalog::Access access = libraryAccess(libraryDir);
    QString modelDir;
    SearchModel model;
    {
        const Catalog catalog(libraryDir, access);
        modelDir = resolveModelDir(a, catalog);
        model = backend(a, catalog, modelDir);
    }
    // The config is read now, so that a broken one is reported before searching.
    const clip::ClipConfig config = clip::ClipConfig::fromFile(clip::modelFilePath(modelDir.toStdString(), "config.json"));
    SearchEngine engine(libraryDir, std::move(model.embedder), int(config.projectionDim), model.setId, access);
    std::vector<SearchHit> hits;
    try {
        hits = answer(engine, query, mode);
    } catch (const NeedsFullCli&) {
        // The rebuilt file is saved, so the full CLI will not rebuild (nor
        // say so); a read-only library's is not, and the full CLI says it.
        if (access == Catalog::Access::ReadWrite && !engine.rebuildReason().isEmpty())
            std::fprintf(stderr, "%s\n", qPrintable(rebuildNotice(engine)));
        throw;
    } catch (const std::exception&) {
        printOpeningNotices(engine);
        throw;
    }
    printOpeningNotices(engine);
    for (const SearchHit& h : hits)
        printJsonLine(QJsonObject{{QStringLiteral("path"), h.path}, {QStringLiteral("score"), double(h.score)}});
    return 0;
}

} // namespace photosearch::cli
