#include "VectorCache.h"

#include "Catalog.h"

#include <QCoreApplication>
#include <QDir>
#include <QLockFile>

#include <cerrno>
#include <csignal>

namespace photosearch {

QString vectorStorePath(const QString& libraryDir, const QString& modelId)
{
    return QDir(libraryDir).filePath(QStringLiteral("vectors-%1.faiss").arg(modelId));
}

QString indexLockPath(const QString& libraryDir)
{
    return QDir(libraryDir).filePath(QStringLiteral("index.lock"));
}

bool indexRunInProgress(const QString& libraryDir, qint64* holder)
{
    // Read without taking it: taking it, even briefly, could turn away an
    // index run starting at that moment.
    qint64 pid = 0;
    QString host, app;
    if (!QLockFile(indexLockPath(libraryDir)).getLockInfo(&pid, &host, &app) || pid <= 0)
        return false;
    if (holder)
        *holder = pid;
    return pid == QCoreApplication::applicationPid() || ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
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

    // A large library starts with the approximate index trained on a sample
    // spread over it, so no vector goes through the exact store, the switch
    // and the retrains a library growing photo by photo goes through.
    const qint64 expected = catalog.embeddingCount(modelId);
    if (expected > store->approximateThreshold()) {
        auto rows = catalog.sampleEmbeddings(modelId, int(VectorStore::trainingSampleSize(expected)));
        std::vector<float> sample;
        sample.reserve(rows.size() * size_t(dimension));
        for (auto& v : rows) {
            if (int(v.size()) == dimension)
                sample.insert(sample.end(), v.begin(), v.end());
            std::vector<float>().swap(v);
        }
        store->prepareBulkAdd(expected, sample);
    }

    // Streamed in chunks: at 1M photos the catalog's fp32 vectors are 2 GB,
    // the store a quarter of that.
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
    // A read-only library is searched from the rebuild in memory.
    if (!catalog.isReadOnly() && !indexRunInProgress(libraryDir)) {
        // A cache: failing to write it costs the next search a rebuild.
        try {
            store->save(generation);
        } catch (const VectorStoreError& e) {
            qWarning("%s", e.what());
        }
    }
    return store;
}

} // namespace photosearch
