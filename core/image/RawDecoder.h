#pragma once
// Camera RAW files (CR2, CR3, NEF, ARW, RAF, ORF, RW2, DNG...) through
// LibRaw. What ImageDecoder needs from a RAW: the embedded preview JPEG when
// it covers the decode target (fast: nothing is demosaiced), else a
// half-size demosaic. Sizes are checked from the header before LibRaw
// allocates anything for the pixels.
// Thread rule: any thread; each call has its own LibRaw object (libraw_r,
// the thread-safe build, keeps no global state).

#include "ImageDecoder.h"
#include "TiffRawProbe.h"

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QString>

namespace photosearch {

// What a RAW file gives for a decode: either `previewJpeg` (to be decoded,
// then turned by `orientation`) or `image` (already upright).
struct RawPicture {
    QByteArray previewJpeg; // the embedded preview, when it covers the target
    QImage image;           // else the half-size demosaic, Format_RGB888
    QSize fullSize;         // the sensor image as displayed (orientation applied)
    int orientation = 1;    // EXIF orientation (1..8) of previewJpeg's pixels
};

// Whether the embedded preview may stand in for the sensor image.
enum class RawSource {
    PreviewOrSensor, // the preview when it covers the target, else the sensor data
    SensorOnly,      // the sensor data (the preview proved unreadable: cut short, corrupt)
};

// `name` only names the file in errors. The preview is used when, turned
// upright, it covers `target` (an empty target asks for full resolution:
// the preview must then be at least as large as the half-size demosaic);
// else, or with RawSource::SensorOnly, the sensor data is demosaiced.
// Throws ImageError (one sentence naming the file) for a file LibRaw cannot
// read, a sensor above maxPixels, a truncated file or corrupt data.
RawPicture readRaw(const QByteArray& bytes, const QString& name, const DecodeTarget& target, qint64 maxPixels,
                   RawSource source = RawSource::PreviewOrSensor);
// The same from a file on disk of `size` bytes: LibRaw reads only what it
// needs (the header and the preview, when the preview will do).
RawPicture readRawFile(const QString& path, qint64 size, const QString& name, const DecodeTarget& target,
                       qint64 maxPixels, RawSource source = RawSource::PreviewOrSensor);

// `image` turned as EXIF orientation `orientation` (1..8) says; other values
// leave it as is.
QImage applyExifOrientation(const QImage& image, int orientation);

} // namespace photosearch
