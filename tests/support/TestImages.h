#pragma once
// Images the tests make themselves: every supported format, EXIF fields and
// orientations, and the bad inputs the indexer must survive.

#include "ImageFormat.h"

#include <QDateTime>
#include <QImage>
#include <QString>

namespace photosearch::testimages {

// A photo-like RGB picture (gradients and shapes) that differs per seed, so
// that different seeds give clearly different CLIP embeddings.
QImage makePicture(int width, int height, int seed);

// Writes `image` as `format` (any ImageFormat but Unknown; HEIF and AVIF via
// libheif). Returns false, with `error` set, when the format cannot be
// written on this machine (e.g. libheif without an encoder).
bool writeImage(const QImage& image, const QString& path, ImageFormat format, QString* error = nullptr);

struct ExifFields {
    int orientation = 0; // 1..8; 0 = no tag
    QDateTime takenAt;   // DateTimeOriginal; invalid = none
    QString make;
    QString model;
    QString lens;
    bool hasGps = false;
    double latitude = 0;
    double longitude = 0;
    bool exifPrefix = false; // HEIF only: "Exif\0\0" before the TIFF header, as iPhones write it
};

// A JPEG carrying these EXIF fields. Note: with orientation 5..8 the
// displayed image is `image` transposed, i.e. the stored pixels are rotated.
// The caller passes the pixels as stored.
bool writeJpegWithExif(const QImage& image, const QString& path, const ExifFields& exif,
                       QString* error = nullptr);

// A HEIF (HEVC), or with `avif` an AVIF, carrying these EXIF fields in an
// Exif item. The orientation tag is written as is, but HEIF readers take the
// orientation from the container (irot/imir), which this does not write.
bool writeHeifWithExif(const QImage& image, const QString& path, const ExifFields& exif, bool avif = false,
                       QString* error = nullptr);

// A valid PNG signature and IHDR claiming width × height (8-bit RGB) followed
// by a tiny IDAT: decoders that trust the header would allocate
// width × height × 3 bytes.
bool writePngClaimingSize(const QString& path, int width, int height);

// The whole file; empty when it cannot be read.
QByteArray readFile(const QString& path);

// The first `keepBytes` of `source` written to `path`.
bool writeTruncatedCopy(const QString& source, const QString& path, qint64 keepBytes);

} // namespace photosearch::testimages
