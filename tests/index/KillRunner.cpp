#include "KillRunner.h"

#include "Catalog.h"
#include "TinyModel.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QProcess>
#include <QThread>

#include <algorithm>
#include <cstdio>

#include <csignal>
#include <cstring>

namespace photosearch::killtest {

namespace {

constexpr int kRunTimeoutMs = 600000;

// Where a killed run was, by the last line it printed on stderr
// (IndexCommand's progress lines): startup (LibTorch, the model), scan (the
// catalog, the vector file, scan and diff), encode (decode, encode, batch
// commits), finish (removing what is gone, the vector file's save, tagging),
// wrap-up (after tagging).
QString phaseOf(const QByteArray& err)
{
    const QList<QByteArray> lines = err.trimmed().split('\n');
    const QByteArray last = lines.isEmpty() ? QByteArray() : lines.last();
    if (last.startsWith("finishing:"))
        return QStringLiteral("finish");
    if (last.startsWith("indexing:"))
        return QStringLiteral("encode");
    if (last.startsWith("scanning:") || last.startsWith("Loaded "))
        return QStringLiteral("scan");
    // After tagging: the catalog's spare copy, the library's roots.
    if (last.startsWith("Tagged "))
        return QStringLiteral("wrap-up");
    return last.isEmpty() ? QStringLiteral("startup") : QStringLiteral("other");
}

} // namespace

KillRunner::KillRunner(const QString& cli, const QString& workDir, const QString& photoRoot, bool verbose)
    : cli_(cli)
    , workDir_(workDir)
    , photoRoot_(photoRoot)
    , libraryDir_(QDir(workDir).filePath(QStringLiteral("library")))
    , modelDir_(QDir(workDir).filePath(QStringLiteral("tiny-clip")))
    , verbose_(verbose)
    , log_(QDir(workDir).filePath(QStringLiteral("runs.log")))
{
}

bool KillRunner::prepare(QString* error)
{
    if (!log_.open(QIODevice::WriteOnly | QIODevice::Text)) {
        *error = QStringLiteral("cannot write %1").arg(log_.fileName());
        return false;
    }
    return testmodel::writeTinyClipModel(modelDir_, error);
}

void KillRunner::log(const QString& line)
{
    log_.write(line.toUtf8() + '\n');
    log_.flush();
    if (verbose_)
        std::fprintf(stderr, "%s\n", qPrintable(line));
}

QStringList KillRunner::indexArgs() const
{
    // Small batches: many commits per run for the kills to land in.
    return {QStringLiteral("index"), QStringLiteral("--library"), libraryDir_, QStringLiteral("--model"),
            modelDir_, QStringLiteral("--batch"), QStringLiteral("4"), photoRoot_};
}

// Reads stderr as it comes, noting when the progress lines that start the
// phases appear.
QString KillRunner::completeRun(QJsonObject* summary)
{
    QProcess p;
    QElapsedTimer timer;
    timer.start();
    p.start(cli_, indexArgs());
    ++runs_;
    Timeline t;
    QByteArray err = "\n"; // so that the first line matches a marker too
    while (p.state() != QProcess::NotRunning && timer.elapsed() < kRunTimeoutMs) {
        p.waitForReadyRead(20);
        err += p.readAllStandardError();
        if (t.loadedMs < 0 && err.contains("\nLoaded "))
            t.loadedMs = timer.elapsed();
        if (t.indexingMs < 0 && err.contains("\nindexing:"))
            t.indexingMs = timer.elapsed();
        if (t.finishingMs < 0 && err.contains("\nfinishing:"))
            t.finishingMs = timer.elapsed();
    }
    t.endMs = timer.elapsed();
    const bool done = p.state() == QProcess::NotRunning;
    err += p.readAllStandardError();
    const QByteArray out = p.readAllStandardOutput();
    if (!done || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        const QString how = !done ? QStringLiteral("did not end in %1 ms").arg(kRunTimeoutMs)
            : p.exitStatus() == QProcess::CrashExit
            ? QStringLiteral("crashed with signal %1 (%2)").arg(p.exitCode()).arg(QString::fromLocal8Bit(::strsignal(p.exitCode())))
            : QStringLiteral("failed (exit %1)").arg(p.exitCode());
        p.kill();
        p.waitForFinished();
        return QStringLiteral("run %1: an un-killed index run %2: %3").arg(runs_).arg(how, QString::fromUtf8(err.trimmed()));
    }
    const QJsonObject json = QJsonDocument::fromJson(out).object();
    if (summary)
        *summary = json;
    log(QStringLiteral("run %1: complete in %2 ms: %3").arg(runs_).arg(t.endMs).arg(QString::fromUtf8(out.trimmed())));
    learn(t, json);
    return {};
}

// Each complete run re-measures the phases the kill delays are drawn over.
void KillRunner::learn(const Timeline& t, const QJsonObject& summary)
{
    const qint64 firstMarker = t.indexingMs >= 0 ? t.indexingMs : t.finishingMs;
    if (firstMarker >= 0)
        earlyMs_ = firstMarker;
    if (t.loadedMs >= 0)
        loadedMs_ = t.loadedMs;
    if (t.finishingMs >= 0)
        lateMs_ = t.endMs - t.finishingMs;
    qint64 work = 0;
    for (const char* key : {"added", "updated", "moved"})
        work += summary.value(QLatin1String(key)).toInt();
    if (work > 0)
        photoMs_ = 1000.0 * summary.value(QStringLiteral("seconds")).toDouble() / double(work);
    log(QStringLiteral("measured: %1 ms to Loaded, %2 ms to the first phase line, %3 ms a photo, %4 ms after "
                       "finishing:")
            .arg(loadedMs_).arg(earlyMs_).arg(photoMs_, 0, 'f', 1).arg(lateMs_));
}

// Files the next run has to read: not in the catalog, or changed since.
qsizetype KillRunner::pendingWork(const QStringList& files) const
{
    if (!QFileInfo::exists(QDir(libraryDir_).filePath(QStringLiteral("catalog.sqlite"))))
        return files.size();
    QHash<QString, QPair<qint64, qint64>> known;
    try {
        const Catalog catalog(libraryDir_, Catalog::Access::ReadOnly);
        for (const PhotoRecord& r : catalog.photos())
            known.insert(r.path, {r.size, r.mtimeMs});
    } catch (const CatalogError&) {
        return files.size();
    }
    return std::count_if(files.begin(), files.end(), [&](const QString& path) {
        const QFileInfo file(path);
        return known.value(path) != QPair<qint64, qint64>(file.size(), file.lastModified().toMSecsSinceEpoch());
    });
}

namespace {

// Waits until the run prints `marker` at the start of a line; false when it
// ended first.
bool waitForLine(QProcess& p, QByteArray& err, const QByteArray& marker)
{
    const QByteArray needle = '\n' + marker;
    while (p.state() == QProcess::Running) {
        if (err.contains(needle))
            return true;
        p.waitForReadyRead(5);
        err += p.readAllStandardError();
    }
    return false;
}

// Why a run that ended by a signal was not the driver's kill; empty when
// it was. For a CrashExit, Qt 6 gives the signal number as exitCode().
QString crashOf(const QProcess& p, bool killSent)
{
    const int signal = p.exitCode();
    const QString name = QString::fromLocal8Bit(::strsignal(signal));
    if (!killSent)
        return QStringLiteral("photosearch-cli index crashed with signal %1 (%2) though the driver sent no kill")
            .arg(signal).arg(name);
    if (signal != SIGKILL)
        return QStringLiteral("photosearch-cli index ended with signal %1 (%2), not the driver's SIGKILL")
            .arg(signal).arg(name);
    return {};
}

} // namespace

QString KillRunner::killedRun(const QStringList& files, std::mt19937_64& rng, bool* finished)
{
    const qsizetype pending = pendingWork(files);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    // 0: start-up, 1: scan, 2 and 3: encode and commits, 4: late.
    static const char* const markers[] = {"", "Loaded ", "indexing:", "indexing:", "finishing:"};
    const int target = int(rng() % 5);
    const QByteArray marker(markers[target]);
    const double spans[] = {double(loadedMs_), double(std::max<qint64>(1, earlyMs_ - loadedMs_)),
                            photoMs_ * double(pending), photoMs_ * double(pending), double(lateMs_)};
    const double span = spans[target];
    // Late kills are drawn closer to the "finishing:" line (the density of
    // u² falls with the delay): removing what is gone and saving the vector
    // file take milliseconds of that span; tagging takes the rest.
    const double u = unit(rng);
    const int delayMs = std::max(1, int(span * (target == 4 ? u * u : u)));
    QProcess p;
    p.start(cli_, indexArgs());
    if (!p.waitForStarted())
        return QStringLiteral("run: %1 did not start: %2").arg(cli_, p.errorString());
    ++runs_;
    QByteArray err = "\n"; // so that the first line matches a marker too
    bool killSent = false;
    const bool reached = marker.isEmpty() || waitForLine(p, err, marker);
    if (reached) {
        // Slept as a whole: polling the process would make the delay longer.
        QThread::msleep(ulong(delayMs));
        // Not yet reaped (QProcess reaps it), so the pid is still this run's.
        if (p.state() == QProcess::Running)
            killSent = ::kill(pid_t(p.processId()), SIGKILL) == 0;
    }
    // waitForFinished() is false for a process that already ended.
    if (p.state() != QProcess::NotRunning && !p.waitForFinished(kRunTimeoutMs))
        return QStringLiteral("run: photosearch-cli did not end after SIGKILL");
    err += p.readAllStandardError();
    const QString where = !reached ? QStringLiteral("before %1 was printed").arg(QString::fromLatin1(marker))
                                   : QStringLiteral("%1 ms after %2").arg(delayMs).arg(marker.isEmpty() ? QStringLiteral("the start") : QString::fromLatin1(marker));
    *finished = p.exitStatus() == QProcess::NormalExit;
    if (*finished) {
        log(QStringLiteral("run %1: ended before the kill %2 (exit %3)").arg(runs_).arg(where).arg(p.exitCode()));
        return p.exitCode() == 0 ? QString()
                                 : QStringLiteral("run: an index run failed (exit %1): %2")
                                       .arg(p.exitCode()).arg(QString::fromUtf8(err.trimmed()));
    }
    // Only the driver's own SIGKILL counts as a kill: a crash (SIGSEGV,
    // abort) or any other signal is a failure of the product.
    const QString crash = crashOf(p, killSent);
    if (!crash.isEmpty()) {
        log(QStringLiteral("run %1: %2 (%3)").arg(runs_).arg(crash, where));
        return QStringLiteral("run %1: %2 (%3); its stderr: %4")
            .arg(runs_).arg(crash, where, QString::fromUtf8(err.trimmed()));
    }
    const QString phase = phaseOf(err);
    ++kills_;
    ++phases_[phase];
    log(QStringLiteral("run %1: kill %2 %3, %4 files pending, in %5").arg(runs_).arg(kills_).arg(where).arg(pending).arg(phase));
    return {};
}

QString KillRunner::killPhases() const
{
    QStringList parts;
    for (auto it = phases_.constBegin(); it != phases_.constEnd(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.key()).arg(it.value());
    return parts.join(QStringLiteral(", "));
}

} // namespace photosearch::killtest
