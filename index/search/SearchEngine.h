#pragma once
// Answers "dog on a beach" and "more like this photo" from one library and
// one model: embeds the query, asks the model's vector store, applies the
// filters, and maps ids back to catalog rows. Used by the CLI and the GUI.
//
// Not thread-safe (it owns a Catalog connection): one engine per thread.

#include "Catalog.h"
#include "VectorStore.h"

#include <QCache>
#include <QString>

#include <memory>
#include <vector>

namespace photosearch {

class ClipEncoder;

struct SearchHit {
    qint64 id = 0;
    QString path;
    float score = 0; // cosine similarity
};

class SearchEngine {
public:
    // Opens the catalog and the model's vector store (rebuilding the store
    // when it is missing, stale or corrupt; rebuildReason() says why).
    // Throws CatalogError / VectorStoreError.
    SearchEngine(const QString& libraryDir, const ClipEncoder& encoder, const QString& modelId);
    ~SearchEngine();

    std::vector<SearchHit> searchText(const QString& query, int k, const PhotoFilter& filter = {});
    // The photo's stored embedding when the file is in the library (so it
    // ranks itself first), else the file is decoded and embedded. Throws
    // ImageError for a file that cannot be read.
    std::vector<SearchHit> similarTo(const QString& imagePath, int k, const PhotoFilter& filter = {});
    // `query` must be unit length and of the model's dimension.
    std::vector<SearchHit> searchVector(const std::vector<float>& query, int k, const PhotoFilter& filter = {});

    // The text's unit-length embedding; computed once per distinct text and
    // model, then kept in memory and in the catalog.
    std::vector<float> textEmbedding(const QString& text);

    const QString& rebuildReason() const { return rebuildReason_; }
    qint64 vectorCount() const { return store_->size(); }
    Catalog& catalog() { return catalog_; }

private:
    const ClipEncoder& encoder_;
    QString modelId_;
    Catalog catalog_;
    std::unique_ptr<VectorStore> store_;
    QString rebuildReason_;
    QCache<QString, std::vector<float>> textCache_{256};
};

} // namespace photosearch
