// Kill resilience at scale (issue 16, "nothing lost under faults"):
// `photosearch-cli index` is killed with SIGKILL at many random moments
// while photos are added, rewritten, moved and deleted between runs; after
// a last, un-killed run the catalog, the vector file and `similar` must
// match the photos on disk exactly (KillChecks.h).
//
// Kill moments come from a seeded generator and are drawn over the measured
// phases of an un-killed run (KillRunner.h), so that they land early
// (start-up, scan), in the middle (decode, encode, batch commits) and late
// (removing what is gone, saving the vector file, tagging). The seed is printed; the
// same seed replays the same changes and delays (how far a killed run got
// still depends on the machine's speed). Prints one summary line; exit 1
// with the failing check, 2 for a bad argument or a setup failure.

#include "KillChecks.h"
#include "KillShelf.h"
#include "KillRunner.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cstdio>

using namespace photosearch::killtest;

namespace {

struct Options {
    int photos = 300;
    int kills = 50;
    int samples = 20;
    quint64 seed = 0;
    bool keep = false;
    bool verbose = false;
    QString cli = QStringLiteral(PHOTOSEARCH_CLI);
};

bool parseOptions(const QCoreApplication& app, Options* o)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Kills photosearch-cli index at random moments and checks the library."));
    p.addHelpOption();
    const QCommandLineOption photos(QStringLiteral("photos"), QStringLiteral("Photos in the library (default 300)."), QStringLiteral("N"));
    const QCommandLineOption kills(QStringLiteral("kills"), QStringLiteral("SIGKILLs to deliver (default 50)."), QStringLiteral("N"));
    const QCommandLineOption samples(QStringLiteral("samples"), QStringLiteral("Photos checked with `similar` (default 20)."), QStringLiteral("N"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Random seed (default $KILL_RESILIENCE_SEED, else the clock)."), QStringLiteral("S"));
    const QCommandLineOption keep(QStringLiteral("keep"), QStringLiteral("Keep the work folder when a check fails."));
    const QCommandLineOption cli(QStringLiteral("cli"), QStringLiteral("The photosearch-cli to test (default: the build's)."), QStringLiteral("PATH"));
    const QCommandLineOption verbose(QStringLiteral("verbose"), QStringLiteral("Print every run and kill on stderr."));
    p.addOptions({photos, kills, samples, seed, keep, cli, verbose});
    p.process(app);
    bool ok = true;
    const auto number = [&](const QCommandLineOption& option, int fallback, int least) {
        if (!p.isSet(option))
            return fallback;
        bool good = false;
        const int n = p.value(option).toInt(&good);
        ok = ok && good && n >= least;
        return n;
    };
    o->photos = number(photos, o->photos, 4);
    o->kills = number(kills, o->kills, 1);
    o->samples = number(samples, o->samples, 0);
    const QString seedText = p.isSet(seed) ? p.value(seed) : qEnvironmentVariable("KILL_RESILIENCE_SEED");
    bool seedOk = true;
    o->seed = seedText.isEmpty() ? quint64(QDateTime::currentMSecsSinceEpoch()) % 1000000 : seedText.toULongLong(&seedOk);
    o->keep = p.isSet(keep);
    o->verbose = p.isSet(verbose);
    if (p.isSet(cli))
        o->cli = p.value(cli);
    return ok && seedOk;
}

// Changes, kills and catch-up runs until the kill count is reached: each
// round changes the shelf, kills one to three runs, and half the time lets
// a run finish, so later changes land on both finished and half-done
// libraries.
QString killRounds(KillShelf& shelf, KillRunner& runner, const Options& o, std::mt19937_64& rng)
{
    QString problem;
    for (int round = 0; runner.kills() < o.kills; ++round) {
        if (round > 0 && !shelf.mutate(&problem))
            return QStringLiteral("setup: %1").arg(problem);
        const int tries = std::uniform_int_distribution<int>(1, 3)(rng);
        for (int i = 0; i < tries && runner.kills() < o.kills; ++i) {
            bool finished = false;
            problem = runner.killedRun(shelf.files(), rng, &finished);
            if (!problem.isEmpty())
                return problem;
            problem = checkAfterKill(runner.libraryDir());
            if (!problem.isEmpty())
                return problem;
            if (finished)
                break;
        }
        if (rng() % 2 == 0) {
            problem = runner.completeRun(nullptr);
            if (!problem.isEmpty())
                return problem;
        }
    }
    return {};
}

// The last changes, a complete run, a second one that must find nothing
// to do, then the final checks.
QString finish(KillShelf& shelf, KillRunner& runner, const Options& o, const QString& workDir,
               std::mt19937_64& rng, int* passed)
{
    QString problem;
    if (!shelf.mutate(&problem))
        return QStringLiteral("setup: %1").arg(problem);
    problem = runner.completeRun(nullptr);
    if (!problem.isEmpty())
        return problem;
    QJsonObject again;
    problem = runner.completeRun(&again);
    if (!problem.isEmpty())
        return problem;
    for (const char* key : {"added", "updated", "removed", "moved"})
        if (again.value(QLatin1String(key)).toInt() != 0)
            return QStringLiteral("rerun: a run right after a complete one reported %1 %2")
                .arg(again.value(QLatin1String(key)).toInt()).arg(QLatin1String(key));
    FinalState state;
    state.cli = o.cli;
    state.libraryDir = runner.libraryDir();
    state.files = shelf.files();
    state.gone = shelf.gone();
    state.probeDir = QDir(workDir).filePath(QStringLiteral("probe"));
    state.similarSamples = o.samples;
    QDir().mkpath(state.probeDir);
    problem = checkFinal(state, rng, passed);
    if (problem.isEmpty())
        ++*passed; // the rerun check
    return problem;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    Options o;
    if (!parseOptions(app, &o)) {
        std::fprintf(stderr, "kill-resilience: --photos (>= 4), --kills (>= 1), --samples and --seed take numbers.\n");
        return 2;
    }
    QElapsedTimer wall;
    wall.start();
    std::fprintf(stderr, "kill-resilience: seed %llu (replay with --seed %llu)\n", (unsigned long long)o.seed,
                 (unsigned long long)o.seed);
    QTemporaryDir work(QDir::temp().filePath(QStringLiteral("kill-resilience-XXXXXX")));
    std::mt19937_64 rng(o.seed);
    KillShelf shelf(work.filePath(QStringLiteral("photos")), o.seed);
    KillRunner runner(o.cli, work.path(), shelf.root(), o.verbose);
    QString problem;
    if (!work.isValid() || !shelf.populate(o.photos, &problem) || !runner.prepare(&problem)) {
        std::fprintf(stderr, "kill-resilience: setup failed: %s\n", qPrintable(problem.isEmpty() ? work.errorString() : problem));
        return 2;
    }
    int passed = 0;
    problem = killRounds(shelf, runner, o, rng);
    if (problem.isEmpty())
        problem = finish(shelf, runner, o, work.path(), rng, &passed);
    const ShelfCounts& c = shelf.counts();
    const QString line = QStringLiteral("kill-resilience: seed=%1 photos=%2 kills=%3 (%4) runs=%5 added=%6 changed=%7 "
                                        "moved=%8 deleted=%9 checks=%10 wall=%11s")
                             .arg(o.seed).arg(shelf.files().size()).arg(runner.kills()).arg(runner.killPhases())
                             .arg(runner.runs()).arg(c.added).arg(c.changed).arg(c.moved).arg(c.deleted)
                             .arg(problem.isEmpty() ? QStringLiteral("%1 passed").arg(passed) : QStringLiteral("FAILED"))
                             .arg(double(wall.elapsed()) / 1000.0, 0, 'f', 1);
    std::printf("%s\n", qPrintable(line));
    if (problem.isEmpty())
        return 0;
    work.setAutoRemove(!o.keep);
    std::fprintf(stderr, "kill-resilience: check failed: %s\n", qPrintable(problem));
    std::fprintf(stderr, "kill-resilience: seed %llu; %s\n", (unsigned long long)o.seed,
                 o.keep ? qPrintable(QStringLiteral("the work folder is kept: %1 (runs.log lists every run)").arg(work.path()))
                        : "pass --keep to keep the work folder");
    return 1;
}
