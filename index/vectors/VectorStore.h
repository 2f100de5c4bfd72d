#pragma once
// The FAISS cache of one model's embeddings: `vectors-<model-id>.faiss` in
// the library directory. Vectors are unit length, so inner product = cosine.
// Ids are catalog photo ids. The catalog is the source of truth: the file
// records the catalog generation it reflects, and a missing, stale or corrupt
// file is rebuilt from the catalog by the caller (see load()).
//
// Exact search while small; past kApproximateThreshold vectors a compact
// approximate index (IVF with 8-bit scalar-quantized vectors, 512 bytes per
// 512-d vector) whose recall@10 against exact is 0.98-0.99 on bench_search's
// data sets (0.979 on the clustered one at 1M, the 8-bit codes' ceiling),
// p50 ~6 ms at 1M vectors on the 2-core reference machine, ~550 MB resident
// (docs/BENCHMARKS.md, "Search at 1M photos (issue 15)"). Its scores are
// those of the decoded vectors (within ~1e-3 of the exact ones), and vectors
// moved back to the exact store after shrinking are the decoded ones.
// SearchEngine asks an approximate store for a few more hits and re-scores
// them from the catalog's float32 vectors (ExactRerank.h), which lifts the
// clustered set's 0.979 to 0.9998.
//
// Thread-safe: searches run concurrently with each other; add/remove/clear/
// load take an exclusive lock. save() takes a shared lock (searches go on
// while a large file is written) and saves are serialised among themselves.

#include <QString>

#include <functional>
#include <memory>
#include <stdexcept>
#include <vector>

namespace photosearch {

class VectorStoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct VectorHit {
    qint64 id = 0;
    float score = 0; // inner product with the query
};

class VectorStore {
public:
    static const qint64 kApproximateThreshold;

    VectorStore(const QString& filePath, const QString& modelId, int dimension);
    ~VectorStore();
    VectorStore(const VectorStore&) = delete;
    VectorStore& operator=(const VectorStore&) = delete;

    const QString& filePath() const;
    const QString& modelId() const;
    int dimension() const;

    // Reads the file. True when it exists, is intact, belongs to this model
    // and dimension, and reflects exactly `generation`; otherwise the store is
    // left empty, `why` (if given) says which of those failed, and the caller
    // rebuilds it with add(). Never throws for a bad file.
    bool load(qint64 generation, QString* why = nullptr);

    // Adds vectors (row-major n × dimension). An id already present is
    // replaced. Switches to the approximate index once size() passes the
    // threshold.
    void add(const std::vector<qint64>& ids, const std::vector<float>& vectors);
    // Before a rebuild adds about `expectedCount` vectors to an empty store:
    // when that is past the threshold, starts the approximate index at once,
    // trained on `sample` (row-major rows spread over the library, about
    // trainingSampleSize() of them), so each vector is encoded once against
    // lists sized for the whole library, instead of going exact, switching
    // and retraining on the way. False (and nothing changes) otherwise.
    bool prepareBulkAdd(qint64 expectedCount, const std::vector<float>& sample);
    static qint64 trainingSampleSize(qint64 expectedCount);
    void remove(const std::vector<qint64>& ids);
    void clear();
    qint64 size() const;
    bool isApproximate() const;

    // Best k first. With `allowed`, only ids it accepts are returned (still
    // up to k of them when that many are allowed).
    std::vector<VectorHit> search(const float* query, int k,
                                  const std::function<bool(qint64)>& allowed = {}) const;

    // Writes the file atomically (temporary file + rename), tagged with the
    // format version, model id, dimension and `generation`. Throws
    // VectorStoreError naming the file when it cannot be written.
    void save(qint64 generation) const;

    // For tests and benchmarks: the size past which add() switches to the
    // approximate index (default kApproximateThreshold), and the number of
    // IVF lists probed per query (0 = the measured default for the size).
    void setApproximateThreshold(qint64 threshold);
    qint64 approximateThreshold() const;
    void setProbes(int probes);
    // E.g. "exact (flat IP), 1200 vectors" or "IVF-SQ8 nlist=2048
    // nprobe=64, 1000000 vectors"; for logs, `stats` and benchmarks.
    QString describe() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d_;
};

} // namespace photosearch
