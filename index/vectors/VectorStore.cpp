#include "VectorStore.h"

#include "CompactSearch.h"
#include "VectorFile.h"

#include <QFile>
#include <QSaveFile>
#include <QtEndian>

#include <faiss/IndexFlat.h>
#include <faiss/IndexScalarQuantizer.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>
#include <faiss/invlists/InvertedLists.h>

#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

// Threads: nothing here touches OpenMP's global settings. FAISS parallelises
// a search across queries, and we always search one query, so a search runs
// on the caller's thread (the UI/search pool decides the concurrency).
// Training and bulk adds use OpenMP's default team, which is what a rebuild
// wants.

namespace photosearch {

using idx_t = faiss::Index::idx_t;
namespace vf = vectorfile;

// Exact search of one query is memory bound (~0.2 ms per 1k vectors of 512
// floats on the reference machine): p99 11 ms at 50k, 22 ms at 100k, 241 ms
// p50 at 1M, and it holds 2 KB per photo. Past 100k the store switches to a
// compact IVF index of 8-bit scalar-quantized residuals (IVF-SQ8: 512 bytes
// per photo, a quarter of fp32), searched by our own AVX2 scan
// (CompactSearch.h). IVF rather than HNSW: it removes ids in place, filters
// per id, and needs no graph in memory. Numbers: docs/BENCHMARKS.md, "Search
// (vector store)" and "Search at 1M photos (issue 15)".
const qint64 VectorStore::kApproximateThreshold = 100000;

namespace {

// IVF lists: ~2*sqrt(N), a power of two, with at least kMinPointsPerList
// training points per list so k-means is not starved (FAISS warns below 39).
constexpr qint64 kMinPointsPerList = 40;
// k-means sees at most this many points per list: more barely moves the
// centroids and costs time linearly (docs/BENCHMARKS.md).
constexpr int kMaxTrainPointsPerList = 64;

// The 8-bit codes span mean +- 4 standard deviations of each dimension of
// the residuals (FAISS's RS_meanstd) rather than their min..max, which
// outliers stretch: recall@10 at 1M, nprobe 328, 0.9813 vs 0.9786 on the
// clusters set and 0.9820 vs 0.9805 on the hard set of bench_search
// (min..max of the vectors themselves). The price: a component beyond the
// range is clipped, so photos far from everything the index was trained on
// score less precisely until a retrain or rebuild.
constexpr float kCodeRangeSigmas = 4.0f;

int desiredLists(qint64 n)
{
    const double target = 2.0 * std::sqrt(double(std::max<qint64>(n, 1)));
    int lists = 1;
    while (lists * 2 <= target * 1.41)
        lists *= 2;
    while (lists > 1 && lists * kMinPointsPerList > n)
        lists /= 2;
    return lists;
}

// By default a query scans lists, best centroid first, until it has scanned
// ~kProbeVectors stored vectors (never fewer than 8 lists): a fixed share of
// the lists does not keep recall (small libraries have little cluster
// structure and need a large share), and counting vectors rather than lists
// keeps the cost even where list sizes are uneven. At 1M that is ~16% of the
// library, what bench_search's hard set needs for recall@10 >= 0.98; ~3 ms
// per 100k codes on the reference machine. docs/BENCHMARKS.md "Search at 1M
// photos (issue 15)".
constexpr qint64 kProbeVectors = 160000;
int defaultProbes(int lists, qint64 n)
{
    const qint64 probes = (kProbeVectors * lists + n - 1) / std::max<qint64>(n, 1);
    return int(std::min<qint64>(lists, std::max<qint64>(8, probes)));
}

// FAISS's flat index labels hits with row numbers; this maps them to photo
// ids before asking the caller's filter.
struct RowFilter : faiss::IDSelector {
    const std::vector<qint64>& rowIds;
    const std::function<bool(qint64)>& allowed;
    RowFilter(const std::vector<qint64>& r, const std::function<bool(qint64)>& a)
        : rowIds(r), allowed(a) {}
    bool is_member(idx_t row) const override { return allowed(rowIds[size_t(row)]); }
};

// Streams FAISS's serialisation into the save file while hashing it; with
// `file` null it only counts, so the header can carry the payload length.
struct HashingWriter : faiss::IOWriter {
    QSaveFile* file = nullptr;
    vf::Hash64* hash = nullptr;
    quint64 written = 0;
    size_t operator()(const void* ptr, size_t size, size_t nitems) override
    {
        const size_t bytes = size * nitems;
        written += bytes;
        if (!file)
            return nitems;
        hash->update(ptr, bytes);
        return file->write(static_cast<const char*>(ptr), qint64(bytes)) == qint64(bytes) ? nitems : 0;
    }
};

// Unmaps the whole pages of a read-only file mapping (starting at the
// page-aligned `base`) that lie in [from, to): read once, they need not stay
// resident. Without this, loading a 540 MB index holds the mapped file and
// the index copied from it at once (VmHWM 1.24 GB at 1M photos).
void dropPages(const uchar* base, size_t from, size_t to)
{
#ifdef __linux__
    static const size_t page = size_t(sysconf(_SC_PAGESIZE));
    from = (from + page - 1) / page * page;
    to = to / page * page;
    if (to > from)
        madvise(const_cast<uchar*>(base) + from, to - from, MADV_DONTNEED);
#else
    Q_UNUSED(base); Q_UNUSED(from); Q_UNUSED(to);
#endif
}

void hashMapped(vf::Hash64* hash, const uchar* base, size_t size)
{
    constexpr size_t kChunk = size_t(8) << 20;
    for (size_t at = 0; at < size; at += kChunk) {
        const size_t n = std::min(kChunk, size - at);
        hash->update(base + at, n);
        dropPages(base, at, at + n);
    }
}

struct MemoryReader : faiss::IOReader {
    const uchar* base; // the mapping, for dropPages()
    const uchar* p;
    size_t left;
    MemoryReader(const uchar* mapping, const uchar* data, size_t size) : base(mapping), p(data), left(size) {}
    size_t operator()(void* ptr, size_t size, size_t nitems) override
    {
        if (size == 0)
            return nitems;
        nitems = std::min(nitems, left / size);
        if (nitems == 0)
            return 0; // FAISS reads empty vectors into data() == nullptr
        std::memcpy(ptr, p, size * nitems);
        dropPages(base, size_t(p - base), size_t(p - base) + size * nitems);
        p += size * nitems;
        left -= size * nitems;
        return nitems;
    }
};

void releaseList(faiss::InvertedLists* lists, size_t list)
{
    if (auto* array = dynamic_cast<faiss::ArrayInvertedLists*>(lists)) {
        std::vector<uint8_t>().swap(array->codes[list]);
        std::vector<idx_t>().swap(array->ids[list]);
    }
}

// Adds to `index`. FAISS grows a list by resize() (doubling its capacity);
// at 1M photos that slack alone is up to 0.5 GB, so lists about to overflow
// are grown by 1/8 here first.
void addToIvf(faiss::IndexIVFScalarQuantizer& index, size_t n, const float* x, const idx_t* ids)
{
    constexpr size_t kBlock = 65536;
    auto* array = dynamic_cast<faiss::ArrayInvertedLists*>(index.invlists);
    std::vector<idx_t> lists;
    for (size_t first = 0; first < n; first += kBlock) {
        const size_t m = std::min(kBlock, n - first);
        const float* xb = x + first * size_t(index.d);
        lists.resize(m);
        index.quantizer->assign(idx_t(m), xb, lists.data());
        if (array) {
            std::unordered_map<idx_t, size_t> incoming;
            for (idx_t l : lists)
                if (l >= 0)
                    ++incoming[l];
            for (const auto& [l, count] : incoming) {
                auto& ids = array->ids[size_t(l)];
                const size_t need = ids.size() + count;
                if (need > ids.capacity()) {
                    ids.reserve(need + need / 8);
                    array->codes[size_t(l)].reserve((need + need / 8) * array->code_size);
                }
            }
        }
        index.add_core(idx_t(m), xb, ids + first, lists.data());
    }
}

} // namespace

struct VectorStore::Impl {
    QString filePath;
    QString modelId;
    int dim;
    qint64 threshold = kApproximateThreshold;
    int probes = 0;

    mutable std::shared_mutex mutex;
    mutable std::mutex saveMutex;

    // Exact: rows of `flat`, their ids, and the way back. Approximate: `ivf`
    // holds ids itself (hash-table direct map, so removal is O(1) per id).
    faiss::IndexFlatIP flat;
    std::vector<qint64> rowIds;
    std::unordered_map<qint64, idx_t> rowOf;
    std::unique_ptr<faiss::IndexIVFScalarQuantizer> ivf;

    Impl(const QString& f, const QString& m, int d) : filePath(f), modelId(m), dim(d), flat(d) {}

    size_t rowBytes() const { return size_t(dim) * sizeof(float); }
    qint64 size() const { return ivf ? qint64(ivf->ntotal) : qint64(flat.ntotal); }
    int nprobe() const
    {
        const int lists = int(ivf->nlist);
        return std::min(lists, probes > 0 ? probes : defaultProbes(lists, size()));
    }

    void resetExact()
    {
        flat.reset();
        std::vector<uint8_t>().swap(flat.codes);
        std::vector<qint64>().swap(rowIds);
        std::unordered_map<qint64, idx_t>().swap(rowOf);
    }

    void clear()
    {
        resetExact();
        ivf.reset();
    }

    void addExact(const qint64* ids, const float* x, size_t n)
    {
        // No reserve(): an exact reserve per batch would reallocate on every
        // batch; insert() grows geometrically.
        for (size_t i = 0; i < n; ++i) {
            const auto* bytes = reinterpret_cast<const uint8_t*>(x + i * size_t(dim));
            auto it = rowOf.find(ids[i]);
            if (it != rowOf.end()) {
                std::memcpy(flat.codes.data() + size_t(it->second) * rowBytes(), bytes, rowBytes());
                continue;
            }
            flat.codes.insert(flat.codes.end(), bytes, bytes + rowBytes());
            rowOf.emplace(ids[i], flat.ntotal);
            rowIds.push_back(ids[i]);
            ++flat.ntotal;
        }
    }

    void removeExact(qint64 id)
    {
        auto it = rowOf.find(id);
        if (it == rowOf.end())
            return;
        const idx_t row = it->second, last = flat.ntotal - 1;
        rowOf.erase(it);
        if (row != last) { // move the last row into the hole
            std::memcpy(flat.codes.data() + size_t(row) * rowBytes(),
                        flat.codes.data() + size_t(last) * rowBytes(), rowBytes());
            rowIds[size_t(row)] = rowIds[size_t(last)];
            rowOf[rowIds[size_t(row)]] = row;
        }
        rowIds.pop_back();
        flat.codes.resize(size_t(last) * rowBytes());
        flat.ntotal = last;
    }

    // An IVF-SQ8 index trained on `train` (n rows) with up to `lists` lists
    // (fewer when n is too small to train them), empty. Residuals from the
    // list centroid are encoded, over mean +- kCodeRangeSigmas standard
    // deviations per dimension.
    std::unique_ptr<faiss::IndexIVFScalarQuantizer> newIvf(const float* train, size_t n, int lists) const
    {
        while (lists > 1 && qint64(lists) * kMinPointsPerList > qint64(n))
            lists /= 2;
        auto quantizer = new faiss::IndexFlatIP(dim);
        auto index = std::make_unique<faiss::IndexIVFScalarQuantizer>(
            quantizer, dim, size_t(lists), faiss::ScalarQuantizer::QT_8bit, faiss::METRIC_INNER_PRODUCT, true);
        index->own_fields = true;
        index->sq.rangestat = faiss::ScalarQuantizer::RS_meanstd;
        index->sq.rangestat_arg = kCodeRangeSigmas;
        index->cp.max_points_per_centroid = kMaxTrainPointsPerList;
        index->train(idx_t(n), train);
        index->set_direct_map_type(faiss::DirectMap::Hashtable);
        return index;
    }

    // Moves every vector out of `ivf` list by list (decoded), freeing each
    // list as it goes, so converting never holds two full copies.
    template <typename Sink> void drainIvf(Sink sink)
    {
        faiss::InvertedLists* lists = ivf->invlists;
        std::vector<float> decoded;
        for (size_t l = 0; l < lists->nlist; ++l) {
            const size_t n = lists->list_size(l);
            decoded.resize(n * size_t(dim));
            for (size_t i = 0; i < n; ++i)
                ivf->reconstruct_from_offset(idx_t(l), idx_t(i), decoded.data() + i * size_t(dim));
            if (n > 0)
                sink(decoded.data(), lists->get_ids(l), n);
            releaseList(lists, l);
        }
        ivf.reset();
    }

    void switchToIvf()
    {
        const size_t n = size_t(flat.ntotal);
        ivf = newIvf(flat.get_xb(), n, desiredLists(qint64(n)));
        std::vector<idx_t> ids(rowIds.begin(), rowIds.end());
        addToIvf(*ivf, n, flat.get_xb(), ids.data());
        resetExact();
    }

    // Retrains once the library has grown enough that the lists trained for
    // a smaller one make every probe scan too much. Only the codes are at
    // hand, so the vectors are re-encoded from their decoded values (one more
    // rounding, ~1e-4 of a score); a rebuild from the catalog
    // (prepareBulkAdd) starts from the fp32 vectors.
    void retrainIvf()
    {
        const qint64 n = size();
        const int lists = desiredLists(n);
        const size_t want = std::min<size_t>(size_t(n), size_t(lists) * kMaxTrainPointsPerList);
        const size_t step = std::max<size_t>(1, size_t(n) / want);
        std::vector<float> sample;
        sample.reserve(want * size_t(dim));
        size_t seen = 0;
        for (size_t l = 0; l < ivf->nlist && sample.size() < want * size_t(dim); ++l)
            for (size_t i = 0; i < ivf->invlists->list_size(l); ++i, ++seen)
                if (seen % step == 0 && sample.size() < want * size_t(dim)) {
                    sample.resize(sample.size() + size_t(dim));
                    ivf->reconstruct_from_offset(idx_t(l), idx_t(i), sample.data() + sample.size() - size_t(dim));
                }
        auto index = newIvf(sample.data(), sample.size() / size_t(dim), lists);
        std::vector<float>().swap(sample);
        drainIvf([&](const float* x, const idx_t* ids, size_t count) { addToIvf(*index, count, x, ids); });
        ivf = std::move(index);
    }

    void switchToExact()
    {
        flat.codes.reserve(size_t(size()) * rowBytes());
        drainIvf([&](const float* x, const idx_t* ids, size_t count) {
            for (size_t i = 0; i < count; ++i) {
                const qint64 id = ids[i];
                addExact(&id, x + i * size_t(dim), 1);
            }
        });
    }

    std::vector<VectorHit> searchExact(const float* q, int k,
                                       const std::function<bool(qint64)>& allowed) const
    {
        std::vector<float> scores(static_cast<size_t>(k));
        std::vector<idx_t> rows(static_cast<size_t>(k));
        RowFilter filter(rowIds, allowed);
        faiss::SearchParameters params;
        params.sel = allowed ? &filter : nullptr;
        flat.search(1, q, k, scores.data(), rows.data(), &params);
        std::vector<VectorHit> hits;
        for (int i = 0; i < k && rows[size_t(i)] >= 0; ++i)
            hits.push_back({rowIds[size_t(rows[size_t(i)])], scores[size_t(i)]});
        return hits;
    }

    std::vector<VectorHit> searchIvf(const float* q, int k,
                                     const std::function<bool(qint64)>& allowed) const
    {
        ProbePlan plan;
        if (probes > 0) {
            plan.minLists = plan.maxLists = probes;
        } else {
            plan.maxLists = int(ivf->nlist);
            plan.vectors = kProbeVectors;
        }
        return searchCompact(*ivf, q, k, plan, allowed);
    }

    // Restores the index from a mapped file; false with `why` on any fault.
    bool restore(const uchar* data, size_t size, qint64 generation, QString* why);
};

VectorStore::VectorStore(const QString& filePath, const QString& modelId, int dimension)
    : d_(std::make_unique<Impl>(filePath, modelId, dimension))
{
    if (dimension <= 0)
        throw VectorStoreError("VectorStore: dimension must be positive for " + filePath.toStdString());
}

VectorStore::~VectorStore() = default;

const QString& VectorStore::filePath() const { return d_->filePath; }
const QString& VectorStore::modelId() const { return d_->modelId; }
int VectorStore::dimension() const { return d_->dim; }

void VectorStore::setApproximateThreshold(qint64 threshold)
{
    std::unique_lock lock(d_->mutex);
    d_->threshold = std::max<qint64>(threshold, 1);
}

qint64 VectorStore::approximateThreshold() const
{
    std::shared_lock lock(d_->mutex);
    return d_->threshold;
}

void VectorStore::setProbes(int probes)
{
    std::unique_lock lock(d_->mutex);
    d_->probes = std::max(probes, 0);
}

QString VectorStore::describe() const
{
    std::shared_lock lock(d_->mutex);
    if (!d_->ivf)
        return QStringLiteral("exact (flat IP), %1 vectors").arg(d_->size());
    const QString probes = d_->probes > 0 ? QString::number(d_->nprobe())
                                          : QStringLiteral("~%1 (lists of %2 vectors)")
                                                .arg(d_->nprobe())
                                                .arg(kProbeVectors);
    return QStringLiteral("IVF-SQ8 nlist=%1 nprobe=%2, %3 vectors").arg(d_->ivf->nlist).arg(probes).arg(d_->size());
}

qint64 VectorStore::trainingSampleSize(qint64 expectedCount)
{
    return qint64(desiredLists(expectedCount)) * kMaxTrainPointsPerList;
}

bool VectorStore::prepareBulkAdd(qint64 expectedCount, const std::vector<float>& sample)
{
    std::unique_lock lock(d_->mutex);
    Impl& d = *d_;
    const size_t rows = sample.size() / size_t(d.dim);
    if (d.size() > 0 || d.ivf || expectedCount <= d.threshold || rows < size_t(kMinPointsPerList)
        || sample.size() != rows * size_t(d.dim))
        return false;
    try {
        d.ivf = d.newIvf(sample.data(), rows, desiredLists(expectedCount));
        return true;
    } catch (const faiss::FaissException& e) {
        throw VectorStoreError("VectorStore::prepareBulkAdd on " + d.filePath.toStdString() + ": " + e.what());
    }
}

qint64 VectorStore::size() const
{
    std::shared_lock lock(d_->mutex);
    return d_->size();
}

bool VectorStore::isApproximate() const
{
    std::shared_lock lock(d_->mutex);
    return bool(d_->ivf);
}

void VectorStore::clear()
{
    std::unique_lock lock(d_->mutex);
    d_->clear();
}

void VectorStore::add(const std::vector<qint64>& ids, const std::vector<float>& vectors)
{
    if (vectors.size() != ids.size() * size_t(d_->dim))
        throw VectorStoreError(QStringLiteral("VectorStore::add: %1 ids but %2 floats (dimension %3) for %4")
                                   .arg(ids.size()).arg(vectors.size()).arg(d_->dim).arg(d_->filePath)
                                   .toStdString());
    if (ids.empty())
        return;
    std::unique_lock lock(d_->mutex);
    Impl& d = *d_;
    try {
        if (!d.ivf) {
            d.addExact(ids.data(), vectors.data(), ids.size());
            if (d.size() > d.threshold)
                d.switchToIvf();
            return;
        }
        // Replace = remove then add. Repeats inside the batch keep the last.
        std::unordered_map<qint64, size_t> last;
        last.reserve(ids.size());
        for (size_t i = 0; i < ids.size(); ++i)
            last[ids[i]] = i;
        std::vector<idx_t> keys(ids.begin(), ids.end());
        faiss::IDSelectorArray present(keys.size(), keys.data());
        d.ivf->remove_ids(present);
        if (last.size() == ids.size()) {
            addToIvf(*d.ivf, ids.size(), vectors.data(), keys.data());
        } else {
            for (size_t i = 0; i < ids.size(); ++i)
                if (last[ids[i]] == i)
                    addToIvf(*d.ivf, 1, vectors.data() + i * size_t(d.dim), &keys[i]);
        }
        if (desiredLists(d.size()) >= 2 * int(d.ivf->nlist))
            d.retrainIvf();
    } catch (const faiss::FaissException& e) {
        throw VectorStoreError("VectorStore::add on " + d.filePath.toStdString() + ": " + e.what());
    }
}

void VectorStore::remove(const std::vector<qint64>& ids)
{
    std::unique_lock lock(d_->mutex);
    Impl& d = *d_;
    if (!d.ivf) {
        for (qint64 id : ids)
            d.removeExact(id);
        return;
    }
    try {
        std::vector<idx_t> keys(ids.begin(), ids.end());
        d.ivf->remove_ids(faiss::IDSelectorArray(keys.size(), keys.data()));
        // Hysteresis: a library hovering around the threshold must not flip
        // between the two indexes on every batch.
        if (d.size() < d.threshold / 2)
            d.switchToExact();
    } catch (const faiss::FaissException& e) {
        throw VectorStoreError("VectorStore::remove on " + d.filePath.toStdString() + ": " + e.what());
    }
}

std::vector<VectorHit> VectorStore::search(const float* query, int k,
                                           const std::function<bool(qint64)>& allowed) const
{
    std::shared_lock lock(d_->mutex);
    k = int(std::min<qint64>(k, d_->size()));
    if (k <= 0 || !query)
        return {};
    try {
        return d_->ivf ? d_->searchIvf(query, k, allowed) : d_->searchExact(query, k, allowed);
    } catch (const faiss::FaissException& e) {
        throw VectorStoreError("VectorStore::search on " + d_->filePath.toStdString() + ": " + e.what());
    }
}

void VectorStore::save(qint64 generation) const
{
    std::lock_guard saving(d_->saveMutex);
    std::shared_lock lock(d_->mutex);
    const Impl& d = *d_;
    const faiss::Index* index = d.ivf ? static_cast<const faiss::Index*>(d.ivf.get()) : &d.flat;
    const auto fail = [&](const QString& what) {
        return VectorStoreError(QStringLiteral("cannot write %1: %2").arg(d.filePath, what).toStdString());
    };
    try {
        vf::Header h;
        h.kind = d.ivf ? vf::Kind::IvfSq8 : vf::Kind::Exact;
        h.modelId = d.modelId.toUtf8();
        h.dimension = quint32(d.dim);
        h.generation = generation;
        h.count = d.size();
        HashingWriter counter;
        faiss::write_index(index, &counter);
        const quint64 idBytes = d.ivf ? 0 : quint64(d.rowIds.size() * sizeof(qint64));
        h.payloadBytes = counter.written + idBytes;

        QSaveFile file(d.filePath);
        if (!file.open(QIODevice::WriteOnly))
            throw fail(file.errorString());
        vf::Hash64 hash;
        const QByteArray header = vf::encodeHeader(h);
        HashingWriter writer;
        writer.file = &file;
        writer.hash = &hash;
        writer(header.constData(), 1, size_t(header.size()));
        faiss::write_index(index, &writer);
        static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN, "ids and FAISS bytes are written in host order");
        if (idBytes)
            writer(d.rowIds.data(), sizeof(qint64), d.rowIds.size());
        const quint64 sum = qToLittleEndian(hash.value());
        if (writer.written != header.size() + h.payloadBytes
            || file.write(reinterpret_cast<const char*>(&sum), sizeof sum) != sizeof sum)
            throw fail(file.errorString());
        // QSaveFile::commit() flushes, fsyncs and renames over the old file.
        if (!file.commit())
            throw fail(file.errorString());
    } catch (const faiss::FaissException& e) {
        throw fail(QString::fromUtf8(e.what()));
    }
}

bool VectorStore::load(qint64 generation, QString* why)
{
    std::unique_lock lock(d_->mutex);
    d_->clear();
    QString reason;
    QFile file(d_->filePath);
    bool ok = false;
    if (!file.exists()) {
        reason = QStringLiteral("no file");
    } else if (!file.open(QIODevice::ReadOnly)) {
        reason = file.errorString();
    } else if (file.size() == 0) {
        reason = QStringLiteral("truncated (empty file)");
    } else if (uchar* data = file.map(0, file.size())) {
        ok = d_->restore(data, size_t(file.size()), generation, &reason);
        file.unmap(data);
    } else {
        reason = file.errorString();
    }
    if (!ok) {
        d_->clear();
        if (why)
            *why = QStringLiteral("%1: %2").arg(d_->filePath, reason);
    }
    return ok;
}

bool VectorStore::Impl::restore(const uchar* data, size_t size, qint64 generation, QString* why)
{
    vf::Header h;
    size_t headerBytes = 0;
    switch (vf::parseHeader(data, size, &h, &headerBytes)) {
    case vf::ParseResult::Truncated: *why = QStringLiteral("truncated header"); return false;
    case vf::ParseResult::BadMagic: *why = QStringLiteral("not a PhotoSearch vector file"); return false;
    case vf::ParseResult::Ok: break;
    }
    if (h.version > vf::kFormatVersion || h.version == 0) {
        *why = QStringLiteral("format version %1 is newer than this build reads (%2)")
                   .arg(h.version).arg(vf::kFormatVersion);
        return false;
    }
    if (h.modelId != modelId.toUtf8()) {
        *why = QStringLiteral("vectors of model %1, not %2").arg(QString::fromUtf8(h.modelId), modelId);
        return false;
    }
    if (h.dimension != quint32(dim)) {
        *why = QStringLiteral("dimension %1, not %2").arg(h.dimension).arg(dim);
        return false;
    }
    if (h.generation != generation) {
        *why = QStringLiteral("reflects catalog generation %1, not %2").arg(h.generation).arg(generation);
        return false;
    }
    if (h.count < 0 || h.payloadBytes > size || size - headerBytes != h.payloadBytes + sizeof(quint64)) {
        *why = QStringLiteral("truncated or oversized (%1 bytes)").arg(size);
        return false;
    }
    vf::Hash64 hash;
    hashMapped(&hash, data, size - sizeof(quint64));
    if (hash.value() != qFromLittleEndian<quint64>(data + size - sizeof(quint64))) {
        *why = QStringLiteral("checksum mismatch (corrupted file)");
        return false;
    }
    if (h.kind == vf::Kind::IvfFlat) { // format 1's approximate index: 4x the memory
        *why = QStringLiteral("an IVF-Flat index of format version %1, which this build no longer uses")
                   .arg(h.version);
        return false;
    }
    if (h.kind != vf::Kind::Exact && !(h.kind == vf::Kind::IvfSq8 && h.version >= 2)) {
        *why = QStringLiteral("unknown index kind %1 in format version %2").arg(quint32(h.kind)).arg(h.version);
        return false;
    }
    try {
        MemoryReader reader(data, data + headerBytes, size_t(h.payloadBytes));
        std::unique_ptr<faiss::Index> index(faiss::read_index(&reader));
        if (index->d != dim || index->ntotal != h.count
            || index->metric_type != faiss::METRIC_INNER_PRODUCT) {
            *why = QStringLiteral("index contents disagree with the header");
            return false;
        }
        if (h.kind == vf::Kind::IvfSq8) {
            auto* read = dynamic_cast<faiss::IndexIVFScalarQuantizer*>(index.get());
            if (!read || reader.left != 0 || !isCompactLayout(*read)) {
                *why = QStringLiteral("payload is not an IVF-SQ8 index");
                return false;
            }
            index.release();
            ivf.reset(read);
            ivf->set_direct_map_type(faiss::DirectMap::Hashtable);
            return true;
        }
        auto* read = dynamic_cast<faiss::IndexFlatIP*>(index.get());
        if (!read || reader.left != size_t(h.count) * sizeof(qint64)) {
            *why = QStringLiteral("payload is not a flat index with its ids");
            return false;
        }
        rowIds.resize(size_t(h.count));
        if (reader.left > 0) // an empty index: rowIds.data() is null
            std::memcpy(rowIds.data(), reader.p, reader.left);
        rowOf.reserve(rowIds.size());
        for (size_t i = 0; i < rowIds.size(); ++i)
            if (!rowOf.emplace(rowIds[i], idx_t(i)).second) {
                *why = QStringLiteral("id %1 stored twice").arg(rowIds[i]);
                return false;
            }
        std::swap(flat.codes, read->codes);
        flat.ntotal = read->ntotal;
        return true;
    } catch (const faiss::FaissException& e) {
        *why = QStringLiteral("FAISS could not read the index: %1").arg(QString::fromUtf8(e.what()));
    } catch (const std::exception& e) { // e.g. bad_alloc on a hostile length
        *why = QStringLiteral("could not read the index: %1").arg(QString::fromUtf8(e.what()));
    }
    return false;
}

} // namespace photosearch
