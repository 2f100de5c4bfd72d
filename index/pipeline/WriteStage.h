#pragma once
// The catalog writer, on the run's own thread (SQLite and the progress
// callback stay on the caller's thread): drains the writer's queue into
// batches of whatever has arrived, writes each through the CatalogWriter,
// saves the FAISS cache when due, and reports progress a few times a second.

#include <torch/types.h> // before Qt: PhotoOutcome carries a tensor

#include "IndexTypes.h"
#include "PhotoOutcome.h"
#include "StageTimes.h"

#include <QElapsedTimer>
#include <QString>

#include <functional>
#include <vector>

namespace photosearch {

template <typename T>
class BoundedQueue;
class CatalogWriter;
class VectorCacheSaver;

class WriteStage {
public:
    using Report = std::function<void(const IndexProgress&)>;

    // `total`: the photos this run writes, for progress.
    WriteStage(CatalogWriter& writer, VectorCacheSaver& saver, qint64 total, const Report& report);

    // The failures the plan found without reading (written first), then
    // everything the other stages send, until the queue is closed.
    void run(std::vector<PhotoRecord> knownFailures, BoundedQueue<PhotoOutcome>& input);

    qint64 done() const { return done_; }
    // Busy writing (transactions, FAISS adds, saves, progress); waiting for
    // results, which means the encoder or the decoders are behind.
    StageTimes times() const { return times_; }

private:
    void write(std::vector<PhotoOutcome>& batch);
    void reportIfDue(qint64 nowMs, const QString& lastPath);

    CatalogWriter& writer_;
    VectorCacheSaver& saver_;
    const qint64 total_;
    const Report& report_;
    QElapsedTimer clock_;
    qint64 done_ = 0;
    qint64 lastReportMs_ = -1000; // so that the first batch is reported
    StageTimes times_;
};

} // namespace photosearch
