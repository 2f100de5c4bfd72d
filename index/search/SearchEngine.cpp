// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include <torch/torch.h>

#include "SearchEngine.h"

#include "ClipEncoder.h"
#include "VectorCache.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <unordered_set>

namespace photosearch {
namespace {

std::vector<float> toVector(const torch::Tensor& row)
{
    const torch::Tensor t = row.to(torch::kFloat32).contiguous();
    return std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
}

} // namespace

SearchEngine::SearchEngine(const QString& libraryDir, const ClipEncoder& encoder, const QString& modelId)
    : encoder_(encoder)
    , modelId_(modelId)
    , catalog_(libraryDir)
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

std::vector<SearchHit> SearchEngine::similarTo(const QString& imagePath, int k, const PhotoFilter& filter)
{
    const QFileInfo file(imagePath);
    const QString path = QDir::cleanPath(file.absoluteFilePath());
    const std::optional<PhotoRecord> photo = catalog_.photoByPath(path);
    // The stored vector stands for the file while it is as indexed; one
    // changed since is embedded as it is now. (One deleted since keeps its
    // vector: "similar" still works from a result the catalog has.)
    const bool asIndexed = photo
                           && (!file.exists()
                               || (file.size() == photo->size
                                   && file.lastModified().toMSecsSinceEpoch() == photo->mtimeMs));
    if (asIndexed) {
        std::vector<float> stored = catalog_.embedding(photo->id, modelId_);
        if (!stored.empty()) {
            std::vector<SearchHit> hits = searchVector(stored, k, filter);
            // The photo itself comes first, even before an identical copy
            // (equal scores) or when an approximate index missed it.
            const auto self = std::find_if(hits.begin(), hits.end(), [&](const SearchHit& h) { return h.id == photo->id; });
            if (self != hits.end()) {
                std::rotate(hits.begin(), self, self + 1);
            } else {
                const std::vector<qint64> ids = filter.isEmpty() ? std::vector<qint64>{} : catalog_.photoIds(filter);
                // photoIds() is in id order.
                if (filter.isEmpty() || std::binary_search(ids.begin(), ids.end(), photo->id)) {
                    hits.insert(hits.begin(), SearchHit{photo->id, photo->path, 1.0f});
                    if (int(hits.size()) > k)
                        hits.pop_back();
                }
            }
            return hits;
        }
    }
    torch::NoGradGuard noGrad;
    const torch::Tensor pixels = encoder_.preprocessor().load(path);
    return searchVector(toVector(ClipEncoder::normalized(encoder_.embedPixels({pixels}))[0]), k, filter);
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
            hits.push_back({h.id, photo->path, h.score});
    }
    return hits;
}

} // namespace photosearch
