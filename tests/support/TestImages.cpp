#include "TestImages.h"

#include <exiv2/exiv2.hpp>
#include <libheif/heif.h>

#include <QBuffer>
#include <QFile>
#include <QImageWriter>
#include <QPainter>
#include <QLinearGradient>
#include <QRadialGradient>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QtEndian>

#include <cmath>
#include <iterator>
#include <memory>
#include <vector>

namespace photosearch::testimages {
namespace {

void setError(QString* error, const QString& message)
{
    if (error)
        *error = message;
}

bool writeBytes(const QString& path, const QByteArray& bytes, QString* error = nullptr)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        setError(error, QStringLiteral("cannot create %1 (%2)").arg(path, file.errorString()));
        return false;
    }
    if (file.write(bytes) != bytes.size()) {
        setError(error, QStringLiteral("cannot write %1 (%2)").arg(path, file.errorString()));
        return false;
    }
    return true;
}

// --- GIF: palette-quantised to a 6x6x6 colour cube, "uncompressed" LZW
// (every pixel its own code, a clear code often enough that the code width
// stays at 9 bits). Valid for every GIF decoder.
QByteArray encodeGif(const QImage& source)
{
    const QImage image = source.convertToFormat(QImage::Format_RGB888);
    const int w = image.width();
    const int h = image.height();
    QByteArray out;
    auto u16 = [&](int v) {
        out.append(char(v & 0xff));
        out.append(char((v >> 8) & 0xff));
    };
    out.append("GIF89a", 6);
    u16(w);
    u16(h);
    out.append(char(0xF7)); // global colour table, 8 bits colour resolution, 256 entries
    out.append(char(0));    // background
    out.append(char(0));    // aspect
    for (int i = 0; i < 256; ++i) {
        if (i < 216) {
            out.append(char((i / 36) * 51));
            out.append(char(((i / 6) % 6) * 51));
            out.append(char((i % 6) * 51));
        } else {
            out.append(char(0));
            out.append(char(0));
            out.append(char(0));
        }
    }
    // Image descriptor.
    out.append(char(0x2C));
    u16(0);
    u16(0);
    u16(w);
    u16(h);
    out.append(char(0)); // no local table, not interlaced
    out.append(char(8)); // LZW minimum code size

    QByteArray data;
    quint32 bitBuffer = 0;
    int bitCount = 0;
    auto putCode = [&](int code) {
        bitBuffer |= quint32(code) << bitCount;
        bitCount += 9;
        while (bitCount >= 8) {
            data.append(char(bitBuffer & 0xff));
            bitBuffer >>= 8;
            bitCount -= 8;
        }
    };
    const int clear = 256;
    const int eoi = 257;
    putCode(clear);
    int sinceClear = 0;
    for (int y = 0; y < h; ++y) {
        const uchar* row = image.constScanLine(y);
        for (int x = 0; x < w; ++x) {
            const int r = (row[3 * x] * 5 + 127) / 255;
            const int g = (row[3 * x + 1] * 5 + 127) / 255;
            const int b = (row[3 * x + 2] * 5 + 127) / 255;
            if (sinceClear == 250) {
                putCode(clear);
                sinceClear = 0;
            }
            putCode(r * 36 + g * 6 + b);
            ++sinceClear;
        }
    }
    putCode(eoi);
    if (bitCount > 0)
        data.append(char(bitBuffer & 0xff));
    for (qsizetype i = 0; i < data.size(); i += 255) {
        const qsizetype n = std::min<qsizetype>(255, data.size() - i);
        out.append(char(n));
        out.append(data.constData() + i, n);
    }
    out.append(char(0)); // block terminator
    out.append(char(0x3B));
    return out;
}

// --- HEIF / AVIF via libheif.
struct HeifWriterError : std::exception {
};

heif_error writeToQByteArray(heif_context*, const void* data, size_t size, void* userdata)
{
    static_cast<QByteArray*>(userdata)->append(static_cast<const char*>(data), qsizetype(size));
    heif_error ok{heif_error_Ok, heif_suberror_Unspecified, "ok"};
    return ok;
}

// Degrees as EXIF's "d/1 m/1 s/100" rationals.
std::string gpsRational(double degrees)
{
    degrees = std::fabs(degrees);
    const int d = int(degrees);
    const double minutesF = (degrees - d) * 60;
    const int m = int(minutesF);
    const long s = std::lround((minutesF - m) * 60 * 10000);
    return QStringLiteral("%1/1 %2/1 %3/10000").arg(d).arg(m).arg(s).toStdString();
}

void fillExif(Exiv2::ExifData& data, const ExifFields& exif)
{
    if (exif.orientation > 0)
        data["Exif.Image.Orientation"] = uint16_t(exif.orientation);
    if (exif.takenAt.isValid()) {
        const std::string when = exif.takenAt.toString(QStringLiteral("yyyy:MM:dd HH:mm:ss")).toStdString();
        data["Exif.Photo.DateTimeOriginal"] = when;
        data["Exif.Photo.DateTimeDigitized"] = when;
    }
    if (!exif.make.isEmpty())
        data["Exif.Image.Make"] = exif.make.toStdString();
    if (!exif.model.isEmpty())
        data["Exif.Image.Model"] = exif.model.toStdString();
    if (!exif.lens.isEmpty())
        data["Exif.Photo.LensModel"] = exif.lens.toStdString();
    if (exif.hasGps) {
        data["Exif.GPSInfo.GPSVersionID"] = std::string("2 3 0 0");
        data["Exif.GPSInfo.GPSLatitudeRef"] = std::string(exif.latitude < 0 ? "S" : "N");
        data["Exif.GPSInfo.GPSLatitude"] = gpsRational(exif.latitude);
        data["Exif.GPSInfo.GPSLongitudeRef"] = std::string(exif.longitude < 0 ? "W" : "E");
        data["Exif.GPSInfo.GPSLongitude"] = gpsRational(exif.longitude);
    }
}

bool writeHeif(const QImage& source, const QString& path, bool avif, QString* error,
               const ExifFields* exif = nullptr)
{
    // Encoders want even dimensions for 4:2:0 chroma; callers pick sizes.
    const QImage image = source.convertToFormat(QImage::Format_RGB888);
    const std::unique_ptr<heif_context, void (*)(heif_context*)> ctx(heif_context_alloc(), heif_context_free);
    heif_encoder* rawEncoder = nullptr;
    heif_error err = heif_context_get_encoder_for_format(
        ctx.get(), avif ? heif_compression_AV1 : heif_compression_HEVC, &rawEncoder);
    if (err.code != heif_error_Ok || !rawEncoder) {
        setError(error, QStringLiteral("libheif has no %1 encoder here (%2)")
                            .arg(avif ? QStringLiteral("AV1") : QStringLiteral("HEVC"), QString::fromUtf8(err.message)));
        return false;
    }
    const std::unique_ptr<heif_encoder, void (*)(heif_encoder*)> encoder(rawEncoder, heif_encoder_release);
    heif_encoder_set_lossy_quality(encoder.get(), 90);

    heif_image* rawImage = nullptr;
    err = heif_image_create(image.width(), image.height(), heif_colorspace_RGB, heif_chroma_interleaved_RGB, &rawImage);
    if (err.code != heif_error_Ok) {
        setError(error, QStringLiteral("libheif cannot create an image (%1)").arg(QString::fromUtf8(err.message)));
        return false;
    }
    const std::unique_ptr<heif_image, void (*)(const heif_image*)> img(rawImage, heif_image_release);
    err = heif_image_add_plane(img.get(), heif_channel_interleaved, image.width(), image.height(), 8);
    if (err.code != heif_error_Ok) {
        setError(error, QStringLiteral("libheif cannot add a plane (%1)").arg(QString::fromUtf8(err.message)));
        return false;
    }
    int stride = 0;
    uint8_t* plane = heif_image_get_plane(img.get(), heif_channel_interleaved, &stride);
    for (int y = 0; y < image.height(); ++y)
        memcpy(plane + qsizetype(y) * stride, image.constScanLine(y), size_t(image.width()) * 3);

    heif_image_handle* rawHandle = nullptr;
    err = heif_context_encode_image(ctx.get(), img.get(), encoder.get(), nullptr, &rawHandle);
    if (err.code != heif_error_Ok) {
        setError(error, QStringLiteral("libheif cannot encode (%1)").arg(QString::fromUtf8(err.message)));
        return false;
    }
    const std::unique_ptr<heif_image_handle, void (*)(const heif_image_handle*)> handle(rawHandle,
                                                                                      heif_image_handle_release);
    if (exif) {
        Exiv2::ExifData data;
        fillExif(data, *exif);
        Exiv2::Blob blob; // starts with the TIFF header, as libheif wants
        Exiv2::ExifParser::encode(blob, Exiv2::littleEndian, data);
        if (exif->exifPrefix) {
            // libheif finds the TIFF header and records its offset (6).
            const Exiv2::byte prefix[] = {'E', 'x', 'i', 'f', 0, 0};
            blob.insert(blob.begin(), std::begin(prefix), std::end(prefix));
        }
        err = heif_context_add_exif_metadata(ctx.get(), handle.get(), blob.data(), int(blob.size()));
        if (err.code != heif_error_Ok) {
            setError(error, QStringLiteral("libheif cannot add EXIF (%1)").arg(QString::fromUtf8(err.message)));
            return false;
        }
    }
    QByteArray bytes;
    heif_writer writer{};
    writer.writer_api_version = 1;
    writer.write = writeToQByteArray;
    err = heif_context_write(ctx.get(), &writer, &bytes);
    if (err.code != heif_error_Ok) {
        setError(error, QStringLiteral("libheif cannot write (%1)").arg(QString::fromUtf8(err.message)));
        return false;
    }
    return writeBytes(path, bytes, error);
}

bool writeWithQt(const QImage& image, const QString& path, const char* format, QString* error, int quality = 90)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, format);
    if (quality >= 0)
        writer.setQuality(quality);
    if (!writer.write(image)) {
        setError(error, QStringLiteral("Qt cannot write %1 as %2 (%3)")
                            .arg(path, QLatin1String(format), writer.errorString()));
        return false;
    }
    return writeBytes(path, buffer.data(), error);
}

// PNG chunk with its CRC.
quint32 crc32(const QByteArray& bytes)
{
    static quint32 table[256];
    static const bool made = [] {
        for (quint32 n = 0; n < 256; ++n) {
            quint32 c = n;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return true;
    }();
    Q_UNUSED(made);
    quint32 c = 0xFFFFFFFFu;
    for (char ch : bytes)
        c = table[(c ^ quint8(ch)) & 0xff] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

void appendBe32(QByteArray& out, quint32 v)
{
    out.append(char(v >> 24));
    out.append(char(v >> 16));
    out.append(char(v >> 8));
    out.append(char(v));
}

void appendChunk(QByteArray& out, const char* type, const QByteArray& data)
{
    appendBe32(out, quint32(data.size()));
    QByteArray typed(type, 4);
    typed.append(data);
    out.append(typed);
    appendBe32(out, crc32(typed));
}

} // namespace

QImage makePicture(int width, int height, int seed)
{
    QImage image(width, height, QImage::Format_RGB888);
    QRandomGenerator rng(quint32(seed) * 2654435761u + 12345u);
    auto colour = [&] { return QColor(rng.bounded(256), rng.bounded(256), rng.bounded(256)); };

    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    // Sky-like background gradient at a seed-dependent angle.
    const double angle = rng.bounded(360) * M_PI / 180.0;
    const QPointF centre(width / 2.0, height / 2.0);
    const QPointF d(std::cos(angle) * width / 2.0, std::sin(angle) * height / 2.0);
    QLinearGradient background(centre - d, centre + d);
    background.setColorAt(0, colour());
    background.setColorAt(0.5, colour());
    background.setColorAt(1, colour());
    painter.fillRect(image.rect(), background);

    // A few shapes: ellipses, rectangles and polygons with radial shading.
    const int shapes = 4 + rng.bounded(5);
    for (int i = 0; i < shapes; ++i) {
        const int w = std::max(2, int(width * (0.1 + rng.bounded(0.4))));
        const int h = std::max(2, int(height * (0.1 + rng.bounded(0.4))));
        const int x = rng.bounded(std::max(1, width)) - w / 3;
        const int y = rng.bounded(std::max(1, height)) - h / 3;
        QRadialGradient shade(QPointF(x + w / 3.0, y + h / 3.0), std::max(w, h));
        shade.setColorAt(0, colour());
        shade.setColorAt(1, colour());
        painter.setBrush(shade);
        painter.setPen(QPen(colour(), std::max(1, std::min(width, height) / 100)));
        switch (rng.bounded(3)) {
        case 0:
            painter.drawEllipse(x, y, w, h);
            break;
        case 1:
            painter.drawRect(x, y, w, h);
            break;
        default: {
            const QPolygon triangle({QPoint(x, y + h), QPoint(x + w / 2, y), QPoint(x + w, y + h)});
            painter.drawPolygon(triangle);
            break;
        }
        }
    }
    // Fine texture: thin stripes, so that the picture has some high
    // frequencies like a photo.
    painter.setPen(QPen(QColor(255, 255, 255, 40), 1));
    const int step = 3 + rng.bounded(6);
    for (int x = rng.bounded(step); x < width; x += step)
        painter.drawLine(x, 0, x + height / 4, height);
    painter.end();
    return image;
}

bool writeImage(const QImage& image, const QString& path, ImageFormat format, QString* error)
{
    switch (format) {
    case ImageFormat::Jpeg:
        return writeWithQt(image.convertToFormat(QImage::Format_RGB888), path, "jpeg", error, 90);
    case ImageFormat::Png:
        return writeWithQt(image, path, "png", error, -1);
    case ImageFormat::Webp:
        return writeWithQt(image, path, "webp", error, 90);
    case ImageFormat::Bmp:
        return writeWithQt(image, path, "bmp", error, -1);
    case ImageFormat::Tiff:
        return writeWithQt(image, path, "tiff", error, -1);
    case ImageFormat::Gif:
        return writeBytes(path, encodeGif(image), error);
    case ImageFormat::Heif:
        return writeHeif(image, path, false, error);
    case ImageFormat::Avif:
        return writeHeif(image, path, true, error);
    case ImageFormat::Raw: // see DngWriter.h
    case ImageFormat::Unknown:
        break;
    }
    setError(error, QStringLiteral("no format to write %1 as").arg(path));
    return false;
}

bool writeJpegWithExif(const QImage& image, const QString& path, const ExifFields& exif, QString* error)
{
    if (!writeImage(image, path, ImageFormat::Jpeg, error))
        return false;
    try {
        auto file = Exiv2::ImageFactory::open(QFile::encodeName(path).toStdString());
        file->readMetadata();
        fillExif(file->exifData(), exif);
        file->writeMetadata();
    } catch (const std::exception& e) {
        setError(error, QStringLiteral("exiv2 cannot write EXIF to %1 (%2)").arg(path, QString::fromUtf8(e.what())));
        return false;
    }
    return true;
}

bool writeHeifWithExif(const QImage& image, const QString& path, const ExifFields& exif, bool avif, QString* error)
{
    try {
        return writeHeif(image, path, avif, error, &exif);
    } catch (const std::exception& e) {
        setError(error, QStringLiteral("exiv2 cannot encode EXIF for %1 (%2)").arg(path, QString::fromUtf8(e.what())));
        return false;
    }
}

bool writePngClaimingSize(const QString& path, int width, int height)
{
    QByteArray out("\x89PNG\r\n\x1a\n", 8);
    QByteArray ihdr;
    appendBe32(ihdr, quint32(width));
    appendBe32(ihdr, quint32(height));
    ihdr.append(char(8)); // bit depth
    ihdr.append(char(2)); // RGB
    ihdr.append(char(0)); // deflate
    ihdr.append(char(0)); // adaptive filtering
    ihdr.append(char(0)); // no interlace
    appendChunk(out, "IHDR", ihdr);
    // A zlib stream of a few zero bytes: the first scanlines' starts only.
    const QByteArray idat = qCompress(QByteArray(16, '\0')).mid(4); // drop Qt's length prefix
    appendChunk(out, "IDAT", idat);
    appendChunk(out, "IEND", QByteArray());
    return writeBytes(path, out);
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool writeTruncatedCopy(const QString& source, const QString& path, qint64 keepBytes)
{
    QFile in(source);
    if (!in.open(QIODevice::ReadOnly))
        return false;
    return writeBytes(path, in.read(keepBytes));
}

} // namespace photosearch::testimages
