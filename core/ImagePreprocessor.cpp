#include "ImagePreprocessor.h"

#include "ModelError.h"
#include "ModelFiles.h"
#include "Resample.h"

#include <QDir>
#include <QFile>
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
    const QString path = QString::fromStdString(clip::modelFilePath(dir.toStdString(), "preprocessor_config.json"));
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

} // namespace

PreprocessConfig PreprocessConfig::fromModelDirectory(const QString& dir, int imageSize)
{
    return readConfig(dir, imageSize);
}

ImagePreprocessor::ImagePreprocessor(PreprocessConfig config)
    : config_(config)
{
    // Early, on the thread that builds the encoder, rather than on a worker's
    // first decode: the limit is a process-wide setting.
    ImageDecoder::raiseAllocationLimit();
}

DecodeTarget ImagePreprocessor::decodeTarget(bool reducedDecode) const
{
    return reducedDecode ? DecodeTarget::shortestSide(config_.shortestEdge) : DecodeTarget{};
}

QImage ImagePreprocessor::decode(const QString& path, bool reducedDecode) const
{
    return ImageDecoder::decodeFile(path, decodeTarget(reducedDecode)).image;
}

DecodedImage ImagePreprocessor::decode(const QByteArray& bytes, const QString& path, bool reducedDecode) const
{
    return ImageDecoder::decode(bytes, path, decodeTarget(reducedDecode));
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
