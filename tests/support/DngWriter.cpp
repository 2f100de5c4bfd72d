// DNG and TIFF test files through libtiff (see DngWriter.h).

#include "DngWriter.h"

#include <tiffio.h>

#include <QBuffer>
#include <QFile>
#include <QImageWriter>

#include <cmath>
#include <memory>
#include <vector>

namespace photosearch::testdng {
namespace {

using TiffPtr = std::unique_ptr<TIFF, void (*)(TIFF*)>;

bool fail(QString* error, const QString& why)
{
    if (error)
        *error = why;
    return false;
}

QByteArray jpegOf(const QImage& image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "jpeg");
    writer.setQuality(90);
    writer.write(image.convertToFormat(QImage::Format_RGB888));
    return bytes;
}

// The camera-wide tags DNG keeps in IFD0.
void setCameraTags(TIFF* tif, const DngOptions& o)
{
    static const uint8_t version[4] = {1, 4, 0, 0};
    static const uint8_t backward[4] = {1, 1, 0, 0};
    TIFFSetField(tif, TIFFTAG_DNGVERSION, version);
    TIFFSetField(tif, TIFFTAG_DNGBACKWARDVERSION, backward);
    const QByteArray make = o.make.toUtf8();
    const QByteArray model = o.model.toUtf8();
    TIFFSetField(tif, TIFFTAG_MAKE, make.constData());
    TIFFSetField(tif, TIFFTAG_MODEL, model.constData());
    TIFFSetField(tif, TIFFTAG_UNIQUECAMERAMODEL, (make + ' ' + model).constData());
    TIFFSetField(tif, TIFFTAG_ORIENTATION, uint16_t(o.orientation));
    // The sensor sees linear sRGB: the matrix from XYZ to it, neutral white.
    static const float xyzToCamera[9] = {3.2406f, -1.5372f, -0.4986f, -0.9689f, 1.8758f,
                                         0.0415f, 0.0557f,  -0.2040f, 1.0570f};
    static const float neutral[3] = {1.f, 1.f, 1.f};
    TIFFSetField(tif, TIFFTAG_COLORMATRIX1, uint16_t(9), xyzToCamera);
    TIFFSetField(tif, TIFFTAG_CALIBRATIONILLUMINANT1, uint16_t(21)); // D65
    TIFFSetField(tif, TIFFTAG_ASSHOTNEUTRAL, uint16_t(3), neutral);
}

// A 16-bit RGGB mosaic of `scene` (linear, 12 bits used), one strip.
bool writeMosaic(TIFF* tif, const QImage& scene, uint32_t subFileType)
{
    const QImage rgb = scene.convertToFormat(QImage::Format_RGB888);
    const int w = rgb.width();
    const int h = rgb.height();
    static const uint16_t dims[2] = {2, 2};
    static const uint8_t pattern[4] = {0, 1, 1, 2}; // R G / G B
    static const uint32_t white[1] = {4095};
    TIFFSetField(tif, TIFFTAG_SUBFILETYPE, subFileType);
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, uint32_t(w));
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, uint32_t(h));
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, uint16_t(16));
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, uint16_t(1));
    TIFFSetField(tif, TIFFTAG_COMPRESSION, uint16_t(COMPRESSION_NONE));
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, uint16_t(PHOTOMETRIC_CFA));
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, uint16_t(PLANARCONFIG_CONTIG));
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, uint32_t(h));
    TIFFSetField(tif, TIFFTAG_CFAREPEATPATTERNDIM, dims);
    TIFFSetField(tif, TIFFTAG_CFAPATTERN, uint16_t(4), pattern);
    TIFFSetField(tif, TIFFTAG_WHITELEVEL, uint16_t(1), white);
    std::vector<uint16_t> data(size_t(w) * h);
    for (int y = 0; y < h; ++y) {
        const uchar* line = rgb.constScanLine(y);
        for (int x = 0; x < w; ++x) {
            const int channel = (y % 2) + (x % 2); // 0 R, 1 G, 2 B
            const double v = std::pow(line[x * 3 + channel] / 255.0, 2.2);
            data[size_t(y) * w + x] = uint16_t(std::lround(v * 4095));
        }
    }
    return TIFFWriteRawStrip(tif, 0, data.data(), tmsize_t(data.size() * 2)) >= 0;
}

// A baseline JPEG as one strip of a "new-style" JPEG IFD (compression 7),
// as DNG previews are stored.
bool writePreview(TIFF* tif, const QImage& preview, uint32_t subFileType)
{
    const QByteArray jpeg = jpegOf(preview);
    TIFFSetField(tif, TIFFTAG_SUBFILETYPE, subFileType);
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, uint32_t(preview.width()));
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, uint32_t(preview.height()));
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, uint16_t(8));
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, uint16_t(3));
    TIFFSetField(tif, TIFFTAG_COMPRESSION, uint16_t(COMPRESSION_JPEG));
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, uint16_t(PHOTOMETRIC_YCBCR));
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, uint16_t(PLANARCONFIG_CONTIG));
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, uint32_t(preview.height()));
    return !jpeg.isEmpty() && TIFFWriteRawStrip(tif, 0, const_cast<char*>(jpeg.constData()), jpeg.size()) >= 0;
}

} // namespace

bool writeDng(const QString& path, const DngOptions& o, QString* error)
{
    if (o.scene.isNull() || o.scene.width() % 2 || o.scene.height() % 2)
        return fail(error, QStringLiteral("the scene must have even sides"));
    TiffPtr tif(TIFFOpen(QFile::encodeName(path).constData(), "w"), TIFFClose);
    if (!tif)
        return fail(error, QStringLiteral("cannot create %1").arg(path));
    const bool preview = !o.preview.isNull();
    setCameraTags(tif.get(), o);
    if (preview) {
        uint64_t subIfd[1] = {0}; // filled in by libtiff
        TIFFSetField(tif.get(), TIFFTAG_SUBIFD, uint16_t(1), subIfd);
    }
    const bool previewFirst = preview && o.place == PreviewPlace::InIfd0;
    bool ok = previewFirst ? writePreview(tif.get(), o.preview, FILETYPE_REDUCEDIMAGE)
                           : writeMosaic(tif.get(), o.scene, 0);
    ok = ok && TIFFWriteDirectory(tif.get());
    if (ok && preview) {
        ok = previewFirst ? writeMosaic(tif.get(), o.scene, 0)
                          : writePreview(tif.get(), o.preview, FILETYPE_REDUCEDIMAGE);
        ok = ok && TIFFWriteDirectory(tif.get());
    }
    if (!ok)
        return fail(error, QStringLiteral("libtiff could not write %1").arg(path));
    return true;
}

bool writeTiffWithSubIfd(const QString& path, const QImage& image, QString* error)
{
    TiffPtr tif(TIFFOpen(QFile::encodeName(path).constData(), "w"), TIFFClose);
    if (!tif)
        return fail(error, QStringLiteral("cannot create %1").arg(path));
    const auto writeRgb = [&](const QImage& source) {
        const QImage rgb = source.convertToFormat(QImage::Format_RGB888);
        TIFFSetField(tif.get(), TIFFTAG_IMAGEWIDTH, uint32_t(rgb.width()));
        TIFFSetField(tif.get(), TIFFTAG_IMAGELENGTH, uint32_t(rgb.height()));
        TIFFSetField(tif.get(), TIFFTAG_BITSPERSAMPLE, uint16_t(8));
        TIFFSetField(tif.get(), TIFFTAG_SAMPLESPERPIXEL, uint16_t(3));
        TIFFSetField(tif.get(), TIFFTAG_COMPRESSION, uint16_t(COMPRESSION_NONE));
        TIFFSetField(tif.get(), TIFFTAG_PHOTOMETRIC, uint16_t(PHOTOMETRIC_RGB));
        TIFFSetField(tif.get(), TIFFTAG_PLANARCONFIG, uint16_t(PLANARCONFIG_CONTIG));
        TIFFSetField(tif.get(), TIFFTAG_ROWSPERSTRIP, uint32_t(rgb.height()));
        for (int y = 0; y < rgb.height(); ++y)
            if (TIFFWriteScanline(tif.get(), const_cast<uchar*>(rgb.constScanLine(y)), uint32_t(y), 0) < 0)
                return false;
        return bool(TIFFWriteDirectory(tif.get()));
    };
    TIFFSetField(tif.get(), TIFFTAG_MAKE, "PhotoSearch Scanner");
    uint64_t subIfd[1] = {0};
    TIFFSetField(tif.get(), TIFFTAG_SUBIFD, uint16_t(1), subIfd);
    if (!writeRgb(image))
        return fail(error, QStringLiteral("libtiff could not write %1").arg(path));
    TIFFSetField(tif.get(), TIFFTAG_SUBFILETYPE, uint32_t(FILETYPE_REDUCEDIMAGE));
    if (!writeRgb(image.scaled(image.size() / 2)))
        return fail(error, QStringLiteral("libtiff could not write %1").arg(path));
    return true;
}

} // namespace photosearch::testdng
