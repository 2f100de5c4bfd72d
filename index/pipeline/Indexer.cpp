// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include <torch/torch.h>

#include "Indexer.h"

#include "BoundedQueue.h"
#include "Catalog.h"
#include "ClipEncoder.h"
#include "ClipModel.h"
#include "FolderScanner.h"
#include "ImagePreprocessor.h"
#include "PhotoReader.h"
#include "VectorCache.h"

#include <QDir>
#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QThread>

#include <exception>
#include <mutex>
#include <thread>

namespace photosearch {
namespace {

struct Job {
    ScannedFile file;
    std::optional<PhotoRecord> existing; // the catalog row at this path
};

struct Result {
    enum class Kind { Encode, Moved, Copied, Failed, Vanished };
    Kind kind = Kind::Failed;
    PhotoRecord record;          // the row to write (id 0 = new)
    qint64 sourceId = 0;         // Copied: whose embedding to reuse
    torch::Tensor pixels;        // Encode: until encoded
    std::vector<float> embedding;
};

// Content hashes the workers look up: photos missing from the scan (a new
// file with the same content is a move) and unchanged photos that already
// have an embedding (a new file with the same content is a copy).
class ContentMatcher {
public:
    void addMissing(const PhotoRecord& r) { missing_.insert(r.contentHash, r); }
    void addEmbedded(const PhotoRecord& r) { embedded_.insert(r.contentHash, r); }

    std::optional<PhotoRecord> claimMissing(const QString& hash)
    {
        std::lock_guard lock(mutex_);
        const auto it = missing_.find(hash);
        if (it == missing_.end())
            return std::nullopt;
        PhotoRecord r = it.value();
        missing_.erase(it);
        claimed_.insert(r.id);
        return r;
    }

    // Read-only once the workers start, so no lock.
    const PhotoRecord* embeddedSource(const QString& hash) const
    {
        const auto it = embedded_.constFind(hash);
        return it == embedded_.cend() ? nullptr : &it.value();
    }

    bool wasClaimed(qint64 id) const
    {
        std::lock_guard lock(mutex_);
        return claimed_.contains(id);
    }

private:
    mutable std::mutex mutex_;
    QMultiHash<QString, PhotoRecord> missing_;
    QHash<QString, PhotoRecord> embedded_;
    QSet<qint64> claimed_;
};

bool isUnder(const QString& path, const QStringList& rootPrefixes)
{
    for (const QString& prefix : rootPrefixes)
        if (path.startsWith(prefix))
            return true;
    return false;
}

int defaultWorkers(bool cuda)
{
    const int cores = std::max(1, QThread::idealThreadCount());
    // On the CPU the encoder itself uses every core; two decoders keep it fed
    // without taking much from it (see bench_index in docs/BENCHMARKS.md).
    return cuda ? std::max(2, cores - 1) : std::max(2, cores / 2);
}

void copyMetadata(const PhotoRecord& from, PhotoRecord& to)
{
    to.width = from.width;
    to.height = from.height;
    to.format = from.format;
    to.takenAt = from.takenAt;
    to.camera = from.camera;
    to.lens = from.lens;
    to.hasGps = from.hasGps;
    to.latitude = from.latitude;
    to.longitude = from.longitude;
    to.status = PhotoStatus::Ok;
    to.error.clear();
}

} // namespace

Indexer::Indexer(const QString& libraryDir, const clip::ClipModel& model, const ImagePreprocessor& preprocessor,
                 const QString& modelId)
    : libraryDir_(libraryDir)
    , model_(model)
    , preprocessor_(preprocessor)
    , modelId_(modelId)
{
}

IndexSummary Indexer::run(const IndexOptions& options, IndexControl* control,
                          const std::function<void(const IndexProgress&)>& progress)
{
    QElapsedTimer clock;
    clock.start();
    IndexControl ownControl;
    IndexControl& ctl = control ? *control : ownControl;
    IndexSummary summary;
    const auto report = [&](const IndexProgress& p) {
        if (progress)
            progress(p);
    };

    Catalog catalog(libraryDir_);
    const int dimension = int(model_.config().projectionDim);
    std::unique_ptr<VectorStore> store = openVectorStore(catalog, libraryDir_, modelId_, dimension);

    // --- scan ---
    ScanOptions scanOptions;
    scanOptions.includeHidden = options.includeHidden;
    scanOptions.cancel = &ctl.cancelFlag();
    scanOptions.progress = [&](qint64 found) {
        IndexProgress p;
        p.phase = IndexProgress::Phase::Scanning;
        p.done = found;
        report(p);
    };
    ScanResult scan = scanFolders(options.roots, scanOptions);
    summary.scanned = qint64(scan.files.size());
    summary.missingRoots = scan.missingRoots;
    QStringList rootPrefixes;
    for (const QString& root : options.roots) {
        const QString clean = QDir::cleanPath(QDir(root).absolutePath());
        if (!scan.missingRoots.contains(clean))
            rootPrefixes << (clean.endsWith(QLatin1Char('/')) ? clean : clean + QLatin1Char('/'));
    }

    // --- diff against the catalog ---
    QHash<QString, PhotoRecord> known;
    for (PhotoRecord& r : catalog.photos())
        known.insert(r.path, std::move(r));
    QSet<qint64> lacking;
    for (qint64 id : catalog.photosWithoutEmbedding(modelId_))
        lacking.insert(id);

    std::vector<Job> jobs;
    std::vector<Result> problems; // files the scanner already refused
    ContentMatcher matcher;
    QSet<QString> seen;
    for (ScannedFile& f : scan.files) {
        seen.insert(f.path);
        const auto it = known.constFind(f.path);
        const bool same = it != known.cend() && it->size == f.size && it->mtimeMs == f.mtimeMs;
        if (!f.problem.isEmpty()) {
            if (same && it->status == PhotoStatus::Failed && it->error == f.problem) {
                ++summary.unchanged;
                continue;
            }
            Result r;
            r.record.id = it != known.cend() ? it->id : 0;
            r.record.path = f.path;
            r.record.size = f.size;
            r.record.mtimeMs = f.mtimeMs;
            r.record.status = PhotoStatus::Failed;
            r.record.error = f.problem;
            problems.push_back(std::move(r));
            continue;
        }
        if (same && (it->status == PhotoStatus::Failed || !lacking.contains(it->id))) {
            ++summary.unchanged;
            if (it->status == PhotoStatus::Ok && !it->contentHash.isEmpty())
                matcher.addEmbedded(*it);
            continue;
        }
        Job job;
        job.file = std::move(f);
        if (it != known.cend())
            job.existing = *it;
        jobs.push_back(std::move(job));
    }
    std::vector<qint64> missing;
    if (!scan.cancelled) {
        for (const PhotoRecord& r : std::as_const(known)) {
            if (isUnder(r.path, rootPrefixes) && !seen.contains(r.path)) {
                missing.push_back(r.id);
                if (r.status == PhotoStatus::Ok && !r.contentHash.isEmpty())
                    matcher.addMissing(r);
            }
        }
    }
    known.clear();
    scan.files.clear();

    // --- pipeline ---
    const bool cuda = model_.compute().device.is_cuda();
    const size_t batchSize = size_t(options.batchSize > 0 ? options.batchSize : cuda ? 64 : 8);
    const int workerCount =
        std::max(1, std::min(options.workers > 0 ? options.workers : defaultWorkers(cuda), int(jobs.size())));
    BoundedQueue<Result> toEncoder(batchSize * 3);
    BoundedQueue<Result> toWriter(4096);
    std::atomic<size_t> nextJob{0};
    std::atomic<int> workersLeft{workerCount};
    std::exception_ptr encoderError;
    double encoderSeconds = 0;

    const auto process = [&](const Job& job) {
        Result r;
        r.record.id = job.existing ? job.existing->id : 0;
        r.record.path = job.file.path;
        r.record.size = job.file.size;
        r.record.mtimeMs = job.file.mtimeMs;
        PhotoFile file = readPhotoFile(job.file.path);
        if (file.vanished) {
            r.kind = Result::Kind::Vanished;
            return r;
        }
        if (!file.error.isEmpty()) {
            r.kind = Result::Kind::Failed;
            r.record.status = PhotoStatus::Failed;
            r.record.error = file.error;
            return r;
        }
        r.record.contentHash = file.contentHash;
        if (!job.existing) {
            if (std::optional<PhotoRecord> moved = matcher.claimMissing(file.contentHash)) {
                r.kind = Result::Kind::Moved;
                PhotoRecord rec = std::move(*moved);
                rec.path = r.record.path;
                rec.size = r.record.size;
                rec.mtimeMs = r.record.mtimeMs;
                r.record = std::move(rec);
                return r;
            }
        }
        if (const PhotoRecord* source = matcher.embeddedSource(file.contentHash)) {
            r.kind = Result::Kind::Copied;
            r.sourceId = source->id;
            copyMetadata(*source, r.record);
            return r;
        }
        decodePhoto(file.bytes, preprocessor_, options.reducedDecode, r.record, r.pixels);
        r.kind = r.record.status == PhotoStatus::Ok ? Result::Kind::Encode : Result::Kind::Failed;
        return r;
    };

    const auto worker = [&] {
        while (ctl.waitWhilePaused()) {
            const size_t i = nextJob++;
            if (i >= jobs.size())
                break;
            Result r = process(jobs[i]);
            const bool pushed =
                r.kind == Result::Kind::Encode ? toEncoder.push(std::move(r)) : toWriter.push(std::move(r));
            if (!pushed)
                break;
        }
        if (--workersLeft == 0)
            toEncoder.close();
    };

    const auto encodeBatch = [&](std::vector<Result>& batch) {
        std::vector<torch::Tensor> pixels;
        pixels.reserve(batch.size());
        for (Result& r : batch)
            pixels.push_back(std::move(r.pixels));
        QElapsedTimer t;
        t.start();
        const torch::Tensor embeddings =
            ClipEncoder::normalized(model_.encodeImages(torch::stack(pixels))).to(torch::kFloat32).contiguous();
        encoderSeconds += double(t.nsecsElapsed()) / 1e9;
        const float* data = embeddings.data_ptr<float>();
        for (size_t i = 0; i < batch.size(); ++i) {
            batch[i].embedding.assign(data + i * size_t(dimension), data + (i + 1) * size_t(dimension));
            toWriter.push(std::move(batch[i]));
        }
        batch.clear();
    };

    const auto encoder = [&] {
        try {
            torch::NoGradGuard noGrad;
            std::vector<Result> batch;
            while (std::optional<Result> r = toEncoder.pop()) {
                batch.push_back(std::move(*r));
                if (batch.size() >= batchSize)
                    encodeBatch(batch);
            }
            // Closed: the workers are done (or cancelled); encode what they left.
            if (!batch.empty())
                encodeBatch(batch);
        } catch (...) {
            encoderError = std::current_exception();
            ctl.cancel();
            toEncoder.close();
        }
        toWriter.close();
    };

    std::vector<std::thread> threads;
    for (int i = 0; i < workerCount; ++i)
        threads.emplace_back(worker);
    threads.emplace_back(encoder);
    // Whatever happens below, the threads are released and joined.
    struct Joiner {
        std::vector<std::thread>& threads;
        BoundedQueue<Result>& a;
        BoundedQueue<Result>& b;
        IndexControl& ctl;
        ~Joiner()
        {
            if (std::any_of(threads.begin(), threads.end(), [](const std::thread& t) { return t.joinable(); })) {
                ctl.cancel();
                a.close();
                b.close();
                for (std::thread& t : threads)
                    if (t.joinable())
                        t.join();
            }
        }
    } joiner{threads, toEncoder, toWriter, ctl};

    // --- write, on this thread ---
    const qint64 total = qint64(jobs.size() + problems.size());
    qint64 done = 0;
    QElapsedTimer indexingClock;
    indexingClock.start();
    qint64 lastReportMs = -1000;
    qint64 lastSaveMs = 0;
    QString lastPath;

    const auto writeBatch = [&](std::vector<Result>& batch) {
        std::vector<qint64> addIds;
        std::vector<float> addVectors;
        std::vector<qint64> removeIds;
        Catalog::Transaction transaction(catalog);
        for (Result& r : batch) {
            PhotoRecord& rec = r.record;
            const bool isNew = rec.id == 0;
            switch (r.kind) {
            case Result::Kind::Encode:
            case Result::Kind::Copied: {
                if (r.kind == Result::Kind::Copied)
                    r.embedding = catalog.embedding(r.sourceId, modelId_);
                if (isNew)
                    catalog.insertPhoto(rec);
                else
                    catalog.updatePhoto(rec);
                ++(isNew ? summary.added : summary.updated);
                // A copy whose source vanished meanwhile is left without an
                // embedding: the next run encodes it.
                if (!r.embedding.empty()) {
                    catalog.putEmbedding(rec.id, modelId_, r.embedding, rec.contentHash);
                    addIds.push_back(rec.id);
                    addVectors.insert(addVectors.end(), r.embedding.begin(), r.embedding.end());
                }
                break;
            }
            case Result::Kind::Moved:
                catalog.updatePhoto(rec);
                ++summary.updated;
                ++summary.moved;
                break;
            case Result::Kind::Failed:
                if (isNew)
                    catalog.insertPhoto(rec);
                else
                    catalog.updatePhoto(rec);
                ++summary.failed;
                if (!isNew)
                    removeIds.push_back(rec.id);
                break;
            case Result::Kind::Vanished:
                if (!isNew) {
                    catalog.removePhoto(rec.id);
                    removeIds.push_back(rec.id);
                    ++summary.removed;
                }
                break;
            }
            lastPath = rec.path;
        }
        transaction.commit();
        if (!removeIds.empty())
            store->remove(removeIds);
        if (!addIds.empty())
            store->add(addIds, addVectors);
        done += qint64(batch.size());
        batch.clear();

        const qint64 nowMs = indexingClock.elapsed();
        if (nowMs - lastSaveMs >= options.saveIntervalMs) {
            store->save(catalog.generation(modelId_));
            lastSaveMs = nowMs;
        }
        if (nowMs - lastReportMs >= 200 || done == total) {
            IndexProgress p;
            p.phase = IndexProgress::Phase::Indexing;
            p.done = done;
            p.total = total;
            p.photosPerSecond = nowMs > 0 ? double(done) * 1000.0 / double(nowMs) : 0;
            p.etaSeconds = p.photosPerSecond > 0 ? double(total - done) / p.photosPerSecond : -1;
            p.currentPath = lastPath;
            report(p);
            lastReportMs = nowMs;
        }
    };

    if (!problems.empty())
        writeBatch(problems);
    constexpr size_t kMaxWriteBatch = 256;
    std::vector<Result> batch;
    while (std::optional<Result> first = toWriter.pop()) {
        batch.push_back(std::move(*first));
        while (batch.size() < kMaxWriteBatch) {
            std::optional<Result> more = toWriter.tryPop();
            if (!more)
                break;
            batch.push_back(std::move(*more));
        }
        writeBatch(batch);
    }
    for (std::thread& t : threads)
        t.join();
    if (encoderError)
        std::rethrow_exception(encoderError);

    // --- finish ---
    summary.cancelled = ctl.isCancelled() || scan.cancelled;
    IndexProgress finishing;
    finishing.phase = IndexProgress::Phase::Finishing;
    finishing.done = done;
    finishing.total = total;
    report(finishing);
    if (!summary.cancelled) {
        // Only after every new file was hashed: until then a missing photo
        // may turn out to have moved.
        std::vector<qint64> gone;
        for (qint64 id : missing)
            if (!matcher.wasClaimed(id))
                gone.push_back(id);
        if (!gone.empty()) {
            Catalog::Transaction transaction(catalog);
            for (qint64 id : gone)
                catalog.removePhoto(id);
            transaction.commit();
            store->remove(gone);
            summary.removed += qint64(gone.size());
        }
    }
    store->save(catalog.generation(modelId_));
    summary.encoderSeconds = encoderSeconds;
    summary.seconds = double(clock.nsecsElapsed()) / 1e9;
    return summary;
}

} // namespace photosearch
