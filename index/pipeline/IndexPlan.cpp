#include "IndexPlan.h"

#include "Catalog.h"
#include "RawTwins.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QSet>

#include <algorithm>

namespace photosearch {
namespace {

QString prefixOf(const QString& dir)
{
    return dir.endsWith(QLatin1Char('/')) ? dir : dir + QLatin1Char('/');
}

bool isUnder(const QString& path, const QStringList& prefixes)
{
    return std::any_of(prefixes.begin(), prefixes.end(), [&](const QString& p) { return path.startsWith(p); });
}

// What the RAW+JPEG twins of a scan change in the plan (see RawTwins.h).
struct TwinPlan {
    QSet<QString> leftOut;                 // RAWs not read: their twin is the photo
    QHash<QString, PhotoRecord> rowsGiven; // twin path -> its RAW's row, which it takes over
    QSet<QString> rowsTaken;               // RAWs whose row a twin takes: not missing
};

TwinPlan planTwins(const std::vector<ScannedFile>& files, const QHash<QString, PhotoRecord>& known)
{
    QHash<QString, const ScannedFile*> byPath;
    for (const ScannedFile& f : files)
        if (!byPath.contains(f.path)) // as in planIndex: the first of one path wins
            byPath.insert(f.path, &f);
    TwinPlan twins;
    const QHash<QString, QString> twinned = rawFilesWithTwins(files);
    // In scan order, so that of two RAWs with rows the same one hands its row over on every run.
    for (const ScannedFile& f : files) {
        const auto twin = twinned.constFind(f.path);
        if (twin == twinned.cend())
            continue;
        // A twin that cannot be used leaves the RAW the only picture of the
        // shot: it is indexed on its own. A broken twin is known only once
        // read, so on the run that first meets it the RAW is left out, and
        // it comes in on the next run. A twin changed since it failed (a copy
        // that was still being written) is read again before a RAW without
        // a row comes in; a RAW with one keeps it meanwhile.
        const ScannedFile& developed = *byPath.value(*twin);
        const auto twinRow = known.constFind(*twin);
        const auto rawRow = known.constFind(f.path);
        const bool twinFailed =
            twinRow != known.cend() && twinRow->status == PhotoStatus::Failed
            && (rawRow != known.cend() || (twinRow->size == developed.size && twinRow->mtimeMs == developed.mtimeMs));
        if (!developed.problem.isEmpty() || twinFailed)
            continue;
        twins.leftOut.insert(f.path);
        // A RAW indexed alone before its twin appeared: the twin takes its
        // row (as a file replaced at a new path), so that albums and tag
        // corrections stay with the photo.
        if (rawRow != known.cend() && twinRow == known.cend() && !twins.rowsGiven.contains(*twin)) {
            twins.rowsGiven.insert(*twin, *rawRow);
            twins.rowsTaken.insert(f.path);
        }
    }
    return twins;
}

} // namespace

QStringList canonicalRoots(const QStringList& roots)
{
    QStringList out;
    for (const QString& root : roots) {
        const QString canonical = QFileInfo(root).canonicalFilePath();
        out << (canonical.isEmpty() ? QDir::cleanPath(QDir(root).absolutePath()) : canonical);
    }
    out.removeDuplicates();
    return out;
}

IndexPlan planIndex(const ScanResult& scan, const QStringList& roots, const Catalog& catalog,
                    const QString& modelId)
{
    IndexPlan plan;
    QHash<QString, PhotoRecord> known;
    for (PhotoRecord& r : catalog.photos())
        known.insert(r.path, std::move(r));
    QSet<qint64> lacking;
    for (qint64 id : catalog.photosWithoutEmbedding(modelId))
        lacking.insert(id);

    plan.missingRoots = scan.missingRoots;
    plan.unreadableFolders = scan.unreadableFolders;
    QStringList removablePrefixes;
    for (const QString& root : roots) {
        if (scan.missingRoots.contains(root))
            continue;
        const QString prefix = prefixOf(root);
        const bool foundAny = std::any_of(scan.files.begin(), scan.files.end(),
                                          [&](const ScannedFile& f) { return f.path.startsWith(prefix); });
        const bool knewAny =
            std::any_of(known.cbegin(), known.cend(), [&](const PhotoRecord& r) { return r.path.startsWith(prefix); });
        if (!foundAny && knewAny)
            plan.missingRoots << root;
        else
            removablePrefixes << prefix;
    }
    QStringList unreadablePrefixes;
    for (const QString& dir : scan.unreadableFolders)
        unreadablePrefixes << prefixOf(dir);

    // A RAW with a JPEG/HEIF twin is that photo's second file, not a photo
    // of its own: left unseen.
    const TwinPlan twins = planTwins(scan.files, known);
    QSet<QString> seen;
    for (const ScannedFile& f : scan.files) {
        // Two names that are not UTF-8 can map to one path: the first wins.
        if (seen.contains(f.path) || twins.leftOut.contains(f.path))
            continue;
        seen.insert(f.path);
        const auto it = known.constFind(f.path);
        const bool same = it != known.cend() && it->size == f.size && it->mtimeMs == f.mtimeMs;
        if (!f.problem.isEmpty()) {
            if (same && it->status == PhotoStatus::Failed && it->error == f.problem) {
                ++plan.unchanged;
                continue;
            }
            PhotoRecord r;
            r.id = it != known.cend() ? it->id : 0;
            r.path = f.path;
            r.size = f.size;
            r.mtimeMs = f.mtimeMs;
            r.status = PhotoStatus::Failed;
            r.error = f.problem;
            plan.problems.push_back(std::move(r));
            continue;
        }
        // Failed rows are retried when the file changes; Unreadable ones on
        // every run (permissions, I/O and memory come and go).
        const bool done = same && (it->status == PhotoStatus::Failed ||
                                   (it->status == PhotoStatus::Ok && !lacking.contains(it->id)));
        if (done) {
            ++plan.unchanged;
            if (it->status == PhotoStatus::Ok && !it->contentHash.isEmpty())
                plan.matcher->addEmbedded(*it);
            continue;
        }
        IndexJob job;
        job.file = f;
        if (it != known.cend()) {
            job.existing = *it;
            job.existingEmbedded =
                it->status == PhotoStatus::Ok && !it->contentHash.isEmpty() && !lacking.contains(it->id);
        } else if (const auto raw = twins.rowsGiven.constFind(f.path); raw != twins.rowsGiven.cend()) {
            job.existing = *raw; // other bytes than the RAW's: read and encoded afresh
        }
        plan.jobs.push_back(std::move(job));
    }
    if (!scan.cancelled) {
        for (const PhotoRecord& r : std::as_const(known)) {
            if (isUnder(r.path, removablePrefixes) && !isUnder(r.path, unreadablePrefixes) && !seen.contains(r.path)
                && !twins.rowsTaken.contains(r.path)) {
                plan.missing.push_back(r.id);
                if (r.status == PhotoStatus::Ok && !r.contentHash.isEmpty())
                    plan.matcher->addMissing(r, !lacking.contains(r.id));
            }
        }
    }
    return plan;
}

} // namespace photosearch
