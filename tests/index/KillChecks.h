#pragma once
// What the kill-resilience driver (kill_resilience.cpp) requires of a
// library: after any kill, a catalog that is whole; after the last, un-killed
// run, a catalog, a vector file and search answers that match the photos on
// disk exactly. Each check returns an empty string when it passes, else
// "<check>: <what is wrong>".

#include <QSet>
#include <QString>
#include <QStringList>

#include <random>

namespace photosearch::killtest {

// After a kill: the catalog (when one was created) passes SQLite's
// integrity check, every Ok photo has its embedding (a row and its vector are
// one transaction), and no embedding lacks its photo.
QString checkAfterKill(const QString& libraryDir);

struct FinalState {
    QString cli; // photosearch-cli
    QString libraryDir;
    QStringList files;  // on disk, absolute
    QSet<QString> gone; // deleted or moved away
    QString probeDir;   // an empty folder outside the indexed roots
    int similarSamples = 20;
};

// The checks after the final run, in order: integrity; no duplicate rows,
// orphan or stale embeddings; every Ok photo embedded; the catalog holds
// exactly the files on disk (size, mtime, Ok, one valid embedding) and
// nothing deleted or moved away; the vector file is current and holds every
// catalog vector under its id; no temporary files left in the library;
// `similar` ranks each sampled photo first, by its path and by a copy.
// Stops at the first failure; `passed` counts the checks that passed.
QString checkFinal(const FinalState& state, std::mt19937_64& rng, int* passed);

} // namespace photosearch::killtest
