#include "SearchEngine.h"

#include "ExactRerank.h"
#include "ImageFormat.h"
#include "VectorCache.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

namespace photosearch {
namespace {

// The text under which a query's embedding is cached: CLIP's tokenizer folds
// whitespace, composes (NFC) and lower-cases before it reads a text
// (ClipTokenizer.h), so "Dog  on a beach" and "dog on a beach" are one
// embedding — and one cached answer the CLI gives without loading the model.
// A text with "<|" is kept as typed: the tokenizer matches its special
// tokens in the raw text, case and all.
QString queryCacheKey(const QString& text)
{
    if (text.contains(QLatin1String("<|")))
        return text;
    return text.simplified().normalized(QString::NormalizationForm_C).toLower();
}

// Candidates the relevance cut looks at beyond k, so that the window can say
// "23 good matches" while showing 20.
constexpr int kCutCandidates = 500;
// Library embeddings scored against each query to find its background:
// enough for a stable median and MAD (their standard error at 2048 samples
// is ~2% of sigma), small enough to score in well under a millisecond.
constexpr int kBackgroundSamples = 2048;

// An existing regular file whose first bytes are an image format.
bool isImageFile(const QString& path)
{
    const QFileInfo info(path);
    if (!info.isFile())
        return false;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    return sniffImageFormat(file.read(64)) != ImageFormat::Unknown;
}

// The filter with the query's date range applied inside it.
PhotoFilter narrowed(PhotoFilter filter, const DateRange& dates)
{
    if (dates.from.isValid()) {
        const QDateTime after = dates.from.startOfDay();
        if (!filter.after.isValid() || after > filter.after)
            filter.after = after;
    }
    if (dates.to.isValid()) {
        const QDateTime before = dates.to.addDays(1).startOfDay();
        if (!filter.before.isValid() || before < filter.before)
            filter.before = before;
    }
    return filter;
}

QDateTime photoTime(const PhotoRecord& photo)
{
    return photo.takenAt.isValid() ? photo.takenAt : QDateTime::fromMSecsSinceEpoch(photo.mtimeMs).toLocalTime();
}

// The file is as the catalog indexed it (or gone: a result the catalog has
// still works from its vector).
bool isAsIndexed(const QString& path, const PhotoRecord& photo)
{
    const QFileInfo file(path);
    return !file.exists()
           || (file.size() == photo.size && file.lastModified().toMSecsSinceEpoch() == photo.mtimeMs);
}

std::unordered_set<qint64> toSet(const std::vector<qint64>& ids)
{
    return {ids.begin(), ids.end()};
}

void sortNewestFirst(std::vector<SearchHit>& hits)
{
    std::stable_sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) { return a.time > b.time; });
}

} // namespace

SearchEngine::SearchEngine(const QString& libraryDir, std::unique_ptr<QueryEmbedder> embedder, int dimension,
                           const QString& modelId,
                           Catalog::Access access)
    : embedder_(std::move(embedder))
    , modelId_(modelId)
    , catalog_(libraryDir, access)
{
    store_ = openVectorStore(catalog_, libraryDir, modelId, dimension, &rebuildReason_);
}

SearchEngine::~SearchEngine() = default;

std::vector<float> SearchEngine::textEmbedding(const QString& text)
{
    const QString key = queryCacheKey(text);
    if (const std::vector<float>* cached = textCache_.object(key))
        return *cached;
    // The catalog's copy is a cache: a library that is busy (an index run
    // holding the write lock) or read-only still answers.
    std::vector<float> result;
    try {
        result = catalog_.cachedTextEmbedding(modelId_, key);
    } catch (const CatalogError&) {
    }
    if (int(result.size()) != store_->dimension()) {
        result = embedder_->embedText(text);
        try {
            if (!catalog_.isReadOnly())
                catalog_.cacheTextEmbedding(modelId_, key, result);
        } catch (const CatalogError&) {
        }
    }
    textCache_.insert(key, new std::vector<float>(result));
    return result;
}

std::vector<SearchHit> SearchEngine::searchText(const QString& query, int k, const PhotoFilter& filter)
{
    return searchVector(textEmbedding(query), k, filter);
}

std::vector<float> SearchEngine::imageEmbedding(const QString& imagePath)
{
    const QFileInfo file(imagePath);
    const QString path = QDir::cleanPath(file.absoluteFilePath());
    const std::optional<PhotoRecord> photo = catalog_.photoByPath(path);
    // The stored vector stands for the file while it is as indexed; one
    // changed since is embedded as it is now. (One deleted since keeps its
    // vector: "similar" still works from a result the catalog has.)
    if (photo && isAsIndexed(path, *photo)) {
        std::vector<float> stored = catalog_.embedding(photo->id, modelId_);
        if (!stored.empty())
            return stored;
    }
    return embedder_->embedImage(path);
}

std::vector<SearchHit> SearchEngine::similarTo(const QString& imagePath, int k, const PhotoFilter& filter)
{
    const QString path = QDir::cleanPath(QFileInfo(imagePath).absoluteFilePath());
    std::vector<SearchHit> hits = searchVector(imageEmbedding(path), k, filter);
    const std::optional<PhotoRecord> photo = catalog_.photoByPath(path);
    // Only a photo searched by its own stored vector is put first; one
    // changed since was embedded as it is now and ranks where it scores.
    if (!photo || !isAsIndexed(path, *photo) || catalog_.embedding(photo->id, modelId_).empty())
        return hits;
    // The photo itself comes first, even before an identical copy (equal
    // scores) or when an approximate index missed it.
    const auto self = std::find_if(hits.begin(), hits.end(), [&](const SearchHit& h) { return h.id == photo->id; });
    if (self != hits.end()) {
        std::rotate(hits.begin(), self, self + 1);
        return hits;
    }
    const std::vector<qint64> ids = filter.isEmpty() ? std::vector<qint64>{} : catalog_.photoIds(filter);
    // photoIds() is in id order.
    if (filter.isEmpty() || std::binary_search(ids.begin(), ids.end(), photo->id)) {
        hits.insert(hits.begin(), SearchHit{photo->id, photo->path, 1.0f, photoTime(*photo)});
        if (int(hits.size()) > k)
            hits.pop_back();
    }
    return hits;
}

ScoreBackground SearchEngine::background(const std::vector<float>& query)
{
    const int dim = store_->dimension();
    const qint64 size = store_->size();
    // Sampled again when the library grew or shrank by a tenth since.
    if (sampledAtSize_ < 0 || std::abs(size - sampledAtSize_) * 10 > sampledAtSize_) {
        sample_.clear();
        for (const std::vector<float>& v : catalog_.sampleEmbeddings(modelId_, kBackgroundSamples))
            if (int(v.size()) == dim)
                sample_.insert(sample_.end(), v.begin(), v.end());
        sampledAtSize_ = size;
    }
    std::vector<float> scores(sample_.size() / size_t(std::max(dim, 1)));
    for (size_t i = 0; i < scores.size(); ++i) {
        const float* row = sample_.data() + i * size_t(dim);
        float dot = 0;
        for (int j = 0; j < dim; ++j)
            dot += row[j] * query[size_t(j)];
        scores[i] = dot;
    }
    return RelevanceCut::background(std::move(scores));
}

std::vector<float> SearchEngine::queryVector(const ParsedQuery& parsed, QString* error)
{
    // rclip's combination: the weighted sum of unit embeddings, normalised.
    const int dim = store_->dimension();
    std::vector<float> sum(size_t(dim), 0.0f);
    for (const QueryTerm& term : parsed.terms) {
        if (term.textOnly)
            continue; // written text only: TextRanking's, never CLIP's
        const std::vector<float> v =
            term.kind == QueryTerm::Image ? imageEmbedding(term.text) : textEmbedding(term.text);
        if (int(v.size()) != dim)
            continue;
        for (int j = 0; j < dim; ++j)
            sum[size_t(j)] += float(term.weight) * v[size_t(j)];
    }
    double norm = 0;
    for (float x : sum)
        norm += double(x) * x;
    norm = std::sqrt(norm);
    // "dog - dog": nothing is left to rank towards.
    if (norm < 1e-6) {
        *error = QStringLiteral("The terms of the query cancel each other out; remove a \"-\" term or change a weight.");
        return {};
    }
    for (float& x : sum)
        x = float(x / norm);
    return sum;
}

std::vector<SearchHit> SearchEngine::photosInPeriod(const PhotoFilter& filter, int k)
{
    std::vector<SearchHit> hits;
    for (qint64 id : catalog_.photoIds(filter))
        if (const std::optional<PhotoRecord> photo = catalog_.photo(id))
            hits.push_back({id, photo->path, 0.0f, photoTime(*photo)});
    sortNewestFirst(hits);
    if (int(hits.size()) > k)
        hits.resize(size_t(k));
    return hits;
}

std::optional<SearchHit> SearchEngine::hitFor(qint64 id)
{
    // The vector store and the text index are caches: an id the catalog no
    // longer has is skipped.
    if (const std::optional<PhotoRecord> photo = catalog_.photo(id))
        return SearchHit{id, photo->path, 0.0f, photoTime(*photo)};
    return std::nullopt;
}

MergedRanking SearchEngine::rankWithPictures(const ParsedQuery& parsed, const TextQuery& text,
                                             const PhotoSelection& selection, int candidates, QueryResults& results,
                                             std::vector<SearchHit>& found)
{
    const std::vector<float> query = queryVector(parsed, &results.error);
    if (query.empty())
        return {};
    found = searchSelected(query, candidates, selection);
    const ScoreBackground bg = background(query);
    const std::unordered_map<qint64, double> coverage =
        TextMatcher(catalog_).coverage(text.rankWords, TextRanking::kCandidates, selection);
    std::vector<std::pair<qint64, float>> clip;
    std::unordered_set<qint64> seen;
    for (const SearchHit& h : found) {
        clip.emplace_back(h.id, h.score);
        seen.insert(h.id);
    }
    // Photos with the words written in them that CLIP did not bring: scored
    // by their stored embedding (the background's centre without one).
    std::vector<TextCandidate> extra;
    for (const auto& [id, cov] : coverage) {
        if (seen.count(id))
            continue;
        const std::optional<SearchHit> hit = hitFor(id);
        if (!hit)
            continue;
        const std::vector<float> v = catalog_.embedding(id, modelId_);
        float score = bg.median;
        if (v.size() == query.size())
            score = float(std::inner_product(v.begin(), v.end(), query.begin(), 0.0));
        extra.push_back({id, score, cov});
        found.push_back(*hit);
    }
    std::sort(extra.begin(), extra.end(), [](const TextCandidate& a, const TextCandidate& b) {
        return a.coverage != b.coverage ? a.coverage > b.coverage : a.id < b.id;
    });
    MergedRanking ranking = TextRanking::merge(clip, coverage, extra, bg);
    results.moreGood = ranking.goodMatches == int(ranking.photos.size()) && int(clip.size()) == candidates;
    return ranking;
}

MergedRanking SearchEngine::rankWrittenOnly(const TextQuery& text, const PhotoSelection& selection, int candidates,
                                            QueryResults& results, std::vector<SearchHit>& found)
{
    const TextMatcher matcher(catalog_);
    MergedRanking ranking;
    ranking.cutScore = -std::numeric_limits<float>::infinity();
    for (qint64 id : matcher.requiredOnly(text, candidates, selection)) {
        if (const std::optional<SearchHit> hit = hitFor(id)) {
            found.push_back(*hit);
            ranking.photos.push_back({id, 1.0f, true});
        }
    }
    ranking.goodMatches = int(ranking.photos.size());
    results.moreGood = ranking.goodMatches == candidates;
    if (ranking.photos.empty() && !matcher.anyTextRead())
        results.notice = QStringLiteral("No text has been read in this library's photos yet; run "
                                        "`photosearch-cli ocr` first.");
    return ranking;
}

QueryResults SearchEngine::search(const SearchRequest& request)
{
    QueryResults results;
    const QDate today = request.today.isValid() ? request.today : QDate::currentDate();
    const ParsedQuery parsed = parseQuery(request.query, today, &isImageFile);
    results.understood = describe(parsed);
    if (!parsed.ok()) {
        results.error = parsed.error;
        return results;
    }
    const PhotoFilter filter = narrowed(request.filter, parsed.dates);
    if (parsed.terms.empty()) {
        // "from March": every photo of the period, newest first.
        results.hits = photosInPeriod(filter, request.k);
        results.goodMatches = int(results.hits.size());
        results.cutScore = -std::numeric_limits<float>::infinity();
        return results;
    }
    const TextQuery text = textQuery(parsed);
    PhotoSelection selection;
    if (!filter.isEmpty())
        selection.only = toSet(catalog_.photoIds(filter));
    TextMatcher(catalog_).restrict(text, selection);
    const int candidates = request.all ? request.k : std::max(request.k, kCutCandidates);
    std::vector<SearchHit> found;
    const MergedRanking ranking = text.hasPictureTerms
                                      ? rankWithPictures(parsed, text, selection, candidates, results, found)
                                      : rankWrittenOnly(text, selection, candidates, results, found);
    if (!results.error.isEmpty())
        return results;
    results.goodMatches = ranking.goodMatches;
    results.cutScore = ranking.cutScore;
    // At most k: the good ones, or the k best with `all`.
    const int shown = std::min<int>(request.all ? request.k : std::min(request.k, ranking.goodMatches),
                                    int(ranking.photos.size()));
    std::unordered_map<qint64, const SearchHit*> byId;
    for (const SearchHit& h : found)
        byId.emplace(h.id, &h);
    for (int i = 0; i < shown; ++i) {
        const MergedPhoto& p = ranking.photos[size_t(i)];
        SearchHit hit = *byId.at(p.id);
        hit.score = p.score;
        results.hits.push_back(hit);
        results.textMatches += p.textMatched ? 1 : 0;
    }
    if (request.sort == SortOrder::Date)
        sortNewestFirst(results.hits);
    return results;
}

std::vector<SearchHit> SearchEngine::searchVector(const std::vector<float>& query, int k, const PhotoFilter& filter)
{
    PhotoSelection selection;
    if (!filter.isEmpty())
        selection.only = toSet(catalog_.photoIds(filter));
    return searchSelected(query, k, selection);
}

std::vector<SearchHit> SearchEngine::searchSelected(const std::vector<float>& query, int k,
                                                    const PhotoSelection& selection)
{
    std::vector<SearchHit> hits;
    if (k <= 0 || int(query.size()) != store_->dimension())
        return hits;
    // An approximate store's order and scores are made exact from the
    // catalog's vectors (ExactRerank.h): it is asked for more candidates,
    // which also stand in for photos removed since the store was built.
    const bool rerank = store_->isApproximate();
    const int asked = rerank ? ExactRerank::candidates(k) : k;
    std::vector<VectorHit> found;
    if (selection.everything()) {
        found = store_->search(query.data(), asked);
    } else {
        if (selection.only && selection.only->empty())
            return hits;
        found = store_->search(query.data(), asked, [&](qint64 id) { return selection.allows(id); });
    }
    if (rerank)
        found = ExactRerank(catalog_, modelId_).rerank(query, std::move(found), asked);
    for (const VectorHit& h : found) {
        if (int(hits.size()) == k)
            break;
        if (std::optional<SearchHit> hit = hitFor(h.id)) {
            hit->score = h.score;
            hits.push_back(*hit);
        }
    }
    return hits;
}

} // namespace photosearch
