#pragma once
// What EXIF/XMP say about a photo (read with exiv2). Everything is optional:
// a file without metadata, or with broken metadata, gives an empty result,
// never an exception or a crash.

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace photosearch {

struct PhotoMetadata {
    QDateTime takenAt; // DateTimeOriginal, else DateTimeDigitized, else XMP
                       // photoshop:DateCreated / xmp:CreateDate; local time
                       // as written (Qt::LocalTime spec); invalid = none
    QString camera;    // "Make Model", without the make repeated in the model
    QString lens;
    bool hasGps = false;
    double latitude = 0;  // degrees, north positive
    double longitude = 0; // degrees, east positive
};

// From the file's bytes (the indexer reads each file once).
PhotoMetadata readPhotoMetadata(const QByteArray& fileBytes);

} // namespace photosearch
