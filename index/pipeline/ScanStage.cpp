#include "ScanStage.h"

#include "StageTimes.h"

namespace photosearch {

ScannedPlan scanAndPlan(const IndexOptions& options, const Catalog& catalog, const QString& modelId,
                        IndexControl& control, const std::function<void(const IndexProgress&)>& report)
{
    const Stopwatch clock;
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

    ScannedPlan result;
    result.plan = planIndex(scan, roots, catalog, modelId);
    result.scanned = qint64(scan.files.size());
    result.cancelled = scan.cancelled;
    result.seconds = clock.seconds();
    return result;
}

} // namespace photosearch
