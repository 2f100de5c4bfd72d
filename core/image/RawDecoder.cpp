// Camera RAW through LibRaw (see RawDecoder.h): header checks, the choice
// between the embedded preview and a half-size demosaic, orientation.
// Thread rule: any thread; one LibRaw object per call.

#include "RawDecoder.h"

#include "ImageError.h"

#include <libraw/libraw.h>

#include <QBuffer>
#include <QFile>
#include <QImageReader>
#include <QTransform>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace photosearch {
namespace {

ImageError rawError(const QString& name, const QString& why)
{
    return ImageError(QStringLiteral("%1 cannot be read as a camera RAW image (%2).").arg(name, why).toStdString());
}

ImageError libRawError(const QString& name, int code)
{
    return rawError(name, QStringLiteral("LibRaw: %1").arg(QString::fromUtf8(libraw_strerror(code))));
}

ImageError truncatedRaw(const QString& name)
{
    return ImageError(QStringLiteral("%1 cannot be read as an image (the RAW file is truncated).")
                          .arg(name).toStdString());
}

ImageError rawTooManyPixels(const QString& name, QSize s, qint64 maxPixels)
{
    return ImageError(QStringLiteral("%1 is %2x%3 pixels, more than the %4 megapixels that can be read.")
                          .arg(name).arg(s.width()).arg(s.height()).arg(maxPixels / 1'000'000).toStdString());
}

std::unique_ptr<LibRaw> newLibRaw(qint64 maxPixels)
{
    auto raw = std::make_unique<LibRaw>(LIBRAW_OPTIONS_NONE);
    libraw_output_params_t& p = raw->imgdata.params;
    p.half_size = 1;     // one pixel per 2x2 sensor block: no interpolation
    p.use_camera_wb = 1; // the colours the camera showed
    p.output_bps = 8;
    p.output_color = 1; // sRGB
    // LibRaw's own allocation cap, in line with ours (a 4-channel 16-bit
    // buffer of maxPixels): the pixel check below comes first anyway.
    p.max_raw_memory_mb = unsigned(std::min<qint64>(maxPixels * 8 / (1024 * 1024) + 1, 4096));
    // Its default prints "data corrupted" lines; the error code says it.
    raw->set_dataerror_handler(nullptr, nullptr);
    return raw;
}

// LibRaw's flip (dcraw's) as an EXIF orientation.
int orientationOfFlip(int flip)
{
    static const int map[8] = {1, 2, 4, 3, 5, 8, 6, 7};
    return flip >= 0 && flip < 8 ? map[flip] : 1;
}

bool transposes(int orientation)
{
    return orientation >= 5 && orientation <= 8;
}

// After open: the sizes from the header, before anything is unpacked.
QSize checkHeader(LibRaw& raw, qint64 fileSize, const QString& name, qint64 maxPixels)
{
    const libraw_image_sizes_t& s = raw.imgdata.sizes;
    if (s.raw_width == 0 || s.raw_height == 0 || s.width == 0 || s.height == 0)
        throw rawError(name, QStringLiteral("it holds no sensor image"));
    const QSize stored(s.width, s.height);
    const QSize displayed = transposes(orientationOfFlip(s.flip)) ? stored.transposed() : stored;
    if (qint64(s.raw_width) * s.raw_height > maxPixels)
        throw rawTooManyPixels(name, displayed, maxPixels);
    // Where the sensor data lies, from the header: a file cut short ends
    // before it, whether or not the preview is still whole.
    const auto& u = raw.get_internal_data_pointer()->unpacker_data;
    if (u.data_offset > fileSize || (u.data_size > 0 && u.data_offset + qint64(u.data_size) > fileSize))
        throw truncatedRaw(name);
    return displayed;
}

// Whether `preview` (displayed) may stand for the sensor image `full` at
// `target`: the same picture (aspect within 3%) and large enough.
bool previewCovers(QSize preview, QSize full, const DecodeTarget& target)
{
    if (preview.isEmpty() || full.isEmpty())
        return false;
    const double a = double(preview.width()) / preview.height();
    const double b = double(full.width()) / full.height();
    if (std::abs(a - b) > 0.03 * b)
        return false;
    const QSize need = target.size.isEmpty() ? full / 2 : preview.scaled(target.size, target.mode);
    return preview.width() >= need.width() && preview.height() >= need.height();
}

// The embedded JPEG preview, when there is one that covers the target.
QByteArray usablePreview(LibRaw& raw, qint64 fileSize, QSize full, int orientation, const DecodeTarget& target,
                         qint64 maxPixels)
{
    if (raw.imgdata.thumbnail.tlength == 0 || !raw.thumbOK(fileSize) || raw.unpack_thumb() != LIBRAW_SUCCESS)
        return {};
    const libraw_thumbnail_t& t = raw.imgdata.thumbnail;
    if (t.tformat != LIBRAW_THUMBNAIL_JPEG || !t.thumb || t.tlength < 4 || qint64(t.tlength) > fileSize)
        return {};
    QByteArray jpeg(t.thumb, qsizetype(t.tlength));
    if (!jpeg.startsWith("\xFF\xD8\xFF"))
        return {};
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer, "jpeg");
    const QSize stored = reader.size();
    if (!stored.isValid() || qint64(stored.width()) * stored.height() > maxPixels)
        return {};
    const QSize displayed = transposes(orientation) ? stored.transposed() : stored;
    return previewCovers(displayed, full, target) ? jpeg : QByteArray();
}

QImage demosaicHalfSize(LibRaw& raw, const QString& name)
{
    int rc = raw.unpack();
    if (rc == LIBRAW_IO_ERROR)
        throw truncatedRaw(name);
    if (rc != LIBRAW_SUCCESS)
        throw libRawError(name, rc);
    if ((rc = raw.dcraw_process()) != LIBRAW_SUCCESS)
        throw libRawError(name, rc);
    int err = LIBRAW_SUCCESS;
    const std::unique_ptr<libraw_processed_image_t, void (*)(libraw_processed_image_t*)> out(
        raw.dcraw_make_mem_image(&err), LibRaw::dcraw_clear_mem);
    if (!out)
        throw libRawError(name, err);
    const int w = out->width;
    const int h = out->height;
    const int colors = out->colors;
    if (out->type != LIBRAW_IMAGE_BITMAP || out->bits != 8 || (colors != 1 && colors != 3) || w <= 0 || h <= 0
        || qint64(out->data_size) < qint64(w) * h * colors)
        throw rawError(name, QStringLiteral("unexpected decoded layout"));
    QImage image(w, h, colors == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8);
    if (image.isNull())
        throw ImageError(QStringLiteral("%1 cannot be read: out of memory.").arg(name).toStdString());
    for (int y = 0; y < h; ++y)
        std::memcpy(image.scanLine(y), out->data + qsizetype(y) * w * colors, size_t(w) * colors);
    return colors == 3 ? image : image.convertToFormat(QImage::Format_RGB888);
}

RawPicture decodeOpened(LibRaw& raw, qint64 fileSize, const QString& name, const DecodeTarget& target,
                        qint64 maxPixels, RawSource source)
{
    RawPicture picture;
    picture.fullSize = checkHeader(raw, fileSize, name, maxPixels);
    picture.orientation = orientationOfFlip(raw.imgdata.sizes.flip);
    if (source == RawSource::PreviewOrSensor)
        picture.previewJpeg = usablePreview(raw, fileSize, picture.fullSize, picture.orientation, target, maxPixels);
    if (picture.previewJpeg.isEmpty()) {
        // dcraw_make_mem_image applies the flip itself.
        picture.image = demosaicHalfSize(raw, name);
        picture.orientation = 1;
    }
    return picture;
}

} // namespace

RawPicture readRaw(const QByteArray& bytes, const QString& name, const DecodeTarget& target, qint64 maxPixels,
                   RawSource source)
{
    const std::unique_ptr<LibRaw> raw = newLibRaw(maxPixels);
    // LibRaw only reads the buffer (its API is not const-correct).
    const int rc = raw->open_buffer(const_cast<char*>(bytes.constData()), size_t(bytes.size()));
    if (rc != LIBRAW_SUCCESS)
        throw libRawError(name, rc);
    return decodeOpened(*raw, bytes.size(), name, target, maxPixels, source);
}

RawPicture readRawFile(const QString& path, qint64 size, const QString& name, const DecodeTarget& target,
                       qint64 maxPixels, RawSource source)
{
    const std::unique_ptr<LibRaw> raw = newLibRaw(maxPixels);
    const int rc = raw->open_file(QFile::encodeName(path).constData());
    if (rc != LIBRAW_SUCCESS)
        throw libRawError(name, rc);
    return decodeOpened(*raw, size, name, target, maxPixels, source);
}

QImage applyExifOrientation(const QImage& image, int orientation)
{
    // Rotations by quarter turns are exact in QImage::transformed.
    const auto rotated = [&](int degrees) { return image.transformed(QTransform().rotate(degrees)); };
    switch (orientation) {
    case 2: return image.mirrored(true, false);
    case 3: return image.mirrored(true, true);
    case 4: return image.mirrored(false, true);
    case 5: return rotated(90).mirrored(true, false); // transpose
    case 6: return rotated(90);
    case 7: return rotated(90).mirrored(false, true); // transverse
    case 8: return rotated(270);
    default: return image;
    }
}

} // namespace photosearch
