// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include <torch/torch.h>

#include "Indexer.h"

#include "BoundedQueue.h"
#include "Catalog.h"
#include "ClipEncoder.h"
#include "ClipModel.h"
#include "IndexPlan.h"
#include "LibraryModel.h"
#include "ImagePreprocessor.h"
#include "PhotoReader.h"
#include "VectorCache.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLockFile>
#include <QThread>

#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <exception>
#include <optional>
#include <thread>

namespace photosearch {
namespace {

struct Result {
    enum class Kind { Encode, Moved, Copied, Touched, Failed, Vanished };
    Kind kind = Kind::Failed;
    PhotoRecord record;          // the row to write (id 0 = new)
    qint64 sourceId = 0;         // Copied: whose embedding to reuse
    bool moved = false;          // the row of a photo missing from its old path
    torch::Tensor pixels;        // Encode: until encoded
    std::vector<float> embedding;
};

int defaultWorkers(bool cuda)
{
    const int cores = std::max(1, QThread::idealThreadCount());
    // On the CPU the encoder itself uses every core; two decoders keep it fed
    // without taking much from it (see bench_index in docs/BENCHMARKS.md).
    // Each worker may hold a whole file and a decoded image: capped at 8.
    return std::min(8, cuda ? std::max(2, cores - 1) : std::max(2, cores / 2));
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
    to.phash = from.phash; // same bytes, same picture
    to.status = PhotoStatus::Ok;
    to.error.clear();
}

} // namespace

IndexBusyError indexBusyError(const QString& libraryDir, qint64 pid)
{
    if (pid > 0)
        return IndexBusyError(QStringLiteral("Another PhotoSearch process (pid %1) is indexing %2; wait for it to "
                                             "finish or stop it, then run again.")
                                  .arg(pid)
                                  .arg(libraryDir)
                                  .toStdString());
    // Being written this instant, or left damaged: Qt takes a lock it cannot
    // read over once it is 30 s old.
    return IndexBusyError(QStringLiteral("%1 is locked by %2, which names no process; if no other PhotoSearch "
                                         "is indexing this library, run again in a minute.")
                              .arg(libraryDir, indexLockPath(libraryDir))
                              .toStdString());
}

QString lockFileErrorSentence(int errnum, const QString& libraryDir)
{
    const QString dir = QDir::toNativeSeparators(libraryDir);
    switch (errnum) {
    case ENOSPC:
    case EFBIG: // a file-size limit (ulimit -f) reads to the user as a full disk
        return QStringLiteral("The disk holding the library (%1) is full; free some space and run again.").arg(dir);
    case EDQUOT:
        return QStringLiteral("The library (%1) is over its disk quota; free some space or raise the quota, and "
                              "run again.").arg(dir);
    case EROFS:
        return QStringLiteral("The library (%1) is on a read-only disk; index into a library on a writable disk "
                              "(--library DIR).").arg(dir);
    case EACCES:
    case EPERM:
        return QStringLiteral("The library folder %1 is not writable; check its permissions or choose another with "
                              "--library.").arg(dir);
    default:
        return {};
    }
}

namespace {

// Why nothing can be written into `dir` now: the errno of creating and
// writing a small probe file, else ENOSPC when no block is left for users
// (root may still write into the reserved ones), else 0.
int libraryWriteErrno(const QString& dir)
{
    QByteArray name = QFile::encodeName(dir) + "/.write-probe-XXXXXX";
    const int fd = ::mkstemp(name.data());
    if (fd < 0)
        return errno;
    const QByteArray block(4096, '\0');
    int result = 0;
    // A short write sets no errno: the write after it says why (EFBIG at a
    // file-size limit, ENOSPC).
    for (qsizetype done = 0; done < block.size() && result == 0;) {
        const ssize_t n = ::write(fd, block.constData() + done, size_t(block.size() - done));
        if (n > 0)
            done += n;
        else if (n == 0 || errno != EINTR)
            result = n == 0 ? ENOSPC : errno;
    }
    if (result == 0 && ::fsync(fd) != 0)
        result = errno;
    ::close(fd);
    ::unlink(name.constData());
    struct statvfs fs {};
    if (result == 0 && ::statvfs(QFile::encodeName(dir).constData(), &fs) == 0 && fs.f_bavail == 0)
        result = ENOSPC;
    return result;
}

} // namespace

void takeIndexLock(QLockFile& lock, const QString& libraryDir)
{
    if (lock.tryLock(0))
        return;
    qint64 pid = 0;
    QString host, app;
    if (!lock.getLockInfo(&pid, &host, &app))
        pid = 0;
    // Not created or written (Qt: PermissionError, UnknownError for a full
    // disk), or a lock naming no process (what a disk-full stop leaves).
    if (lock.error() != QLockFile::LockFailedError || pid <= 0) {
        const QString sentence = lockFileErrorSentence(libraryWriteErrno(libraryDir), libraryDir);
        if (!sentence.isEmpty()) {
            qWarning("index.lock in %s: QLockFile error %d", qPrintable(libraryDir), int(lock.error()));
            throw CatalogError(sentence.toStdString());
        }
    }
    throw indexBusyError(libraryDir, pid);
}

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

    // One writer per library: two runs would each save a FAISS file that
    // claims the other's commits. A lock left by a dead process is taken over.
    QDir().mkpath(libraryDir_);
    QLockFile lock(indexLockPath(libraryDir_));
    takeIndexLock(lock, libraryDir_);

    Catalog catalog(libraryDir_);
    if (!options.modelDir.isEmpty() && libraryModelId(catalog).isEmpty())
        setLibraryModel(catalog, options.modelDir, modelId_);
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
    const QStringList roots = canonicalRoots(options.roots);
    ScanResult scan = scanFolders(roots, scanOptions);
    summary.scanned = qint64(scan.files.size());

    // --- diff against the catalog ---
    IndexPlan plan = planIndex(scan, roots, catalog, modelId_);
    const bool scanCancelled = scan.cancelled;
    scan = ScanResult{}; // the plan holds what is still needed
    summary.unchanged = plan.unchanged;
    summary.missingRoots = plan.missingRoots;
    summary.unreadableFolders = plan.unreadableFolders;
    const std::vector<IndexJob>& jobs = plan.jobs;
    ContentMatcher& matcher = *plan.matcher;
    std::vector<Result> problems;
    for (PhotoRecord& r : plan.problems) {
        Result failure;
        failure.kind = Result::Kind::Failed;
        failure.record = std::move(r);
        problems.push_back(std::move(failure));
    }

    // --- pipeline ---
    const bool cuda = model_.compute().device.is_cuda();
    // Capped: the encoder queue holds three batches of pixels.
    const size_t batchSize = size_t(std::min(options.batchSize > 0 ? options.batchSize : cuda ? 64 : 8, 512));
    const int workerCount =
        std::max(1, std::min(options.workers > 0 ? options.workers : defaultWorkers(cuda), int(jobs.size())));
    BoundedQueue<Result> toEncoder(batchSize * 3);
    BoundedQueue<Result> toWriter(4096);
    std::atomic<size_t> nextJob{0};
    std::atomic<int> workersLeft{workerCount};
    std::exception_ptr encoderError;
    double encoderSeconds = 0;

    const auto process = [&](const IndexJob& job) {
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
            r.record.status = PhotoStatus::Unreadable;
            r.record.error = file.error;
            return r;
        }
        r.record.contentHash = file.contentHash;
        if (job.existingEmbedded && job.existing->contentHash == file.contentHash) {
            // Same bytes: no decoding, but the metadata is read again (cheap),
            // so a reader that improved since (HEIC EXIF) fills it in.
            PhotoRecord rec = *job.existing;
            rec.size = r.record.size;
            rec.mtimeMs = r.record.mtimeMs;
            readMetadataInto(file.bytes, rec);
            r.record = std::move(rec);
            r.kind = Result::Kind::Touched;
            return r;
        }
        if (!job.existing) {
            if (std::optional<ContentMatcher::Missing> moved = matcher.claimMissing(file.contentHash)) {
                // The row moves with its tags, albums and other models'
                // vectors; only a missing vector for this model is computed.
                PhotoRecord rec = std::move(moved->record);
                rec.path = r.record.path;
                rec.size = r.record.size;
                rec.mtimeMs = r.record.mtimeMs;
                r.record = std::move(rec);
                r.moved = true;
                if (moved->embedded) {
                    r.kind = Result::Kind::Moved;
                    return r;
                }
                torch::Tensor pixels;
                PhotoRecord decoded = r.record;
                decodePhoto(file.bytes, preprocessor_, options.reducedDecode, decoded, pixels);
                if (decoded.status == PhotoStatus::Ok) {
                    r.record = std::move(decoded);
                    r.pixels = std::move(pixels);
                    r.kind = Result::Kind::Encode;
                } else {
                    r.record = std::move(decoded);
                    r.kind = Result::Kind::Failed;
                }
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
            Result r;
            try {
                r = process(jobs[i]);
            } catch (const std::exception& e) {
                // Bad input is handled in process(); this is a bug or an
                // exhausted resource, still recorded against the file.
                const IndexJob& job = jobs[i];
                r = Result{};
                r.record.id = job.existing ? job.existing->id : 0;
                r.record.path = job.file.path;
                r.record.size = job.file.size;
                r.record.mtimeMs = job.file.mtimeMs;
                r.record.status = PhotoStatus::Unreadable;
                r.record.error = QStringLiteral("Unexpected error: %1").arg(QString::fromUtf8(e.what()).simplified());
            }
            const bool pushed =
                r.kind == Result::Kind::Encode ? toEncoder.push(std::move(r)) : toWriter.push(std::move(r));
            if (!pushed)
                break;
        }
        if (--workersLeft == 0)
            toEncoder.close();
    };

    const auto embed = [&](const std::vector<torch::Tensor>& pixels) {
        QElapsedTimer t;
        t.start();
        torch::Tensor e =
            ClipEncoder::normalized(model_.encodeImages(torch::stack(pixels))).to(torch::kFloat32).contiguous();
        encoderSeconds += double(t.nsecsElapsed()) / 1e9;
        return e;
    };
    const auto deliver = [&](Result& r, const float* row) {
        r.embedding.assign(row, row + dimension);
        toWriter.push(std::move(r));
    };
    const auto encodeBatch = [&](std::vector<Result>& batch) {
        std::vector<torch::Tensor> pixels;
        pixels.reserve(batch.size());
        for (Result& r : batch)
            pixels.push_back(std::move(r.pixels));
        try {
            const torch::Tensor e = embed(pixels);
            for (size_t i = 0; i < batch.size(); ++i)
                deliver(batch[i], e.data_ptr<float>() + i * size_t(dimension));
        } catch (const std::exception&) {
            // One photo at a time: a batch too large for the device, or one
            // input the encoder chokes on, then costs only itself. A photo
            // that still fails is tried again on the next run.
            for (size_t i = 0; i < batch.size(); ++i) {
                try {
                    deliver(batch[i], embed({pixels[i]}).data_ptr<float>());
                } catch (const std::exception& e) {
                    const QString what = QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0);
                    Result& r = batch[i];
                    r.kind = Result::Kind::Failed;
                    r.record.status = PhotoStatus::Unreadable;
                    r.record.error = QStringLiteral("The encoder failed on this photo (%1).").arg(what);
                    toWriter.push(std::move(r));
                }
            }
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
    // Whatever happens below (even a thread that cannot be started), the
    // threads are released and joined.
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
    for (int i = 0; i < workerCount; ++i)
        threads.emplace_back(worker);
    threads.emplace_back(encoder);

    // --- write, on this thread ---
    const qint64 total = qint64(jobs.size() + problems.size());
    qint64 done = 0;
    QElapsedTimer indexingClock;
    indexingClock.start();
    qint64 lastReportMs = -1000;
    qint64 lastSaveMs = 0;
    QString lastPath;

    // The FAISS file is a cache the next search rebuilds from the catalog if
    // it is missing or stale: failing to write it must not stop the run.
    qint64 lastSaveCostMs = 0;
    const auto saveVectors = [&] {
        QElapsedTimer t;
        t.start();
        try {
            store->save(catalog.generation(modelId_));
        } catch (const VectorStoreError& e) {
            qWarning("%s", e.what());
        }
        lastSaveCostMs = t.elapsed();
    };

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
                summary.moved += r.moved ? 1 : 0;
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
            case Result::Kind::Touched:
                catalog.updatePhoto(rec);
                ++summary.unchanged;
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
                ++summary.vanished;
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
        // A large library takes seconds to save, and the pipeline waits
        // meanwhile: saves then come at most once per 20 times their cost.
        if (nowMs - lastSaveMs >= std::max(options.saveIntervalMs, 20 * lastSaveCostMs)) {
            saveVectors();
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
    summary.cancelled = ctl.isCancelled() || scanCancelled;
    IndexProgress finishing;
    finishing.phase = IndexProgress::Phase::Finishing;
    finishing.done = done;
    finishing.total = total;
    report(finishing);
    if (!summary.cancelled) {
        // Only after every new file was hashed: until then a missing photo
        // may turn out to have moved.
        std::vector<qint64> gone;
        for (qint64 id : plan.missing)
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
    saveVectors();
    if (!options.modelDir.isEmpty())
        recordIndexedModel(catalog, options.modelDir, modelId_, summary.cancelled);
    summary.encoderSeconds = encoderSeconds;
    summary.seconds = double(clock.nsecsElapsed()) / 1e9;
    return summary;
}

} // namespace photosearch
