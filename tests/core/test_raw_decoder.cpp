// Camera RAW through the shared ImageDecoder (core/image/RawDecoder): DNG
// files the suite writes itself with libtiff. A CFA mosaic is demosaiced at
// half size; an embedded preview is used when it covers the decode target
// (in IFD0 or in a SubIFD), else the mosaic is; orientation turns both
// alike; truncated, hostile and huge RAWs are refused with ImageError; the
// RAW kinds are told by content, and an ordinary TIFF stays a TIFF.

#include "DngWriter.h"
#include "ImageDecoder.h"
#include "ImageFormat.h"
#include "RawDecoder.h"
#include "TestImages.h"

#include <QFile>
#include <QPainter>
#include <QTemporaryDir>
#include <QTest>

using namespace photosearch;
namespace td = photosearch::testdng;
namespace ti = photosearch::testimages;

namespace {

const QColor kRed(220, 40, 40);
const QColor kBlue(40, 40, 220);
const QColor kGreen(40, 200, 40);

// `background` with the top-left quarter in `marker`.
QImage quartered(QSize size, const QColor& marker, const QColor& background)
{
    QImage image(size, QImage::Format_RGB888);
    image.fill(background);
    QPainter(&image).fillRect(QRect(QPoint(0, 0), size / 2), marker);
    return image;
}

// Which of red, green, blue dominates the pixel at (fx, fy) of the image.
char dominant(const QImage& image, double fx, double fy)
{
    const QColor c = image.pixelColor(int(fx * (image.width() - 1)), int(fy * (image.height() - 1)));
    if (c.red() > c.green() + 40 && c.red() > c.blue() + 40)
        return 'r';
    if (c.green() > c.red() + 40 && c.green() > c.blue() + 40)
        return 'g';
    if (c.blue() > c.red() + 40 && c.blue() > c.green() + 40)
        return 'b';
    return '?';
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

template <typename F>
void expectError(F f, const QString& needle)
{
    try {
        f();
        QFAIL("no ImageError");
    } catch (const ImageError& e) {
        const QString message = QString::fromUtf8(e.what());
        QVERIFY2(message.contains(needle), qPrintable(message));
    }
}

// Sets the value of tag `tag` in the IFDs (IFD0 and its SubIFDs, in that
// order; `only` >= 0: that one alone) of a little-endian TIFF that hold it
// inline as SHORT or LONG (a test's own files only).
void patchTag(QByteArray& tiff, quint16 tag, quint32 value, int only = -1)
{
    const auto u16 = [&](qsizetype at) { return quint16(uchar(tiff[at]) | (uchar(tiff[at + 1]) << 8)); };
    const auto u32 = [&](qsizetype at) { return quint32(u16(at)) | (quint32(u16(at + 2)) << 16); };
    QList<quint32> ifds{u32(4)};
    for (int i = 0; i < ifds.size() && i < 8; ++i) {
        const quint32 at = ifds[i];
        const int count = u16(at);
        for (int e = 0; e < count; ++e) {
            const qsizetype entry = at + 2 + e * 12;
            if (u16(entry) == 330) // SubIFDs, one inline
                ifds << u32(entry + 8);
            if (u16(entry) != tag || (only >= 0 && only != i))
                continue;
            for (int b = 0; b < (u16(entry + 2) == 3 ? 2 : 4); ++b)
                tiff[entry + 8 + b] = char((value >> (8 * b)) & 0xFF);
        }
    }
}

} // namespace

class TestRawDecoder : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

    QString dng(const QString& name, const td::DngOptions& options)
    {
        const QString path = dir_.filePath(name);
        QString error;
        if (!td::writeDng(path, options, &error))
            qFatal("%s", qPrintable(error));
        return path;
    }

    static td::DngOptions scene(int orientation = 1)
    {
        td::DngOptions o;
        o.scene = quartered(QSize(400, 300), kRed, kBlue);
        o.orientation = orientation;
        return o;
    }

private Q_SLOTS:
    void kindsAreToldByTheirFirstBytes()
    {
        const auto sniff = [](const char* bytes, int n) { return sniffImageFormat(QByteArray(bytes, n)); };
        QCOMPARE(sniff("II*\0\x10\0\0\0CR\x02\0", 12), ImageFormat::Raw);    // CR2
        QCOMPARE(sniff("IIRO\x08\0\0\0", 8), ImageFormat::Raw);              // ORF
        QCOMPARE(sniff("MMOR\0\0\0\x08", 8), ImageFormat::Raw);              // ORF, big-endian
        QCOMPARE(sniff("IIU\0\x08\0\0\0", 8), ImageFormat::Raw);             // RW2
        QCOMPARE(sniff("FUJIFILMCCD-RAW 0201", 20), ImageFormat::Raw);       // RAF
        QCOMPARE(sniff("\0\0\0\x18" "ftypcrx \0\0\0\x01" "crx isom", 24), ImageFormat::Raw); // CR3
        QCOMPARE(sniff("\0\0\0\x18" "ftypheic\0\0\0\0" "mif1heic", 24), ImageFormat::Heif);
        QCOMPARE(sniff("II*\0\x08\0\0\0", 8), ImageFormat::Tiff); // NEF, ARW, DNG: decided from the IFDs
        QCOMPARE(imageFormatName(ImageFormat::Raw), QStringLiteral("raw"));
        for (const char* name : {"raw", "NEF", "cr3", "dng", "arw", "raf", "orf", "rw2", "cr2"})
            QCOMPARE(imageFormatFromName(QLatin1String(name)), ImageFormat::Raw);
        QVERIFY(hasRawExtension(QStringLiteral("/a/IMG_0001.CR2")));
        QVERIFY(!hasRawExtension(QStringLiteral("/a/IMG_0001.jpg")));
    }

    // No preview: LibRaw demosaics the mosaic at half size; from the file
    // and from memory alike.
    void mosaicIsDemosaicedAtHalfSize()
    {
        const QString path = dng(QStringLiteral("mosaic.dng"), scene());
        const DecodedImage d = ImageDecoder::decodeFile(path);
        QCOMPARE(d.format, ImageFormat::Raw);
        QCOMPARE(d.fullSize, QSize(400, 300));
        QCOMPARE(d.image.size(), QSize(200, 150));
        QCOMPARE(d.image.format(), QImage::Format_RGB888);
        QCOMPARE(dominant(d.image, 0.2, 0.2), 'r');
        QCOMPARE(dominant(d.image, 0.8, 0.8), 'b');
        QCOMPARE(dominant(d.image, 0.8, 0.2), 'b');
        const DecodedImage m = ImageDecoder::decode(readAll(path), path);
        QCOMPARE(m.fullSize, d.fullSize);
        QVERIFY(m.image == d.image);
    }

    // The preview stands in when it covers the target (green marker), the
    // mosaic when it does not (red marker); in IFD0 or in a SubIFD.
    void previewIsUsedWhenLargeEnough_data()
    {
        QTest::addColumn<int>("place");
        QTest::newRow("IFD0") << int(td::PreviewPlace::InIfd0);
        QTest::newRow("SubIFD") << int(td::PreviewPlace::InSubIfd);
    }
    void previewIsUsedWhenLargeEnough()
    {
        QFETCH(int, place);
        td::DngOptions o = scene();
        o.place = td::PreviewPlace(place);
        o.preview = quartered(QSize(320, 240), kGreen, kBlue);
        const QString path = dng(QStringLiteral("preview%1.dng").arg(place), o);
        const DecodedImage clip = ImageDecoder::decodeFile(path, DecodeTarget::shortestSide(224));
        QCOMPARE(clip.format, ImageFormat::Raw);
        QCOMPARE(clip.fullSize, QSize(400, 300));
        QCOMPARE(clip.image.size(), QSize(320, 240));
        QCOMPARE(dominant(clip.image, 0.2, 0.2), 'g');
        QCOMPARE(dominant(clip.image, 0.8, 0.8), 'b');
        const DecodedImage thumb = ImageDecoder::decode(readAll(path), path, DecodeTarget::fitInto(QSize(160, 160)));
        QCOMPARE(dominant(thumb.image, 0.2, 0.2), 'g');
        QVERIFY(thumb.image.width() >= 160);
        // Too small for a 400-pixel box: the mosaic is demosaiced instead.
        const DecodedImage big = ImageDecoder::decodeFile(path, DecodeTarget::fitInto(QSize(400, 400)));
        QCOMPARE(big.image.size(), QSize(200, 150));
        QCOMPARE(dominant(big.image, 0.2, 0.2), 'r');
    }

    // Orientation 6 (90° clockwise) and 8 (90° counter-clockwise) turn the
    // preview and the demosaiced mosaic alike; sizes are as displayed.
    void orientationTurnsBothPaths_data()
    {
        QTest::addColumn<int>("orientation");
        QTest::addColumn<double>("markerX");
        QTest::addColumn<double>("markerY");
        QTest::newRow("6") << 6 << 0.8 << 0.2;
        QTest::newRow("8") << 8 << 0.2 << 0.8;
        QTest::newRow("3") << 3 << 0.8 << 0.8;
    }
    void orientationTurnsBothPaths()
    {
        QFETCH(int, orientation);
        QFETCH(double, markerX);
        QFETCH(double, markerY);
        const bool turned = orientation >= 5;
        const QSize displayed = turned ? QSize(300, 400) : QSize(400, 300);
        const DecodedImage mosaic = ImageDecoder::decodeFile(
            dng(QStringLiteral("turned%1.dng").arg(orientation), scene(orientation)));
        QCOMPARE(mosaic.fullSize, displayed);
        QCOMPARE(mosaic.image.size(), displayed / 2);
        QCOMPARE(dominant(mosaic.image, markerX, markerY), 'r');
        QCOMPARE(dominant(mosaic.image, 1 - markerX, 1 - markerY), 'b');

        td::DngOptions o = scene(orientation);
        o.preview = quartered(QSize(400, 300), kGreen, kBlue);
        const DecodedImage preview = ImageDecoder::decodeFile(
            dng(QStringLiteral("turned-preview%1.dng").arg(orientation), o), DecodeTarget::shortestSide(224));
        QCOMPARE(preview.fullSize, displayed);
        QCOMPARE(preview.image.size(), displayed);
        QCOMPARE(dominant(preview.image, markerX, markerY), 'g');
        QCOMPARE(dominant(preview.image, 1 - markerX, 1 - markerY), 'b');
    }

    // Cut anywhere (in the preview, in the mosaic, after the header), a RAW
    // is refused with the usual one sentence, from memory and from disk.
    void truncatedRawIsRefused_data()
    {
        QTest::addColumn<bool>("withPreview");
        QTest::addColumn<double>("keep");
        for (double keep : {0.02, 0.3, 0.6, 0.9, 0.99}) {
            QTest::addRow("preview %.2f", keep) << true << keep;
            QTest::addRow("mosaic %.2f", keep) << false << keep;
        }
    }
    void truncatedRawIsRefused()
    {
        QFETCH(bool, withPreview);
        QFETCH(double, keep);
        td::DngOptions o = scene();
        if (withPreview)
            o.preview = quartered(QSize(320, 240), kGreen, kBlue);
        const QByteArray whole = readAll(dng(QStringLiteral("whole.dng"), o));
        const QByteArray cut = whole.left(qsizetype(whole.size() * keep));
        const QString path = dir_.filePath(QStringLiteral("cut.dng"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(cut) == cut.size());
        f.close();
        for (const DecodeTarget& target : {DecodeTarget{}, DecodeTarget::shortestSide(224)}) {
            expectError([&] { ImageDecoder::decodeFile(path, target); }, QStringLiteral("cut.dng"));
            expectError([&] { ImageDecoder::decode(cut, path, target); }, QStringLiteral("cut.dng"));
        }
    }

    // The IFDs whole but the sensor data cut off (as when a camera file is
    // cut short: its IFDs come first): refused, even when the preview that
    // comes before the data would still do.
    void sensorDataPastTheEndIsRefused_data()
    {
        QTest::addColumn<bool>("withPreview");
        QTest::newRow("mosaic only") << false;
        QTest::newRow("preview in IFD0") << true;
    }
    void sensorDataPastTheEndIsRefused()
    {
        QFETCH(bool, withPreview);
        td::DngOptions o = scene();
        if (withPreview)
            o.preview = quartered(QSize(320, 240), kGreen, kBlue);
        QByteArray bytes = readAll(dng(QStringLiteral("moved.dng"), o));
        // StripOffsets of the mosaic (IFD0 alone, or the SubIFD after the preview).
        patchTag(bytes, 273, quint32(bytes.size() - 1000), withPreview ? 1 : 0);
        const QString path = dir_.filePath(QStringLiteral("moved.dng"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size());
        f.close();
        for (const DecodeTarget& target : {DecodeTarget{}, DecodeTarget::shortestSide(224)}) {
            expectError([&] { ImageDecoder::decodeFile(path, target); }, QStringLiteral("truncated"));
            expectError([&] { ImageDecoder::decode(bytes, path, target); }, QStringLiteral("truncated"));
        }
    }

    // A preview cut short inside a whole RAW (its end marker gone, as when
    // the header misstates its length) costs the preview, not the photo:
    // the mosaic is demosaiced instead (red marker, not the preview's green).
    void damagedPreviewGivesWayToTheSensor_data()
    {
        QTest::addColumn<int>("place");
        QTest::newRow("IFD0") << int(td::PreviewPlace::InIfd0);
        QTest::newRow("SubIFD") << int(td::PreviewPlace::InSubIfd);
    }
    void damagedPreviewGivesWayToTheSensor()
    {
        QFETCH(int, place);
        td::DngOptions o = scene();
        o.place = td::PreviewPlace(place);
        o.preview = quartered(QSize(400, 300), kGreen, kBlue);
        QByteArray bytes = readAll(dng(QStringLiteral("damaged-preview.dng"), o));
        // 16-bit mosaic samples of 12 bits never hold FF D8 FF or FF D9.
        const qsizetype start = bytes.indexOf("\xFF\xD8\xFF");
        const qsizetype end = bytes.indexOf(QByteArray("\xFF\xD9", 2), start);
        QVERIFY(start >= 0 && end > start);
        bytes[end + 1] = '\0';
        const QString path = dir_.filePath(QStringLiteral("damaged-preview.dng"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size());
        f.close();
        const DecodedImage fromFile = ImageDecoder::decodeFile(path, DecodeTarget::shortestSide(224));
        const DecodedImage fromMemory = ImageDecoder::decode(bytes, path, DecodeTarget::fitInto(QSize(160, 160)));
        for (const DecodedImage& d : {fromFile, fromMemory}) {
            QCOMPARE(d.format, ImageFormat::Raw);
            QCOMPARE(d.fullSize, QSize(400, 300));
            QCOMPARE(d.image.size(), QSize(200, 150));
            QCOMPARE(dominant(d.image, 0.2, 0.2), 'r');
            QCOMPARE(dominant(d.image, 0.8, 0.8), 'b');
        }
    }

    // A header claiming a huge sensor is refused before LibRaw allocates.
    void hugeSensorIsRefusedFromItsHeader()
    {
        QByteArray bytes = readAll(dng(QStringLiteral("small.dng"), scene()));
        patchTag(bytes, 256, 30000);
        patchTag(bytes, 257, 30000);
        const QString path = dir_.filePath(QStringLiteral("huge.dng"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size());
        f.close();
        expectError([&] { ImageDecoder::decodeFile(path); }, QStringLiteral("huge.dng"));
        expectError([&] { ImageDecoder::decode(bytes, path); }, QStringLiteral("huge.dng"));
    }

    // Each RAW magic followed by junk: an ImageError, never a crash.
    void junkAfterARawMagicIsRefused()
    {
        QByteArray junk(4096, '\0');
        for (int i = 0; i < junk.size(); ++i)
            junk[i] = char((i * 7919) & 0xFF);
        const QList<QByteArray> heads = {QByteArray("II*\0\x10\0\0\0CR\x02\0", 12), QByteArray("IIRO\x08\0\0\0", 8),
                                         QByteArray("IIU\0\x08\0\0\0", 8), QByteArray("FUJIFILMCCD-RAW 0201"),
                                         QByteArray("\0\0\0\x18" "ftypcrx \0\0\0\x01" "crx isom", 24)};
        for (const QByteArray& head : heads) {
            const QByteArray bytes = head + junk;
            QCOMPARE(sniffImageFormat(bytes.left(kImageFormatSniffBytes)), ImageFormat::Raw);
            expectError([&] { ImageDecoder::decode(bytes, QStringLiteral("junk.raw")); }, QStringLiteral("junk.raw"));
        }
    }

    // TIFFs that are no RAW decode as TIFF: Qt's own, one with a camera
    // Make and a SubIFD, and both named as RAWs (Nikon Scan saves RGB scans,
    // Make and all, as .nef: LibRaw refuses them, Qt reads them).
    void ordinaryTiffStaysTiff()
    {
        const QImage picture = quartered(QSize(120, 80), kRed, kBlue);
        const QString plain = dir_.filePath(QStringLiteral("plain.tif"));
        QVERIFY(ti::writeImage(picture, plain, ImageFormat::Tiff));
        const QString withSub = dir_.filePath(QStringLiteral("scanner.tif"));
        QString error;
        QVERIFY2(td::writeTiffWithSubIfd(withSub, picture, &error), qPrintable(error));
        const QString misnamed = dir_.filePath(QStringLiteral("plain.nef"));
        QVERIFY(QFile::copy(plain, misnamed));
        const QString scanNef = dir_.filePath(QStringLiteral("scan.NEF"));
        QVERIFY(QFile::copy(withSub, scanNef));
        const QString scanDng = dir_.filePath(QStringLiteral("scan.dng"));
        QVERIFY(QFile::copy(withSub, scanDng));
        for (const QString& path : {plain, withSub, misnamed, scanNef, scanDng}) {
            const DecodedImage d = ImageDecoder::decodeFile(path);
            QCOMPARE(d.format, ImageFormat::Tiff);
            QCOMPARE(d.image.size(), QSize(120, 80));
            QCOMPARE(dominant(d.image, 0.1, 0.1), 'r');
            QCOMPARE(ImageDecoder::decode(readAll(path), path).format, ImageFormat::Tiff);
        }
    }

    void exifOrientationHelperMatchesTheTags()
    {
        QImage image(3, 2, QImage::Format_RGB888);
        image.fill(Qt::black);
        image.setPixelColor(0, 0, Qt::white); // the stored top-left corner
        const QList<QPair<int, QPoint>> where = {{1, {0, 0}}, {2, {2, 0}}, {3, {2, 1}}, {4, {0, 1}},
                                                 {5, {0, 0}}, {6, {1, 0}}, {7, {1, 2}}, {8, {0, 2}}};
        for (const auto& [orientation, point] : where) {
            const QImage turned = applyExifOrientation(image, orientation);
            QCOMPARE(turned.size(), orientation >= 5 ? QSize(2, 3) : QSize(3, 2));
            QVERIFY2(turned.pixelColor(point) == QColor(Qt::white), qPrintable(QString::number(orientation)));
        }
    }
};

QTEST_MAIN(TestRawDecoder)
#include "test_raw_decoder.moc"
