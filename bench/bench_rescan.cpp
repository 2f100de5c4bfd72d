// A rescan where nothing changed, timed as a user sees it: the whole
// `photosearch-cli index` process, on a library where every photo is
// already indexed (issue 15: 200,000 photos in under 15 s on 2 cores).
//
//   bench_rescan [--photos N] [--per-folder N] [--runs N] [--keep DIR] [--drop-caches] [--cli PATH]
//
// The photos are one small JPEG with a distinct trailer after its end marker
// (decoders ignore it), so each file has its own content hash, spread over
// nested folders as a camera library is (year/folder/IMG_n.jpg). The library
// is what the real indexer (the same CLI, a tiny random CLIP model) leaves:
// it indexes the first folder, the other rows are cloned from those (see
// buildLibrary), and a real run over everything must then find nothing to
// encode. With --keep DIR photos, model and library stay there and a rerun
// only times the rescans. Each run gets
// PHOTOSEARCH_TIMINGS=1: the CLI's phase lines are printed after its time.
// Warm page cache unless --drop-caches (root: every cache is dropped before
// each run, which slows whatever else the machine runs for a moment).
// Not a test: run on purpose, numbers go to docs/BENCHMARKS.md.

// LibTorch before Qt (PhotoReader.h brings in LibTorch's types).
#include "PhotoReader.h"

#include "Catalog.h"
#include "SqliteConnection.h"
#include "TestImages.h"
#include "TinyModel.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <cmath>
#include <cstdio>
#include <memory>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace photosearch;

namespace {

int intOption(const QStringList& args, const QString& name, int fallback)
{
    const int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1].toInt() : fallback;
}

QString textOption(const QStringList& args, const QString& name, const QString& fallback)
{
    const int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1] : fallback;
}

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    return QString::fromLatin1(f.readAll()).section(QLatin1Char(' '), 0, 2);
}

// photos/<year>/<folder>/IMG_<n>.jpg, `perFolder` to a folder, 20 folders to a year.
void makePhotos(const QString& root, int count, int perFolder)
{
    const QString base = QDir(root).filePath(QStringLiteral("base.tmp"));
    if (!testimages::writeImage(testimages::makePicture(96, 64, 7), base,
                                             ImageFormat::Jpeg))
        qFatal("cannot write %s", qPrintable(base));
    QFile in(base);
    in.open(QIODevice::ReadOnly);
    const QByteArray bytes = in.readAll();
    in.close();
    QFile::remove(base);
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < count; ++i) {
        const int folder = i / perFolder;
        const QString dir = QStringLiteral("%1/photos/%2/%3").arg(root).arg(2000 + folder / 20).arg(folder, 4, 10,
                                                                                                   QLatin1Char('0'));
        if (i % perFolder == 0)
            QDir().mkpath(dir);
        QFile out(QStringLiteral("%1/IMG_%2.jpg").arg(dir).arg(i, 6, 10, QLatin1Char('0')));
        if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size()
            || out.write(QByteArray::number(i)) <= 0)
            qFatal("cannot write %s", qPrintable(out.fileName()));
    }
    std::printf("made %d photos (%lld bytes each) in %.1f s\n", count, (long long)bytes.size(),
                double(t.elapsed()) / 1000.0);
}

struct CliRun {
    int exitCode = -1;
    double seconds = 0;
    double cpuSeconds = 0; // user + system, less bent by other jobs on the machine than wall time
    QJsonObject summary; // the last JSON line of stdout
    QByteArray err;
};

CliRun runCli(const QString& cli, const QStringList& args, int timeoutMs)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PHOTOSEARCH_TIMINGS"), QStringLiteral("1"));
    p.setProcessEnvironment(env);
    rusage before{};
    ::getrusage(RUSAGE_CHILDREN, &before);
    QElapsedTimer t;
    t.start();
    p.start(cli, args);
    CliRun r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.seconds = double(t.nsecsElapsed()) / 1e9;
    rusage after{};
    ::getrusage(RUSAGE_CHILDREN, &after);
    const auto cpu = [](const rusage& u) {
        return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
    };
    r.cpuSeconds = cpu(after) - cpu(before);
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.err = p.readAllStandardError();
    const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
    r.summary = QJsonDocument::fromJson(lines.last()).object();
    return r;
}

bool dropCaches()
{
    ::sync();
    QFile f(QStringLiteral("/proc/sys/vm/drop_caches"));
    return f.open(QIODevice::WriteOnly) && f.write("3\n") == 2;
}

// The phase lines the CLI printed with PHOTOSEARCH_TIMINGS=1.
void printTimings(const QByteArray& err)
{
    for (const QByteArray& line : err.split('\n'))
        if (line.startsWith("timing:") || line.startsWith("Loaded "))
            std::printf("    %s\n", line.constData());
}

QStringList indexArgs(const QString& dir, const QString& root)
{
    return {QStringLiteral("index"), QStringLiteral("--library"), dir + QStringLiteral("/library"),
            QStringLiteral("--model"), dir + QStringLiteral("/model"), root};
}

// Every field the indexer wrote but those that tell one file from another.
bool sameExceptFile(PhotoRecord a, PhotoRecord b)
{
    for (PhotoRecord* r : {&a, &b}) {
        r->id = 0;
        r->path.clear();
        r->size = r->mtimeMs = 0;
        r->contentHash.clear();
    }
    return a.path == b.path && a.width == b.width && a.height == b.height && a.format == b.format
           && a.takenAt == b.takenAt && a.camera == b.camera && a.lens == b.lens && a.hasGps == b.hasGps
           && a.latitude == b.latitude && a.longitude == b.longitude && a.status == b.status && a.error == b.error
           && a.phash == b.phash;
}

// One picture's vectors from batches of other sizes differ in the last bits
// (bf16 on a CPU: about 1e-3).
bool closeTo(const std::vector<float>& a, const std::vector<float>& b)
{
    if (a.size() != b.size() || a.empty())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::abs(a[i] - b[i]) > 1e-2f)
            return false;
    return true;
}

// Rows for the files the real indexer did not see, cloned from those it
// wrote for the first folder: every photo is the same picture (only the
// trailer differs), so the indexer would write the same row but for path,
// size, mtime and hash (checked on the first folder), and the same vector.
void seedRows(const QString& dir, const QString& photosRoot, int photos, int perFolder)
{
    Catalog catalog(dir + QStringLiteral("/library"));
    // The id the CLI gave its vectors (it may say more than the folder: the precision, say).
    Statement ids = catalog.connection().statement("SELECT DISTINCT model_id FROM embeddings");
    if (!ids.next())
        qFatal("the first folder has no embeddings");
    const QString modelId = ids.text(0);
    if (ids.next())
        qFatal("the first folder has embeddings of two models");
    const std::vector<PhotoRecord> real = catalog.photos();
    if (real.size() != size_t(perFolder))
        qFatal("the first folder gave %zu rows, not %d", real.size(), perFolder);
    const PhotoRecord model = real.front();
    const std::vector<float> vector = catalog.embedding(model.id, modelId);
    for (const PhotoRecord& r : real)
        if (!sameExceptFile(r, model) || !closeTo(catalog.embedding(r.id, modelId), vector))
            qFatal("the indexer wrote different rows for one picture (%s): cannot clone them", qPrintable(r.path));
    QElapsedTimer t;
    t.start();
    std::unique_ptr<Catalog::Transaction> transaction;
    for (int i = perFolder; i < photos; ++i) {
        if (!transaction)
            transaction = std::make_unique<Catalog::Transaction>(catalog);
        const int folder = i / perFolder;
        const QString path = QStringLiteral("%1/%2/%3/IMG_%4.jpg")
                                 .arg(photosRoot)
                                 .arg(2000 + folder / 20)
                                 .arg(folder, 4, 10, QLatin1Char('0'))
                                 .arg(i, 6, 10, QLatin1Char('0'));
        struct stat st {};
        const PhotoFile file = readPhotoFile(path);
        if (!file.error.isEmpty() || ::stat(QFile::encodeName(path).constData(), &st) != 0)
            qFatal("cannot read %s", qPrintable(path));
        PhotoRecord r = model;
        r.id = 0;
        r.path = path;
        r.size = qint64(st.st_size); // as FolderScanner reads them
        r.mtimeMs = qint64(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1'000'000;
        r.contentHash = file.contentHash;
        catalog.insertPhoto(r);
        catalog.putEmbedding(r.id, modelId, vector, r.contentHash);
        if (i % 5000 == 0 || i + 1 == photos) {
            transaction->commit();
            transaction.reset();
        }
    }
    std::printf("seeded %d rows through the Catalog API in %.1f s\n", photos - perFolder,
                double(t.elapsed()) / 1000.0);
}

// The library as the real indexer leaves it; done once per --keep DIR. The
// first folder is indexed for real; the other rows are cloned (indexing
// 200k photos with the encoder would take the better part of an hour on 2
// cores); then one real run over everything, which must find nothing to
// encode, rebuilds the vector file and tags the library as after indexing.
void buildLibrary(const QString& cli, const QString& dir, int photos, int perFolder)
{
    const QString ready = dir + QStringLiteral("/library/.bench-indexed");
    if (QFile::exists(ready))
        return;
    const QString root = QFileInfo(dir + QStringLiteral("/photos")).canonicalFilePath();
    const QString first = QStringLiteral("%1/2000/0000").arg(root);
    const CliRun real = runCli(cli, indexArgs(dir, first), 3600 * 1000);
    std::printf("real index of %s: exit %d in %.1f s: %s\n", qPrintable(first), real.exitCode, real.seconds,
                QJsonDocument(real.summary).toJson(QJsonDocument::Compact).constData());
    if (real.exitCode != 0 || real.summary.value(QStringLiteral("added")).toInt() != std::min(photos, perFolder))
        qFatal("the first index run did not add every photo:\n%s", real.err.constData());
    seedRows(dir, root, photos, perFolder);
    const CliRun settle = runCli(cli, indexArgs(dir, root), 3600 * 1000);
    std::printf("settling run (vector file rebuilt, library tagged): exit %d in %.1f s: %s\n", settle.exitCode,
                settle.seconds, QJsonDocument(settle.summary).toJson(QJsonDocument::Compact).constData());
    if (settle.exitCode != 0 || settle.summary.value(QStringLiteral("unchanged")).toInt() != photos
        || settle.summary.value(QStringLiteral("encoderSeconds")).toDouble() != 0)
        qFatal("the seeded library is not what the indexer would have written:\n%s", settle.err.constData());
    QFile(ready).open(QIODevice::WriteOnly);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int photos = intOption(args, QStringLiteral("--photos"), 200000);
    const int perFolder = std::max(1, intOption(args, QStringLiteral("--per-folder"), 100));
    const int runs = std::max(1, intOption(args, QStringLiteral("--runs"), 3));
    const bool cold = args.contains(QStringLiteral("--drop-caches"));
    const QString cli = textOption(args, QStringLiteral("--cli"), QStringLiteral(PHOTOSEARCH_CLI));
    std::unique_ptr<QTemporaryDir> temp;
    QString dir = textOption(args, QStringLiteral("--keep"), QString());
    if (dir.isEmpty()) {
        temp = std::make_unique<QTemporaryDir>();
        dir = temp->path();
    }
    dir = QDir(dir).absolutePath();
    QDir().mkpath(dir);

    const QString made = dir + QStringLiteral("/photos/.bench-made-%1-%2").arg(photos).arg(perFolder);
    if (!QFile::exists(made)) {
        QDir(dir + QStringLiteral("/photos")).removeRecursively();
        QDir(dir + QStringLiteral("/library")).removeRecursively();
        makePhotos(dir, photos, perFolder);
        QFile(made).open(QIODevice::WriteOnly);
    }
    QString error;
    if (!QFile::exists(dir + QStringLiteral("/model/config.json"))
        && !testmodel::writeTinyClipModel(dir + QStringLiteral("/model"), &error))
        qFatal("cannot write the model: %s", qPrintable(error));
    buildLibrary(cli, dir, photos, perFolder);

    std::printf("no-change rescan of %d photos (%s page cache), %s\n", photos, cold ? "cold" : "warm",
                qPrintable(cli));
    const QStringList rescan = indexArgs(dir, dir + QStringLiteral("/photos"));
    for (int run = 1; run <= runs; ++run) {
        if (cold && !dropCaches())
            std::printf("  (cannot drop the page cache: not root?)\n");
        const QString loadBefore = loadAverage();
        const CliRun r = runCli(cli, rescan, 3600 * 1000);
        const QJsonObject& s = r.summary;
        const bool nothingChanged = r.exitCode == 0 && s.value(QStringLiteral("unchanged")).toInt() == photos
                                    && s.value(QStringLiteral("added")).toInt() == 0
                                    && s.value(QStringLiteral("updated")).toInt() == 0
                                    && s.value(QStringLiteral("removed")).toInt() == 0
                                    && s.value(QStringLiteral("encoderSeconds")).toDouble() == 0;
        std::printf("  run %d: %.2f s wall, %.2f s CPU (load %s before, %s after), exit %d, %s\n    %s\n", run,
                    r.seconds, r.cpuSeconds, qPrintable(loadBefore), qPrintable(loadAverage()), r.exitCode,
                    nothingChanged ? "nothing changed" : "SOMETHING CHANGED",
                    QJsonDocument(s).toJson(QJsonDocument::Compact).constData());
        printTimings(r.err);
        if (!nothingChanged)
            std::printf("%s\n", r.err.constData());
    }
    return 0;
}
