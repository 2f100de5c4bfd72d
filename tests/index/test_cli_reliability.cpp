// photosearch-cli against hostile input (the reliability issue): a FIFO or
// a device given as an image is refused by type before it is opened (never
// a hang, never a read that does not end), a huge file of zeros named .jpg
// is refused from its header, and a truncated JPEG is recorded as a failure
// with the reason. Each test runs the CLI as a process with a timeout.

// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoder.h"

#include "Catalog.h"
#include "CliRun.h"
#include "GeneratedLibrary.h"
#include "LibraryDigests.h"
#include "Indexer.h"
#include "ModelIdentity.h"
#include "TestImages.h"
#include "TinyModel.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using photosearch::testcli::Run;
using photosearch::testcli::runCli;
using photosearch::testlibrary::libraryDigests;
namespace ti = photosearch::testimages;

class TestCliReliability : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString model_;
    QString photos_;  // a few plain JPEGs
    QString library_; // photos_ indexed with model_

    QStringList lib(QStringList args) const
    {
        args.insert(1, QStringLiteral("--library"));
        args.insert(2, library_);
        return args;
    }

    QString path(const QString& name) const { return temp_.filePath(name); }

    // The refusal of `file` by `command`: non-zero within 30 s (a hang is
    // killed and fails), one sentence on stderr naming the file.
    void expectRefused(const QStringList& args, const QString& file, const char* kind)
    {
        const Run r = runCli(args, 30000);
        QVERIFY2(r.exitCode != -1, qPrintable(QStringLiteral("%1 hung or crashed").arg(args.join(' '))));
        QVERIFY2(r.exitCode != 0, r.out.constData());
        QVERIFY2(r.err.contains(QFileInfo(file).fileName().toUtf8()), r.err.constData());
        QVERIFY2(r.err.contains(kind), r.err.constData());
    }


    // search, similar and stats answer; index refuses with one sentence.
    void expectReadOnlyWorks(const QString& library, const char* refusal)
    {
        const QStringList at = {QStringLiteral("--library"), library};
        const Run search = runCli(QStringList{QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("-k"),
                                              QStringLiteral("2"), QStringLiteral("a red car")} + at);
        QVERIFY2(search.exitCode == 0, search.err.constData());
        QCOMPARE(search.lines().size(), 2);
        const QString photo = QDir(photos_).filePath(QStringLiteral("p1.jpg"));
        const Run similar = runCli(QStringList{QStringLiteral("similar"), QStringLiteral("-k"), QStringLiteral("2"), photo} + at);
        QVERIFY2(similar.exitCode == 0, similar.err.constData());
        QCOMPARE(similar.lines().value(0).value(QStringLiteral("path")).toString(), photo);
        const Run stats = runCli(QStringList{QStringLiteral("stats")} + at);
        QVERIFY2(stats.exitCode == 0, stats.err.constData());
        QCOMPARE(stats.lines().value(0).value(QStringLiteral("photos")).toInt(), 4);
        const Run index = runCli(QStringList{QStringLiteral("index"), photos_} + at);
        QCOMPARE(index.exitCode, 1);
        QCOMPARE(index.err.count('\n'), 1);
        QVERIFY2(index.err.contains(refusal), index.err.constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("PHOTOSEARCH_MODEL");
        model_ = photosearch::testlib::tinyClipDir();
        if (model_.isEmpty())
            QFAIL("could not write a tiny CLIP model for the tests (see the warning above)");
        photos_ = path(QStringLiteral("photos"));
        QVERIFY(QDir().mkpath(photos_));
        for (int i = 0; i < 4; ++i)
            QVERIFY(ti::writeImage(ti::makePicture(320, 240, 100 + i), QDir(photos_).filePath(QStringLiteral("p%1.jpg").arg(i)),
                                   photosearch::ImageFormat::Jpeg));
        library_ = path(QStringLiteral("library"));
        const Run r = runCli({QStringLiteral("index"), QStringLiteral("--library"), library_, QStringLiteral("--model"), model_,
                              photos_});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void cleanupTestCase() { photosearch::testlib::removeTree(temp_.path()); }

    // Item 1: a FIFO blocks open() until a writer comes; it is refused by type.
    void fifoIsRefusedNotOpened()
    {
        const QString fifo = path(QStringLiteral("pipe.jpg"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0644), 0);
        expectRefused({QStringLiteral("similar"), QStringLiteral("--library"), library_, fifo}, fifo, "named pipe");
        expectRefused({QStringLiteral("classify"), QStringLiteral("--model"), model_, QStringLiteral("--labels"),
                       QStringLiteral("cat,dog"), fifo},
                      fifo, "named pipe");
    }

    // Item 2: a device never ends; through a symlink named .jpg it is still one.
    void deviceIsRefusedByType()
    {
        const QString link = path(QStringLiteral("zero.jpg"));
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), link));
        expectRefused({QStringLiteral("similar"), QStringLiteral("--library"), library_, QStringLiteral("/dev/zero")},
                      QStringLiteral("/dev/zero"), "character device");
        expectRefused({QStringLiteral("similar"), QStringLiteral("--library"), library_, link}, link, "character device");
    }

    // Item 2: 900 MB of zeros named .jpg is refused from its first bytes,
    // not read whole (peak RSS well under the file's size).
    void hugeZeroFileIsRefusedFromItsHeader()
    {
        if (!QFile::exists(QStringLiteral("/usr/bin/time")))
            QSKIP("/usr/bin/time is not installed");
        const QString zeros = path(QStringLiteral("zeros.jpg"));
        {
            QFile f(zeros);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QVERIFY(f.resize(qint64(900) * 1024 * 1024)); // sparse: no disk used
        }
        QProcess p;
        p.start(QStringLiteral("/usr/bin/time"), {QStringLiteral("-f"), QStringLiteral("maxrss=%M"),
                                                  QStringLiteral(PHOTOSEARCH_CLI), QStringLiteral("similar"),
                                                  QStringLiteral("--library"), library_, zeros});
        QVERIFY(p.waitForFinished(60000));
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(p.exitCode() != 0, err.constData());
        QVERIFY2(err.contains("zeros.jpg"), err.constData());
        const qsizetype at = err.lastIndexOf("maxrss=");
        QVERIFY2(at >= 0, err.constData());
        const qint64 kib = err.mid(at + 7).trimmed().toLongLong();
        QVERIFY2(kib > 0 && kib < 300 * 1024, err.constData());
        QFile::remove(zeros);
    }

    // Item 6: the first 1,000 bytes of a JPEG are recorded as a failure
    // with the reason; a JPEG with bytes after its end marker still indexes.
    void truncatedJpegIsAFailure()
    {
        const QString tree = path(QStringLiteral("truncated-tree"));
        QVERIFY(QDir().mkpath(tree));
        const QString whole = QDir(tree).filePath(QStringLiteral("whole.jpg"));
        QVERIFY(ti::writeImage(ti::makePicture(400, 300, 7), whole, photosearch::ImageFormat::Jpeg));
        QVERIFY(QFileInfo(whole).size() > 3000);
        const QString cut = QDir(tree).filePath(QStringLiteral("cut.jpg"));
        QVERIFY(ti::writeTruncatedCopy(whole, cut, 1000));
        const QString trailer = QDir(tree).filePath(QStringLiteral("trailer.jpg"));
        QVERIFY(QFile::copy(whole, trailer));
        {
            QFile f(trailer);
            QVERIFY(f.open(QIODevice::Append));
            f.write(QByteArray(4096, '\0'));
            f.write(QByteArray("camera trailer \xFF\x01 not image data"));
        }
        const QString library = path(QStringLiteral("truncated-library"));
        const Run index = runCli({QStringLiteral("index"), QStringLiteral("--library"), library,
                                  QStringLiteral("--model"), model_, tree});
        QVERIFY2(index.exitCode == 0, index.err.constData());
        QCOMPARE(index.lines().value(0).value(QStringLiteral("added")).toInt(), 2);
        QCOMPARE(index.lines().value(0).value(QStringLiteral("failed")).toInt(), 1);
        const Run stats = runCli({QStringLiteral("stats"), QStringLiteral("--library"), library});
        QVERIFY2(stats.exitCode == 0, stats.err.constData());
        const QJsonArray failures = stats.lines().value(0).value(QStringLiteral("failures")).toArray();
        QCOMPARE(failures.size(), 1);
        const QJsonObject failure = failures.first().toObject();
        QVERIFY(failure.value(QStringLiteral("path")).toString().endsWith(QLatin1String("cut.jpg")));
        QVERIFY2(failure.value(QStringLiteral("error")).toString().contains(QLatin1String("truncated")),
                 qPrintable(failure.value(QStringLiteral("error")).toString()));
    }

    // Item 3: a read-only library is searched and counted, never written.
    // PHOTOSEARCH_READ_ONLY=1 forces the mode (root, who runs CI, ignores
    // permission bits); the chmod part runs only for other users.
    void readOnlyLibrarySearchesWithoutWriting()
    {
        const QString library = path(QStringLiteral("ro-library"));
        const Run r = runCli({QStringLiteral("index"), QStringLiteral("--library"), library, QStringLiteral("--model"), model_,
                              photos_});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QMap<QString, QByteArray> before = libraryDigests(library);
        QVERIFY(before.contains(QStringLiteral("catalog.sqlite")));
        QStringList faiss = QDir(library).entryList({QStringLiteral("vectors-*.faiss")});
        QCOMPARE(faiss.size(), 1);

        qputenv("PHOTOSEARCH_READ_ONLY", "1");
        expectReadOnlyWorks(library, "read-only");
        QCOMPARE(libraryDigests(library), before);
        // A missing FAISS file is rebuilt in memory and not written back.
        QVERIFY(QFile::remove(QDir(library).filePath(faiss.first())));
        const QMap<QString, QByteArray> withoutFaiss = libraryDigests(library);
        expectReadOnlyWorks(library, "read-only");
        QCOMPARE(libraryDigests(library), withoutFaiss);
        qunsetenv("PHOTOSEARCH_READ_ONLY");

        if (::geteuid() == 0)
            QSKIP("the chmod part needs a user that permission bits apply to (root ignores them); "
                  "the PHOTOSEARCH_READ_ONLY part above ran");
        const auto setWritable = [&](bool writable) {
            for (const QFileInfo& f : QDir(library).entryInfoList(QDir::Files | QDir::Hidden))
                QFile::setPermissions(f.filePath(), writable ? f.permissions() | QFile::WriteOwner
                                                             : f.permissions() & ~(QFile::WriteOwner | QFile::WriteUser | QFile::WriteGroup | QFile::WriteOther));
            const QFileInfo d(library);
            QFile::setPermissions(library, writable ? d.permissions() | QFile::WriteOwner
                                                    : d.permissions() & ~(QFile::WriteOwner | QFile::WriteUser | QFile::WriteGroup | QFile::WriteOther));
        };
        setWritable(false);
        expectReadOnlyWorks(library, "not writable");
        setWritable(true);
        QCOMPARE(libraryDigests(library), withoutFaiss);
    }

    // Item 5: a file whose name is not UTF-8 is not "missing": Qt cannot
    // carry such a name in a QString, so the CLI says so, naming the bytes.
    void nonUtf8NameIsExplained()
    {
        const QByteArray dir = QFile::encodeName(path(QStringLiteral("raw-names")));
        QVERIFY(QDir().mkpath(QFile::decodeName(dir)));
        const QByteArray raw = dir + "/\xff\xfe.jpg";
        {
            QFile whole(QDir(photos_).filePath(QStringLiteral("p0.jpg")));
            QVERIFY(whole.open(QIODevice::ReadOnly));
            const QByteArray bytes = whole.readAll();
            const int fd = ::open(raw.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            QVERIFY(fd >= 0);
            QCOMPARE(::write(fd, bytes.constData(), size_t(bytes.size())), ssize_t(bytes.size()));
            ::close(fd);
        }
        // The raw bytes reach argv through the shell (QProcess takes QStrings).
        QProcess p;
        p.start(QStringLiteral("/bin/sh"),
                {QStringLiteral("-c"), QStringLiteral("exec \"$0\" similar --library \"$1\" \"$2/$(printf '\\377\\376').jpg\""),
                 QStringLiteral(PHOTOSEARCH_CLI), library_, QFile::decodeName(dir)});
        QVERIFY(p.waitForFinished(30000));
        const QByteArray err = p.readAllStandardError();
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(err.contains("not valid UTF-8") && err.contains("\\xff\\xfe.jpg"), err.constData());
        QVERIFY2(!err.contains("No such file"), err.constData());
        QCOMPARE(err.count('\n'), 1);

        // stats names it by its bytes (\xHH), not with U+FFFD.
        const QString library = path(QStringLiteral("raw-library"));
        const Run index = runCli({QStringLiteral("index"), QStringLiteral("--library"), library, QStringLiteral("--model"),
                                  model_, QFile::decodeName(dir)});
        QVERIFY2(index.exitCode == 0, index.err.constData());
        const Run stats = runCli({QStringLiteral("stats"), QStringLiteral("--library"), library});
        const QJsonArray failures = stats.lines().value(0).value(QStringLiteral("failures")).toArray();
        QCOMPARE(failures.size(), 1);
        const QString shown = failures.first().toObject().value(QStringLiteral("path")).toString();
        QCOMPARE(shown, QFile::decodeName(dir) + QStringLiteral("/\\xff\\xfe.jpg"));
    }

    // Item 4: index.lock that cannot be made because of the disk blames the
    // disk, not the lock (a full disk cannot be made here without root).
    void lockFailureNamesTheDisk()
    {
        const QString dir = QStringLiteral("/media/backup/library");
        const QString full = photosearch::lockFileErrorSentence(ENOSPC, dir);
        QVERIFY2(full.contains(QLatin1String("is full")) && full.contains(dir), qPrintable(full));
        QVERIFY(!full.contains(QLatin1String("index.lock")));
        QVERIFY(photosearch::lockFileErrorSentence(EDQUOT, dir).contains(QLatin1String("quota")));
        QVERIFY(photosearch::lockFileErrorSentence(EROFS, dir).contains(QLatin1String("read-only disk")));
        QVERIFY(photosearch::lockFileErrorSentence(EACCES, dir).contains(QLatin1String("not writable")));
        for (const int other : {0, EEXIST, EINTR, EIO})
            QVERIFY(photosearch::lockFileErrorSentence(other, dir).isEmpty());
        for (const int e : {ENOSPC, EDQUOT, EROFS, EACCES}) {
            const QString sentence = photosearch::lockFileErrorSentence(e, dir);
            QVERIFY(!sentence.contains(QLatin1Char('\n')));
            QVERIFY(sentence.endsWith(QLatin1Char('.')));
        }
    }

    // Item 7: a file found by the scan and gone when read is counted
    // (`vanished`), so the summary adds up; every recorded reason is one
    // line (libheif's words for a truncated HEIC held a line break).
    void summaryCountsVanishedAndReasonsAreOneLine()
    {
        const QString tree = path(QStringLiteral("vanishing"));
        QVERIFY(QDir().mkpath(tree));
        // The scan reports progress at 1,000 files found: all of them here.
        for (int i = 0; i < 1000; ++i) {
            QFile f(QDir(tree).filePath(QStringLiteral("e%1.jpg").arg(i)));
            QVERIFY(f.open(QIODevice::WriteOnly)); // empty: a failure, decoded by no one
        }
        const QString gone = QDir(tree).filePath(QStringLiteral("e0.jpg"));
        const photosearch::ClipEncoder encoder(model_, clip::chooseCompute(clip::DevicePreference::Cpu));
        const QString library = path(QStringLiteral("vanishing-library"));
        photosearch::Indexer indexer(library, encoder.model(), encoder.preprocessor(),
                                     photosearch::modelIdForDirectory(model_));
        photosearch::IndexOptions options;
        options.roots = {tree};
        options.workers = 2;
        const photosearch::IndexSummary s = indexer.run(options, nullptr, [&](const photosearch::IndexProgress& p) {
            if (p.phase == photosearch::IndexProgress::Phase::Scanning && p.done == 1000)
                QFile::remove(gone);
        });
        QVERIFY(!QFile::exists(gone));
        QCOMPARE(s.scanned, qint64(1000));
        QCOMPARE(s.vanished, qint64(1));
        QCOMPARE(s.failed, qint64(999));
        QCOMPARE(s.added + s.updated + s.unchanged + s.failed + s.vanished, s.scanned);

        // A truncated HEIC (when this machine can write one) among the failures.
        const QString heic = QDir(tree).filePath(QStringLiteral("whole.heic"));
        QString error;
        if (ti::writeImage(ti::makePicture(256, 192, 61), heic, photosearch::ImageFormat::Heif, &error)) {
            for (const qint64 keep : {qint64(200), QFileInfo(heic).size() / 2})
                QVERIFY(ti::writeTruncatedCopy(heic, QDir(tree).filePath(QStringLiteral("cut-%1.heic").arg(keep)), keep));
            QFile::remove(heic);
        } else {
            qWarning("no truncated HEIC in this run: %s", qPrintable(error));
        }
        indexer.run(options);
        const photosearch::Catalog catalog(library);
        const photosearch::Catalog::Stats stats = catalog.stats();
        QVERIFY(!stats.failures.empty());
        for (const auto& [file, reason] : stats.failures)
            QVERIFY2(!reason.contains(QLatin1Char('\n')) && !reason.contains(QLatin1Char('\r')), qPrintable(reason));
    }
};

QTEST_GUILESS_MAIN(TestCliReliability)
#include "test_cli_reliability.moc"
