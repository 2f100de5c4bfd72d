#include "VectorCache.h"

#include "Catalog.h"

#include <QDir>

namespace photosearch {

QString vectorStorePath(const QString& libraryDir, const QString& modelId)
{
    return QDir(libraryDir).filePath(QStringLiteral("vectors-%1.faiss").arg(modelId));
}

std::unique_ptr<VectorStore> openVectorStore(const Catalog& catalog, const QString& libraryDir,
                                             const QString& modelId, int dimension, QString* rebuiltBecause)
{
    auto store = std::make_unique<VectorStore>(vectorStorePath(libraryDir, modelId), modelId, dimension);
    const qint64 generation = catalog.generation(modelId);
    QString why;
    if (store->load(generation, &why)) {
        if (rebuiltBecause)
            rebuiltBecause->clear();
        return store;
    }
    if (rebuiltBecause)
        *rebuiltBecause = why;

    // Added in chunks: one copy of the whole set in memory is enough.
    constexpr size_t kChunk = 8192;
    std::vector<qint64> ids;
    std::vector<float> vectors;
    const auto flush = [&] {
        if (!ids.empty())
            store->add(ids, vectors);
        ids.clear();
        vectors.clear();
    };
    catalog.forEachEmbedding(modelId, [&](qint64 id, const std::vector<float>& v) {
        if (int(v.size()) != dimension)
            return;
        ids.push_back(id);
        vectors.insert(vectors.end(), v.begin(), v.end());
        if (ids.size() >= kChunk)
            flush();
    });
    flush();
    store->save(generation);
    return store;
}

} // namespace photosearch
