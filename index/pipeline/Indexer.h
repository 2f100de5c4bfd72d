#pragma once
// Turns folders of photos into catalog rows, embeddings and the FAISS cache:
//
//   scan → diff against the catalog (size + mtime, then content hash)   ScanStage
//        → worker pool: read once, hash, metadata, decode, preprocess     DecodeStage
//        → encoder thread: batches through the vision tower               EncodeStage
//        → this thread: one catalog transaction per batch, FAISS add,     WriteStage
//          periodic atomic save.
//
// A photo's row is written in the same transaction as its embedding, so a
// run that is killed resumes where it stopped and ends with every photo
// indexed once. Moved files keep their embedding (same content hash),
// copies reuse it, deleted files leave the catalog and the index. A file
// that cannot be read is recorded with the reason and never stops the run.
// The model's weights are loaded only when the scan finds files to read
// (IndexModel.h).

#include "IndexControl.h"
#include "IndexLock.h" // takeIndexLock and its errors, for every writer of a library
#include "IndexModel.h"
#include "IndexTypes.h"

#include <QString>

#include <functional>

namespace clip {
class TowerEngine;
}

namespace photosearch {

class Indexer {
public:
    // `modelId` tags every embedding: the vector set (VectorSet.h) of the
    // model and the precision it computes in. What `model` loads must
    // outlive run().
    Indexer(const QString& libraryDir, IndexModel model, const QString& modelId);
    // A model already loaded; `model` and `preprocessor` must outlive run().
    Indexer(const QString& libraryDir, const clip::TowerEngine& model, const ImagePreprocessor& preprocessor,
            const QString& modelId);

    // Blocks until done, cancelled or failed. `progress` is called on this
    // thread, at most a few times a second. Throws CatalogError or
    // VectorStoreError when the library cannot be written (what was committed
    // stays), IndexBusyError when another process is indexing the library,
    // rethrows what the model's loader threw (clip::ModelError; after the
    // scan, before any photo is written) and an unexpected encoder failure.
    IndexSummary run(const IndexOptions& options, IndexControl* control = nullptr,
                     const std::function<void(const IndexProgress&)>& progress = {});

private:
    QString libraryDir_;
    IndexModel model_;
    QString modelId_;
};

} // namespace photosearch
