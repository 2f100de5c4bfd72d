// Two promises of issue 16 ("nothing lost under faults"), checked on
// photosearch-cli as a process:
//
// - A read-only library (PHOTOSEARCH_READ_ONLY=1, which works as root where
//   permission bits do not) answers every reading command — albums, album
//   show, tags PATH, duplicates — without writing a byte, and refuses every
//   writing one (tag, tags --confirm/--remove/--clear, album
//   train/add/remove/rename/delete, index) with one sentence. duplicates on
//   photos without a stored hash answers from what is stored and says that
//   some photos were not compared.
// - The photo folders are never written: after index, search, similar, tag,
//   tags, duplicates, classify, albums and album train/add/show, every file
//   and folder of the photo tree (hidden ones included) has the same bytes,
//   size and mtime, and no entry came or went.

// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoder.h"

#include "CliRun.h"
#include "GeneratedLibrary.h"
#include "LibraryDigests.h"
#include "SqliteConnection.h"
#include "TestImages.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>

using photosearch::testcli::Run;
using photosearch::testcli::runCli;
using photosearch::testlibrary::libraryDigests;
namespace ti = photosearch::testimages;

namespace {

// Every entry under `root` (hidden and system ones too) with what would show
// a write: the bytes' SHA-256 and size for a file, the mtime for both (a
// folder's mtime moves when an entry is made or removed in it, even a
// temporary one that is gone again).
QMap<QString, QString> treeSnapshot(const QString& root)
{
    QMap<QString, QString> entries;
    const QDir base(root);
    QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    const auto describe = [](const QFileInfo& info) {
        QString line = QStringLiteral("mtime=%1 ").arg(info.lastModified().toMSecsSinceEpoch());
        if (info.isDir())
            return line + QStringLiteral("dir");
        QFile file(info.filePath());
        const QByteArray bytes = file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("(unreadable)");
        const QByteArray digest = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
        return line + QStringLiteral("size=%1 sha256=%2").arg(info.size()).arg(QString::fromLatin1(digest));
    };
    entries.insert(QStringLiteral("."), describe(QFileInfo(root)));
    while (it.hasNext()) {
        it.next();
        entries.insert(base.relativeFilePath(it.filePath()), describe(it.fileInfo()));
    }
    return entries;
}

bool copyFolder(const QString& from, const QString& to)
{
    if (!QDir().mkpath(to))
        return false;
    for (const QFileInfo& f : QDir(from).entryInfoList(QDir::Files | QDir::Hidden))
        if (!QFile::copy(f.filePath(), QDir(to).filePath(f.fileName())))
            return false;
    return true;
}

QString describeRun(const QStringList& args, const Run& r)
{
    return QStringLiteral("%1 -> exit %2\nstdout: %3\nstderr: %4")
        .arg(args.join(QLatin1Char(' ')))
        .arg(r.exitCode)
        .arg(QString::fromUtf8(r.out), QString::fromUtf8(r.err));
}

} // namespace

class TestReadOnlyLibrary : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString model_;
    QString tree_;    // the photo folders
    QString library_; // tree_ indexed, tagged, with a few-shot and a manual album
    QString heic_;    // empty when this machine cannot write HEIF

    QString photo(const QString& name) const { return QDir(tree_).filePath(name); }

    // `command` with --library `library` after its (sub)command words.
    static QStringList at(QStringList args, const QString& library, int words = 1)
    {
        args.insert(words, QStringLiteral("--library"));
        args.insert(words + 1, library);
        return args;
    }

    static Run expectOk(const QStringList& args)
    {
        const Run r = runCli(args);
        if (r.exitCode != 0)
            qWarning("%s", qPrintable(describeRun(args, r)));
        return r;
    }

    void makeTree()
    {
        tree_ = temp_.filePath(QStringLiteral("photos"));
        QVERIFY(QDir().mkpath(QDir(tree_).filePath(QStringLiteral("sub/deeper"))));
        QVERIFY(QDir().mkpath(QDir(tree_).filePath(QStringLiteral(".hidden-folder"))));
        using photosearch::ImageFormat;
        QVERIFY(ti::writeImage(ti::makePicture(320, 240, 1), photo(QStringLiteral("beach.jpg")), ImageFormat::Jpeg));
        QVERIFY(QFile::copy(photo(QStringLiteral("beach.jpg")), photo(QStringLiteral("beach copy.jpg"))));
        QVERIFY(ti::writeImage(ti::makePicture(320, 240, 2), photo(QStringLiteral("city.jpg")), ImageFormat::Jpeg));
        QVERIFY(ti::writeImage(ti::makePicture(300, 200, 3), photo(QStringLiteral("drawing.png")), ImageFormat::Png));
        QVERIFY(ti::writeImage(ti::makePicture(320, 240, 4), photo(QStringLiteral("sub/forest.jpg")),
                               ImageFormat::Jpeg));
        QVERIFY(ti::writeImage(ti::makePicture(240, 320, 5), photo(QStringLiteral("sub/deeper/night.png")),
                               ImageFormat::Png));
        QVERIFY(ti::writeImage(ti::makePicture(320, 240, 6), photo(QStringLiteral(".hidden-folder/secret.jpg")),
                               ImageFormat::Jpeg));
        QString why;
        if (ti::writeImage(ti::makePicture(320, 240, 7), photo(QStringLiteral("sub/phone.heic")), ImageFormat::Heif,
                           &why))
            heic_ = photo(QStringLiteral("sub/phone.heic"));
        else
            qInfo("no HEIC in the tree: %s", qPrintable(why));
        // Named like a photo, readable by no format: recorded as a failure.
        QFile broken(photo(QStringLiteral("broken.jpg")));
        QVERIFY(broken.open(QIODevice::WriteOnly) && broken.write("this is not a JPEG\n") > 0);
        broken.close();
        QFile hidden(photo(QStringLiteral(".notes.txt")));
        QVERIFY(hidden.open(QIODevice::WriteOnly) && hidden.write("hidden file\n") > 0);
        hidden.close();
        // An old mtime, so that a rewrite in the same second still shows.
        const QDateTime old = QDateTime::fromString(QStringLiteral("2020-05-01T12:00:00"), Qt::ISODate);
        QDirIterator it(tree_, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadWrite) && f.setFileTime(old, QFileDevice::FileModificationTime));
        }
    }

    // What makes the library the read-only tests read: indexed, tagged with
    // a confirmed "sea" on beach.jpg, hashes stored, a few-shot album
    // (Seaside) and a manual one (Trip).
    QList<QStringList> buildCommands(const QString& library) const
    {
        const QString beach = photo(QStringLiteral("beach.jpg"));
        return {
            at({QStringLiteral("index"), QStringLiteral("--model"), model_, tree_}, library),
            at({QStringLiteral("tag")}, library),
            at({QStringLiteral("tags"), QStringLiteral("--confirm"), QStringLiteral("sea"), beach}, library),
            at({QStringLiteral("duplicates")}, library),
            at({QStringLiteral("album"), QStringLiteral("train"), QStringLiteral("Seaside"),
                QStringLiteral("--positive"), beach, QStringLiteral("--negative"), photo(QStringLiteral("city.jpg"))},
               library, 2),
            at({QStringLiteral("album"), QStringLiteral("add"), QStringLiteral("Trip"), beach,
                photo(QStringLiteral("sub/forest.jpg"))},
               library, 2),
        };
    }

private Q_SLOTS:
    // Builds library_ here, so that each test function also runs alone.
    void initTestCase()
    {
        qunsetenv("PHOTOSEARCH_MODEL");
        qunsetenv("PHOTOSEARCH_READ_ONLY");
        model_ = photosearch::testlib::tinyClipDir();
        if (model_.isEmpty())
            QFAIL("could not write a tiny CLIP model for the tests (see the warning above)");
        makeTree();
        if (QTest::currentTestFailed())
            return;
        library_ = temp_.filePath(QStringLiteral("library"));
        for (const QStringList& args : buildCommands(library_)) {
            const Run r = runCli(args);
            QVERIFY2(r.exitCode == 0, qPrintable(describeRun(args, r)));
        }
    }

    // A test that failed half-way must not leave the next one read-only.
    void init() { qunsetenv("PHOTOSEARCH_READ_ONLY"); }

    void cleanupTestCase()
    {
        qunsetenv("PHOTOSEARCH_READ_ONLY");
        photosearch::testlib::removeTree(temp_.path());
    }

    // Every command on a library of its own, from the first index run on.
    void photoFoldersAreNeverWritten()
    {
        const QMap<QString, QString> before = treeSnapshot(tree_);
        QVERIFY(before.contains(QStringLiteral(".notes.txt")));
        QVERIFY(before.contains(QStringLiteral(".hidden-folder/secret.jpg")));
        const QString library = temp_.filePath(QStringLiteral("library-tree-check"));
        const QString beach = photo(QStringLiteral("beach.jpg"));
        const QString forest = photo(QStringLiteral("sub/forest.jpg"));
        QList<QStringList> commands = buildCommands(library);
        commands += {
            // A second run over unchanged files (the diff, no encoding).
            at({QStringLiteral("index"), tree_}, library),
            at({QStringLiteral("search"), QStringLiteral("a sunny beach")}, library),
            at({QStringLiteral("similar"), beach}, library),
            at({QStringLiteral("tags"), beach, forest}, library),
            at({QStringLiteral("classify"), QStringLiteral("--labels"), QStringLiteral("beach,city,forest"), beach,
                photo(QStringLiteral("drawing.png"))},
               library),
            at({QStringLiteral("album"), QStringLiteral("show"), QStringLiteral("Seaside")}, library, 2),
            at({QStringLiteral("albums")}, library),
        };
        if (!heic_.isEmpty())
            commands << at({QStringLiteral("similar"), heic_}, library);
        for (const QStringList& args : commands) {
            const Run r = expectOk(args);
            QVERIFY2(r.exitCode == 0, qPrintable(describeRun(args, r)));
        }
        const QMap<QString, QString> after = treeSnapshot(tree_);
        for (auto it = after.begin(); it != after.end(); ++it)
            QVERIFY2(before.value(it.key()) == it.value(),
                     qPrintable(QStringLiteral("%1: %2 became %3")
                                    .arg(it.key(), before.value(it.key(), QStringLiteral("(new)")), it.value())));
        for (auto it = before.begin(); it != before.end(); ++it)
            QVERIFY2(after.contains(it.key()), qPrintable(it.key() + QStringLiteral(" was removed")));
    }

    // The reading commands answer a read-only library and write nothing.
    void readCommandsWorkReadOnly()
    {
        const QMap<QString, QByteArray> before = libraryDigests(library_);
        QVERIFY(before.contains(QStringLiteral("catalog.sqlite")));
        qputenv("PHOTOSEARCH_READ_ONLY", "1");
        const QString beach = photo(QStringLiteral("beach.jpg"));

        const Run albums = expectOk(at({QStringLiteral("albums")}, library_));
        QCOMPARE(albums.exitCode, 0);
        QStringList names;
        for (const QJsonObject& line : albums.lines())
            names << line.value(QStringLiteral("name")).toString();
        QVERIFY2(names.contains(QStringLiteral("Seaside")) && names.contains(QStringLiteral("Trip")),
                 qPrintable(names.join(QLatin1Char(','))));

        const Run seaside =
            expectOk(at({QStringLiteral("album"), QStringLiteral("show"), QStringLiteral("Seaside")}, library_, 2));
        QCOMPARE(seaside.exitCode, 0);
        QVERIFY(!seaside.lines().isEmpty());
        QCOMPARE(seaside.lines().first().value(QStringLiteral("path")).toString(), beach);
        const Run trip =
            expectOk(at({QStringLiteral("album"), QStringLiteral("show"), QStringLiteral("Trip")}, library_, 2));
        QCOMPARE(trip.exitCode, 0);
        QCOMPARE(trip.lines().size(), 2);

        const Run tags = expectOk(at({QStringLiteral("tags"), beach}, library_));
        QCOMPARE(tags.exitCode, 0);
        QCOMPARE(tags.lines().size(), 1);
        QCOMPARE(tags.lines().first().value(QStringLiteral("path")).toString(), beach);
        bool confirmed = false; // the correction made before, read back
        for (const QJsonValue& t : tags.lines().first().value(QStringLiteral("tags")).toArray())
            confirmed |= t.toObject().value(QStringLiteral("tag")).toString() == QLatin1String("sea");
        QVERIFY2(confirmed, tags.out.constData());

        const Run duplicates = expectOk(at({QStringLiteral("duplicates")}, library_));
        QCOMPARE(duplicates.exitCode, 0);
        QCOMPARE(duplicates.lines().size(), 1);
        QCOMPARE(duplicates.lines().first().value(QStringLiteral("paths")).toArray().size(), 2);
        QVERIFY2(!duplicates.err.contains("not compared"), duplicates.err.constData());

        qunsetenv("PHOTOSEARCH_READ_ONLY");
        QCOMPARE(libraryDigests(library_), before);
    }

    // Photos indexed before hashes were stored: a read-only library cannot
    // store theirs, so duplicates answers from the others and says so.
    void duplicatesReadOnlySaysWhatItDidNotCompare()
    {
        const QString library = temp_.filePath(QStringLiteral("library-unhashed"));
        QVERIFY(copyFolder(library_, library));
        {
            const photosearch::SqliteConnection db(QDir(library).filePath(QStringLiteral("catalog.sqlite")));
            auto forget = db.statement("UPDATE photos SET phash = NULL WHERE path = ?1");
            forget.bind(1, photo(QStringLiteral("beach copy.jpg"))).run();
            QCOMPARE(db.changes(), 1);
        }
        const QMap<QString, QByteArray> before = libraryDigests(library);
        qputenv("PHOTOSEARCH_READ_ONLY", "1");
        const Run r = expectOk(at({QStringLiteral("duplicates")}, library));
        qunsetenv("PHOTOSEARCH_READ_ONLY");
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.lines().size(), 0); // the copy's partner was not compared
        QVERIFY2(r.err.contains("1 photo(s)") && r.err.contains("not compared") && r.err.contains("read-only"),
                 r.err.constData());
        QCOMPARE(libraryDigests(library), before);

        // Writable again, the same command stores the hash and finds the pair.
        const Run writable = expectOk(at({QStringLiteral("duplicates")}, library));
        QCOMPARE(writable.exitCode, 0);
        QCOMPARE(writable.lines().size(), 1);
    }

    // The writing commands refuse a read-only library with one sentence and
    // leave it as it was.
    void writeCommandsRefuseReadOnly()
    {
        const QMap<QString, QByteArray> before = libraryDigests(library_);
        const QString beach = photo(QStringLiteral("beach.jpg"));
        const QString city = photo(QStringLiteral("city.jpg"));
        const QList<QStringList> commands = {
            at({QStringLiteral("index"), tree_}, library_),
            at({QStringLiteral("tag")}, library_),
            at({QStringLiteral("tags"), QStringLiteral("--confirm"), QStringLiteral("boat"), beach}, library_),
            at({QStringLiteral("tags"), QStringLiteral("--remove"), QStringLiteral("sea"), beach}, library_),
            at({QStringLiteral("tags"), QStringLiteral("--clear"), QStringLiteral("sea"), beach}, library_),
            at({QStringLiteral("album"), QStringLiteral("train"), QStringLiteral("Seaside"),
                QStringLiteral("--positive"), city},
               library_, 2),
            at({QStringLiteral("album"), QStringLiteral("add"), QStringLiteral("Trip"), city}, library_, 2),
            at({QStringLiteral("album"), QStringLiteral("remove"), QStringLiteral("Trip"), beach}, library_, 2),
            at({QStringLiteral("album"), QStringLiteral("rename"), QStringLiteral("Trip"), QStringLiteral("Journey")},
               library_, 2),
            at({QStringLiteral("album"), QStringLiteral("delete"), QStringLiteral("Trip")}, library_, 2),
        };
        qputenv("PHOTOSEARCH_READ_ONLY", "1");
        for (const QStringList& args : commands) {
            const Run r = runCli(args);
            const QString what = describeRun(args, r);
            QVERIFY2(r.exitCode == 1, qPrintable(what));
            QVERIFY2(r.err.count('\n') == 1 && r.err.contains("read-only"), qPrintable(what));
            QVERIFY2(r.out.isEmpty(), qPrintable(what));
        }
        qunsetenv("PHOTOSEARCH_READ_ONLY");
        QCOMPARE(libraryDigests(library_), before);
    }
};

QTEST_GUILESS_MAIN(TestReadOnlyLibrary)
#include "test_read_only_library.moc"
