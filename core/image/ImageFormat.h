#pragma once
// Image formats told apart by content (magic bytes), not by file name.

#include <QByteArray>
#include <QString>

namespace photosearch {

enum class ImageFormat { Unknown, Jpeg, Png, Webp, Gif, Bmp, Tiff, Heif, Avif };

// How many leading bytes sniffImageFormat() needs at most.
constexpr int kImageFormatSniffBytes = 32;

// From the first bytes of a file (fewer than kImageFormatSniffBytes is fine:
// a short file is simply Unknown unless its magic fits). HEIF vs AVIF is
// decided by the ISO-BMFF `ftyp` brands.
ImageFormat sniffImageFormat(const QByteArray& head);

// Lower-case names used in the catalog and on the command line: "jpeg",
// "png", "webp", "gif", "bmp", "tiff", "heif", "avif"; "" for Unknown.
QString imageFormatName(ImageFormat format);
// Inverse of imageFormatName; also accepts "jpg", "tif", "heic". Unknown
// for anything else.
ImageFormat imageFormatFromName(const QString& name);

} // namespace photosearch
