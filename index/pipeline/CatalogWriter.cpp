// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include <torch/types.h>

#include "CatalogWriter.h"

#include "Catalog.h"
#include "IndexTypes.h"
#include "VectorStore.h"

namespace photosearch {

CatalogWriter::CatalogWriter(Catalog& catalog, VectorStore& store, const QString& modelId, IndexSummary& counts)
    : catalog_(catalog)
    , store_(store)
    , modelId_(modelId)
    , counts_(counts)
{
}

void CatalogWriter::write(std::vector<PhotoOutcome>& batch)
{
    StoreChange change;
    Catalog::Transaction transaction(catalog_);
    for (PhotoOutcome& r : batch) {
        switch (r.kind) {
        case PhotoOutcome::Kind::Encode:
        case PhotoOutcome::Kind::Copied:
            writeEncoded(r, change);
            break;
        case PhotoOutcome::Kind::Moved:
            catalog_.updatePhoto(r.record);
            ++counts_.updated;
            ++counts_.moved;
            break;
        case PhotoOutcome::Kind::Touched:
            catalog_.updatePhoto(r.record);
            ++counts_.unchanged;
            break;
        case PhotoOutcome::Kind::Failed:
            writeFailed(r.record, change);
            break;
        case PhotoOutcome::Kind::Vanished:
            writeVanished(r.record, change);
            break;
        }
    }
    transaction.commit();
    if (!change.removeIds.empty())
        store_.remove(change.removeIds);
    if (!change.addIds.empty())
        store_.add(change.addIds, change.addVectors);
}

void CatalogWriter::remove(const std::vector<qint64>& ids)
{
    if (ids.empty())
        return;
    Catalog::Transaction transaction(catalog_);
    for (qint64 id : ids)
        catalog_.removePhoto(id);
    transaction.commit();
    store_.remove(ids);
    counts_.removed += qint64(ids.size());
}

void CatalogWriter::writeEncoded(PhotoOutcome& r, StoreChange& change)
{
    PhotoRecord& rec = r.record;
    if (r.kind == PhotoOutcome::Kind::Copied)
        r.embedding = catalog_.embedding(r.sourceId, modelId_);
    ++(rec.id == 0 ? counts_.added : counts_.updated);
    putRow(rec);
    counts_.moved += r.moved ? 1 : 0;
    // A copy whose source vanished meanwhile is left without an embedding:
    // the next run encodes it.
    if (!r.embedding.empty()) {
        catalog_.putEmbedding(rec.id, modelId_, r.embedding, rec.contentHash);
        change.addIds.push_back(rec.id);
        change.addVectors.insert(change.addVectors.end(), r.embedding.begin(), r.embedding.end());
    }
}

void CatalogWriter::writeFailed(PhotoRecord& rec, StoreChange& change)
{
    const bool isNew = rec.id == 0;
    putRow(rec);
    ++counts_.failed;
    // A photo indexed before keeps its row (with the reason) but no longer
    // comes up in searches.
    if (!isNew)
        change.removeIds.push_back(rec.id);
}

void CatalogWriter::writeVanished(const PhotoRecord& rec, StoreChange& change)
{
    ++counts_.vanished;
    if (rec.id != 0) {
        catalog_.removePhoto(rec.id);
        change.removeIds.push_back(rec.id);
        ++counts_.removed;
    }
}

void CatalogWriter::putRow(PhotoRecord& rec)
{
    if (rec.id == 0)
        catalog_.insertPhoto(rec); // sets rec.id
    else
        catalog_.updatePhoto(rec);
}

} // namespace photosearch
