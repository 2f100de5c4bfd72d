// LibTorch (via ImagePreprocessor.h) before Qt.
#include "ImagePreprocessor.h"

#include "HeifDecoder.h"

#include <libheif/heif.h>

#include <cstring>
#include <memory>

namespace photosearch {
namespace {

[[noreturn]] void fail(const QString& name, const QString& what, const heif_error& error)
{
    throw ImageError(QStringLiteral("%1 cannot be read as a HEIF/AVIF image (%2: %3).")
                         .arg(name, what, QString::fromUtf8(error.message ? error.message : "unknown error"))
                         .toStdString());
}

} // namespace

QImage decodeHeif(const QByteArray& bytes, const QString& name, qint64 maxPixels)
{
    const std::unique_ptr<heif_context, void (*)(heif_context*)> ctx(heif_context_alloc(), heif_context_free);
    if (!ctx)
        throw ImageError(QStringLiteral("%1 cannot be read: out of memory.").arg(name).toStdString());
    // `bytes` outlives the context.
    heif_error err = heif_context_read_from_memory_without_copy(ctx.get(), bytes.constData(), size_t(bytes.size()),
                                                               nullptr);
    if (err.code != heif_error_Ok)
        fail(name, QStringLiteral("bad container"), err);

    heif_image_handle* rawHandle = nullptr;
    err = heif_context_get_primary_image_handle(ctx.get(), &rawHandle);
    if (err.code != heif_error_Ok || !rawHandle)
        fail(name, QStringLiteral("no primary image"), err);
    const std::unique_ptr<heif_image_handle, void (*)(const heif_image_handle*)> handle(rawHandle,
                                                                                      heif_image_handle_release);
    // The size as displayed (transformations applied), from the container.
    const int width = heif_image_handle_get_width(handle.get());
    const int height = heif_image_handle_get_height(handle.get());
    if (width <= 0 || height <= 0)
        throw ImageError(QStringLiteral("%1 cannot be read as a HEIF/AVIF image (it has no size).")
                             .arg(name).toStdString());
    if (qint64(width) * height > maxPixels)
        throw ImageError(QStringLiteral("%1 is %2x%3 pixels, more than the %4 megapixels that can be read.")
                             .arg(name).arg(width).arg(height).arg(maxPixels / 1'000'000).toStdString());

    const std::unique_ptr<heif_decoding_options, void (*)(heif_decoding_options*)> options(
        heif_decoding_options_alloc(), heif_decoding_options_free);
    if (options) {
        options->ignore_transformations = 0; // apply irot/imir/clap
        if (options->version >= 2)
            options->convert_hdr_to_8bit = 1;
    }
    heif_image* rawImage = nullptr;
    err = heif_decode_image(handle.get(), &rawImage, heif_colorspace_RGB, heif_chroma_interleaved_RGB,
                            options.get());
    if (err.code != heif_error_Ok || !rawImage)
        fail(name, QStringLiteral("cannot decode"), err);
    const std::unique_ptr<heif_image, void (*)(const heif_image*)> image(rawImage, heif_image_release);

    const int w = heif_image_get_width(image.get(), heif_channel_interleaved);
    const int h = heif_image_get_height(image.get(), heif_channel_interleaved);
    int stride = 0;
    const uint8_t* plane = heif_image_get_plane_readonly(image.get(), heif_channel_interleaved, &stride);
    if (!plane || w <= 0 || h <= 0 || stride < 3 * w
        || heif_image_get_bits_per_pixel_range(image.get(), heif_channel_interleaved) != 8)
        throw ImageError(QStringLiteral("%1 cannot be read as a HEIF/AVIF image (unexpected decoded layout).")
                             .arg(name).toStdString());
    QImage out(w, h, QImage::Format_RGB888);
    if (out.isNull())
        throw ImageError(QStringLiteral("%1 cannot be read: out of memory.").arg(name).toStdString());
    for (int y = 0; y < h; ++y)
        std::memcpy(out.scanLine(y), plane + qsizetype(y) * stride, size_t(w) * 3);
    return out;
}

bool heifDecoderAvailable()
{
    return heif_have_decoder_for_format(heif_compression_HEVC) != 0;
}

bool avifDecoderAvailable()
{
    return heif_have_decoder_for_format(heif_compression_AV1) != 0;
}

} // namespace photosearch
