// Image formats by content, decoding from memory (every format, EXIF
// orientations, reduced JPEG decoding) and bad inputs.

// LibTorch (via ImagePreprocessor.h) before Qt.
#include "ImagePreprocessor.h"

#include "HeifDecoder.h"
#include "ImageFormat.h"
#include "TestImages.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace photosearch;
namespace ti = photosearch::testimages;

namespace {


QString writeBytes(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

// Mean absolute difference per channel, 0..255.
double meanAbsDiff(const QImage& a, const QImage& b)
{
    const QImage x = a.convertToFormat(QImage::Format_RGB888);
    const QImage y = b.convertToFormat(QImage::Format_RGB888);
    if (x.size() != y.size())
        return 1e9;
    double sum = 0;
    for (int row = 0; row < x.height(); ++row) {
        const uchar* p = x.constScanLine(row);
        const uchar* q = y.constScanLine(row);
        for (int i = 0; i < 3 * x.width(); ++i)
            sum += std::abs(int(p[i]) - int(q[i]));
    }
    return sum / (3.0 * x.width() * x.height());
}

// The image as displayed for an EXIF orientation, from the stored pixels
// (TIFF/EXIF 2.3 definitions, independent of Qt's own mapping).
QImage applyOrientation(const QImage& stored, int orientation)
{
    const QImage s = stored.convertToFormat(QImage::Format_RGB888);
    const int ws = s.width();
    const int hs = s.height();
    const bool swap = orientation >= 5;
    QImage d(swap ? hs : ws, swap ? ws : hs, QImage::Format_RGB888);
    for (int y = 0; y < d.height(); ++y) {
        for (int x = 0; x < d.width(); ++x) {
            int sx = x, sy = y;
            switch (orientation) {
            case 2: sx = ws - 1 - x; sy = y; break;
            case 3: sx = ws - 1 - x; sy = hs - 1 - y; break;
            case 4: sx = x; sy = hs - 1 - y; break;
            case 5: sx = y; sy = x; break;
            case 6: sx = y; sy = hs - 1 - x; break;
            case 7: sx = ws - 1 - y; sy = hs - 1 - x; break;
            case 8: sx = ws - 1 - y; sy = x; break;
            default: break;
            }
            const uchar* src = s.constScanLine(sy) + 3 * sx;
            uchar* dst = d.scanLine(y) + 3 * x;
            dst[0] = src[0];
            dst[1] = src[1];
            dst[2] = src[2];
        }
    }
    return d;
}

// Runs `decode` expecting an ImageError whose message contains each of
// `needles`; returns the message ("" after a QTest failure).
template <typename F>
QString expectImageError(F decode, const QStringList& needles)
{
    try {
        decode();
    } catch (const ImageError& e) {
        const QString message = QString::fromUtf8(e.what());
        for (const QString& needle : needles)
            if (!message.contains(needle)) {
                QTest::qFail(qPrintable(QStringLiteral("\"%1\" lacks \"%2\"").arg(message, needle)), __FILE__,
                             __LINE__);
                return {};
            }
        return message;
    } catch (const std::exception& e) {
        QTest::qFail(qPrintable(QStringLiteral("not an ImageError: %1").arg(QString::fromUtf8(e.what()))),
                     __FILE__, __LINE__);
        return {};
    }
    QTest::qFail("accepted", __FILE__, __LINE__);
    return {};
}

const QList<ImageFormat> allFormats{ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::Webp, ImageFormat::Gif,
                                    ImageFormat::Bmp,  ImageFormat::Tiff, ImageFormat::Heif, ImageFormat::Avif};

} // namespace

class TestImageFormats : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void names();
    void sniffMagic();
    void sniffWrittenFiles();
    void decodeEveryFormat_data();
    void decodeEveryFormat();
    void misnamedFiles();
    void orientations();
    void reducedJpegDecode();
    void reducedDecodeWithOrientation();
    void pathDecodeSharesBytesDecode();
    void badInputs();
    void hugeHeaderRefusedQuickly();
    void truncatedHeif();
    void differentSeedsDiffer();
};

void TestImageFormats::names()
{
    for (const ImageFormat f : allFormats) {
        QVERIFY(!imageFormatName(f).isEmpty());
        QCOMPARE(imageFormatFromName(imageFormatName(f)), f);
    }
    QCOMPARE(imageFormatName(ImageFormat::Unknown), QString());
    QCOMPARE(imageFormatFromName(QStringLiteral("jpg")), ImageFormat::Jpeg);
    QCOMPARE(imageFormatFromName(QStringLiteral("JPEG")), ImageFormat::Jpeg);
    QCOMPARE(imageFormatFromName(QStringLiteral("tif")), ImageFormat::Tiff);
    QCOMPARE(imageFormatFromName(QStringLiteral("heic")), ImageFormat::Heif);
    QCOMPARE(imageFormatFromName(QStringLiteral("heif")), ImageFormat::Heif);
    QCOMPARE(imageFormatFromName(QStringLiteral("avif")), ImageFormat::Avif);
    QCOMPARE(imageFormatFromName(QStringLiteral("mp4")), ImageFormat::Unknown);
    QCOMPARE(imageFormatFromName(QString()), ImageFormat::Unknown);
}

void TestImageFormats::sniffMagic()
{
    const auto ftyp = [](const char* major, QList<QByteArray> compatible) {
        QByteArray box;
        const int size = 16 + 4 * int(compatible.size());
        box.append(char(0)).append(char(0)).append(char(0)).append(char(size));
        box.append("ftyp").append(major, 4).append(QByteArray(4, '\0'));
        for (const QByteArray& b : compatible)
            box.append(b);
        return box + QByteArray("\0\0\0\x08meta", 8);
    };
    QCOMPARE(sniffImageFormat(QByteArray()), ImageFormat::Unknown);
    QCOMPARE(sniffImageFormat(QByteArray("\xFF", 1)), ImageFormat::Unknown);
    QCOMPARE(sniffImageFormat(QByteArray("\xFF\xD8", 2)), ImageFormat::Unknown);
    QCOMPARE(sniffImageFormat(QByteArray("\xFF\xD8\xFF", 3)), ImageFormat::Jpeg);
    QCOMPARE(sniffImageFormat(QByteArray("\xFF\xD8\xFF\xE0\0\x10JFIF", 10)), ImageFormat::Jpeg);
    QCOMPARE(sniffImageFormat(QByteArray("\x89PNG\r\n\x1a\n", 8)), ImageFormat::Png);
    QCOMPARE(sniffImageFormat(QByteArray("\x89PNG\r\n", 6)), ImageFormat::Unknown);
    QCOMPARE(sniffImageFormat(QByteArray("RIFF\x10\0\0\0WEBPVP8 ", 16)), ImageFormat::Webp);
    QCOMPARE(sniffImageFormat(QByteArray("RIFF\x10\0\0\0WAVEfmt ", 16)), ImageFormat::Unknown);
    QCOMPARE(sniffImageFormat(QByteArray("GIF87a\1\0\1\0", 10)), ImageFormat::Gif);
    QCOMPARE(sniffImageFormat(QByteArray("GIF89a\1\0\1\0", 10)), ImageFormat::Gif);
    QCOMPARE(sniffImageFormat(QByteArray("GIF88a\1\0\1\0", 10)), ImageFormat::Unknown);
    QCOMPARE(sniffImageFormat(QByteArray("BM\x36\0\0\0\0\0\0\0\x36\0\0\0", 14)), ImageFormat::Bmp);
    QCOMPARE(sniffImageFormat(QByteArray("II*\0\x08\0\0\0", 8)), ImageFormat::Tiff);
    QCOMPARE(sniffImageFormat(QByteArray("MM\0*\0\0\0\x08", 8)), ImageFormat::Tiff);
    QCOMPARE(sniffImageFormat(QByteArray("just some text, not an image\n")), ImageFormat::Unknown);
    QCOMPARE(sniffImageFormat(QByteArray(64, '\0')), ImageFormat::Unknown);

    QCOMPARE(sniffImageFormat(ftyp("heic", {"mif1", "heic"})), ImageFormat::Heif);
    QCOMPARE(sniffImageFormat(ftyp("mif1", {"heic"})), ImageFormat::Heif);
    QCOMPARE(sniffImageFormat(ftyp("heix", {})), ImageFormat::Heif);
    QCOMPARE(sniffImageFormat(ftyp("msf1", {"hevc"})), ImageFormat::Heif);
    QCOMPARE(sniffImageFormat(ftyp("avif", {"mif1", "miaf"})), ImageFormat::Avif);
    QCOMPARE(sniffImageFormat(ftyp("avis", {"msf1"})), ImageFormat::Avif);
    // The avif brand wins over mif1 whichever comes first.
    QCOMPARE(sniffImageFormat(ftyp("mif1", {"miaf", "avif"})), ImageFormat::Avif);
    // Videos and other ISO-BMFF files are not images.
    QCOMPARE(sniffImageFormat(ftyp("isom", {"iso2", "mp41"})), ImageFormat::Unknown);
    QCOMPARE(sniffImageFormat(ftyp("qt  ", {})), ImageFormat::Unknown);
    // Cut short: a brand cut in half is not seen.
    QCOMPARE(sniffImageFormat(ftyp("heic", {}).left(10)), ImageFormat::Unknown);
    // Only the first kImageFormatSniffBytes are needed.
    QCOMPARE(sniffImageFormat(ftyp("mif1", {"miaf", "avif"}).left(kImageFormatSniffBytes)), ImageFormat::Avif);
}

void TestImageFormats::sniffWrittenFiles()
{
    QTemporaryDir dir;
    const QImage picture = ti::makePicture(96, 64, 3);
    for (const ImageFormat f : allFormats) {
        // Named .bin so that nothing can come from the name.
        const QString path = dir.filePath(QStringLiteral("picture-%1.bin").arg(imageFormatName(f)));
        QString error;
        if (!ti::writeImage(picture, path, f, &error)) {
            qWarning("%s cannot be written here: %s", qPrintable(imageFormatName(f)), qPrintable(error));
            continue;
        }
        const QByteArray bytes = ti::readFile(path);
        QCOMPARE(sniffImageFormat(bytes.left(kImageFormatSniffBytes)), f);
        QCOMPARE(sniffImageFormat(bytes), f);
    }
}

void TestImageFormats::decodeEveryFormat_data()
{
    QTest::addColumn<ImageFormat>("format");
    QTest::addColumn<double>("tolerance"); // mean absolute difference, 0..255
    QTest::newRow("jpeg") << ImageFormat::Jpeg << 6.0;
    QTest::newRow("png") << ImageFormat::Png << 0.0;
    QTest::newRow("webp") << ImageFormat::Webp << 6.0;
    QTest::newRow("gif") << ImageFormat::Gif << 30.0; // 216 colours
    QTest::newRow("bmp") << ImageFormat::Bmp << 0.0;
    QTest::newRow("tiff") << ImageFormat::Tiff << 0.0;
    QTest::newRow("heif") << ImageFormat::Heif << 8.0;
    QTest::newRow("avif") << ImageFormat::Avif << 8.0;
}

void TestImageFormats::decodeEveryFormat()
{
    QFETCH(ImageFormat, format);
    QFETCH(double, tolerance);
    QTemporaryDir dir;
    const QImage picture = ti::makePicture(320, 240, 11);
    const QString path = dir.filePath(QStringLiteral("picture.") + imageFormatName(format));
    QString error;
    if (!ti::writeImage(picture, path, format, &error))
        QSKIP(qPrintable(QStringLiteral("cannot write %1 here: %2").arg(imageFormatName(format), error)));
    if (format == ImageFormat::Heif && !heifDecoderAvailable())
        QSKIP("libheif has no HEVC decoder here");
    if (format == ImageFormat::Avif && !avifDecoderAvailable())
        QSKIP("libheif has no AV1 decoder here");

    const ImagePreprocessor pre;
    for (const bool reduced : {false, true}) {
        const DecodedImage decoded = pre.decode(ti::readFile(path), path, reduced);
        QCOMPARE(decoded.format, format);
        QCOMPARE(decoded.image.format(), QImage::Format_RGB888);
        QCOMPARE(decoded.image.size(), QSize(320, 240)); // too small to reduce
        QCOMPARE(decoded.fullSize, QSize(320, 240));
        const double diff = meanAbsDiff(decoded.image, picture);
        QVERIFY2(diff <= tolerance, qPrintable(QStringLiteral("%1 differs by %2").arg(imageFormatName(format)).arg(diff)));
    }
    // The tensor path works on it.
    const torch::Tensor t = pre.toTensor(pre.decode(ti::readFile(path), path).image);
    QCOMPARE(t.sizes(), (c10::IntArrayRef{3, 224, 224}));
}

void TestImageFormats::misnamedFiles()
{
    QTemporaryDir dir;
    const QImage picture = ti::makePicture(128, 96, 5);
    const ImagePreprocessor pre;
    // A PNG named .jpg, a JPEG named .png, a WebP named .gif, a TIFF with no extension.
    const QList<QPair<ImageFormat, QString>> cases{{ImageFormat::Png, QStringLiteral("really-png.jpg")},
                                                   {ImageFormat::Jpeg, QStringLiteral("really-jpeg.png")},
                                                   {ImageFormat::Webp, QStringLiteral("really-webp.gif")},
                                                   {ImageFormat::Tiff, QStringLiteral("really-tiff")},
                                                   {ImageFormat::Gif, QStringLiteral("really-gif.bmp")}};
    for (const auto& [format, name] : cases) {
        const QString path = dir.filePath(name);
        QVERIFY(ti::writeImage(picture, path, format));
        const DecodedImage decoded = pre.decode(ti::readFile(path), path);
        QCOMPARE(decoded.format, format);
        QCOMPARE(decoded.image.size(), picture.size());
        QVERIFY(meanAbsDiff(decoded.image, picture) < 30);
        // And through the path-based decode.
        QCOMPARE(pre.decode(path).size(), picture.size());
    }
    QString error;
    const QString heic = dir.filePath(QStringLiteral("really-heic.jpg"));
    if (ti::writeImage(picture, heic, ImageFormat::Heif, &error) && heifDecoderAvailable()) {
        QCOMPARE(pre.decode(ti::readFile(heic), heic).format, ImageFormat::Heif);
        QCOMPARE(pre.decode(heic).size(), picture.size());
    }
}

void TestImageFormats::orientations()
{
    QTemporaryDir dir;
    // Not square, and not symmetric, so that every orientation differs.
    const QImage stored = ti::makePicture(96, 64, 21);
    const ImagePreprocessor pre;
    // The same compressed pixels with no orientation: the reference.
    ti::ExifFields none;
    none.orientation = 1;
    const QString uprightPath = dir.filePath(QStringLiteral("o1.jpg"));
    QVERIFY(ti::writeJpegWithExif(stored, uprightPath, none));
    const QImage upright = pre.decode(ti::readFile(uprightPath), uprightPath, false).image;
    QCOMPARE(upright.size(), stored.size());

    for (int orientation = 1; orientation <= 8; ++orientation) {
        ti::ExifFields exif;
        exif.orientation = orientation;
        const QString path = dir.filePath(QStringLiteral("o%1.jpg").arg(orientation));
        QString error;
        QVERIFY2(ti::writeJpegWithExif(stored, path, exif, &error), qPrintable(error));
        const QSize displayed = orientation >= 5 ? stored.size().transposed() : stored.size();
        for (const bool reduced : {false, true}) {
            const DecodedImage decoded = pre.decode(ti::readFile(path), path, reduced);
            QCOMPARE(decoded.image.size(), displayed);
            QCOMPARE(decoded.fullSize, displayed);
            const QImage expected = applyOrientation(upright, orientation);
            const double diff = meanAbsDiff(decoded.image, expected);
            QVERIFY2(diff < 0.5, qPrintable(QStringLiteral("orientation %1 differs by %2").arg(orientation).arg(diff)));
            if (orientation != 1) {
                // And it is not simply the stored pixels.
                const double other = meanAbsDiff(decoded.image, applyOrientation(upright, 1));
                QVERIFY(other > 5 || decoded.image.size() != upright.size());
            }
        }
        QCOMPARE(pre.decode(path).size(), displayed);
    }
}

void TestImageFormats::reducedJpegDecode()
{
    QTemporaryDir dir;
    const QImage picture = ti::makePicture(2000, 1600, 31);
    const QString path = dir.filePath(QStringLiteral("big.jpg"));
    QVERIFY(ti::writeImage(picture, path, ImageFormat::Jpeg));
    const QByteArray bytes = ti::readFile(path);
    const ImagePreprocessor pre; // shortest edge 224
    const DecodedImage full = pre.decode(bytes, path, false);
    QCOMPARE(full.image.size(), QSize(2000, 1600));
    QCOMPARE(full.fullSize, QSize(2000, 1600));
    // 1/8 would be 250x200 (< 224), so 1/4.
    const DecodedImage reduced = pre.decode(bytes, path, true);
    QCOMPARE(reduced.image.size(), QSize(500, 400));
    QCOMPARE(reduced.fullSize, QSize(2000, 1600));
    QCOMPARE(reduced.format, ImageFormat::Jpeg);
    QVERIFY(meanAbsDiff(reduced.image, full.image.scaled(500, 400, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)) < 8);
    // Same as the path-based decode.
    QCOMPARE(pre.decode(path, true), reduced.image);
    QCOMPARE(pre.decode(path, false), full.image);

    // Non-JPEG formats are never reduced.
    const QString png = dir.filePath(QStringLiteral("big.png"));
    QVERIFY(ti::writeImage(picture, png, ImageFormat::Png));
    QCOMPARE(pre.decode(ti::readFile(png), png, true).image.size(), QSize(2000, 1600));
}

void TestImageFormats::reducedDecodeWithOrientation()
{
    QTemporaryDir dir;
    const QImage stored = ti::makePicture(1600, 1200, 41);
    const ImagePreprocessor pre;
    for (const int orientation : {3, 6, 8}) {
        ti::ExifFields exif;
        exif.orientation = orientation;
        const QString path = dir.filePath(QStringLiteral("big-o%1.jpg").arg(orientation));
        QVERIFY(ti::writeJpegWithExif(stored, path, exif));
        const bool swap = orientation >= 5;
        const DecodedImage d = pre.decode(ti::readFile(path), path, true);
        // 1/8 = 200x150 is too small, 1/4 = 400x300.
        QCOMPARE(d.image.size(), swap ? QSize(300, 400) : QSize(400, 300));
        QCOMPARE(d.fullSize, swap ? QSize(1200, 1600) : QSize(1600, 1200));
        const DecodedImage f = pre.decode(ti::readFile(path), path, false);
        QCOMPARE(f.image.size(), d.fullSize);
        QVERIFY(meanAbsDiff(d.image, f.image.scaled(d.image.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation)) < 8);
    }
}

void TestImageFormats::pathDecodeSharesBytesDecode()
{
    QTemporaryDir dir;
    const ImagePreprocessor pre;
    expectImageError([&] { pre.decode(dir.filePath(QStringLiteral("missing.jpg"))); },
                     {QStringLiteral("missing.jpg")});
    const QString empty = writeBytes(dir, QStringLiteral("empty.jpg"), {});
    expectImageError([&] { pre.decode(empty); }, {QStringLiteral("empty.jpg"), QStringLiteral("is empty")});
    const QString text = writeBytes(dir, QStringLiteral("notes.jpg"), "just some text, not an image\n");
    expectImageError([&] { pre.decode(text); },
                     {QStringLiteral("notes.jpg"), QStringLiteral("is not an image PhotoSearch can read")});
    // A directory is not readable as a file.
    expectImageError([&] { pre.decode(dir.path()); }, {});
}

void TestImageFormats::badInputs()
{
    QTemporaryDir dir;
    const ImagePreprocessor pre;
    QElapsedTimer timer;
    timer.start();

    expectImageError([&] { pre.decode(QByteArray(), QStringLiteral("zero.jpg")); },
                     {QStringLiteral("zero.jpg"), QStringLiteral("is empty")});
    const QString unreadable = expectImageError(
        [&] { pre.decode(QByteArray("just some text, not an image\n"), QStringLiteral("text.jpg")); },
        {QStringLiteral("text.jpg"), QStringLiteral("JPEG, PNG, WebP, GIF, BMP, TIFF, HEIC, AVIF or camera RAW")});
    QCOMPARE(unreadable, QStringLiteral("text.jpg is not an image PhotoSearch can read (JPEG, PNG, WebP, GIF, "
                                        "BMP, TIFF, HEIC, AVIF or camera RAW)."));
    // Magic only.
    for (const QByteArray& magic : {QByteArray("\xFF\xD8\xFF", 3), QByteArray("\x89PNG\r\n\x1a\n", 8),
                                    QByteArray("GIF89a", 6), QByteArray("II*\0", 4), QByteArray("RIFF\0\0\0\0WEBP", 12),
                                    QByteArray("BM\0\0\0\0\0\0\0\0\0\0\0\0", 14)})
        expectImageError([&] { pre.decode(magic, QStringLiteral("magic.img")); }, {QStringLiteral("magic.img")});

    const QImage picture = ti::makePicture(640, 480, 51);
    // Truncated JPEG: Qt decodes what is there (grey fill) or refuses; no crash.
    const QString jpeg = dir.filePath(QStringLiteral("whole.jpg"));
    QVERIFY(ti::writeImage(picture, jpeg, ImageFormat::Jpeg));
    for (const qint64 keep : {QFileInfo(jpeg).size() / 2, qint64(200), qint64(20)}) {
        const QString cut = dir.filePath(QStringLiteral("cut-%1.jpg").arg(keep));
        QVERIFY(ti::writeTruncatedCopy(jpeg, cut, keep));
        try {
            const DecodedImage d = pre.decode(ti::readFile(cut), cut, false);
            QCOMPARE(d.image.size(), QSize(640, 480));
        } catch (const ImageError& e) {
            QVERIFY(QString::fromUtf8(e.what()).contains(QStringLiteral("cut-")));
        }
    }
    // Truncated PNG, GIF, WebP, TIFF, BMP: decoded partially or refused, never a crash.
    for (const ImageFormat f : {ImageFormat::Png, ImageFormat::Gif, ImageFormat::Webp, ImageFormat::Tiff,
                                ImageFormat::Bmp}) {
        const QString whole = dir.filePath(QStringLiteral("whole.") + imageFormatName(f));
        QVERIFY(ti::writeImage(picture, whole, f));
        for (const qint64 keep : {QFileInfo(whole).size() / 2, qint64(60)}) {
            const QString cut = dir.filePath(QStringLiteral("cut-%1.%2").arg(keep).arg(imageFormatName(f)));
            QVERIFY(ti::writeTruncatedCopy(whole, cut, keep));
            try {
                const DecodedImage d = pre.decode(ti::readFile(cut), cut, false);
                QCOMPARE(d.image.size(), QSize(640, 480));
                qInfo("truncated %s (%lld bytes) decoded partially", qPrintable(imageFormatName(f)), keep);
            } catch (const ImageError& e) {
                QVERIFY(QString::fromUtf8(e.what()).contains(QStringLiteral("cut-")));
            }
        }
    }
    // A BMP cut short is refused (Qt would return uninitialised rows).
    const QString bmp = dir.filePath(QStringLiteral("whole.bmp"));
    for (const qint64 keep : {QFileInfo(bmp).size() - 1, QFileInfo(bmp).size() / 2, qint64(60)}) {
        const QString cutBmp = dir.filePath(QStringLiteral("short-%1.bmp").arg(keep));
        QVERIFY(ti::writeTruncatedCopy(bmp, cutBmp, keep));
        expectImageError([&] { pre.decode(ti::readFile(cutBmp), cutBmp); }, {QStringLiteral("short-"), QStringLiteral("truncated")});
    }
    QCOMPARE(pre.decode(ti::readFile(bmp), bmp).image.size(), QSize(640, 480));
    // A PNG cut inside its pixel data is refused.
    const QString png = dir.filePath(QStringLiteral("whole.png"));
    const QString cutPng = dir.filePath(QStringLiteral("short.png"));
    QVERIFY(ti::writeTruncatedCopy(png, cutPng, 100));
    expectImageError([&] { pre.decode(ti::readFile(cutPng), cutPng); }, {QStringLiteral("short.png")});
    QVERIFY2(timer.elapsed() < 20000, qPrintable(QString::number(timer.elapsed())));
}

void TestImageFormats::hugeHeaderRefusedQuickly()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bomb.png"));
    QVERIFY(ti::writePngClaimingSize(path, 30000, 30000));
    QCOMPARE(sniffImageFormat(ti::readFile(path)), ImageFormat::Png);
    const ImagePreprocessor pre;
    QElapsedTimer timer;
    timer.start();
    expectImageError([&] { pre.decode(ti::readFile(path), path); },
                     {QStringLiteral("bomb.png"), QStringLiteral("30000x30000"),
                      QStringLiteral("more than the %1 megapixels").arg(ImagePreprocessor::maxPixels / 1'000'000)});
    expectImageError([&] { pre.decode(path); }, {QStringLiteral("bomb.png"), QStringLiteral("30000x30000")});
    // Refused from the header: no 2.7 GB allocation, no decoding.
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));

    // Just under the cap in pixel count, but a width that libpng refuses, or
    // any other size: still no crash and quick.
    QVERIFY(ti::writePngClaimingSize(path, 20000, 9000));
    timer.restart();
    expectImageError([&] { pre.decode(ti::readFile(path), path); }, {QStringLiteral("bomb.png")});
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
}

void TestImageFormats::truncatedHeif()
{
    QTemporaryDir dir;
    const QImage picture = ti::makePicture(256, 192, 61);
    const ImagePreprocessor pre;
    for (const ImageFormat f : {ImageFormat::Heif, ImageFormat::Avif}) {
        const QString whole = dir.filePath(QStringLiteral("whole.") + imageFormatName(f));
        QString error;
        if (!ti::writeImage(picture, whole, f, &error)) {
            qWarning("skipping %s: %s", qPrintable(imageFormatName(f)), qPrintable(error));
            continue;
        }
        const QByteArray bytes = ti::readFile(whole);
        for (const qsizetype keep : {bytes.size() / 2, qsizetype(200), qsizetype(40), qsizetype(20)}) {
            const QString name = QStringLiteral("cut-%1.%2").arg(keep).arg(imageFormatName(f));
            QElapsedTimer timer;
            timer.start();
            try {
                const DecodedImage d = pre.decode(bytes.left(keep), name);
                // A decoder may conceal missing data; then the size is right.
                QCOMPARE(d.image.size(), picture.size());
            } catch (const ImageError& e) {
                QVERIFY2(QString::fromUtf8(e.what()).contains(name), e.what());
            }
            QVERIFY(timer.elapsed() < 5000);
        }
        // Corrupt payload after an intact header: no crash.
        QByteArray corrupt = bytes;
        for (qsizetype i = corrupt.size() / 2; i < corrupt.size(); i += 7)
            corrupt[i] = char(corrupt[i] ^ 0x5A);
        try {
            pre.decode(corrupt, QStringLiteral("corrupt"));
        } catch (const ImageError&) {
        }
    }
}

void TestImageFormats::differentSeedsDiffer()
{
    const QImage a = ti::makePicture(128, 96, 1);
    const QImage b = ti::makePicture(128, 96, 2);
    QCOMPARE(a, ti::makePicture(128, 96, 1));
    QVERIFY(meanAbsDiff(a, b) > 20);
}

QTEST_MAIN(TestImageFormats)
#include "test_image_formats.moc"
