// EXIF/XMP metadata read with exiv2: round trips through generated JPEGs, and
// files without or with broken metadata.

#include "PhotoMetadata.h"
#include "TestImages.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace photosearch;
namespace ti = photosearch::testimages;

class TestMetadata : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void exifRoundTrip();
    void makeNotRepeated();
    void southWest();
    void dateOnly();
    void noExif();
    void garbage();
    void heifWithoutExif();
    void heifWithExif();
};

void TestMetadata::exifRoundTrip()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("exif.jpg"));
    ti::ExifFields exif;
    exif.orientation = 6;
    exif.takenAt = QDateTime(QDate(2021, 7, 14), QTime(18, 30, 5), Qt::LocalTime);
    exif.make = QStringLiteral("NIKON CORPORATION");
    exif.model = QStringLiteral("NIKON Z 6");
    exif.lens = QStringLiteral("NIKKOR Z 24-70mm f/4 S");
    exif.hasGps = true;
    exif.latitude = 48.858222;
    exif.longitude = 2.2945;
    QString error;
    QVERIFY2(ti::writeJpegWithExif(ti::makePicture(64, 48, 1), path, exif, &error), qPrintable(error));

    const PhotoMetadata m = readPhotoMetadata(ti::readFile(path));
    QCOMPARE(m.takenAt, exif.takenAt);
    QCOMPARE(m.takenAt.timeSpec(), Qt::LocalTime);
    QCOMPARE(m.camera, QStringLiteral("NIKON CORPORATION NIKON Z 6"));
    QCOMPARE(m.lens, exif.lens);
    QVERIFY(m.hasGps);
    QVERIFY2(std::abs(m.latitude - exif.latitude) < 1e-6, qPrintable(QString::number(m.latitude, 'f', 8)));
    QVERIFY2(std::abs(m.longitude - exif.longitude) < 1e-6, qPrintable(QString::number(m.longitude, 'f', 8)));
}

void TestMetadata::makeNotRepeated()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("canon.jpg"));
    ti::ExifFields exif;
    exif.make = QStringLiteral("Canon");
    exif.model = QStringLiteral("Canon EOS 5D Mark IV");
    QVERIFY(ti::writeJpegWithExif(ti::makePicture(32, 32, 2), path, exif));
    const PhotoMetadata m = readPhotoMetadata(ti::readFile(path));
    QCOMPARE(m.camera, QStringLiteral("Canon EOS 5D Mark IV"));
    QVERIFY(!m.takenAt.isValid());
    QVERIFY(m.lens.isEmpty());
    QVERIFY(!m.hasGps);

    // Model only, and make only.
    ti::ExifFields modelOnly;
    modelOnly.model = QStringLiteral("  Pixel 7  ");
    QVERIFY(ti::writeJpegWithExif(ti::makePicture(32, 32, 3), path, modelOnly));
    QCOMPARE(readPhotoMetadata(ti::readFile(path)).camera, QStringLiteral("Pixel 7"));
    ti::ExifFields makeOnly;
    makeOnly.make = QStringLiteral("FUJIFILM");
    QVERIFY(ti::writeJpegWithExif(ti::makePicture(32, 32, 4), path, makeOnly));
    QCOMPARE(readPhotoMetadata(ti::readFile(path)).camera, QStringLiteral("FUJIFILM"));
}

void TestMetadata::southWest()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rio.jpg"));
    ti::ExifFields exif;
    exif.hasGps = true;
    exif.latitude = -22.951916;
    exif.longitude = -43.210487;
    QVERIFY(ti::writeJpegWithExif(ti::makePicture(32, 32, 5), path, exif));
    const PhotoMetadata m = readPhotoMetadata(ti::readFile(path));
    QVERIFY(m.hasGps);
    QVERIFY2(std::abs(m.latitude - exif.latitude) < 1e-6, qPrintable(QString::number(m.latitude, 'f', 8)));
    QVERIFY2(std::abs(m.longitude - exif.longitude) < 1e-6, qPrintable(QString::number(m.longitude, 'f', 8)));
    QVERIFY(m.camera.isEmpty());
}

void TestMetadata::dateOnly()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("date.jpg"));
    ti::ExifFields exif;
    exif.takenAt = QDateTime(QDate(1999, 12, 31), QTime(23, 59, 59), Qt::LocalTime);
    QVERIFY(ti::writeJpegWithExif(ti::makePicture(32, 32, 6), path, exif));
    const PhotoMetadata m = readPhotoMetadata(ti::readFile(path));
    QCOMPARE(m.takenAt, exif.takenAt);
    QVERIFY(m.camera.isEmpty());
    QVERIFY(!m.hasGps);
}

void TestMetadata::noExif()
{
    QTemporaryDir dir;
    for (const ImageFormat format : {ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::Gif, ImageFormat::Bmp}) {
        const QString path = dir.filePath(QStringLiteral("plain.") + imageFormatName(format));
        QVERIFY(ti::writeImage(ti::makePicture(40, 30, 7), path, format));
        const PhotoMetadata m = readPhotoMetadata(ti::readFile(path));
        QVERIFY(!m.takenAt.isValid());
        QVERIFY(m.camera.isEmpty());
        QVERIFY(m.lens.isEmpty());
        QVERIFY(!m.hasGps);
    }
}

void TestMetadata::garbage()
{
    const QList<QByteArray> inputs{
        QByteArray(),
        QByteArray("just some text, not an image\n"),
        QByteArray("\xFF\xD8\xFF\xE1\xFF\xFF" "Exif\0\0II*\0\x08\0\0\0\xFF\xFF", 22),
        QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(100, 'x'),
        QByteArray(4096, '\xFF'),
    };
    for (const QByteArray& bytes : inputs) {
        const PhotoMetadata m = readPhotoMetadata(bytes);
        QVERIFY(!m.takenAt.isValid());
        QVERIFY(m.camera.isEmpty());
        QVERIFY(!m.hasGps);
    }
    // A JPEG with EXIF cut off in the middle of its APP1 segment.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("cut.jpg"));
    ti::ExifFields exif;
    exif.make = QStringLiteral("Canon");
    exif.model = QStringLiteral("EOS R");
    exif.hasGps = true;
    exif.latitude = 10;
    exif.longitude = 20;
    QVERIFY(ti::writeJpegWithExif(ti::makePicture(32, 32, 8), path, exif));
    const QByteArray whole = ti::readFile(path);
    for (int keep : {3, 10, 30, 60, 100, 200})
        readPhotoMetadata(whole.left(keep)); // must not throw or crash
}

void TestMetadata::heifWithoutExif()
{
    // HEIF/AVIF go through exiv2's BMFF reader where it is enabled; a file
    // with no EXIF simply has no metadata.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("plain.heic"));
    QString error;
    if (!ti::writeImage(ti::makePicture(64, 48, 9), path, ImageFormat::Heif, &error))
        QSKIP(qPrintable(error));
    const PhotoMetadata m = readPhotoMetadata(ti::readFile(path));
    QVERIFY(!m.takenAt.isValid());
    QVERIFY(m.camera.isEmpty());
}

void TestMetadata::heifWithExif()
{
    // exiv2 0.27.6 alone reads the EXIF of the AVIF files libheif 1.15
    // writes but none of its HEIC ones; libheif's Exif item fills that gap,
    // so all must give every field back, also with the "Exif\0\0" prefix
    // that iPhones put before the TIFF header.
    QTemporaryDir dir;
    ti::ExifFields exif;
    exif.takenAt = QDateTime(QDate(2023, 3, 4), QTime(5, 6, 7), Qt::LocalTime);
    exif.make = QStringLiteral("Apple");
    exif.model = QStringLiteral("iPhone 13");
    exif.lens = QStringLiteral("iPhone 13 back dual wide camera 5.1mm f/1.6");
    exif.hasGps = true;
    exif.latitude = 37.334722;
    exif.longitude = -122.008889;
    int written = 0;
    for (const QString name : {QStringLiteral("exif.heic"), QStringLiteral("prefixed.heic"), QStringLiteral("exif.avif")}) {
        const bool avif = name.endsWith(QLatin1String(".avif"));
        exif.exifPrefix = name.startsWith(QLatin1String("prefixed"));
        const QString path = dir.filePath(name);
        QString error;
        if (!ti::writeHeifWithExif(ti::makePicture(64, 48, 10), path, exif, avif, &error)) {
            qWarning("skipped: %s", qPrintable(error));
            continue;
        }
        ++written;
        const QByteArray whole = ti::readFile(path);
        const PhotoMetadata m = readPhotoMetadata(whole);
        QCOMPARE(m.takenAt, exif.takenAt);
        QCOMPARE(m.camera, QStringLiteral("Apple iPhone 13"));
        QCOMPARE(m.lens, exif.lens);
        QVERIFY(m.hasGps);
        QVERIFY(std::abs(m.latitude - exif.latitude) < 1e-6);
        QVERIFY(std::abs(m.longitude - exif.longitude) < 1e-6);

        // A cut-off container or Exif item gives what can be read, or nothing.
        for (qsizetype keep = 0; keep < whole.size(); keep += 97)
            readPhotoMetadata(whole.left(keep));
    }
    if (written == 0)
        QSKIP("this libheif writes neither HEIC nor AVIF");
}

QTEST_MAIN(TestMetadata)
#include "test_metadata.moc"
