#pragma once
// One photo as the catalog knows it.

#include <QDateTime>
#include <QString>

#include <optional>

namespace photosearch {

enum class PhotoStatus {
    Ok = 0,         // decoded; has (or will get) an embedding per model
    Failed = 1,     // the content cannot be used (not an image, corrupt, too
                    // many pixels); tried again only when the file changes
    Unreadable = 2, // could not be read or encoded this time (permissions,
                    // I/O, memory, the encoder failed); tried on every run
};

struct PhotoRecord {
    qint64 id = 0;           // catalog id; also the id in every FAISS index
    QString path;            // absolute, cleaned (QDir::cleanPath)
    qint64 size = 0;         // bytes
    qint64 mtimeMs = 0;      // last modification, ms since the epoch (UTC)
    QString contentHash;     // hex digest of the whole file
    int width = 0;           // as displayed (EXIF orientation applied); 0 = unknown
    int height = 0;
    QString format;          // jpeg png webp gif bmp tiff heif avif; empty = unknown
    QDateTime takenAt;       // from EXIF/XMP, local time as written; invalid = unknown
    QString camera;          // "Make Model", empty = unknown
    QString lens;
    bool hasGps = false;
    double latitude = 0;     // degrees, north positive
    double longitude = 0;    // degrees, east positive
    PhotoStatus status = PhotoStatus::Ok;
    QString error;           // the reason when status is not Ok
    // Perceptual hash of the decoded picture (core/PerceptualHash.h); none when
    // not computed (indexed before schema 3, or not decodable).
    std::optional<quint64> phash;
};

} // namespace photosearch
