// The Qt-only ImageDecoder (core/image): the size caps are kept before the
// file is read (a sparse 2 GiB file, 900 MB of zeros, a PNG claiming
// 30000x30000 pixels never cost their size in memory), decoding straight
// from the file agrees with decoding from memory, EXIF orientation with a
// DCT-reduced decode, truncated BMPs and HEIC.
// No LibTorch header is included here: the decoder does not need one.

#include "HeifDecoder.h"
#include "ImageDecoder.h"
#include "TestImages.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace photosearch;
namespace ti = photosearch::testimages;

namespace {

// Peak resident memory of this process so far (VmHWM), in bytes.
qint64 peakRss()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
    }
    return -1;
}

constexpr qint64 kMaxGrowth = 200LL * 1024 * 1024;

// A file of `size` bytes that starts with `head` and is a hole after it.
QString sparseFile(const QTemporaryDir& dir, const QString& name, const QByteArray& head, qint64 size)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(head) != head.size() || !file.resize(size))
        qFatal("cannot make %s", qPrintable(path));
    return path;
}

// Calls `f`, which must throw ImageError whose message holds `needle`.
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

QRgb pixelAt(const QImage& image, double fx, double fy)
{
    return image.pixel(int(fx * (image.width() - 1)), int(fy * (image.height() - 1)));
}

bool near(QRgb a, QColor b)
{
    return std::abs(qRed(a) - b.red()) < 40 && std::abs(qGreen(a) - b.green()) < 40 && std::abs(qBlue(a) - b.blue()) < 40;
}

} // namespace

class TestImageDecoder : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void oversizedFileRefusedUnread()
    {
        QTemporaryDir dir;
        const qint64 before = peakRss();
        QVERIFY(before > 0);
        const QString huge =
            sparseFile(dir, QStringLiteral("huge.jpg"), QByteArray("\xFF\xD8\xFF\xE0", 4), 2LL * 1024 * 1024 * 1024);
        expectError([&] { ImageDecoder::decodeFile(huge); }, QStringLiteral("larger than the 1024 MiB"));
        expectError([&] { ImageDecoder::readFile(huge); }, QStringLiteral("larger than the 1024 MiB"));
        QVERIFY2(peakRss() - before < kMaxGrowth, qPrintable(QString::number(peakRss() - before)));
    }

    void zerosNamedJpegRefusedUnread()
    {
        QTemporaryDir dir;
        const qint64 before = peakRss();
        const QString zeros = sparseFile(dir, QStringLiteral("zeros.jpg"), QByteArray(), 900LL * 1000 * 1000);
        expectError([&] { ImageDecoder::decodeFile(zeros); }, QStringLiteral("is not an image PhotoSearch can read"));
        QVERIFY2(peakRss() - before < kMaxGrowth, qPrintable(QString::number(peakRss() - before)));
    }

    void pixelCapFromHeader()
    {
        QTemporaryDir dir;
        const QString bomb = dir.filePath(QStringLiteral("bomb.png"));
        QVERIFY(ti::writePngClaimingSize(bomb, 30000, 30000));
        const qint64 before = peakRss();
        expectError([&] { ImageDecoder::decodeFile(bomb); }, QStringLiteral("30000x30000 pixels, more than the 200"));
        expectError([&] { ImageDecoder::decode(ti::readFile(bomb), bomb); }, QStringLiteral("30000x30000"));
        QVERIFY2(peakRss() - before < kMaxGrowth, qPrintable(QString::number(peakRss() - before)));
    }

    void fileAndMemoryAgree()
    {
        QTemporaryDir dir;
        const QImage picture = ti::makePicture(320, 200, 7);
        for (ImageFormat format : {ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::Bmp, ImageFormat::Gif}) {
            // Named wrongly on purpose: the content decides.
            const QString path = dir.filePath(QStringLiteral("picture-%1.img").arg(imageFormatName(format)));
            QVERIFY(ti::writeImage(picture, path, format));
            const DecodedImage fromFile = ImageDecoder::decodeFile(path);
            const DecodedImage fromMemory = ImageDecoder::decode(ti::readFile(path), path);
            QCOMPARE(fromFile.format, format);
            QCOMPARE(fromFile.image.format(), QImage::Format_RGB888);
            QCOMPARE(fromFile.image, fromMemory.image);
            QCOMPARE(fromFile.fullSize, QSize(320, 200));
        }
    }

    void orientationWithReducedJpeg()
    {
        QTemporaryDir dir;
        // Stored 800x400, red left half, blue right half; orientation 6
        // (rotate 90° clockwise): displayed 400x800, red on top.
        QImage stored(800, 400, QImage::Format_RGB888);
        stored.fill(Qt::blue);
        for (int y = 0; y < 400; ++y)
            for (int x = 0; x < 400; ++x)
                stored.setPixelColor(x, y, Qt::red);
        const QString path = dir.filePath(QStringLiteral("rotated.jpg"));
        ti::ExifFields exif;
        exif.orientation = 6;
        QVERIFY(ti::writeJpegWithExif(stored, path, exif));

        const DecodedImage full = ImageDecoder::decodeFile(path);
        QCOMPARE(full.image.size(), QSize(400, 800));
        QVERIFY(near(pixelAt(full.image, 0.5, 0.1), Qt::red));
        QVERIFY(near(pixelAt(full.image, 0.5, 0.9), Qt::blue));

        // Fitting 100x100 needs 50x100 displayed: libjpeg's 1/8 gives exactly that.
        const DecodedImage small = ImageDecoder::decodeFile(path, DecodeTarget::fitInto(QSize(100, 100)));
        QCOMPARE(small.image.size(), QSize(50, 100));
        QCOMPARE(small.fullSize, QSize(400, 800));
        QVERIFY(near(pixelAt(small.image, 0.5, 0.1), Qt::red));
        QVERIFY(near(pixelAt(small.image, 0.5, 0.9), Qt::blue));

        // CLIP's rule, the shortest side stays >= the edge: 1/2 keeps 200,
        // while an edge of 224 leaves nothing to reduce.
        const DecodedImage clip = ImageDecoder::decode(ti::readFile(path), path, DecodeTarget::shortestSide(200));
        QCOMPARE(clip.image.size(), QSize(200, 400));
        QCOMPARE(clip.fullSize, QSize(400, 800));
        QCOMPARE(ImageDecoder::decodeFile(path, DecodeTarget::shortestSide(224)).image.size(), QSize(400, 800));
    }

    void truncatedBmpFromFile()
    {
        QTemporaryDir dir;
        const QString bmp = dir.filePath(QStringLiteral("whole.bmp"));
        QVERIFY(ti::writeImage(ti::makePicture(64, 64, 3), bmp, ImageFormat::Bmp));
        const QString cut = dir.filePath(QStringLiteral("cut.bmp"));
        QVERIFY(ti::writeTruncatedCopy(bmp, cut, QFileInfo(bmp).size() / 2));
        expectError([&] { ImageDecoder::decodeFile(cut); }, QStringLiteral("the BMP file is truncated"));
        expectError([&] { ImageDecoder::decode(ti::readFile(cut), cut); }, QStringLiteral("the BMP file is truncated"));
        QCOMPARE(ImageDecoder::decodeFile(bmp).image.size(), QSize(64, 64));
    }

    void emptyAndMissing()
    {
        QTemporaryDir dir;
        QFile empty(dir.filePath(QStringLiteral("empty.png")));
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.close();
        expectError([&] { ImageDecoder::decodeFile(empty.fileName()); }, QStringLiteral("is empty"));
        expectError([&] { ImageDecoder::decodeFile(dir.filePath(QStringLiteral("gone.jpg"))); },
                    QStringLiteral("cannot be read"));
    }

    void heicFromFile()
    {
        QTemporaryDir dir;
        const QImage picture = ti::makePicture(96, 64, 5);
        const QString heic = dir.filePath(QStringLiteral("really-heic.jpg"));
        QString error;
        if (!heifDecoderAvailable() || !ti::writeImage(picture, heic, ImageFormat::Heif, &error))
            QSKIP(qPrintable(QStringLiteral("no HEIF encoder/decoder here: %1").arg(error)));
        const DecodedImage decoded = ImageDecoder::decodeFile(heic, DecodeTarget::fitInto(QSize(16, 16)));
        QCOMPARE(decoded.format, ImageFormat::Heif);
        QCOMPARE(decoded.image.size(), QSize(96, 64)); // only JPEGs are reduced
        QCOMPARE(decoded.fullSize, QSize(96, 64));
    }
};

QTEST_GUILESS_MAIN(TestImageDecoder)
#include "test_image_decoder.moc"
