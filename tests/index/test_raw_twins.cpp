// Camera RAW in the library (issue 17): a RAW and its JPEG twin (same
// folder, same base name) are one photo, indexed through the JPEG, with
// the RAW listed by rawTwinsOf; a RAW alone is indexed itself (format
// "raw", EXIF through exiv2); when the twin goes, the RAW is indexed on its
// own; when a twin appears, the RAW's own row leaves the catalog. Runs
// photosearch-cli index / search / stats as a process, on DNGs the suite
// writes with libtiff.

// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoder.h"

#include "CliRun.h"
#include "DngWriter.h"
#include "GeneratedLibrary.h"
#include "PhotoMetadata.h"
#include "RawTwins.h"
#include "TestImages.h"

#include <QDir>
#include <QFile>
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
        const QSet<QString> twinned = rawFilesWithTwins(files);
        QCOMPARE(twinned, QSet<QString>({dir.filePath(QStringLiteral("IMG_1.CR2")), dir.filePath(QStringLiteral("IMG_1.dng")),
                                         dir.filePath(QStringLiteral("IMG_3.Arw"))}));
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

        // A JPEG comes for the RAW indexed alone: the RAW's row leaves.
        QVERIFY(ti::writeImage(ti::makePicture(320, 240, 2), p.filePath(QStringLiteral("b.jpg")), ImageFormat::Jpeg));
        index(library, photos);
        QCOMPARE(indexedNames(library), QSet<QString>({QStringLiteral("a.dng"), QStringLiteral("b.jpg"),
                                                       QStringLiteral("c.jpg")}));
        QCOMPARE(runCli({QStringLiteral("stats"), QStringLiteral("--library"), library}).lines().value(0)
                     .value(QStringLiteral("photos")).toInt(), 3);
    }
};

QTEST_MAIN(TestRawTwins)
#include "test_raw_twins.moc"
