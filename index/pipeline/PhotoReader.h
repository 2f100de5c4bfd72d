#pragma once
// The per-file work of the indexing pipeline, run on the worker threads:
// read the file once, hash it, read its metadata, decode and preprocess it.

#include <torch/types.h>

#include "PhotoRecord.h"

#include <QByteArray>
#include <QString>

namespace photosearch {

class ImagePreprocessor;

struct PhotoFile {
    QByteArray bytes;
    QString contentHash; // hex
    QString error;       // non-empty: could not be read, and why
    bool vanished = false; // deleted since the scan
};

// The whole file (ImagePreprocessor::readImageFile's size cap applies).
PhotoFile readPhotoFile(const QString& path);

QString contentHashOf(const QByteArray& bytes);

// Fills format, size, metadata, the perceptual hash and `pixels` from the bytes; on failure sets
// record.status (Failed, or Unreadable when memory ran out) and record.error and leaves `pixels` undefined.
// Never throws for bad input.
void decodePhoto(const QByteArray& bytes, const ImagePreprocessor& preprocessor, bool reducedDecode,
                 PhotoRecord& record, torch::Tensor& pixels);

// Only the EXIF/XMP fields (taken-at, camera, lens, GPS), without decoding.
void readMetadataInto(const QByteArray& bytes, PhotoRecord& record);

} // namespace photosearch
