#pragma once
// The library's source of truth: `catalog.sqlite` in the library directory
// (photos, embeddings per model, tags, albums, settings). WAL mode; callers
// group writes with transaction() — the indexer uses one per batch.
//
// Not thread-safe: one Catalog per thread (SQLite itself copes with several
// connections to one file, readers never blocking the WAL writer).

#include "PhotoFilter.h"
#include "PhotoRecord.h"

#include <QString>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

namespace photosearch {

class SqliteConnection;

// The catalog cannot be opened, read or written. The message is one sentence
// naming the file and saying what to do; the SQLite detail follows it.
class CatalogError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Catalog {
public:
    // Schema this build writes. A catalog whose "oldest reader" version is
    // newer than this is refused (made by a newer PhotoSearch); older ones
    // are upgraded step by step on open.
    static const int kSchemaVersion;

    enum class Access { ReadWrite, ReadOnly };

    // Opens or creates `<libraryDir>/catalog.sqlite`. Throws CatalogError.
    // ReadOnly (a read-only mount, another user's library, a backup disk)
    // never creates, upgrades or writes anything: the file is opened with
    // SQLITE_OPEN_READONLY, writes fail with a CatalogError, and a catalog
    // whose schema is older than this build's is refused with a sentence.
    explicit Catalog(const QString& libraryDir, Access access = Access::ReadWrite);
    ~Catalog();
    Catalog(const Catalog&) = delete;
    Catalog& operator=(const Catalog&) = delete;

    QString filePath() const;
    // Opened with Access::ReadOnly: callers skip the writes that are only
    // caches (text embeddings, the FAISS file).
    bool isReadOnly() const;

    // RAII transaction: rolled back unless commit() is called. Not nested.
    class Transaction {
    public:
        explicit Transaction(Catalog& catalog);
        ~Transaction();
        void commit();
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;

    private:
        Catalog* catalog_;
        bool done_ = false;
    };

    // --- photos ---
    std::vector<PhotoRecord> photos() const;
    // What an index run compares a scan with, for every photo, in one query
    // that parses no metadata (a rescan of a large library loads this, and
    // full rows only when something changed).
    struct PhotoState {
        qint64 id = 0;
        QString path;
        qint64 size = 0;
        qint64 mtimeMs = 0;
        QString contentHash;
        PhotoStatus status = PhotoStatus::Ok; // as photos() reads it
        QString error;
        bool embedded = false; // has a valid embedding of the model (so is Ok)
    };
    std::vector<PhotoState> photoStates(const QString& modelId) const;
    std::optional<PhotoRecord> photo(qint64 id) const;
    std::optional<PhotoRecord> photoByPath(const QString& path) const;
    // Photos with this content hash (a moved or copied file). An empty hash
    // ("not computed") matches nothing.
    std::vector<PhotoRecord> photosByHash(const QString& contentHash) const;
    // Returns the new id (and sets record.id).
    qint64 insertPhoto(PhotoRecord& record);
    // Updates every column of the row with record.id.
    void updatePhoto(const PhotoRecord& record);
    // Removes the photo with its embeddings, tags and album entries.
    void removePhoto(qint64 id);
    // Ids of Ok photos matching the filter (all Ok photos for an empty one).
    std::vector<qint64> photoIds(const PhotoFilter& filter) const;

    // --- embeddings, one per (photo, model) ---
    // Stores or replaces; `contentHash` is the photo's hash the vector was
    // computed from (the staleness key). Bumps the model's generation.
    void putEmbedding(qint64 photoId, const QString& modelId, const std::vector<float>& vector,
                      const QString& contentHash);
    // Empty when the photo has none for this model, or when it is stale
    // (computed from another content hash than the photo's current one).
    std::vector<float> embedding(qint64 photoId, const QString& modelId) const;
    // The same for many photos at once (an approximate search's candidates,
    // re-scored exactly): element i is photoIds[i]'s vector, empty when it
    // has none (an id may repeat). One statement for the whole list.
    std::vector<std::vector<float>> embeddings(const std::vector<qint64>& photoIds, const QString& modelId) const;
    // Every valid (not stale) embedding of the model, in id order.
    void forEachEmbedding(const QString& modelId,
                          const std::function<void(qint64 photoId, const std::vector<float>&)>& visit) const;
    qint64 embeddingCount(const QString& modelId) const; // valid ones only
    // About `maxCount` valid embeddings spread evenly over the library (every
    // n-th id), for statistics such as a query's score background.
    std::vector<std::vector<float>> sampleEmbeddings(const QString& modelId, int maxCount) const;
    // Ok photos that have no valid embedding for the model.
    std::vector<qint64> photosWithoutEmbedding(const QString& modelId) const;
    // Increases whenever the model's set of valid embeddings may have changed
    // (putEmbedding, removePhoto, updatePhoto with a new hash). The vector
    // store records the generation it reflects.
    qint64 generation(const QString& modelId) const;

    // --- text queries embedded before (schema 2) ---
    // The most recently used kMaxCachedQueries per model are kept; longer
    // texts than kMaxCachedQueryLength are not cached.
    static constexpr int kMaxCachedQueries = 2000;
    static constexpr int kMaxCachedQueryLength = 1000;
    // Empty when the text was never cached for the model.
    std::vector<float> cachedTextEmbedding(const QString& modelId, const QString& text);
    void cacheTextEmbedding(const QString& modelId, const QString& text, const std::vector<float>& vector);

    // --- settings (small key/value strings) ---
    QString setting(const QString& key, const QString& fallback = {}) const;
    void setSetting(const QString& key, const QString& value);

    // --- summary ---
    struct Stats {
        qint64 photos = 0;   // all rows
        qint64 failed = 0;   // status Failed
        std::map<QString, qint64> byFormat;
        std::vector<std::pair<QString, QString>> failures; // (path, error), path order
    };
    Stats stats() const;

    // The connection, for the rooms that keep their own tables in this file
    // (tags, albums): they run their SQL on it, inside this catalog's
    // transactions, instead of growing this class.
    const SqliteConnection& connection() const;

private:
    friend class Transaction;
    struct Impl;
    std::unique_ptr<Impl> d_;
};

} // namespace photosearch
