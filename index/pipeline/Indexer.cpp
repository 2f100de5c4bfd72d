// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include <torch/types.h>

#include "Indexer.h"

#include "BoundedQueue.h"
#include "Catalog.h"
#include "CatalogWriter.h"
#include "DecodeStage.h"
#include "EncodeStage.h"
#include "JobProcessor.h"
#include "LibraryModel.h"
#include "PipelineLinks.h"
#include "PipelineSizing.h"
#include "ScanStage.h"
#include "StageTimes.h"
#include "TowerEngine.h"
#include "VectorCache.h"
#include "VectorCacheSaver.h"
#include "WriteStage.h"

#include <QDir>
#include <QLockFile>

#include <memory>
#include <utility>

namespace photosearch {
namespace {

// Decode workers, encoder and writer, together until every planned file is
// written or the run is stopped. On every way out (the writer throwing
// included) the stages' threads are released and joined before the queues
// go away: see StageThreads.
void runStages(const clip::TowerEngine& model, const ImagePreprocessor& preprocessor, const IndexOptions& options,
               IndexPlan& plan, WriteStage& write, IndexControl& control, IndexSummary& summary)
{
    const PipelineSizing sizing = choosePipelineSizing(options, model.compute(), plan.jobs.size());
    const JobProcessor processor(*plan.matcher, preprocessor, options.reducedDecode);
    PipelineLinks links(sizing.batchSize * 3, control);
    DecodeStage decode(plan.jobs, processor, links, sizing.workers);
    EncodeStage encode(model, sizing.batchSize, links);

    const Stopwatch clock;
    decode.start();
    encode.start();
    write.run(std::move(plan.problems), links.toWriter);
    decode.join();
    encode.join(); // rethrows an unexpected encoder failure

    summary.pipelineSeconds = clock.seconds();
    summary.decodeWorkers = sizing.workers;
    summary.decodeSeconds = decode.times().busy;
    summary.decodeBlockedSeconds = decode.times().waiting;
    summary.encoderSeconds = encode.times().busy;
    summary.encoderStarvedSeconds = encode.times().waiting;
    summary.writerSeconds = write.times().busy;
    summary.writerWaitSeconds = write.times().waiting;
}

// The weights, for a run with files to read. Loaded here, on the run's
// thread, rather than by the encoder thread when its first batch comes
// (which would overlap the load with decoding): with libgomp a process whose
// only OpenMP team is the encoder's spins at every barrier instead of
// yielding to the decode workers. Measured on the 2-core VM under load:
// 9.5 s of encoder time for 40 ViT-B/32 photos against 3.1 s (the same with
// GOMP_SPINCOUNT=1000); loading here gives this thread a team, as loading
// before the scan always did.
const clip::TowerEngine& loadTowers(IndexModel& model, IndexSummary& summary)
{
    const Stopwatch loading;
    const clip::TowerEngine& towers = model.towers();
    summary.modelLoadSeconds = loading.seconds();
    return towers;
}

// Only once every new file was hashed can a missing photo be taken as
// deleted: until then it may turn out to have moved.
std::vector<qint64> goneForGood(const IndexPlan& plan)
{
    std::vector<qint64> gone;
    for (qint64 id : plan.missing)
        if (!plan.matcher->wasClaimed(id))
            gone.push_back(id);
    return gone;
}

} // namespace

Indexer::Indexer(const QString& libraryDir, IndexModel model, const QString& modelId)
    : libraryDir_(libraryDir)
    , model_(std::move(model))
    , modelId_(modelId)
{
}

Indexer::Indexer(const QString& libraryDir, const clip::TowerEngine& model, const ImagePreprocessor& preprocessor,
                 const QString& modelId)
    : Indexer(libraryDir, IndexModel(model, preprocessor), modelId)
{
}

IndexSummary Indexer::run(const IndexOptions& options, IndexControl* control,
                          const std::function<void(const IndexProgress&)>& progress)
{
    const Stopwatch clock;
    IndexControl ownControl;
    IndexControl& ctl = control ? *control : ownControl;
    const WriteStage::Report report = [&](const IndexProgress& p) {
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
    std::unique_ptr<VectorStore> store = openVectorStore(catalog, libraryDir_, modelId_, model_.dimension());

    IndexSummary summary;
    ScannedPlan scanned = scanAndPlan(options, catalog, modelId_, ctl, report);
    IndexPlan& plan = scanned.plan;
    summary.scanned = scanned.scanned;
    summary.scanSeconds = scanned.seconds;
    summary.unchanged = plan.unchanged;
    summary.missingRoots = plan.missingRoots;
    summary.unreadableFolders = plan.unreadableFolders;

    CatalogWriter writer(catalog, *store, modelId_, summary);
    VectorCacheSaver saver(catalog, *store, modelId_, options.saveIntervalMs);
    const qint64 total = qint64(plan.jobs.size() + plan.problems.size());
    WriteStage write(writer, saver, total, report);
    if (plan.jobs.empty()) {
        // Nothing to read, so nothing to encode and no model to load: only
        // the scanner's failures are written.
        BoundedQueue<PhotoOutcome> none(1);
        none.close();
        write.run(std::move(plan.problems), none);
    } else {
        runStages(loadTowers(model_, summary), model_.preprocessor(), options, plan, write, ctl, summary);
    }

    summary.cancelled = ctl.isCancelled() || scanned.cancelled;
    IndexProgress finishing;
    finishing.phase = IndexProgress::Phase::Finishing;
    finishing.done = write.done();
    finishing.total = total;
    report(finishing);
    if (!summary.cancelled) // a cancelled run has not seen every file: nothing is taken as deleted
        writer.remove(goneForGood(plan));
    saver.save();
    if (!options.modelDir.isEmpty())
        recordIndexedModel(catalog, options.modelDir, modelId_, summary.cancelled);
    summary.seconds = clock.seconds();
    return summary;
}

} // namespace photosearch
