#include "VectorCacheSaver.h"

#include "Catalog.h"
#include "VectorStore.h"

#include <QElapsedTimer>

#include <algorithm>

namespace photosearch {

VectorCacheSaver::VectorCacheSaver(const Catalog& catalog, VectorStore& store, const QString& modelId,
                                   qint64 intervalMs)
    : catalog_(catalog)
    , store_(store)
    , modelId_(modelId)
    , intervalMs_(intervalMs)
{
}

void VectorCacheSaver::saveIfDue(qint64 nowMs)
{
    // A large library takes seconds to save, and the pipeline waits
    // meanwhile: saves then come at most once per 20 times their cost.
    if (nowMs - lastSaveMs_ >= std::max(intervalMs_, 20 * lastCostMs_)) {
        save();
        lastSaveMs_ = nowMs;
    }
}

void VectorCacheSaver::save()
{
    QElapsedTimer t;
    t.start();
    try {
        store_.save(catalog_.generation(modelId_));
    } catch (const VectorStoreError& e) {
        qWarning("%s", e.what());
    }
    lastCostMs_ = t.elapsed();
}

} // namespace photosearch
