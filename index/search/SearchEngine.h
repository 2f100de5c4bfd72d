#pragma once
// Answers "dog on a beach" and "more like this photo" from one library and
// one model: embeds the query, asks the model's vector store, applies the
// filters, and maps ids back to catalog rows. Used by the CLI and the GUI.
//
// Not thread-safe (it owns a Catalog connection): one engine per thread.

#include "Catalog.h"
#include "QueryEmbedder.h"
#include "QueryParser.h"
#include "RelevanceCut.h"
#include "TextRanking.h"
#include "VectorStore.h"

#include <QCache>
#include <QDate>
#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace photosearch {

class ClipEncoder;

struct SearchHit {
    qint64 id = 0;
    QString path;
    // Cosine similarity; search() adds a bonus for the query's words written
    // in the photo (TextRanking.h), and gives 1 to the results of a query
    // for written text only.
    float score = 0;
    QDateTime time;  // taken-at, else the file's modification time (what date filters compare)
};

enum class SortOrder { Relevance, Date };

// A query in the query language (QueryParser.h) with what the CLI and the
// window add to it.
struct SearchRequest {
    QString query;
    PhotoFilter filter;  // date phrases in the query narrow it, never widen it
    int k = 20;          // at most this many hits
    bool all = false;    // the k best, ignoring the relevance cut
    SortOrder sort = SortOrder::Relevance;
    QDate today;         // anchors "last summer"; invalid = the current date
};

struct QueryResults {
    std::vector<SearchHit> hits; // best first, or newest first with SortOrder::Date
    // Candidates above the relevance cut (may exceed k: "23 good matches");
    // a lower bound when moreGood is set (every candidate looked at passed).
    int goodMatches = 0;
    bool moreGood = false;
    float cutScore = 0;          // the score the cut asked for (-inf: no cut, too few photos)
    // Hits that have the query's words (or its written-text terms) written in
    // them (OCR, TextRanking.h).
    int textMatches = 0;
    // One sentence when a query for written text found nothing because no
    // photo's text has been read yet.
    QString notice;
    QString understood;          // describe(parsed query): what was searched for
    QString error;               // set when the query had nothing to search for; hits is then empty
};

class SearchEngine {
public:
    // Opens the catalog and the model's vector store (rebuilding the store
    // when it is missing, stale or corrupt; rebuildReason() says why).
    // Throws CatalogError / VectorStoreError.
    // Catalog::Access::ReadOnly searches a library that cannot be written:
    // nothing is cached in the catalog and the FAISS file is not rewritten
    // (a stale one is rebuilt in memory only).
    // (Defined in ClipQueryEmbedder.cpp, with LibTorch.)
    SearchEngine(const QString& libraryDir, const ClipEncoder& encoder, const QString& modelId,
                 Catalog::Access access = Catalog::Access::ReadWrite);
    // The same with any embedder, asked only when a query must be embedded
    // (none for a text whose embedding the catalog has cached); `dimension`
    // is the model's projection size (its config).
    SearchEngine(const QString& libraryDir, std::unique_ptr<QueryEmbedder> embedder, int dimension,
                 const QString& modelId, Catalog::Access access = Catalog::Access::ReadWrite);
    ~SearchEngine();

    // The query language with dates, image terms, written text (one ranking
    // with CLIP's, TextRanking.h), the relevance cut and date order. Throws
    // ImageError for an image term that cannot be read.
    QueryResults search(const SearchRequest& request);

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

    // The unit-length embedding of an image: its stored vector while the file
    // is as indexed, else the file decoded and embedded. Throws ImageError.
    std::vector<float> imageEmbedding(const QString& imagePath);
    // The query's score background (RelevanceCut.h) over a sample of the library.
    ScoreBackground background(const std::vector<float>& query);

    const QString& rebuildReason() const { return rebuildReason_; }
    qint64 vectorCount() const { return store_->size(); }
    Catalog& catalog() { return catalog_; }

private:
    std::vector<float> queryVector(const ParsedQuery& parsed, QString* error);
    std::vector<SearchHit> photosInPeriod(const PhotoFilter& filter, int k);
    std::vector<SearchHit> searchSelected(const std::vector<float>& query, int k, const PhotoSelection& selection);
    // CLIP's candidates and the photos found by written text, in one ranking.
    MergedRanking rankWithPictures(const ParsedQuery& parsed, const TextQuery& text, const PhotoSelection& selection,
                                   int candidates, QueryResults& results, std::vector<SearchHit>& found);
    // A query of written-text terms only.
    MergedRanking rankWrittenOnly(const TextQuery& text, const PhotoSelection& selection, int candidates,
                                  QueryResults& results, std::vector<SearchHit>& found);
    std::optional<SearchHit> hitFor(qint64 id);

    std::unique_ptr<QueryEmbedder> embedder_;
    QString modelId_;
    Catalog catalog_;
    std::unique_ptr<VectorStore> store_;
    QString rebuildReason_;
    QCache<QString, std::vector<float>> textCache_{256};
    std::vector<float> sample_; // row-major sampled library embeddings, for backgrounds
    qint64 sampledAtSize_ = -1;
};

} // namespace photosearch
