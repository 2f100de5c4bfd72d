#pragma once
// Image file → QImage: the one decoder that CLIP preprocessing, the indexer
// and the thumbnails share, so that all of them get the same size caps, the
// same format detection (by content, never by name), EXIF orientation,
// JPEG DCT-reduced decoding, HEIF/AVIF support (libheif) and camera RAW
// (LibRaw: the embedded preview when it covers the target, else a
// half-size demosaic; see RawDecoder.h).
//
// Qt-only on purpose (no LibTorch here nor in its target, photosearch_image):
// the UI decodes thumbnails without pulling LibTorch in.
// Thread rule: stateless; every function may be called from any thread.

#include "ImageError.h"
#include "ImageFormat.h"

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QString>

namespace photosearch {

struct DecodedImage {
    QImage image;       // Format_RGB888, orientation applied, maybe DCT-reduced
                        // (a RAW: its preview or a half-size demosaic)
    QSize fullSize;     // as displayed (orientation applied), before any reduction
    ImageFormat format = ImageFormat::Unknown;
};

// How small a decode may be. A JPEG is decoded at libjpeg's 1/2, 1/4 or 1/8
// DCT scale when that still covers `size` scaled into the image's displayed
// aspect (`size` scaled by `mode`, as QSize::scaled does) and divides both
// sides exactly (else Qt would resample libjpeg's output once more, and the
// pixels would no longer be libjpeg's own). An empty `size` asks for full
// resolution. A camera RAW gives its embedded preview JPEG when that,
// upright, covers `size` (with an empty `size`: when it is at least half the
// sensor's size), else a half-size demosaic. Other formats are always
// decoded whole.
struct DecodeTarget {
    QSize size;
    Qt::AspectRatioMode mode = Qt::KeepAspectRatio;
    // Transparent pixels laid over white instead of keeping their colour
    // (usually black): what a person sees, and what OCR must read — black
    // text on a transparent PNG is otherwise black on black. CLIP keeps
    // PIL's convert("RGB") behaviour (false). Formats Qt decodes.
    bool overWhite = false;

    // CLIP preprocessing: the shortest side stays >= `edge`.
    static DecodeTarget shortestSide(int edge) { return {QSize(edge, edge), Qt::KeepAspectRatioByExpanding}; }
    // Thumbnails: what fits in `box` stays covered.
    static DecodeTarget fitInto(QSize box) { return {box, Qt::KeepAspectRatio}; }
};

class ImageDecoder {
public:
    // Images with more pixels than this are refused before decoding.
    static constexpr qint64 maxPixels = 200'000'000;
    // Image files larger than this are refused before being read.
    static constexpr qint64 maxFileBytes = qint64(1) << 30;

    // A whole image file, for decode(bytes, ...). Throws ImageError naming
    // the file when it is not a regular file (a FIFO, a device, a socket,
    // also through a symlink: refused by type before it is opened, so that
    // nothing blocks or reads forever), cannot be opened or read, or is
    // larger than maxFileBytes. An empty file gives an empty array (decode() then
    // refuses it).
    static QByteArray readFile(const QString& path);

    // Decodes the file at `path` without holding it in memory when it can:
    // the size, the format (from the first bytes) and the pixel count (from
    // the header) are checked before the pixels are read, so that a huge
    // file that is no image, or an image bomb, costs a few reads. Throws
    // ImageError for missing, non-regular, unreadable, corrupt, truncated or oversized files; see
    // decode(bytes, ...) for what is decoded and how.
    static DecodedImage decodeFile(const QString& path, const DecodeTarget& target = {});

    // The same from a file already read into memory (the indexer reads each
    // file once, to hash and decode it). `path` only names the file in
    // errors. Orientation applied; Format_RGB888 (grey expanded, alpha
    // dropped without blending, like PIL's convert("RGB")). A JPEG without
    // its end marker after the first scan is refused as truncated (libjpeg
    // would fill the rest with grey and only warn). Throws ImageError.
    static DecodedImage decode(const QByteArray& bytes, const QString& path, const DecodeTarget& target = {});

    // Raises Qt's process-wide image allocation limit (128 MiB in Qt 6.4,
    // which refuses ordinary large photos) to what maxPixels needs; the
    // pixel cap is the real guard. Idempotent; the decode functions call it.
    static void raiseAllocationLimit();
};

} // namespace photosearch
