// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include <torch/types.h>

#include "WriteStage.h"

#include "BoundedQueue.h"
#include "CatalogWriter.h"
#include "VectorCacheSaver.h"

#include <optional>

namespace photosearch {
namespace {

// Large enough that a transaction's cost is spread over many photos, small
// enough that progress and mid-run saves keep coming.
constexpr size_t kMaxWriteBatch = 256;

} // namespace

WriteStage::WriteStage(CatalogWriter& writer, VectorCacheSaver& saver, qint64 total, const Report& report)
    : writer_(writer)
    , saver_(saver)
    , total_(total)
    , report_(report)
{
}

void WriteStage::run(std::vector<PhotoRecord> knownFailures, BoundedQueue<PhotoOutcome>& input)
{
    clock_.start();
    if (!knownFailures.empty()) {
        std::vector<PhotoOutcome> batch;
        for (PhotoRecord& r : knownFailures) {
            PhotoOutcome failure;
            failure.kind = PhotoOutcome::Kind::Failed;
            failure.record = std::move(r);
            batch.push_back(std::move(failure));
        }
        write(batch);
    }
    std::vector<PhotoOutcome> batch;
    for (;;) {
        const Stopwatch waiting;
        std::optional<PhotoOutcome> first = input.pop();
        times_.waiting += waiting.seconds();
        if (!first)
            break;
        // Whatever else has arrived joins the same transaction, without
        // waiting for more.
        batch.push_back(std::move(*first));
        while (batch.size() < kMaxWriteBatch) {
            std::optional<PhotoOutcome> more = input.tryPop();
            if (!more)
                break;
            batch.push_back(std::move(*more));
        }
        write(batch);
    }
}

void WriteStage::write(std::vector<PhotoOutcome>& batch)
{
    const Stopwatch busy;
    writer_.write(batch);
    done_ += qint64(batch.size());
    const QString lastPath = batch.back().record.path;
    batch.clear();
    const qint64 nowMs = clock_.elapsed();
    saver_.saveIfDue(nowMs);
    reportIfDue(nowMs, lastPath);
    times_.busy += busy.seconds();
}

void WriteStage::reportIfDue(qint64 nowMs, const QString& lastPath)
{
    if (nowMs - lastReportMs_ < 200 && done_ != total_)
        return;
    IndexProgress p;
    p.phase = IndexProgress::Phase::Indexing;
    p.done = done_;
    p.total = total_;
    p.photosPerSecond = nowMs > 0 ? double(done_) * 1000.0 / double(nowMs) : 0;
    p.etaSeconds = p.photosPerSecond > 0 ? double(total_ - done_) / p.photosPerSecond : -1;
    p.currentPath = lastPath;
    if (report_)
        report_(p);
    lastReportMs_ = nowMs;
}

} // namespace photosearch
