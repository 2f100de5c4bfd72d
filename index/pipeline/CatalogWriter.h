#pragma once
// Puts outcomes into the library: each batch is one catalog transaction
// (rows and vectors together, so a run killed at any point resumes with
// every photo indexed once), then the same change to the FAISS store. Counts
// what it wrote into the run's summary.

#include "PhotoOutcome.h"

#include <QString>

#include <vector>

namespace photosearch {

class Catalog;
class VectorStore;
struct IndexSummary;

class CatalogWriter {
public:
    CatalogWriter(Catalog& catalog, VectorStore& store, const QString& modelId, IndexSummary& counts);

    void write(std::vector<PhotoOutcome>& batch);
    // Photos whose file is gone for good (see IndexPlan::missing).
    void remove(const std::vector<qint64>& ids);

private:
    // The FAISS side of a batch, applied once the transaction committed.
    struct StoreChange {
        std::vector<qint64> addIds;
        std::vector<float> addVectors;
        std::vector<qint64> removeIds;
    };

    void writeEncoded(PhotoOutcome& r, StoreChange& change);
    void writeFailed(PhotoRecord& rec, StoreChange& change);
    void writeVanished(const PhotoRecord& rec, StoreChange& change);
    void putRow(PhotoRecord& rec);

    Catalog& catalog_;
    VectorStore& store_;
    const QString modelId_;
    IndexSummary& counts_;
};

} // namespace photosearch
