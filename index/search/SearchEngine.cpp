// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include <torch/torch.h>

#include "SearchEngine.h"

#include "ClipEncoder.h"
#include "ImageFormat.h"
#include "VectorCache.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>

namespace photosearch {
namespace {

std::vector<float> toVector(const torch::Tensor& row)
{
    const torch::Tensor t = row.to(torch::kFloat32).contiguous();
    return std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
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

void sortNewestFirst(std::vector<SearchHit>& hits)
{
    std::stable_sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) { return a.time > b.time; });
}

} // namespace

SearchEngine::SearchEngine(const QString& libraryDir, const ClipEncoder& encoder, const QString& modelId,
                           Catalog::Access access)
    : encoder_(encoder)
    , modelId_(modelId)
    , catalog_(libraryDir, access)
{
    store_ = openVectorStore(catalog_, libraryDir, modelId, int(encoder.model().config().projectionDim),
                             &rebuildReason_);
}

SearchEngine::~SearchEngine() = default;

std::vector<float> SearchEngine::textEmbedding(const QString& text)
{
    if (const std::vector<float>* cached = textCache_.object(text))
        return *cached;
    // The catalog's copy is a cache: a library that is busy (an index run
    // holding the write lock) or read-only still answers.
    std::vector<float> result;
    try {
        result = catalog_.cachedTextEmbedding(modelId_, text);
    } catch (const CatalogError&) {
    }
    if (int(result.size()) != store_->dimension()) {
        torch::NoGradGuard noGrad;
        result = toVector(ClipEncoder::normalized(encoder_.embedTexts({text}))[0]);
        try {
            if (!catalog_.isReadOnly())
                catalog_.cacheTextEmbedding(modelId_, text, result);
        } catch (const CatalogError&) {
        }
    }
    textCache_.insert(text, new std::vector<float>(result));
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
    torch::NoGradGuard noGrad;
    const torch::Tensor pixels = encoder_.preprocessor().load(path);
    return toVector(ClipEncoder::normalized(encoder_.embedPixels({pixels}))[0]);
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
    const std::vector<float> query = queryVector(parsed, &results.error);
    if (query.empty())
        return results;
    const int candidates = request.all ? request.k : std::max(request.k, kCutCandidates);
    std::vector<SearchHit> hits = searchVector(query, candidates, filter);
    const ScoreBackground bg = background(query);
    results.cutScore = RelevanceCut::threshold(bg);
    std::vector<float> scores;
    for (const SearchHit& h : hits)
        scores.push_back(h.score);
    results.goodMatches = RelevanceCut::relevantCount(scores, bg);
    results.moreGood = results.goodMatches == int(hits.size()) && int(hits.size()) == candidates;
    hits.resize(size_t(std::min<int>(request.all ? request.k : results.goodMatches, int(hits.size()))));
    if (request.sort == SortOrder::Date)
        sortNewestFirst(hits);
    results.hits = std::move(hits);
    return results;
}

std::vector<SearchHit> SearchEngine::searchVector(const std::vector<float>& query, int k, const PhotoFilter& filter)
{
    std::vector<SearchHit> hits;
    if (k <= 0 || int(query.size()) != store_->dimension())
        return hits;
    std::vector<VectorHit> found;
    if (filter.isEmpty()) {
        found = store_->search(query.data(), k);
    } else {
        const std::vector<qint64> ids = catalog_.photoIds(filter);
        const std::unordered_set<qint64> allowed(ids.begin(), ids.end());
        if (allowed.empty())
            return hits;
        found = store_->search(query.data(), k, [&](qint64 id) { return allowed.count(id) != 0; });
    }
    for (const VectorHit& h : found) {
        // The store is a cache: an id the catalog no longer has is skipped.
        if (const std::optional<PhotoRecord> photo = catalog_.photo(h.id))
            hits.push_back({h.id, photo->path, h.score, photoTime(*photo)});
    }
    return hits;
}

} // namespace photosearch
