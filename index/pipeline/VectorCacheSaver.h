#pragma once
// When the run saves the FAISS file. It is a cache the next search rebuilds
// from the catalog if it is missing or stale, so saving it mid-run only
// spares that rebuild after a crash, and failing to write it must not stop
// the run.

#include <QString>
#include <QtGlobal>

namespace photosearch {

class Catalog;
class VectorStore;

class VectorCacheSaver {
public:
    VectorCacheSaver(const Catalog& catalog, VectorStore& store, const QString& modelId, qint64 intervalMs);

    // `nowMs` on the run's own clock, which starts at 0.
    void saveIfDue(qint64 nowMs);
    void save();

private:
    const Catalog& catalog_;
    VectorStore& store_;
    const QString modelId_;
    const qint64 intervalMs_;
    qint64 lastSaveMs_ = 0;
    qint64 lastCostMs_ = 0;
};

} // namespace photosearch
