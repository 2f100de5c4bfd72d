#pragma once
// Image formats told apart by content (magic bytes), not by file name.

#include <QByteArray>
#include <QString>

namespace photosearch {

// Raw: a camera RAW file (CR2, CR3, NEF, ARW, RAF, ORF, RW2, DNG...), read
// with LibRaw. The first bytes tell CR2, CR3, ORF, RW2 and RAF apart; NEF,
// ARW and DNG start like any TIFF, so sniffImageFormat() says Tiff for them
// and the decoder looks further (see TiffRawProbe.h, tiffRawKind).
enum class ImageFormat { Unknown, Jpeg, Png, Webp, Gif, Bmp, Tiff, Heif, Avif, Raw };

// How many leading bytes sniffImageFormat() needs at most.
constexpr int kImageFormatSniffBytes = 32;

// From the first bytes of a file (fewer than kImageFormatSniffBytes is fine:
// a short file is simply Unknown unless its magic fits). HEIF vs AVIF is
// decided by the ISO-BMFF `ftyp` brands.
ImageFormat sniffImageFormat(const QByteArray& head);

// Lower-case names used in the catalog and on the command line: "jpeg",
// "png", "webp", "gif", "bmp", "tiff", "heif", "avif", "raw" (one name for
// every camera RAW kind, so that one filter finds them all); "" for Unknown.
QString imageFormatName(ImageFormat format);
// Inverse of imageFormatName; also accepts "jpg", "tif", "heic" and the
// RAW file extensions ("cr2", "nef", "dng"...). Unknown for anything else.
ImageFormat imageFormatFromName(const QString& name);

// Whether the file name ends with a camera RAW extension (.cr2, .cr3, .nef,
// .nrw, .arw, .srf, .sr2, .raf, .orf, .rw2, .dng, .pef, .srw), any case.
bool hasRawExtension(const QString& fileName);

} // namespace photosearch
