#include "ImagePreprocessor.h"

#include "HeifDecoder.h"
#include "ModelError.h"
#include "Resample.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace photosearch {
namespace {

QString displayName(const QString& path)
{
    return QDir::toNativeSeparators(path);
}

[[noreturn]] void configError(const QString& path, const QString& problem)
{
    throw clip::ModelError(QStringLiteral("%1 %2.").arg(displayName(path), problem).toStdString());
}

// 0 when the value is not a sensible pixel count.
int positiveInt(const QJsonValue& value)
{
    const double d = value.toDouble(-1);
    return d >= 1 && d <= 65536 && d == std::floor(d) ? int(d) : 0;
}

void readTriple(const QJsonObject& root, const char* field, bool positive, const QString& path,
                std::array<float, 3>& out)
{
    const QJsonValue value = root.value(QLatin1String(field));
    if (value.isUndefined())
        return;
    const QJsonArray array = value.toArray();
    bool ok = array.size() == 3;
    for (int i = 0; ok && i < 3; ++i) {
        ok = array[i].isDouble() && (!positive || array[i].toDouble() > 0);
        out[size_t(i)] = float(array[i].toDouble());
    }
    if (!ok)
        configError(path, QStringLiteral("has an \"%1\" that is not a list of three %2numbers")
                              .arg(QLatin1String(field), positive ? QStringLiteral("positive ") : QString()));
}

// A free function rather than the body of fromModelDirectory, where the
// member PreprocessConfig::std would hide namespace std.
PreprocessConfig readConfig(const QString& dir, int imageSize)
{
    PreprocessConfig config;
    config.shortestEdge = config.cropSize = imageSize;
    const QString path = QDir(dir).filePath(QStringLiteral("preprocessor_config.json"));
    QFile file(path);
    if (!file.exists())
        return config;
    if (!file.open(QIODevice::ReadOnly))
        configError(path, QStringLiteral("cannot be read (%1)").arg(file.errorString()));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        configError(path, QStringLiteral("is not valid JSON (%1 at byte %2)").arg(error.errorString()).arg(error.offset));
    if (!doc.isObject())
        configError(path, QStringLiteral("is not a JSON object"));
    const QJsonObject root = doc.object();

    if (const QJsonValue size = root.value(QLatin1String("size")); !size.isUndefined()) {
        config.shortestEdge = positiveInt(size.isObject() ? size[QLatin1String("shortest_edge")] : size);
        if (!config.shortestEdge)
            configError(path, QStringLiteral("has a \"size\" that is neither {\"shortest_edge\": N} nor N"));
    }
    if (const QJsonValue crop = root.value(QLatin1String("crop_size")); !crop.isUndefined()) {
        config.cropSize = positiveInt(crop.isObject() ? crop[QLatin1String("height")] : crop);
        if (crop.isObject() && positiveInt(crop[QLatin1String("width")]) != config.cropSize)
            config.cropSize = 0;
        if (!config.cropSize)
            configError(path, QStringLiteral("has a \"crop_size\" that is neither a square {\"height\": N, \"width\": N} nor N"));
    }
    readTriple(root, "image_mean", false, path, config.mean);
    readTriple(root, "image_std", true, path, config.std);
    return config;
}

// Qt keeps the colour of transparent pixels, as PIL's convert("RGB") does
// (the tests hold it to that).
QImage toRgb888(const QImage& image)
{
    return image.convertToFormat(QImage::Format_RGB888);
}

// The size to request from Qt's JPEG reader for a DCT-scaled decode, or an
// invalid size for a full one. Qt derives libjpeg's scale m/8 from the
// requested size and then rescales libjpeg's output to exactly that size
// (with QImage::scaled); only scales that divide both sides exactly make the
// two agree, so that the pixels are libjpeg's own.
QSize reducedJpegSize(QSize full, int shortestEdge)
{
    for (int m : {1, 2, 4}) {
        if ((full.width() * m) % 8 != 0 || (full.height() * m) % 8 != 0)
            continue;
        const QSize scaled(full.width() * m / 8, full.height() * m / 8);
        if (std::min(scaled.width(), scaled.height()) >= shortestEdge)
            return scaled;
    }
    return {};
}

quint32 le32(const QByteArray& b, int offset)
{
    const auto* p = reinterpret_cast<const uchar*>(b.constData() + offset);
    return quint32(p[0]) | (quint32(p[1]) << 8) | (quint32(p[2]) << 16) | (quint32(p[3]) << 24);
}

// Qt's BMP reader accepts a file cut short and returns an image whose
// missing rows are uninitialised memory. For the common uncompressed
// layout, whether the pixel data is all there is known from the header.
bool bmpTruncated(const QByteArray& b)
{
    if (b.size() < 34)
        return true;
    const quint32 pixelOffset = le32(b, 10);
    const quint32 headerSize = le32(b, 14);
    if (headerSize < 40)
        return quint32(b.size()) < pixelOffset;
    const qint64 width = qint32(le32(b, 18));
    const qint64 height = std::abs(qint64(qint32(le32(b, 22))));
    const int bpp = uchar(b[28]) | (uchar(b[29]) << 8);
    const quint32 compression = le32(b, 30);
    if (compression != 0 /* BI_RGB */ && compression != 3 /* BI_BITFIELDS */)
        return quint32(b.size()) < pixelOffset;
    const qint64 rowBytes = (width * bpp + 31) / 32 * 4;
    return qint64(b.size()) < qint64(pixelOffset) + rowBytes * height;
}

} // namespace

PreprocessConfig PreprocessConfig::fromModelDirectory(const QString& dir, int imageSize)
{
    return readConfig(dir, imageSize);
}

ImagePreprocessor::ImagePreprocessor(PreprocessConfig config)
    : config_(config)
{
    // Qt's default limit (128 MiB in Qt 6.4) refuses ordinary large photos;
    // the pixel cap in decode() is the real guard. 8 bytes a pixel covers
    // 16-bit PNGs.
    // Done once, here rather than in decode(), because the limit is a
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

QImage ImagePreprocessor::decode(const QString& path, bool reducedDecode) const
{
    return decode(readImageFile(path), path, reducedDecode).image;
}

QByteArray ImagePreprocessor::readImageFile(const QString& path)
{
    const QString name = displayName(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw ImageError(QStringLiteral("%1 cannot be read (%2).").arg(name, file.errorString()).toStdString());
    const qint64 size = file.size();
    if (size > maxFileBytes)
        throw ImageError(QStringLiteral("%1 is %2 MiB, larger than the %3 MiB an image file may be.")
                             .arg(name).arg(size / (1024 * 1024)).arg(maxFileBytes / (1024 * 1024))
                             .toStdString());
    QByteArray bytes;
    if (size > 0) {
        bytes = file.readAll();
        if (bytes.size() != size && file.error() != QFileDevice::NoError)
            throw ImageError(QStringLiteral("%1 cannot be read (%2).").arg(name, file.errorString()).toStdString());
    } else {
        // Files that report no size (pipes, some virtual files): read up to the cap.
        bytes = file.read(maxFileBytes + 1);
        if (bytes.size() > maxFileBytes)
            throw ImageError(QStringLiteral("%1 is larger than the %2 MiB an image file may be.")
                                 .arg(name).arg(maxFileBytes / (1024 * 1024)).toStdString());
    }
    return bytes;
}

DecodedImage ImagePreprocessor::decode(const QByteArray& bytes, const QString& path, bool reducedDecode) const
{
    const QString name = displayName(path);
    if (bytes.isEmpty())
        throw ImageError(QStringLiteral("%1 is empty.").arg(name).toStdString());

    DecodedImage result;
    result.format = sniffImageFormat(bytes.left(kImageFormatSniffBytes));
    const auto tooLarge = [&](QSize s) {
        return ImageError(QStringLiteral("%1 is %2x%3 pixels, more than the %4 megapixels that can be read.")
                              .arg(name).arg(s.width()).arg(s.height()).arg(maxPixels / 1'000'000)
                              .toStdString());
    };

    const char* qtFormat = nullptr;
    switch (result.format) {
    case ImageFormat::Unknown:
        throw ImageError(QStringLiteral("%1 is not an image PhotoSearch can read "
                                        "(JPEG, PNG, WebP, GIF, BMP, TIFF, HEIC or AVIF).")
                             .arg(name).toStdString());
    case ImageFormat::Heif:
    case ImageFormat::Avif:
        // libheif checks the size from the container before decoding and
        // applies the rotation/mirroring, so the size is the displayed one.
        result.image = decodeHeif(bytes, name, maxPixels);
        result.fullSize = result.image.size();
        return result;
    case ImageFormat::Jpeg: qtFormat = "jpeg"; break;
    case ImageFormat::Png: qtFormat = "png"; break;
    case ImageFormat::Webp: qtFormat = "webp"; break;
    case ImageFormat::Gif: qtFormat = "gif"; break;
    case ImageFormat::Bmp: qtFormat = "bmp"; break;
    case ImageFormat::Tiff: qtFormat = "tiff"; break;
    }

    if (result.format == ImageFormat::Bmp && bmpTruncated(bytes))
        throw ImageError(QStringLiteral("%1 cannot be read as an image (the BMP file is truncated).")
                             .arg(name).toStdString());

    // Shares `bytes` (implicitly shared, read only: no copy).
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    // The format from the content, so that a PNG named .jpg is read as PNG.
    QImageReader reader(&buffer, qtFormat);
    reader.setDecideFormatFromContent(false);
    reader.setAutoTransform(true);
    // From the header only: nothing is decoded yet. The size as stored.
    const QSize size = reader.size();
    if (size.isValid() && qint64(size.width()) * size.height() > maxPixels)
        throw tooLarge(size);
    const bool transposed = reader.transformation() & QImageIOHandler::TransformationRotate90;
    bool reduced = false;
    if (reducedDecode && size.isValid() && result.format == ImageFormat::Jpeg) {
        if (const QSize scaled = reducedJpegSize(size, config_.shortestEdge); scaled.isValid()) {
            reader.setScaledSize(scaled);
            reduced = true;
        }
    }

    const QImage image = reader.read();
    if (image.isNull())
        throw ImageError(QStringLiteral("%1 cannot be read as an image (%2).").arg(name, reader.errorString()).toStdString());
    // Formats that cannot report their size up front are checked afterwards.
    if (qint64(image.width()) * image.height() > maxPixels)
        throw tooLarge(image.size());
    result.image = toRgb888(image);
    if (reduced)
        result.fullSize = transposed ? size.transposed() : size;
    else
        result.fullSize = result.image.size();
    return result;
}

torch::Tensor ImagePreprocessor::toTensor(const QImage& image) const
{
    if (image.isNull())
        throw ImageError("The image to preprocess is empty.");
    const QImage rgb = toRgb888(image);
    const int w = rgb.width();
    const int h = rgb.height();
    const int edge = config_.shortestEdge;
    const int crop = config_.cropSize;

    // transformers: shortest side to `edge`, the other to int(edge * long / short).
    const QSize resized = w <= h ? QSize(edge, int(double(edge) * h / w)) : QSize(int(double(edge) * w / h), edge);
    // Centre crop at int((n - crop) / 2); a crop larger than the image is
    // zero-padded with the extra pixel right/bottom, so the offset truncates
    // towards zero, as C++ division does.
    const QRect cropRect((resized.width() - crop) / 2, (resized.height() - crop) / 2, crop, crop);
    const QRect window = cropRect.intersected(QRect(QPoint(), resized));
    const QImage pixels = resizeBicubic(rgb, resized, window);

    // transformers fuses rescaling into normalisation: (v - 255 mean) / (255 std),
    // all in float32.
    float lut[3][256];
    for (int c = 0; c < 3; ++c) {
        const float mean255 = config_.mean[size_t(c)] * 255.0f;
        const float std255 = config_.std[size_t(c)] * 255.0f;
        for (int v = 0; v < 256; ++v)
            lut[c][v] = (float(v) - mean255) / std255;
    }

    torch::Tensor out = torch::empty({3, crop, crop}, torch::kFloat32);
    float* data = out.data_ptr<float>();
    const qsizetype plane = qsizetype(crop) * crop;
    for (int y = 0; y < crop; ++y) {
        const int sy = y + cropRect.top() - window.top();
        const uchar* row = sy >= 0 && sy < window.height() ? pixels.constScanLine(sy) : nullptr;
        for (int x = 0; x < crop; ++x) {
            const int sx = x + cropRect.left() - window.left();
            const bool inside = row && sx >= 0 && sx < window.width();
            for (int c = 0; c < 3; ++c)
                data[c * plane + qsizetype(y) * crop + x] = lut[c][inside ? row[3 * sx + c] : 0];
        }
    }
    return out;
}

} // namespace photosearch
