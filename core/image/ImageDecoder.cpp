// The shared image decoder (see ImageDecoder.h): format sniffing, size and
// pixel caps before any pixels, JPEG DCT-reduced reads, HEIF via libheif.
// Thread rule: any thread. The one process-wide change, Qt's image
// allocation limit, is made once under a function-local static.

#include "ImageDecoder.h"

#include "HeifDecoder.h"
#include "RawDecoder.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QImageReader>
#include <QPainter>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <functional>
#include <optional>

namespace photosearch {
namespace {

// Enough for sniffImageFormat() and for the BMP header fields read below.
constexpr int kHeadBytes = 64;

QString displayName(const QString& path)
{
    return QDir::toNativeSeparators(path);
}

ImageError cannotRead(const QString& name, const QString& why)
{
    return ImageError(QStringLiteral("%1 cannot be read (%2).").arg(name, why).toStdString());
}

ImageError notAnImage(const QString& name)
{
    return ImageError(QStringLiteral("%1 is not an image PhotoSearch can read "
                                     "(JPEG, PNG, WebP, GIF, BMP, TIFF, HEIC, AVIF or camera RAW).")
                          .arg(name).toStdString());
}

ImageError tooManyPixels(const QString& name, QSize s)
{
    return ImageError(QStringLiteral("%1 is %2x%3 pixels, more than the %4 megapixels that can be read.")
                          .arg(name).arg(s.width()).arg(s.height()).arg(ImageDecoder::maxPixels / 1'000'000)
                          .toStdString());
}

ImageError truncatedBmp(const QString& name)
{
    return ImageError(QStringLiteral("%1 cannot be read as an image (the BMP file is truncated).")
                          .arg(name).toStdString());
}

const char* qtFormatName(ImageFormat format)
{
    switch (format) {
    case ImageFormat::Jpeg: return "jpeg";
    case ImageFormat::Png: return "png";
    case ImageFormat::Webp: return "webp";
    case ImageFormat::Gif: return "gif";
    case ImageFormat::Bmp: return "bmp";
    case ImageFormat::Tiff: return "tiff";
    case ImageFormat::Heif:
    case ImageFormat::Avif:
    case ImageFormat::Raw:
    case ImageFormat::Unknown: break;
    }
    return nullptr;
}

quint32 le32(const QByteArray& b, int offset)
{
    const auto* p = reinterpret_cast<const uchar*>(b.constData() + offset);
    return quint32(p[0]) | (quint32(p[1]) << 8) | (quint32(p[2]) << 16) | (quint32(p[3]) << 24);
}

// Qt's BMP reader accepts a file cut short and returns an image whose
// missing rows are uninitialised memory. For the common uncompressed
// layout, whether the pixel data is all there is known from the header
// (`head`, the first bytes) and the file's size.
bool bmpTruncated(const QByteArray& head, qint64 fileSize)
{
    if (fileSize < 34 || head.size() < 34)
        return true;
    const quint32 pixelOffset = le32(head, 10);
    const quint32 headerSize = le32(head, 14);
    if (headerSize < 40)
        return fileSize < qint64(pixelOffset);
    const qint64 width = qint32(le32(head, 18));
    const qint64 height = std::abs(qint64(qint32(le32(head, 22))));
    const int bpp = uchar(head[28]) | (uchar(head[29]) << 8);
    const quint32 compression = le32(head, 30);
    if (compression != 0 /* BI_RGB */ && compression != 3 /* BI_BITFIELDS */)
        return fileSize < qint64(pixelOffset);
    if (width <= 0 || height == 0) // Qt refuses these itself
        return fileSize < qint64(pixelOffset);
    const qint64 rowBytes = (width * bpp + 31) / 32 * 4;
    // By division: rowBytes * height overflows for a hostile header (fuzzing
    // found it; tests/fuzz/regressions/image-bmp-huge-dimensions).
    return fileSize < qint64(pixelOffset) || rowBytes > (fileSize - qint64(pixelOffset)) / height;
}

ImageError truncatedJpeg(const QString& name)
{
    return ImageError(QStringLiteral("%1 cannot be read as an image (the JPEG file is truncated).")
                          .arg(name).toStdString());
}

// Reads `n` bytes at `pos` of the file being checked (fewer at its end).
using ReadAt = ByteReader;

// Where the first scan (SOS marker) of a JPEG starts, walking the marker
// segments from the start; -1 when the file ends before one.
qint64 jpegScanStart(const ReadAt& readAt, qint64 size)
{
    qint64 pos = 2; // after SOI
    while (pos + 4 <= size) {
        const QByteArray m = readAt(pos, 4);
        if (m.size() < 4 || uchar(m[0]) != 0xFF)
            return -1;
        const uchar marker = uchar(m[1]);
        if (marker == 0xFF) { // fill byte
            ++pos;
            continue;
        }
        if (marker == 0xDA)
            return pos;
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // no length
            pos += 2;
            continue;
        }
        pos += 2 + ((uchar(m[2]) << 8) | uchar(m[3]));
    }
    return -1;
}

// libjpeg, through Qt, decodes a JPEG cut short with only a warning and
// fills the rest with grey. A whole one has an EOI marker (FF D9) after its
// first scan; anything after it (zero padding, a camera's trailer) is
// allowed. Searched backwards from the end, so a whole file costs one read.
bool jpegTruncated(const ReadAt& readAt, qint64 size)
{
    const qint64 scan = jpegScanStart(readAt, size);
    if (scan < 0)
        return true;
    constexpr qint64 kChunk = 64 * 1024;
    for (qint64 end = size; end > scan; end -= kChunk - 1) {
        const qint64 begin = std::max(scan, end - kChunk);
        const QByteArray chunk = readAt(begin, end - begin);
        if (chunk.lastIndexOf(QByteArray("\xFF\xD9", 2)) >= 0)
            return false;
    }
    return true;
}

// The formats whose decoders accept a file cut short are refused here, for
// a file and for bytes in memory alike. `head` holds the first kHeadBytes.
void refuseTruncated(ImageFormat format, const QByteArray& head, qint64 size, const ReadAt& readAt,
                     const QString& name)
{
    if (format == ImageFormat::Bmp && bmpTruncated(head, size))
        throw truncatedBmp(name);
    if (format == ImageFormat::Jpeg && jpegTruncated(readAt, size))
        throw truncatedJpeg(name);
}

// The size, as stored, that a reduced decode must still cover; invalid for
// a full decode. `target` speaks of the displayed (oriented) image.
QSize neededSize(QSize stored, bool transposed, const DecodeTarget& target)
{
    if (target.size.isEmpty())
        return {};
    const QSize displayed = transposed ? stored.transposed() : stored;
    const QSize need = displayed.scaled(target.size, target.mode);
    return transposed ? need.transposed() : need;
}

// The size to request from Qt's JPEG reader for a DCT-scaled decode, or an
// invalid size for a full one. Qt derives libjpeg's scale m/8 from the
// requested size and then rescales libjpeg's output to exactly that size
// (with QImage::scaled); only scales that divide both sides exactly make the
// two agree, so that the pixels are libjpeg's own.
QSize reducedJpegSize(QSize full, QSize need)
{
    for (int m : {1, 2, 4}) {
        if ((full.width() * m) % 8 != 0 || (full.height() * m) % 8 != 0)
            continue;
        const QSize scaled(full.width() * m / 8, full.height() * m / 8);
        if (scaled.width() >= need.width() && scaled.height() >= need.height())
            return scaled;
    }
    return {};
}

QImage overWhite(const QImage& image)
{
    QImage out(image.size(), QImage::Format_RGB888);
    out.fill(Qt::white);
    QPainter painter(&out);
    painter.drawImage(0, 0, image);
    painter.end();
    return out;
}

// Any format Qt reads, from `device` positioned at the file's start. The
// header is read first: an image bomb is refused before its pixels are.
// `exifOrientation` false leaves the pixels as stored (a RAW's preview,
// which the RAW's own orientation turns).
DecodedImage decodeWithQt(QIODevice& device, ImageFormat format, const QString& name, const DecodeTarget& target,
                          bool exifOrientation = true)
{
    // The format from the content, so that a PNG named .jpg is read as PNG.
    QImageReader reader(&device, qtFormatName(format));
    reader.setDecideFormatFromContent(false);
    reader.setAutoTransform(exifOrientation);
    // From the header only: nothing is decoded yet. The size as stored.
    const QSize size = reader.size();
    if (size.isValid() && qint64(size.width()) * size.height() > ImageDecoder::maxPixels)
        throw tooManyPixels(name, size);
    const bool transposed = reader.transformation() & QImageIOHandler::TransformationRotate90;
    bool reduced = false;
    if (size.isValid() && format == ImageFormat::Jpeg) {
        if (const QSize need = neededSize(size, transposed, target); need.isValid()) {
            if (const QSize scaled = reducedJpegSize(size, need); scaled.isValid()) {
                reader.setScaledSize(scaled);
                reduced = true;
            }
        }
    }

    const QImage image = reader.read();
    if (image.isNull())
        throw ImageError(QStringLiteral("%1 cannot be read as an image (%2).").arg(name, reader.errorString()).toStdString());
    // Formats that cannot report their size up front are checked afterwards.
    if (qint64(image.width()) * image.height() > ImageDecoder::maxPixels)
        throw tooManyPixels(name, image.size());
    DecodedImage result;
    result.format = format;
    // Qt keeps the colour of transparent pixels, as PIL's convert("RGB")
    // does (the tests hold it to that).
    result.image = target.overWhite && image.hasAlphaChannel() ? overWhite(image)
                                                                : image.convertToFormat(QImage::Format_RGB888);
    if (reduced)
        result.fullSize = transposed ? size.transposed() : size;
    else
        result.fullSize = result.image.size();
    return result;
}

DecodedImage decodeHeifFile(const QByteArray& bytes, ImageFormat format, const QString& name)
{
    // libheif checks the size from the container before decoding and
    // applies the rotation/mirroring, so the size is the displayed one.
    DecodedImage result;
    result.format = format;
    result.image = decodeHeif(bytes, name, ImageDecoder::maxPixels);
    result.fullSize = result.image.size();
    return result;
}

// A RAW's picture as the decoder's result: the preview JPEG decoded (maybe
// DCT-reduced) and turned by the RAW's orientation, or the demosaiced
// pixels as they are. `read` opens the RAW; a preview that Qt cannot decode
// gives way to the sensor data (a second read), so that a damaged preview
// does not cost a photo whose sensor data is whole.
DecodedImage finishRaw(const std::function<RawPicture(RawSource)>& read, const QString& name,
                       const DecodeTarget& target)
{
    RawPicture picture = read(RawSource::PreviewOrSensor);
    DecodedImage result;
    result.format = ImageFormat::Raw;
    result.fullSize = picture.fullSize;
    if (!picture.previewJpeg.isEmpty()) {
        // The target speaks of the upright picture; the preview is stored as the sensor is.
        DecodeTarget stored = target;
        if (picture.orientation >= 5)
            stored.size.transpose();
        const QByteArray& jpeg = picture.previewJpeg;
        QBuffer buffer;
        buffer.setData(jpeg);
        buffer.open(QIODevice::ReadOnly);
        try {
            refuseTruncated(ImageFormat::Jpeg, jpeg.left(kHeadBytes), jpeg.size(),
                            [&jpeg](qint64 pos, qint64 n) { return jpeg.mid(pos, n); }, name);
            const DecodedImage preview = decodeWithQt(buffer, ImageFormat::Jpeg, name, stored, false);
            result.image = applyExifOrientation(preview.image, picture.orientation);
            return result;
        } catch (const ImageError&) {
            // Nothing to report: the sensor data below is the picture, and
            // its own errors are the file's.
        }
        picture = read(RawSource::SensorOnly);
    }
    result.image = std::move(picture.image);
    return result;
}

// The format from the first bytes (`head`); a TIFF whose IFDs say RAW is
// Raw, and `tiffRaw` tells how sure the IFDs were.
ImageFormat sniffFormat(const QByteArray& head, const ReadAt& readAt, qint64 size, const QString& path,
                        TiffRaw& tiffRaw)
{
    const ImageFormat format = sniffImageFormat(head.left(kImageFormatSniffBytes));
    tiffRaw = format == ImageFormat::Tiff ? tiffRawKind(readAt, size, path) : TiffRaw::No;
    return tiffRaw == TiffRaw::No ? format : ImageFormat::Raw;
}

// finishRaw, except that a file only its name and camera Make made a RAW
// (tiffRaw ByName) that LibRaw refuses gives nothing: the caller reads it
// as the TIFF it is (a scan saved as .nef, say).
std::optional<DecodedImage> decodeRaw(TiffRaw tiffRaw, const std::function<RawPicture(RawSource)>& read,
                                      const QString& name, const DecodeTarget& target)
{
    try {
        return finishRaw(read, name, target);
    } catch (const ImageError&) {
        if (tiffRaw != TiffRaw::ByName)
            throw;
    }
    return std::nullopt;
}

// What a non-regular file is, for the refusal below.
const char* fileKind(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "a named pipe";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISDIR(mode))
        return "a folder";
    return "a special file";
}

// Only regular files are opened: opening a FIFO blocks until a writer
// comes, and a device (/dev/zero, maybe through a symlink) never ends. The
// type is taken with stat(), following symlinks, before any open(). A file
// that cannot be stat'ed is left to open() to report.
void refuseNonRegular(const QString& path, const QString& name)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0 || S_ISREG(st.st_mode))
        return;
    throw ImageError(QStringLiteral("%1 is %2, not an image file; give the path of a photo.")
                         .arg(name, QLatin1String(fileKind(st.st_mode))).toStdString());
}

void openForReading(QFile& file, const QString& name)
{
    refuseNonRegular(file.fileName(), name);
    if (!file.open(QIODevice::ReadOnly))
        throw cannotRead(name, file.errorString());
    const qint64 size = file.size();
    if (size > ImageDecoder::maxFileBytes)
        throw ImageError(QStringLiteral("%1 is %2 MiB, larger than the %3 MiB an image file may be.")
                             .arg(name).arg(size / (1024 * 1024)).arg(ImageDecoder::maxFileBytes / (1024 * 1024))
                             .toStdString());
}

QByteArray readOpened(QFile& file, const QString& name)
{
    const qint64 size = file.size();
    QByteArray bytes;
    if (size > 0) {
        bytes = file.readAll();
        if (bytes.size() != size && file.error() != QFileDevice::NoError)
            throw cannotRead(name, file.errorString());
    } else {
        // Files that report no size (pipes, some virtual files): read up to the cap.
        bytes = file.read(ImageDecoder::maxFileBytes + 1);
        if (bytes.size() > ImageDecoder::maxFileBytes)
            throw ImageError(QStringLiteral("%1 is larger than the %2 MiB an image file may be.")
                                 .arg(name).arg(ImageDecoder::maxFileBytes / (1024 * 1024)).toStdString());
    }
    return bytes;
}

} // namespace

void ImageDecoder::raiseAllocationLimit()
{
    // 8 bytes a pixel covers 16-bit PNGs. Once per process: the limit is a
    // process-wide setting that worker threads read.
    static const bool limitRaised = [] {
        const int needed = int(maxPixels * 8 / (1024 * 1024)) + 1;
        const int current = QImageReader::allocationLimit();
        if (current != 0 && current < needed)
            QImageReader::setAllocationLimit(needed);
        return true;
    }();
    Q_UNUSED(limitRaised);
}

QByteArray ImageDecoder::readFile(const QString& path)
{
    const QString name = displayName(path);
    QFile file(path);
    openForReading(file, name);
    return readOpened(file, name);
}

DecodedImage ImageDecoder::decodeFile(const QString& path, const DecodeTarget& target)
{
    raiseAllocationLimit();
    const QString name = displayName(path);
    QFile file(path);
    openForReading(file, name);
    // Without a size up front (pipes) the cap can only be kept by reading.
    if (file.size() <= 0 || file.isSequential())
        return decode(readOpened(file, name), path, target);

    const QByteArray head = file.peek(kHeadBytes);
    const ReadAt readAt = [&file](qint64 pos, qint64 n) { return file.seek(pos) ? file.read(n) : QByteArray(); };
    TiffRaw tiffRaw = TiffRaw::No;
    ImageFormat format = sniffFormat(head, readAt, file.size(), path, tiffRaw);
    switch (format) {
    case ImageFormat::Unknown:
        throw notAnImage(name);
    case ImageFormat::Heif:
    case ImageFormat::Avif:
        // libheif parses from memory; the file is within maxFileBytes.
        return decodeHeifFile(readOpened(file, name), format, name);
    case ImageFormat::Raw:
        // LibRaw reads only what it needs: the header, then the preview or the sensor data.
        if (auto raw = decodeRaw(tiffRaw, [&](RawSource source) {
                return readRawFile(path, file.size(), name, target, maxPixels, source);
            }, name, target))
            return *raw;
        format = ImageFormat::Tiff;
        break;
    default:
        break;
    }
    refuseTruncated(format, head, file.size(), readAt, name);
    if (!file.seek(0))
        throw cannotRead(name, file.errorString());
    return decodeWithQt(file, format, name, target);
}

DecodedImage ImageDecoder::decode(const QByteArray& bytes, const QString& path, const DecodeTarget& target)
{
    raiseAllocationLimit();
    const QString name = displayName(path);
    if (bytes.isEmpty())
        throw ImageError(QStringLiteral("%1 is empty.").arg(name).toStdString());

    const ReadAt readAt = [&bytes](qint64 pos, qint64 n) { return bytes.mid(pos, n); };
    TiffRaw tiffRaw = TiffRaw::No;
    ImageFormat format = sniffFormat(bytes.left(kHeadBytes), readAt, bytes.size(), path, tiffRaw);
    switch (format) {
    case ImageFormat::Unknown:
        throw notAnImage(name);
    case ImageFormat::Heif:
    case ImageFormat::Avif:
        return decodeHeifFile(bytes, format, name);
    case ImageFormat::Raw:
        if (auto raw = decodeRaw(tiffRaw, [&](RawSource source) {
                return readRaw(bytes, name, target, maxPixels, source);
            }, name, target))
            return *raw;
        format = ImageFormat::Tiff;
        break;
    default:
        break;
    }
    refuseTruncated(format, bytes.left(kHeadBytes), bytes.size(), readAt, name);
    // Shares `bytes` (implicitly shared, read only: no copy).
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    return decodeWithQt(buffer, format, name, target);
}

} // namespace photosearch
