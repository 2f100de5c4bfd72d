// Camera RAW in the library (issue 17): a RAW and its JPEG twin (same
// folder, same base name) are one photo, indexed through the JPEG, with
// the RAW listed by rawTwinsOf; a RAW alone is indexed itself (format
// "raw", EXIF through exiv2); when the twin goes, the RAW is indexed on its
// own, as when the twin is broken; when a twin appears, it takes the RAW's
// row (albums, tag corrections); a RAW's path given to tags, album add or
// text means its photo. Runs
// photosearch-cli index / search / stats as a process, on DNGs the suite
// writes with libtiff.

// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoder.h"

#include "CliRun.h"
#include "Catalog.h"
#include "DngWriter.h"
#include "GeneratedLibrary.h"
#include "IndexPlan.h"
#include "PhotoMetadata.h"
#include "RawTwins.h"
#include "TestImages.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using photosearch::testcli::Run;
using photosearch::testcli::runCli;
namespace td = photosearch::testdng;
namespace ti = photosearch::testimages;
using namespace photosearch;

class TestRawTwins : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString model_;

    QString path(const QString& name) const { return temp_.filePath(name); }

    static void writeDng(const QString& file, int seed)
    {
        td::DngOptions o;
        o.scene = ti::makePicture(320, 240, seed);
        o.preview = ti::makePicture(320, 240, seed);
        o.make = QStringLiteral("PhotoSearch");
        o.model = QStringLiteral("Twin Camera");
        QString error;
        QVERIFY2(td::writeDng(file, o, &error), qPrintable(error));
    }

    static void touch(const QString& file)
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("x");
    }

    // The paths `search --all` finds in `library`, as names.
    static QSet<QString> indexedNames(const QString& library)
    {
        const Run r = runCli({QStringLiteral("search"), QStringLiteral("--library"), library, QStringLiteral("--all"),
                              QStringLiteral("-k"), QStringLiteral("50"), QStringLiteral("a photo")});
        if (r.exitCode != 0)
            qWarning("search failed: %s", r.err.constData());
        QSet<QString> names;
        for (const QJsonObject& line : r.lines())
            names.insert(QFileInfo(line.value(QStringLiteral("path")).toString()).fileName());
        return names;
    }

    // Runs `command args... --library library`, warning when it fails.
    static Run cli(const QString& command, const QString& library, const QStringList& args)
    {
        const Run r = runCli(QStringList{command} + args + QStringList{QStringLiteral("--library"), library});
        if (r.exitCode != 0)
            qWarning("%s failed (%d): %s", qPrintable(command), r.exitCode, r.err.constData());
        return r;
    }

    // The tags `tags PATH` reports confirmed for the photo at `file`.
    static QStringList confirmedTags(const QString& library, const QString& file)
    {
        QStringList confirmed;
        const Run r = cli(QStringLiteral("tags"), library, {file});
        for (const QJsonValue& t : r.lines().value(0).value(QStringLiteral("tags")).toArray())
            if (t.toObject().value(QStringLiteral("confirmed")).toBool())
                confirmed << t.toObject().value(QStringLiteral("tag")).toString();
        return confirmed;
    }

    // The file names in the album `name`.
    static QStringList albumNames(const QString& library, const QString& name)
    {
        QStringList names;
        for (const QJsonObject& line : cli(QStringLiteral("album"), library, {QStringLiteral("show"), name}).lines())
            names << QFileInfo(line.value(QStringLiteral("path")).toString()).fileName();
        return names;
    }

    void index(const QString& library, const QString& photos)
    {
        const Run r = runCli({QStringLiteral("index"), QStringLiteral("--library"), library, QStringLiteral("--model"),
                              model_, photos});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("PHOTOSEARCH_MODEL");
        model_ = testlib::tinyClipDir();
        if (model_.isEmpty())
            QFAIL("could not write a tiny CLIP model for the tests (see the warning above)");
    }

    void cleanupTestCase() { testlib::removeTree(temp_.path()); }

    // By name only: same folder, same base name (exactly), a RAW and a
    // JPEG/HEIF extension in any case.
    void twinsAreToldByName()
    {
        const QDir dir(path(QStringLiteral("names")));
        QVERIFY(QDir().mkpath(dir.path()));
        for (const char* name : {"IMG_1.jpg", "IMG_1.CR2", "IMG_1.dng", "IMG_1.x.nef", "img_1.nef", "IMG_10.NEF",
                                 "IMG_2.nef", "IMG_3.HEIC", "IMG_3.Arw", "IMG_4.png", "IMG_4.dng"})
            touch(dir.filePath(QLatin1String(name)));
        QCOMPARE(rawTwinsOf(dir.filePath(QStringLiteral("IMG_1.jpg"))),
                 QStringList({dir.filePath(QStringLiteral("IMG_1.CR2")), dir.filePath(QStringLiteral("IMG_1.dng"))}));
        QCOMPARE(rawTwinsOf(dir.filePath(QStringLiteral("IMG_3.HEIC"))),
                 QStringList({dir.filePath(QStringLiteral("IMG_3.Arw"))}));
        QVERIFY(rawTwinsOf(dir.filePath(QStringLiteral("IMG_2.nef"))).isEmpty());
        QVERIFY(rawTwinsOf(dir.filePath(QStringLiteral("IMG_4.png"))).isEmpty()); // PNG is no camera twin

        std::vector<ScannedFile> files;
        for (const QString& name : QDir(dir).entryList(QDir::Files))
            files.push_back(ScannedFile{dir.filePath(name), 1, 0, {}});
        files.push_back(ScannedFile{path(QStringLiteral("elsewhere/IMG_2.jpg")), 1, 0, {}}); // another folder
        const QHash<QString, QString> twinned = rawFilesWithTwins(files);
        const QString jpg1 = dir.filePath(QStringLiteral("IMG_1.jpg"));
        QCOMPARE(twinned, (QHash<QString, QString>{{dir.filePath(QStringLiteral("IMG_1.CR2")), jpg1},
                                                   {dir.filePath(QStringLiteral("IMG_1.dng")), jpg1},
                                                   {dir.filePath(QStringLiteral("IMG_3.Arw")),
                                                    dir.filePath(QStringLiteral("IMG_3.HEIC"))}}));

        // From the RAW's side, on disk.
        QCOMPARE(developedTwinOf(dir.filePath(QStringLiteral("IMG_1.CR2"))), jpg1);
        QCOMPARE(developedTwinOf(dir.filePath(QStringLiteral("IMG_3.Arw"))), dir.filePath(QStringLiteral("IMG_3.HEIC")));
        QVERIFY(developedTwinOf(dir.filePath(QStringLiteral("IMG_2.nef"))).isEmpty());
        QVERIFY(developedTwinOf(dir.filePath(QStringLiteral("img_1.nef"))).isEmpty()); // base names differ in case
        QVERIFY(developedTwinOf(dir.filePath(QStringLiteral("IMG_4.dng"))).isEmpty()); // PNG is no camera twin
        QVERIFY(developedTwinOf(jpg1).isEmpty());                                       // not a RAW
    }

    // EXIF of a RAW through exiv2, as for a JPEG.
    void rawMetadataIsRead()
    {
        const QString file = path(QStringLiteral("meta.dng"));
        writeDng(file, 5);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const PhotoMetadata meta = readPhotoMetadata(f.readAll());
        QCOMPARE(meta.camera, QStringLiteral("PhotoSearch Twin Camera"));
    }

    // One photo per shot through index and search; the twin's removal and
    // arrival are followed on the next run.
    void twinIsOnePhotoThroughTheCli()
    {
        const QString photos = path(QStringLiteral("photos"));
        const QString library = path(QStringLiteral("library"));
        QVERIFY(QDir().mkpath(photos));
        const QDir p(photos);
        writeDng(p.filePath(QStringLiteral("a.dng")), 1);
        QVERIFY(ti::writeImage(ti::makePicture(320, 240, 1), p.filePath(QStringLiteral("a.jpg")), ImageFormat::Jpeg));
        writeDng(p.filePath(QStringLiteral("b.dng")), 2);
        QVERIFY(ti::writeImage(ti::makePicture(320, 240, 3), p.filePath(QStringLiteral("c.jpg")), ImageFormat::Jpeg));

        index(library, photos);
        QCOMPARE(indexedNames(library), QSet<QString>({QStringLiteral("a.jpg"), QStringLiteral("b.dng"),
                                                       QStringLiteral("c.jpg")}));
        const Run stats = runCli({QStringLiteral("stats"), QStringLiteral("--library"), library});
        QVERIFY2(stats.exitCode == 0, stats.err.constData());
        const QJsonObject s = stats.lines().value(0);
        QCOMPARE(s.value(QStringLiteral("photos")).toInt(), 3);
        QCOMPARE(s.value(QStringLiteral("failed")).toInt(), 0);
        QCOMPARE(s.value(QStringLiteral("formats")).toObject().value(QStringLiteral("raw")).toInt(), 1);
        const Run rawOnly = runCli({QStringLiteral("search"), QStringLiteral("--library"), library, QStringLiteral("--all"),
                                    QStringLiteral("--format"), QStringLiteral("raw"), QStringLiteral("a photo")});
        QVERIFY2(rawOnly.exitCode == 0, rawOnly.err.constData());
        QCOMPARE(rawOnly.lines().size(), 1);
        QCOMPARE(rawOnly.lines().value(0).value(QStringLiteral("path")).toString(), p.filePath(QStringLiteral("b.dng")));

        // The JPEG goes: its RAW is the photo now.
        QVERIFY(QFile::remove(p.filePath(QStringLiteral("a.jpg"))));
        index(library, photos);
        QCOMPARE(indexedNames(library), QSet<QString>({QStringLiteral("a.dng"), QStringLiteral("b.dng"),
                                                       QStringLiteral("c.jpg")}));

        // A JPEG comes for the RAW indexed alone: it takes the RAW's row.
        QVERIFY(ti::writeImage(ti::makePicture(320, 240, 2), p.filePath(QStringLiteral("b.jpg")), ImageFormat::Jpeg));
        index(library, photos);
        QCOMPARE(indexedNames(library), QSet<QString>({QStringLiteral("a.dng"), QStringLiteral("b.jpg"),
                                                       QStringLiteral("c.jpg")}));
        QCOMPARE(runCli({QStringLiteral("stats"), QStringLiteral("--library"), library}).lines().value(0)
                     .value(QStringLiteral("photos")).toInt(), 3);
    }

    // A RAW whose JPEG twin is broken is the only picture of the shot: it is
    // indexed on its own (on the run after the one that finds the JPEG
    // broken), and stays so. Without the fix the RAW is dropped by name on
    // every run.
    void rawWithBrokenTwinIsIndexed()
    {
        const QString photos = path(QStringLiteral("broken"));
        const QString library = path(QStringLiteral("broken-library"));
        QVERIFY(QDir().mkpath(photos));
        const QDir p(photos);
        writeDng(p.filePath(QStringLiteral("IMG_4.dng")), 4);
        QFile jpeg(p.filePath(QStringLiteral("IMG_4.JPG")));
        QVERIFY(jpeg.open(QIODevice::WriteOnly));
        jpeg.write("garbage");
        jpeg.close();

        index(library, photos);
        index(library, photos);
        QCOMPARE(indexedNames(library), QSet<QString>({QStringLiteral("IMG_4.dng")}));
        index(library, photos); // nothing changes on a later run
        QCOMPARE(indexedNames(library), QSet<QString>({QStringLiteral("IMG_4.dng")}));
        const QJsonObject s = cli(QStringLiteral("stats"), library, {}).lines().value(0);
        QCOMPARE(s.value(QStringLiteral("photos")).toInt(), 2);
        QCOMPARE(s.value(QStringLiteral("failed")).toInt(), 1); // the JPEG, still reported
    }

    // The rules on the plan: a twin the scan already found unusable (a name
    // that is not UTF-8) lets the RAW in at once; a twin whose Failed row
    // still describes the file does too; a twin changed since it failed is
    // read again first, unless the RAW has a row of its own to keep.
    void rawWithUnusableTwinIsPlanned()
    {
        const QString dir = path(QStringLiteral("plan"));
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(QDir().mkpath(path(QStringLiteral("plan-library"))));
        Catalog catalog(path(QStringLiteral("plan-library")));
        const QString raw = dir + QStringLiteral("/IMG_6.NEF");
        const QString jpeg = dir + QStringLiteral("/IMG_6.JPG");
        const auto plannedPaths = [&](const ScanResult& scan) {
            QStringList paths;
            for (const IndexJob& job : planIndex(scan, {dir}, catalog, QStringLiteral("model")).jobs)
                paths << job.file.path;
            return paths;
        };
        ScanResult scan;
        scan.files.push_back(ScannedFile{jpeg, 10, 1, QStringLiteral("The file name is not valid UTF-8.")});
        scan.files.push_back(ScannedFile{raw, 20, 1, {}});
        QCOMPARE(planIndex(scan, {dir}, catalog, QStringLiteral("model")).problems.size(), size_t(1));
        QCOMPARE(plannedPaths(scan), QStringList({raw}));

        PhotoRecord failed;
        failed.path = jpeg;
        failed.size = 10;
        failed.mtimeMs = 1;
        failed.status = PhotoStatus::Failed;
        failed.error = QStringLiteral("Not an image.");
        catalog.insertPhoto(failed);
        scan.files.front().problem.clear();
        QCOMPARE(plannedPaths(scan), QStringList({raw})); // the JPEG's failure stands: no job for it

        scan.files.front().size = 11; // rewritten since: read again, the RAW waits
        QCOMPARE(plannedPaths(scan), QStringList({jpeg}));
        PhotoRecord own;
        own.path = raw;
        own.size = 20;
        own.mtimeMs = 1;
        own.status = PhotoStatus::Failed;
        own.error = QStringLiteral("Not an image.");
        catalog.insertPhoto(own);
        const IndexPlan plan = planIndex(scan, {dir}, catalog, QStringLiteral("model"));
        QVERIFY(plan.missing.empty()); // the RAW keeps its row meanwhile
    }

    // A RAW indexed alone, tagged and put in an album; its JPEG arrives: the
    // JPEG takes the RAW's row, so the album and the correction stay with
    // the photo. Without the fix the RAW's row is removed with both.
    void twinTakesOverTheRawsRow()
    {
        const QString photos = path(QStringLiteral("arrival"));
        const QString library = path(QStringLiteral("arrival-library"));
        QVERIFY(QDir().mkpath(photos));
        const QDir p(photos);
        const QString raw = p.filePath(QStringLiteral("IMG_2.dng"));
        const QString jpeg = p.filePath(QStringLiteral("IMG_2.jpg"));
        writeDng(raw, 7);
        writeDng(p.filePath(QStringLiteral("other.dng")), 8);
        index(library, photos);
        QCOMPARE(cli(QStringLiteral("tags"), library, {QStringLiteral("--confirm"), QStringLiteral("sunset"), raw}).exitCode, 0);
        QCOMPARE(cli(QStringLiteral("album"), library, {QStringLiteral("add"), QStringLiteral("Favs"), raw}).exitCode, 0);
        QCOMPARE(albumNames(library, QStringLiteral("Favs")), QStringList({QStringLiteral("IMG_2.dng")}));

        QVERIFY(ti::writeImage(ti::makePicture(320, 240, 7), jpeg, ImageFormat::Jpeg));
        index(library, photos);
        QCOMPARE(indexedNames(library), QSet<QString>({QStringLiteral("IMG_2.jpg"), QStringLiteral("other.dng")}));
        QCOMPARE(albumNames(library, QStringLiteral("Favs")), QStringList({QStringLiteral("IMG_2.jpg")}));
        QCOMPARE(confirmedTags(library, jpeg), QStringList({QStringLiteral("sunset")}));
        const QJsonObject s = cli(QStringLiteral("stats"), library, {}).lines().value(0);
        QCOMPARE(s.value(QStringLiteral("photos")).toInt(), 2);
        QCOMPARE(s.value(QStringLiteral("formats")).toObject().value(QStringLiteral("jpeg")).toInt(), 1);
        index(library, photos); // and it stays so
        QCOMPARE(albumNames(library, QStringLiteral("Favs")), QStringList({QStringLiteral("IMG_2.jpg")}));
    }

    // tags, album add and text given a twinned RAW's path act on its photo
    // (the JPEG) instead of saying it is not in the library.
    void rawPathMeansItsPhoto()
    {
        const QString photos = path(QStringLiteral("paths"));
        const QString library = path(QStringLiteral("paths-library"));
        QVERIFY(QDir().mkpath(photos));
        const QDir p(photos);
        const QString raw = p.filePath(QStringLiteral("IMG_5.dng"));
        const QString jpeg = p.filePath(QStringLiteral("IMG_5.jpg"));
        writeDng(raw, 9);
        QVERIFY(ti::writeImage(ti::makePicture(320, 240, 9), jpeg, ImageFormat::Jpeg));
        index(library, photos);
        QCOMPARE(indexedNames(library), QSet<QString>({QStringLiteral("IMG_5.jpg")}));

        QCOMPARE(cli(QStringLiteral("tags"), library, {QStringLiteral("--confirm"), QStringLiteral("beach"), raw}).exitCode, 0);
        QCOMPARE(confirmedTags(library, jpeg), QStringList({QStringLiteral("beach")}));
        QCOMPARE(confirmedTags(library, raw), QStringList({QStringLiteral("beach")}));
        QCOMPARE(cli(QStringLiteral("album"), library, {QStringLiteral("add"), QStringLiteral("Trip"), raw}).exitCode, 0);
        QCOMPARE(albumNames(library, QStringLiteral("Trip")), QStringList({QStringLiteral("IMG_5.jpg")}));
        const Run text = cli(QStringLiteral("text"), library, {raw});
        QCOMPARE(text.exitCode, 0);
        QCOMPARE(text.lines().value(0).value(QStringLiteral("path")).toString(), raw);
        QVERIFY(text.lines().value(0).contains(QStringLiteral("text")));
    }
};

QTEST_MAIN(TestRawTwins)
#include "test_raw_twins.moc"
