// A disk that fills up in the middle of an index run (issue 16, "nothing
// lost under faults"). The full disk is a file-size limit (RLIMIT_FSIZE) on
// the photosearch-cli child, with SIGXFSZ ignored so that a write past it
// fails with EFBIG instead of killing the process: unlike chmod or a small
// mount, it works as root and needs no privilege. The product must read
// EFBIG as it reads ENOSPC: a full disk.
//
// Checked: the run stops with a non-zero exit and one sentence naming the
// full disk (not the lock, not SQLite's words); what was committed stays
// (integrity_check ok, still found by search and similar); the next run
// with room finishes the job, every photo indexed exactly once.

// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoder.h"

#include "Catalog.h"
#include "CliRun.h"
#include "GeneratedLibrary.h"
#include "IndexWorker.h"
#include "SqliteConnection.h"
#include "TestImages.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <climits>
#include <csignal>
#include <functional>

#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

using photosearch::testcli::Run;
using photosearch::testcli::runCli;
using photosearch::testcli::runCliWithFileLimit;
namespace ti = photosearch::testimages;

namespace {

constexpr int kFirst = 6;   // photos indexed with room
constexpr int kSecond = 24; // photos of the run that fills the disk

// The lines of stderr that are the CLI's error (progress and logs aside).
QList<QByteArray> errorLines(const QByteArray& err)
{
    QList<QByteArray> lines;
    for (const QByteArray& line : err.split('\n'))
        if (line.startsWith("photosearch-cli:"))
            lines << line;
    return lines;
}

// The same limit on this process while it lives (soft limit only, so that
// it can be lifted again): for what runs in-process, like the window's
// IndexWorker.
class FileSizeLimit {
public:
    explicit FileSizeLimit(qint64 bytes)
    {
        ::getrlimit(RLIMIT_FSIZE, &saved_);
        savedHandler_ = ::signal(SIGXFSZ, SIG_IGN);
        struct rlimit limit = saved_;
        limit.rlim_cur = rlim_t(bytes);
        ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    ~FileSizeLimit()
    {
        ::setrlimit(RLIMIT_FSIZE, &saved_);
        ::signal(SIGXFSZ, savedHandler_);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

private:
    struct rlimit saved_ {};
    void (*savedHandler_)(int) = SIG_DFL;
};

// Set for the copy of this suite that runs the tmpfs case in a private
// mount namespace: the namespace of the process that started it, where
// nothing may be mounted.
constexpr char kOuterMountNamespace[] = "PHOTOSEARCH_TEST_OUTER_MOUNT_NAMESPACE";

// "mnt:[4026531841]": names this process's mount namespace.
QByteArray mountNamespace()
{
    char target[PATH_MAX] = {};
    const ssize_t n = ::readlink("/proc/self/ns/mnt", target, sizeof target - 1);
    return n > 0 ? QByteArray(target, int(n)) : QByteArray();
}

// unshare(1) with a mount namespace of its own whose mounts propagate
// nowhere: what is mounted there ends with the last process in it, even
// one killed or aborted half-way, and is never seen outside.
const QStringList kPrivateMounts = {QStringLiteral("--mount"), QStringLiteral("--propagation"),
                                    QStringLiteral("private")};

bool copyFolder(const QString& from, const QString& to)
{
    if (!QDir().mkpath(to))
        return false;
    for (const QFileInfo& f : QDir(from).entryInfoList(QDir::Files | QDir::Hidden))
        if (!QFile::copy(f.filePath(), QDir(to).filePath(f.fileName())))
            return false;
    return true;
}

} // namespace

class TestDiskFull : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString model_;
    QString first_;  // indexed with room
    QString second_; // added by the run that fills the disk
    QString base_;   // a library holding first_

    QString path(const QString& name) const { return temp_.filePath(name); }

    QStringList indexArgs(const QString& library) const
    {
        return {QStringLiteral("index"), QStringLiteral("--library"), library, QStringLiteral("--model"), model_,
                QStringLiteral("--batch"), QStringLiteral("2"), first_, second_};
    }

    static QStringList catalogPaths(const QString& library)
    {
        const photosearch::Catalog catalog(library, photosearch::Catalog::Access::ReadOnly);
        QStringList paths;
        for (const photosearch::PhotoRecord& p : catalog.photos())
            paths << p.path;
        return paths;
    }

    static QString integrity(const QString& library)
    {
        const photosearch::SqliteConnection db(QDir(library).filePath(QStringLiteral("catalog.sqlite")), true);
        auto check = db.statement("PRAGMA integrity_check");
        return check.next() ? check.text(0) : QStringLiteral("(no answer)");
    }

    // The one sentence of a run stopped by the full disk.
    static void expectFullDiskSentence(const Run& r)
    {
        QVERIFY2(r.exitCode != -1, "the CLI crashed or hung (SIGXFSZ not ignored?)");
        QVERIFY2(r.exitCode != 0, r.out.constData());
        const QList<QByteArray> errors = errorLines(r.err);
        QVERIFY2(errors.size() == 1, r.err.constData());
        const QByteArray& sentence = errors.first();
        QVERIFY2(sentence.contains("is full"), sentence.constData());
        for (const char* wrong : {"lock", "SQLITE", "disk I/O error", "could not be read", "Another PhotoSearch"})
            QVERIFY2(!sentence.contains(wrong), sentence.constData());
        // One sentence: nothing after its full stop.
        QVERIFY2(sentence.trimmed().endsWith('.') && sentence.count(". ") == 0, sentence.constData());
    }

    // What a run stopped by the full disk must leave, and what a run with
    // room must make of it. `attempt(room, &library)` indexes into a fresh
    // copy of the base library with `room` bytes to grow into and returns
    // the run; the room that strikes in the middle depends on the catalog's
    // page use, so it is found by doubling until a run stops with part of
    // the second folder committed. `makeRoom(library)` lifts the limit.
    void checkStopInTheMiddle(const std::function<Run(qint64 room, QString* library)>& attempt,
                              const std::function<void(const QString& library)>& makeRoom)
    {
        QString library;
        Run stopped;
        QStringList committed;
        for (qint64 room = 48 * 1024; room <= 64LL * 1024 * 1024; room *= 2) {
            stopped = attempt(room, &library);
            if (QTest::currentTestFailed())
                return;
            QVERIFY2(stopped.exitCode != 0,
                     qPrintable(QStringLiteral("%1 bytes of room let the run finish before any stop in the "
                                               "middle was seen")
                                    .arg(room)));
            committed = catalogPaths(library);
            if (committed.size() > kFirst)
                break;
        }
        QVERIFY2(committed.size() > kFirst && committed.size() < kFirst + kSecond,
                 qPrintable(QStringLiteral("no limit stopped the run in the middle (%1 photos); the last run "
                                           "(exit %2) said: %3")
                                .arg(committed.size()).arg(stopped.exitCode)
                                .arg(QString::fromUtf8(stopped.err.right(2000)))));
        qInfo("stopped with %d of %d photos committed", int(committed.size()), kFirst + kSecond);
        expectFullDiskSentence(stopped);
        if (QTest::currentTestFailed())
            return;

        // What was committed stays, and the library opens and searches.
        QCOMPARE(integrity(library), QStringLiteral("ok"));
        const QStringList at = {QStringLiteral("--library"), library};
        const Run search = runCli(QStringList{QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("-k"),
                                              QStringLiteral("1000"), QStringLiteral("a photo")} + at);
        QVERIFY2(search.exitCode == 0, search.err.constData());
        QCOMPARE(search.lines().size(), committed.size());
        const QString early = QDir(first_).filePath(QStringLiteral("a0.jpg"));
        QString late; // one committed by the run that filled the disk
        for (const QString& p : committed)
            if (p.startsWith(second_))
                late = p;
        QVERIFY(!late.isEmpty());
        for (const QString& photo : {early, late}) {
            const Run similar = runCli(QStringList{QStringLiteral("similar"), QStringLiteral("-k"), QStringLiteral("1"),
                                                   photo} + at);
            QVERIFY2(similar.exitCode == 0, similar.err.constData());
            QCOMPARE(similar.lines().value(0).value(QStringLiteral("path")).toString(), photo);
        }

        // A run with room finishes the job: each photo once.
        makeRoom(library);
        if (QTest::currentTestFailed())
            return;
        const Run resumed = runCli(indexArgs(library));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QCOMPARE(resumed.lines().value(0).value(QStringLiteral("added")).toInt(),
                 kFirst + kSecond - int(committed.size()));
        const QStringList all = catalogPaths(library);
        QCOMPARE(all.size(), kFirst + kSecond);
        QCOMPARE(QSet<QString>(all.begin(), all.end()).size(), kFirst + kSecond);
        QCOMPARE(integrity(library), QStringLiteral("ok"));
        const photosearch::Catalog catalog(library, photosearch::Catalog::Access::ReadOnly);
        QCOMPARE(catalog.stats().failures.size(), size_t(0));
        const Run after = runCli(QStringList{QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("-k"),
                                             QStringLiteral("1000"), QStringLiteral("a photo")} + at);
        QVERIFY2(after.exitCode == 0, after.err.constData());
        QCOMPARE(after.lines().size(), kFirst + kSecond);
    }

    // Runs this test function again in a copy of this suite under
    // unshare(1), and reports what the copy reported: its failure, its
    // skip, or its pass.
    void runInPrivateMountNamespace()
    {
        if (::geteuid() != 0)
            QSKIP("mounting a tmpfs needs root; the file-size limit case covers a full disk");
        QProcess probe;
        probe.start(QStringLiteral("unshare"), kPrivateMounts + QStringList{QStringLiteral("true")});
        if (!probe.waitForFinished(60000) || probe.exitStatus() != QProcess::NormalExit || probe.exitCode() != 0)
            QSKIP("cannot make a private mount namespace here (unshare --mount failed or is missing); the file-size "
                  "limit case covers a full disk");
        const QString function = QString::fromLatin1(QTest::currentTestFunction());
        QProcess copy;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(kOuterMountNamespace), QString::fromLatin1(mountNamespace()));
        copy.setProcessEnvironment(env);
        copy.setProcessChannelMode(QProcess::MergedChannels);
        copy.start(QStringLiteral("unshare"),
                   kPrivateMounts + QStringList{QCoreApplication::applicationFilePath(), function});
        if (!copy.waitForFinished(600000)) {
            copy.kill(); // its namespace, and the mount, end with it and its children
            copy.waitForFinished();
            QFAIL(qPrintable(QStringLiteral("the copy in a private mount namespace did not end in 10 minutes:\n")
                             + QString::fromLocal8Bit(copy.readAll())));
        }
        const QString output = QString::fromLocal8Bit(copy.readAll());
        const QString report = QStringLiteral("the copy in a private mount namespace (%1 %2) said:\n%3")
                                   .arg(QCoreApplication::applicationFilePath(), function, output);
        QVERIFY2(copy.exitStatus() == QProcess::NormalExit && copy.exitCode() == 0, qPrintable(report));
        const QString tag = QStringLiteral("TestDiskFull::%1()").arg(function);
        for (const QString& line : output.split(QLatin1Char('\n'))) {
            if (line.startsWith(QLatin1String("QINFO  : ") + tag))
                qInfo("%s", qPrintable(line.mid(9 + tag.size()).trimmed()));
            if (line.startsWith(QLatin1String("SKIP   : ") + tag))
                QSKIP(qPrintable(line.mid(9 + tag.size()).trimmed()));
        }
        QVERIFY2(output.contains(QLatin1String("PASS   : ") + tag), qPrintable(report));
    }

    // In the private mount namespace: the mount is resized for each attempt.
    void fullTmpfsCase()
    {
        const QString mountPoint = path(QStringLiteral("tmpfs"));
        QVERIFY(QDir().mkpath(mountPoint));
        const QByteArray where = QFile::encodeName(mountPoint);
        if (::geteuid() != 0 || ::mount("tmpfs", where.constData(), "tmpfs", 0, "size=64k") != 0)
            QSKIP("cannot mount a tmpfs here (needs root outside a restricted container); the file-size limit case "
                  "covers a full disk");
        struct Unmount { // tidiness only: the namespace's end unmounts it too
            QByteArray where;
            ~Unmount() { ::umount2(where.constData(), MNT_DETACH); }
        } unmount{where};
        qint64 baseBytes = 0;
        for (const QFileInfo& f : QDir(base_).entryInfoList(QDir::Files | QDir::Hidden))
            baseBytes += f.size();
        int attempts = 0;
        checkStopInTheMiddle(
            [&](qint64 room, QString* library) {
                *library = QDir(mountPoint).filePath(QStringLiteral("library-%1").arg(++attempts));
                if (attempts > 1)
                    photosearch::testlib::removeTree(
                        QDir(mountPoint).filePath(QStringLiteral("library-%1").arg(attempts - 1)));
                const QByteArray size = "size=" + QByteArray::number(baseBytes + room + 64 * 1024);
                if (::mount(nullptr, where.constData(), nullptr, MS_REMOUNT, size.constData()) != 0
                    || !copyFolder(base_, *library)) {
                    QTest::qFail("cannot resize the tmpfs or copy the base library into it", __FILE__, __LINE__);
                    return Run{};
                }
                return runCli(indexArgs(*library));
            },
            [&](const QString&) {
                QVERIFY(::mount(nullptr, where.constData(), nullptr, MS_REMOUNT, "size=64m") == 0);
            });
    }

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("PHOTOSEARCH_MODEL");
        qunsetenv("PHOTOSEARCH_READ_ONLY");
        model_ = photosearch::testlib::tinyClipDir();
        if (model_.isEmpty())
            QFAIL("could not write a tiny CLIP model for the tests (see the warning above)");
        first_ = path(QStringLiteral("photos/first"));
        second_ = path(QStringLiteral("photos/second"));
        QVERIFY(QDir().mkpath(first_) && QDir().mkpath(second_));
        for (int i = 0; i < kFirst; ++i)
            QVERIFY(ti::writeImage(ti::makePicture(320, 240, 10 + i),
                                   QDir(first_).filePath(QStringLiteral("a%1.jpg").arg(i)),
                                   photosearch::ImageFormat::Jpeg));
        for (int i = 0; i < kSecond; ++i)
            QVERIFY(ti::writeImage(ti::makePicture(320, 240, 100 + i),
                                   QDir(second_).filePath(QStringLiteral("b%1.jpg").arg(i)),
                                   photosearch::ImageFormat::Jpeg));
        base_ = path(QStringLiteral("base"));
        const Run r = runCli({QStringLiteral("index"), QStringLiteral("--library"), base_, QStringLiteral("--model"),
                              model_, first_});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(catalogPaths(base_).size(), kFirst);
    }

    void cleanupTestCase() { photosearch::testlib::removeTree(temp_.path()); }

    // The full disk as a file-size limit: works everywhere, root included.
    void fullDiskStopsMidRunAndKeepsWhatWasCommitted()
    {
        checkStopInTheMiddle(
            [&](qint64 room, QString* library) {
                *library = path(QStringLiteral("library-%1").arg(room));
                if (!copyFolder(base_, *library)) {
                    QTest::qFail("cannot copy the base library", __FILE__, __LINE__);
                    return Run{};
                }
                return runCliWithFileLimit(indexArgs(*library), room);
            },
            [](const QString&) {});
    }

    // A real full disk (ENOSPC): a small tmpfs, where mounting is allowed
    // (root outside a restricted container). The mount is made by a copy of
    // this suite in a private mount namespace (unshare), so that no mount
    // outlives the case or shows on the host, whatever happens to it.
    void fullTmpfsStopsMidRunAndKeepsWhatWasCommitted()
    {
        const QByteArray outer = qgetenv(kOuterMountNamespace);
        if (outer.isEmpty()) {
            runInPrivateMountNamespace();
            return;
        }
        const QByteArray here = mountNamespace();
        QVERIFY2(!here.isEmpty() && here != outer,
                 "not in a mount namespace of its own: refusing to mount a tmpfs (run the suite, not this copy)");
        fullTmpfsCase();
    }

    // No room even for index.lock or the catalog's first page: the disk is
    // named, never the lock (a stale lock is not the problem).
    void fullDiskBeforeTheRunNamesTheDisk()
    {
        const QString library = path(QStringLiteral("library-tiny"));
        QVERIFY(copyFolder(base_, library));
        const Run r = runCliWithFileLimit(indexArgs(library), 16);
        expectFullDiskSentence(r);
        QCOMPARE(catalogPaths(library).size(), kFirst);
        QCOMPARE(integrity(library), QStringLiteral("ok"));
    }

    // The window's "remove folder" on a full disk named the lock file
    // ("another PhotoSearch is indexing it"); it names the disk, with the
    // index run's sentence, and removes nothing.
    void removingAFolderOnAFullDiskNamesTheDisk()
    {
        const QString library = path(QStringLiteral("library-remove"));
        QVERIFY(copyFolder(base_, library));
        photosearch::IndexWorker worker(library, nullptr);
        QString sentence;
        bool removed = false;
        connect(&worker, &photosearch::IndexWorker::removeFailed, this,
                [&](const QString& s, const QString&) { sentence = s; });
        connect(&worker, &photosearch::IndexWorker::rootRemoved, this, [&] { removed = true; });
        {
            const FileSizeLimit full(16); // not even index.lock fits
            worker.removeRoot(first_);
        }
        QVERIFY(!removed);
        QVERIFY2(sentence.contains(QLatin1String("is full")), qPrintable(sentence));
        QVERIFY2(!sentence.contains(QLatin1String("indexing")) && !sentence.contains(QLatin1String("lock")),
                 qPrintable(sentence));
        QCOMPARE(catalogPaths(library).size(), kFirst);

        // With room again the same call removes the folder.
        QFile::remove(QDir(library).filePath(QStringLiteral("index.lock")));
        worker.removeRoot(first_);
        QVERIFY2(removed, qPrintable(sentence));
        QCOMPARE(catalogPaths(library).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestDiskFull)
#include "test_disk_full.moc"
