// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoder.h"

#include "Catalog.h"
#include "CatalogBackup.h"
#include "Commands.h"
#include "Indexer.h"
#include "ComputeArgs.h"
#include "LibraryArgs.h"
#include "LibraryModel.h"
#include "LibraryRoots.h"
#include "ModelIdentity.h"
#include "PhaseTimings.h"
#include "Tagger.h"
#include "VectorCache.h"
#include "VectorSet.h"
#include "VectorSetDtype.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <thread>

#include <unistd.h>

namespace photosearch::cli {
namespace {

// The model's weights, read when the scan finds files to read or a tag
// label needs its embedding (after the run): a rescan that finds nothing
// new never reads them (ViT-B/32: 605 MB, 0.5-3.5 s here). The model's id
// and config.json are read before the scan.
class LazyEncoder {
public:
    LazyEncoder(const QString& modelDir, const QString& modelId, const clip::ComputeOptions& compute)
        : modelDir_(modelDir)
        , modelId_(modelId)
        , compute_(compute)
    {
    }

    const ClipEncoder& operator()()
    {
        if (!encoder_) {
            QElapsedTimer timer;
            timer.start();
            encoder_ = std::make_unique<const ClipEncoder>(modelDir_, compute_);
            const double seconds = double(timer.nsecsElapsed()) / 1e9;
            // On a terminal the progress line is rewritten in place: this one goes above it.
            std::fprintf(stderr, "%sLoaded %s (%s) on %s in %.2f s\n", ::isatty(STDERR_FILENO) ? "\r\033[K" : "",
                         qPrintable(modelDir_), qPrintable(modelId_), clip::describe(compute_).c_str(), seconds);
            logPhase("cli: model loaded (files to read)", seconds);
        }
        return *encoder_;
    }

private:
    QString modelDir_;
    QString modelId_;
    clip::ComputeOptions compute_;
    std::unique_ptr<const ClipEncoder> encoder_;
};

// New and changed photos get their tags (TagRule.h) from the embeddings just
// stored: one query when nothing is new. A tagging failure is reported and
// leaves the index run's result alone (`tag` runs it again).
void tagNewPhotos(const QString& libraryDir, const QString& modelId, LazyEncoder& encoder)
{
    try {
        const TagRunSummary t =
            tagIndexedPhotos(libraryDir, modelId, [&encoder]() -> const ClipEncoder& { return encoder(); });
        if (t.photos > 0)
            std::fprintf(stderr, "Tagged %lld photos (%lld tags assigned) in %.1f s.\n",
                         static_cast<long long>(t.photos), static_cast<long long>(t.assigned), t.seconds);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "photosearch-cli: the photos were indexed but not tagged (%s); run "
                             "`photosearch-cli tag` to try again.\n", e.what());
    }
}


std::atomic_int interrupted{0}; // the signal that asked to stop, 0 = none

extern "C" void onInterrupt(int signal)
{
    interrupted = signal;
    // A second Ctrl+C ends the process at once: what was committed stays.
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

const char* phaseName(IndexProgress::Phase phase)
{
    switch (phase) {
    case IndexProgress::Phase::Scanning:
        return "scanning";
    case IndexProgress::Phase::Indexing:
        return "indexing";
    case IndexProgress::Phase::Finishing:
        return "finishing";
    }
    return "";
}

// One line per update on a terminal (rewritten in place), a line every few
// seconds otherwise (logs stay readable).
class ProgressPrinter {
public:
    void operator()(const IndexProgress& p)
    {
        const bool tty = ::isatty(STDERR_FILENO);
        if (!tty && p.phase == lastPhase_ && clock_.isValid() && clock_.elapsed() < 5000 && p.done != p.total)
            return;
        clock_.start();
        lastPhase_ = p.phase;
        if (p.phase == IndexProgress::Phase::Finishing) {
            std::fprintf(stderr, "%sfinishing: %lld/%lld photos processed, removing what is gone and saving%s",
                         tty ? "\r" : "", (long long)p.done, (long long)p.total, tty ? "\033[K" : "\n");
        } else if (p.phase == IndexProgress::Phase::Scanning) {
            std::fprintf(stderr, "%sscanning: %lld files found%s", tty ? "\r" : "", (long long)p.done,
                         tty ? "\033[K" : "\n");
        } else {
            const QString eta = p.etaSeconds >= 0 ? QStringLiteral(", ETA %1 s").arg(qRound(p.etaSeconds)) : QString();
            std::fprintf(stderr, "%s%s: %lld/%lld photos, %.1f photos/s%s%s", tty ? "\r" : "", phaseName(p.phase),
                         (long long)p.done, (long long)p.total, p.photosPerSecond, qPrintable(eta),
                         tty ? "\033[K" : "\n");
        }
        std::fflush(stderr);
    }

private:
    QElapsedTimer clock_;
    IndexProgress::Phase lastPhase_ = IndexProgress::Phase::Finishing;
};

// Checked before anything is created or loaded, so a typo costs no model
// load. With other roots usable, a bad one is skipped with a warning (an
// unplugged drive among the roots must not stop the rest); its photos stay
// in the catalog, as it is not scanned. Returns the roots to index.
QStringList usableRoots(const QStringList& roots, QStringList* skipped)
{
    QStringList usable;
    QStringList problems;
    for (const QString& root : roots) {
        // An existing folder that is empty or unreadable still goes to the
        // Indexer, which leaves what is under it alone.
        const QString problem = folderProblem(root);
        if (problem.isEmpty()) {
            usable << root;
            continue;
        }
        const QString path = QDir::cleanPath(QFileInfo(root).absoluteFilePath());
        *skipped << path;
        problems << (QFileInfo::exists(root)
                         ? QStringLiteral("%1 %2; pass the folder that holds it").arg(path, problem)
                         : QStringLiteral("The folder %1 %2; check the path").arg(path, problem));
    }
    if (usable.isEmpty())
        throw std::runtime_error((problems.join(QStringLiteral("; ")) + QStringLiteral(" (nothing was indexed)."))
                                     .toStdString());
    for (const QString& problem : problems)
        std::fprintf(stderr, "photosearch-cli: %s (skipped; nothing under it was changed).\n", qPrintable(problem));
    return usable;
}

// An early answer only, so that a second run does not read the model's files
// just to be turned away: the Indexer's own lock is the guard.
void refuseWhileIndexing(const QString& libraryDir)
{
    qint64 pid = 0;
    if (indexRunInProgress(libraryDir, &pid))
        throw indexBusyError(libraryDir, pid);
}

} // namespace

int indexCommand(const QStringList& args)
{
    QStringList valueOptions = libraryValueOptions();
    valueOptions << QStringLiteral("workers") << QStringLiteral("batch");
    const CliArgs a(args, valueOptions, {QStringLiteral("include-hidden"), QStringLiteral("full-decode")});
    if (a.positionals().isEmpty())
        throw UsageError("index needs at least one folder");
    IndexOptions options;
    options.roots = a.positionals();
    options.includeHidden = a.has(QStringLiteral("include-hidden"));
    options.reducedDecode = !a.has(QStringLiteral("full-decode"));
    options.workers = numberOption(a, QStringLiteral("workers"), 0, 0);
    options.batchSize = numberOption(a, QStringLiteral("batch"), 0, 0);

    PhaseClock phases; // PHOTOSEARCH_TIMINGS=1 (PhaseTimings.h)
    logPhase("cli: started", 0);
    QStringList skippedRoots;
    options.roots = usableRoots(options.roots, &skippedRoots);
    const QString libraryDir = openLibraryDir(a, LibraryUse::Create);
    refuseWhileIndexing(libraryDir);
    QString modelDir;
    QString modelId;
    clip::ComputeOptions compute;
    {
        const Catalog catalog(libraryDir);
        modelDir = resolveModelDir(a, catalog);
        const QString filesId = modelIdForDirectory(modelDir);
        // New photos join the library's vectors in their precision.
        compute = computeFromArgs(a, existingPrecision(catalog, filesId));
        modelId = vectorSetId(filesId, QString::fromStdString(clip::dtypeName(compute.dtype)));
    }
    phases.mark("cli: library opened, model found");
    // config.json and the preprocessing are read now: a broken one fails
    // before the scan. The weights wait until the scan finds files to read.
    LazyEncoder encoder(modelDir, modelId, compute);
    IndexModel model = IndexModel::fromDirectory(
        modelDir, compute, [&encoder]() -> const clip::TowerEngine& { return encoder().model(); });
    phases.mark("cli: model config read");
    IndexControl control;
    interrupted = 0;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    // Signal handlers may only set a flag; this thread turns it into a cancel.
    std::atomic_bool finished{false};
    std::thread watcher([&] {
        while (!finished) {
            if (interrupted != 0) {
                control.cancel();
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });
    struct Stop {
        std::atomic_bool& finished;
        std::thread& watcher;
        ~Stop()
        {
            finished = true;
            watcher.join();
            std::signal(SIGINT, SIG_DFL);
            std::signal(SIGTERM, SIG_DFL);
        }
    } stop{finished, watcher};

    ProgressPrinter printer;
    Indexer indexer(libraryDir, std::move(model), modelId);
    options.modelDir = modelDir;
    const IndexSummary s = indexer.run(options, &control, std::ref(printer));
    if (::isatty(STDERR_FILENO))
        std::fputc('\n', stderr);
    logPhase("indexer: pipeline (read, encode, write)", s.pipelineSeconds);
    phases.mark("cli: index run");
    if (!s.cancelled)
        tagNewPhotos(libraryDir, modelId, encoder);
    phases.mark("cli: tags brought up to date");
    {
        Catalog catalog(libraryDir);
        // The window watches the library's folders and re-indexes them after a
        // model change: a folder indexed here is one of them.
        for (const QString& root : options.roots)
            if (!s.missingRoots.contains(root))
                addLibraryRoot(catalog, root);
        // A run that ended well is a good moment for the spare copy (CatalogBackup.h).
        if (!s.cancelled)
            refreshLastGoodCopy(catalog.connection(), lastGoodCopyMaxAge(s.changedCatalog()));
        const QString notice = otherModelNotice(catalog, modelId);
        if (!notice.isEmpty())
            std::fprintf(stderr, "photosearch-cli: %s\n", qPrintable(notice));
    }
    phases.mark("cli: roots, last-good copy, notices");
    for (const QString& root : s.missingRoots)
        std::fprintf(stderr, "photosearch-cli: %s cannot be read or is empty; nothing under it was changed.\n",
                     qPrintable(root));
    for (const QString& dir : s.unreadableFolders)
        std::fprintf(stderr, "photosearch-cli: the folder %s cannot be read; nothing under it was changed.\n",
                     qPrintable(dir));

    QJsonArray missing;
    for (const QString& root : skippedRoots + s.missingRoots)
        missing.append(root);
    QJsonArray unreadable;
    for (const QString& dir : s.unreadableFolders)
        unreadable.append(dir);
    printJsonLine(QJsonObject{
        {QStringLiteral("scanned"), s.scanned},
        {QStringLiteral("added"), s.added},
        {QStringLiteral("vanished"), s.vanished},
        {QStringLiteral("updated"), s.updated},
        {QStringLiteral("removed"), s.removed},
        {QStringLiteral("failed"), s.failed},
        {QStringLiteral("seconds"), s.seconds},
        {QStringLiteral("moved"), s.moved},
        {QStringLiteral("unchanged"), s.unchanged},
        {QStringLiteral("cancelled"), s.cancelled},
        {QStringLiteral("encoderSeconds"), s.encoderSeconds},
        {QStringLiteral("missingRoots"), missing},
        {QStringLiteral("unreadableFolders"), unreadable},
    });
    if (s.cancelled) {
        std::fprintf(stderr, "photosearch-cli: indexing was interrupted; run the same command again to finish.\n");
        return 128 + (interrupted != 0 ? interrupted.load() : SIGINT);
    }
    if (s.missingRoots.size() == options.roots.size())
        return 1;
    return 0;
}

} // namespace photosearch::cli
