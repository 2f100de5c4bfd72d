// `duplicates [--library DIR]`: near-duplicate groups by perceptual hash
// (index/dedupe/DuplicateFinder.h), one JSON line {"paths":[...]} per group,
// largest first. Photos indexed before the catalog stored hashes get one
// first (progress and skipped files on stderr), unless the library is
// read-only. Needs no model.

#include "Catalog.h"
#include "Commands.h"
#include "DuplicateFinder.h"
#include "HashBackfill.h"
#include "LibraryArgs.h"
#include "PhotoHashes.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>

#include <cstdio>

#include <unistd.h>

namespace photosearch::cli {
namespace {

// In place on a terminal; a line every few seconds otherwise.
void printProgress(qint64 done, qint64 total)
{
    static QElapsedTimer clock;
    const bool tty = ::isatty(STDERR_FILENO);
    if (!tty && clock.isValid() && clock.elapsed() < 5000 && done != total)
        return;
    clock.start();
    std::fprintf(stderr, "%shashing photos indexed before duplicates were tracked: %lld/%lld%s", tty ? "\r" : "",
                 (long long)done, (long long)total, !tty ? "\n" : done != total ? "\033[K" : "\033[K\n");
    std::fflush(stderr);
}

} // namespace

int duplicatesCommand(const QStringList& args)
{
    const CliArgs a(args, {QStringLiteral("library")}, {});
    if (!a.positionals().isEmpty())
        throw UsageError("duplicates takes no arguments");
    // A read-only library is answered from the hashes it stores; the
    // backfill then only says how many photos it could not compare.
    const QString libraryDir = openLibraryDir(a, LibraryUse::Read);
    Catalog catalog(libraryDir, libraryAccess(libraryDir));

    HashBackfillCallbacks callbacks;
    callbacks.progress = printProgress;
    callbacks.warn = [](const QString& message) {
        std::fprintf(stderr, "warning: %s\n", qPrintable(message));
    };
    computeMissingHashes(catalog, callbacks);

    const std::vector<DuplicateGroup> groups = DuplicateFinder().groups(hashedPhotos(catalog));
    for (const DuplicateGroup& group : groups) {
        QJsonArray paths;
        for (const HashedPhoto& photo : group.members)
            paths.append(photo.path);
        printJsonLine(QJsonObject{{QStringLiteral("paths"), paths}});
    }
    std::fprintf(stderr, "%zu groups of near-duplicates\n", groups.size());
    return 0;
}

} // namespace photosearch::cli
