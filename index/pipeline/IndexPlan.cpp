#include "IndexPlan.h"

#include "Catalog.h"
#include "PhaseTimings.h"
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

using PhotoState = Catalog::PhotoState;

// A catalog row by path, and whether the scan found its file.
struct KnownPhoto {
    PhotoState state;
    bool seen = false;
};
using KnownPhotos = QHash<QString, KnownPhoto>;

// What the RAW+JPEG twins of a scan change in the plan (see RawTwins.h).
struct TwinPlan {
    QSet<QString> leftOut;            // RAWs not read: their twin is the photo
    QHash<QString, qint64> rowsGiven; // twin path -> id of its RAW's row, which it takes over
    QSet<QString> rowsTaken;          // RAWs whose row a twin takes: not missing
};

TwinPlan planTwins(const std::vector<ScannedFile>& files, const KnownPhotos& known)
{
    TwinPlan twins;
    const QHash<QString, QString> twinned = rawFilesWithTwins(files);
    if (twinned.isEmpty())
        return twins;
    QHash<QString, const ScannedFile*> byPath;
    for (const ScannedFile& f : files)
        if (!byPath.contains(f.path)) // as in planIndex: the first of one path wins
            byPath.insert(f.path, &f);
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
        const bool twinFailed = twinRow != known.cend() && twinRow->state.status == PhotoStatus::Failed
                                && (rawRow != known.cend()
                                    || (twinRow->state.size == developed.size
                                        && twinRow->state.mtimeMs == developed.mtimeMs));
        if (!developed.problem.isEmpty() || twinFailed)
            continue;
        twins.leftOut.insert(f.path);
        // A RAW indexed alone before its twin appeared: the twin takes its
        // row (as a file replaced at a new path), so that albums and tag
        // corrections stay with the photo.
        if (rawRow != known.cend() && twinRow == known.cend() && !twins.rowsGiven.contains(*twin)) {
            twins.rowsGiven.insert(*twin, rawRow->state.id);
            twins.rowsTaken.insert(f.path);
        }
    }
    return twins;
}

// Rows the plan needs whole (metadata and all), kept until a job exists:
// a rescan that finds nothing to read loads none of them.
struct RowsWanted {
    std::vector<qint64> existing;       // per job: the row it is written into, 0 = none
    std::vector<qint64> embedded;       // unchanged photos a new file may be a copy of, scan order
    std::vector<std::pair<qint64, bool>> missing; // missing photos a new file may be (id, embedded)
};

// Without a job no file is read, so no copy or move can be recognised: the
// matcher is left empty and no full row is loaded.
void attachRows(IndexPlan& plan, const RowsWanted& wanted, const Catalog& catalog, const KnownPhotos& known)
{
    if (plan.jobs.empty())
        return;
    QHash<qint64, const PhotoState*> states;
    for (const KnownPhoto& k : known)
        states.insert(k.state.id, &k.state);
    std::vector<PhotoRecord> rows = catalog.photos(); // ordered by id
    const auto row = [&](qint64 id) {
        const auto it = std::lower_bound(rows.begin(), rows.end(), id,
                                         [](const PhotoRecord& r, qint64 id) { return r.id < id; });
        if (it != rows.end() && it->id == id)
            return *it;
        // Removed since the states were read (by another program): what was
        // compared stands in for it.
        const PhotoState& s = *states.value(id);
        PhotoRecord r;
        r.id = s.id;
        r.path = s.path;
        r.size = s.size;
        r.mtimeMs = s.mtimeMs;
        r.contentHash = s.contentHash;
        r.status = s.status;
        r.error = s.error;
        return r;
    };
    for (size_t i = 0; i < plan.jobs.size(); ++i)
        if (wanted.existing[i] != 0)
            plan.jobs[i].existing = row(wanted.existing[i]);
    for (qint64 id : wanted.embedded)
        plan.matcher->addEmbedded(row(id));
    for (const auto& [id, embedded] : wanted.missing)
        plan.matcher->addMissing(row(id), embedded);
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
    PhaseClock phases;
    IndexPlan plan;
    KnownPhotos known;
    {
        std::vector<PhotoState> states = catalog.photoStates(modelId);
        known.reserve(qsizetype(states.size()));
        for (PhotoState& r : states) {
            const QString path = r.path; // the key, before the row moves
            known.insert(path, KnownPhoto{std::move(r), false});
        }
    }
    phases.mark("plan: catalog states loaded");

    plan.missingRoots = scan.missingRoots;
    plan.unreadableFolders = scan.unreadableFolders;
    QStringList removablePrefixes;
    for (const QString& root : roots) {
        if (scan.missingRoots.contains(root))
            continue;
        const QString prefix = prefixOf(root);
        const bool foundAny = std::any_of(scan.files.begin(), scan.files.end(),
                                          [&](const ScannedFile& f) { return f.path.startsWith(prefix); });
        const bool knewAny = std::any_of(known.cbegin(), known.cend(),
                                         [&](const KnownPhoto& k) { return k.state.path.startsWith(prefix); });
        if (!foundAny && knewAny)
            plan.missingRoots << root;
        else
            removablePrefixes << prefix;
    }
    QStringList unreadablePrefixes;
    for (const QString& dir : scan.unreadableFolders)
        unreadablePrefixes << prefixOf(dir);
    phases.mark("plan: roots checked");

    // A RAW with a JPEG/HEIF twin is that photo's second file, not a photo
    // of its own: left unseen.
    const TwinPlan twins = planTwins(scan.files, known);
    phases.mark("plan: RAW twins");
    RowsWanted wanted;
    QSet<QString> seenNew; // scanned paths without a row
    for (const ScannedFile& f : scan.files) {
        if (twins.leftOut.contains(f.path))
            continue;
        const auto it = known.find(f.path);
        // Two names that are not UTF-8 can map to one path: the first wins.
        if (it != known.end() ? it->seen : seenNew.contains(f.path))
            continue;
        if (it != known.end())
            it->seen = true;
        else
            seenNew.insert(f.path);
        const PhotoState* row = it != known.end() ? &it->state : nullptr;
        const bool same = row && row->size == f.size && row->mtimeMs == f.mtimeMs;
        if (!f.problem.isEmpty()) {
            if (same && row->status == PhotoStatus::Failed && row->error == f.problem) {
                ++plan.unchanged;
                continue;
            }
            PhotoRecord r;
            r.id = row ? row->id : 0;
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
        if (same && (row->status == PhotoStatus::Failed || row->embedded)) {
            ++plan.unchanged;
            if (row->embedded && !row->contentHash.isEmpty())
                wanted.embedded.push_back(row->id);
            continue;
        }
        IndexJob job;
        job.file = f;
        qint64 existing = 0;
        if (row) {
            existing = row->id;
            job.existingEmbedded = row->embedded && !row->contentHash.isEmpty();
        } else if (const auto raw = twins.rowsGiven.constFind(f.path); raw != twins.rowsGiven.cend()) {
            existing = *raw; // other bytes than the RAW's: read and encoded afresh
        }
        plan.jobs.push_back(std::move(job));
        wanted.existing.push_back(existing);
    }
    phases.mark("plan: files compared");
    if (!scan.cancelled) {
        for (const KnownPhoto& k : std::as_const(known)) {
            const PhotoState& r = k.state;
            if (!k.seen && isUnder(r.path, removablePrefixes) && !isUnder(r.path, unreadablePrefixes)
                && !twins.rowsTaken.contains(r.path)) {
                plan.missing.push_back(r.id);
                if (r.status == PhotoStatus::Ok && !r.contentHash.isEmpty())
                    wanted.missing.emplace_back(r.id, r.embedded);
            }
        }
    }
    phases.mark("plan: missing rows");
    attachRows(plan, wanted, catalog, known);
    phases.mark("plan: full rows for the jobs");
    return plan;
}

} // namespace photosearch
