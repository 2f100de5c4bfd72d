#pragma once
// HEIF/HEIC and AVIF decoding with libheif (Qt 6.4 reads neither). Pure
// functions of their input: callable from any thread.

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QString>

namespace photosearch {

// Decodes the primary image of a HEIF or AVIF file held in memory, with the
// file's rotation/mirroring (irot/imir) and cropping applied, as
// Format_RGB888 (alpha dropped; HDR reduced to 8 bits). The size is checked
// against maxPixels from the container, before anything is decoded.
// `name` only names the file in errors. Throws ImageError (see
// ImageError.h) for anything that cannot be decoded.
QImage decodeHeif(const QByteArray& bytes, const QString& name, qint64 maxPixels);

// The primary image's EXIF as a TIFF structure (what exiv2's ExifParser and
// a JPEG APP1 segment hold after "Exif\0\0"), read from the container
// without decoding; empty when there is none or the container is broken.
QByteArray heifExif(const QByteArray& bytes);

// Whether this libheif can decode HEVC-coded HEIF / AV1-coded AVIF.
bool heifDecoderAvailable();
bool avifDecoderAvailable();

} // namespace photosearch
