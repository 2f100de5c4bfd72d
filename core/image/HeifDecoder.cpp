// HEIF/HEIC and AVIF through libheif (see HeifDecoder.h): container parse,
// size check before decoding, RGB888 copy-out, and the EXIF item.
// Thread rule: any thread; each call allocates its own heif_context, so
// calls share no libheif state.

#include "HeifDecoder.h"

#include "ImageError.h"

#include <libheif/heif.h>

#include <QtEndian>

#include <cstring>
#include <memory>

namespace photosearch {
namespace {

[[noreturn]] void fail(const QString& name, const QString& what, const heif_error& error)
{
    throw ImageError(QStringLiteral("%1 cannot be read as a HEIF/AVIF image (%2: %3).")
                         .arg(name, what, QString::fromUtf8(error.message ? error.message : "unknown error").simplified())
                         .toStdString());
}

using ContextPtr = std::unique_ptr<heif_context, void (*)(heif_context*)>;
using HandlePtr = std::unique_ptr<heif_image_handle, void (*)(const heif_image_handle*)>;

// A parsed container and its primary image; nothing is decoded yet.
struct HeifPrimary {
    ContextPtr context{heif_context_alloc(), heif_context_free};
    HandlePtr handle{nullptr, heif_image_handle_release};
    QString failedStep;
    heif_error error{heif_error_Ok, heif_suberror_Unspecified, nullptr};

    // `bytes` must outlive this object (the context reads it without a copy).
    bool open(const QByteArray& bytes)
    {
        if (!context)
            return false;
        error = heif_context_read_from_memory_without_copy(context.get(), bytes.constData(), size_t(bytes.size()),
                                                           nullptr);
        if (error.code != heif_error_Ok) {
            failedStep = QStringLiteral("bad container");
            return false;
        }
        heif_image_handle* raw = nullptr;
        error = heif_context_get_primary_image_handle(context.get(), &raw);
        handle.reset(raw);
        if (error.code != heif_error_Ok || !raw) {
            failedStep = QStringLiteral("no primary image");
            return false;
        }
        return true;
    }
};

} // namespace

QImage decodeHeif(const QByteArray& bytes, const QString& name, qint64 maxPixels)
{
    HeifPrimary file;
    if (!file.context)
        throw ImageError(QStringLiteral("%1 cannot be read: out of memory.").arg(name).toStdString());
    if (!file.open(bytes))
        fail(name, file.failedStep, file.error);
    const heif_image_handle* handle = file.handle.get();
    // The size as displayed (transformations applied), from the container.
    const int width = heif_image_handle_get_width(handle);
    const int height = heif_image_handle_get_height(handle);
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
    const heif_error err = heif_decode_image(handle, &rawImage, heif_colorspace_RGB, heif_chroma_interleaved_RGB,
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

QByteArray heifExif(const QByteArray& bytes)
{
    HeifPrimary file;
    if (!file.open(bytes))
        return {};
    heif_item_id id = 0;
    if (heif_image_handle_get_list_of_metadata_block_IDs(file.handle.get(), "Exif", &id, 1) < 1)
        return {};
    const size_t size = heif_image_handle_get_metadata_size(file.handle.get(), id);
    // The item lies inside the file, so a larger claim is a broken container.
    if (size < 4 || size > size_t(bytes.size()))
        return {};
    QByteArray block(qsizetype(size), Qt::Uninitialized);
    if (heif_image_handle_get_metadata(file.handle.get(), id, block.data()).code != heif_error_Ok)
        return {};
    // ISO/IEC 23008-12 Annex A: a big-endian 32-bit offset from its own end
    // to the TIFF header; some writers also keep JPEG's "Exif\0\0" prefix.
    const quint32 offset = qFromBigEndian<quint32>(block.constData());
    if (offset > size - 4)
        return {};
    QByteArray tiff = block.mid(qsizetype(4 + offset));
    static const QByteArray jpegPrefix("Exif\0\0", 6);
    if (tiff.startsWith(jpegPrefix))
        tiff.remove(0, jpegPrefix.size());
    return tiff;
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
