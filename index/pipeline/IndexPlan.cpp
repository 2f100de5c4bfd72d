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
    // of its own: left unseen, so that a row it had alone leaves the catalog.
    const QSet<QString> twinnedRaws = rawFilesWithTwins(scan.files);
    QSet<QString> seen;
    for (const ScannedFile& f : scan.files) {
        // Two names that are not UTF-8 can map to one path: the first wins.
        if (seen.contains(f.path) || twinnedRaws.contains(f.path))
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
        }
        plan.jobs.push_back(std::move(job));
    }
    if (!scan.cancelled) {
        for (const PhotoRecord& r : std::as_const(known)) {
            if (isUnder(r.path, removablePrefixes) && !isUnder(r.path, unreadablePrefixes) && !seen.contains(r.path)) {
                plan.missing.push_back(r.id);
                if (r.status == PhotoStatus::Ok && !r.contentHash.isEmpty())
                    plan.matcher->addMissing(r, !lacking.contains(r.id));
            }
        }
    }
    return plan;
}

} // namespace photosearch
