#include "ScanStage.h"

#include "PhaseTimings.h"
#include "StageTimes.h"

namespace photosearch {

ScannedPlan scanAndPlan(const IndexOptions& options, const Catalog& catalog, const QString& modelId,
                        IndexControl& control, const std::function<void(const IndexProgress&)>& report)
{
    const Stopwatch clock;
    PhaseClock phases;
    logPhase("indexer: lock, catalog, vectors opened", 0); // its "at" shows when
    ScanOptions scanOptions;
    scanOptions.includeHidden = options.includeHidden;
    scanOptions.cancel = &control.cancelFlag();
    scanOptions.progress = [&](qint64 found) {
        IndexProgress p;
        p.phase = IndexProgress::Phase::Scanning;
        p.done = found;
        report(p);
    };
    const QStringList roots = canonicalRoots(options.roots);
    const ScanResult scan = scanFolders(roots, scanOptions);
    phases.mark("scan: folders walked");

    ScannedPlan result;
    result.plan = planIndex(scan, roots, catalog, modelId);
    phases.mark("scan: planned against the catalog");
    result.scanned = qint64(scan.files.size());
    result.cancelled = scan.cancelled;
    result.seconds = clock.seconds();
    return result;
}

} // namespace photosearch
