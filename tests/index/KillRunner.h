#pragma once
// Runs `photosearch-cli index` for the kill-resilience driver
// (kill_resilience.cpp): to the end, or killed with SIGKILL after a random
// delay. The delays are drawn over the phases of an un-killed run, timed
// from the progress lines of the last complete run (defaults before the
// first): start-up (from the start: LibTorch, the model), scan (after
// "Loaded ": the catalog, the vector file's load, scan and diff), mid (after the first
// "indexing:" line, over the time the pending photos take: decode, encode,
// batch commits) and late (after "finishing:": removing what is gone, the
// vector file's save, tagging). Every run is
// written to runs.log in the work folder (and to stderr when verbose).

#include <QFile>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <random>

namespace photosearch::killtest {

class KillRunner {
public:
    KillRunner(const QString& cli, const QString& workDir, const QString& photoRoot, bool verbose);

    // Writes the tiny CLIP model the runs use. False with `error` set.
    bool prepare(QString* error);

    // A run killed after a random delay. `files` (on disk now) sizes the
    // run's work. `finished` is set when it ended before the kill (then it
    // must have succeeded); that run is not counted as a kill. A run ended
    // by any signal but the driver's own SIGKILL (a crash) is a failure.
    QString killedRun(const QStringList& files, std::mt19937_64& rng, bool* finished);

    // A run to the end; `summary` gets its JSON line.
    QString completeRun(QJsonObject* summary);

    const QString& libraryDir() const { return libraryDir_; }
    int kills() const { return kills_; }
    int runs() const { return runs_; }
    // "encode 30, finish 8, scan 9, startup 3": where the kills landed, by
    // the last progress line the run had printed (see phaseOf).
    QString killPhases() const;

private:
    QStringList indexArgs() const;
    struct Timeline {
        qint64 loadedMs = -1;   // "Loaded " printed (the model); -1 = never
        qint64 indexingMs = -1; // "indexing:" printed
        qint64 finishingMs = -1;
        qint64 endMs = 0;
    };
    void learn(const Timeline& t, const QJsonObject& summary);
    qsizetype pendingWork(const QStringList& files) const;
    void log(const QString& line);

    QString cli_;
    QString workDir_;
    QString photoRoot_;
    QString libraryDir_;
    QString modelDir_;
    bool verbose_ = false;
    QFile log_;
    qint64 loadedMs_ = 700;    // start to "Loaded "
    qint64 earlyMs_ = 1000;    // start to "indexing:"
    double photoMs_ = 10;      // per photo to index
    qint64 lateMs_ = 500;      // "finishing:" to the end, nothing to index
    int kills_ = 0;
    int runs_ = 0;
    QMap<QString, int> phases_;
};

} // namespace photosearch::killtest
