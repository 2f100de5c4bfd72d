#include "PhotoReader.h"

#include "ImagePreprocessor.h"
#include "PerceptualHash.h"
#include "PhotoMetadata.h"

#include <QCryptographicHash>
#include <QFileInfo>

#include <new>

namespace photosearch {
namespace {

// A recorded reason is one line (stats and the window list one per file):
// decoders' own words (libheif's) may hold line breaks.
QString oneLine(const char* what)
{
    return QString::fromUtf8(what).simplified();
}

} // namespace

PhotoFile readPhotoFile(const QString& path)
{
    PhotoFile out;
    try {
        out.bytes = ImagePreprocessor::readImageFile(path);
    } catch (const std::bad_alloc&) {
        out.error = QStringLiteral("There is not enough memory to read the file.");
        return out;
    } catch (const ImageError& e) {
        out.vanished = !QFileInfo::exists(path);
        out.error = oneLine(e.what());
        return out;
    }
    out.contentHash = contentHashOf(out.bytes);
    return out;
}

QString contentHashOf(const QByteArray& bytes)
{
    // Identity of content, not security: the fastest strong hash Qt has.
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha1).toHex());
}

void decodePhoto(const QByteArray& bytes, const ImagePreprocessor& preprocessor, bool reducedDecode,
                 PhotoRecord& record, torch::Tensor& pixels)
{
    record.format = imageFormatName(sniffImageFormat(bytes.left(kImageFormatSniffBytes)));
    try {
        const DecodedImage decoded = preprocessor.decode(bytes, record.path, reducedDecode);
        record.width = decoded.fullSize.width();
        record.height = decoded.fullSize.height();
        record.format = imageFormatName(decoded.format);
        // From the image as decoded, maybe DCT-reduced: the hash averages it
        // down to 32x32 anyway (its shortest side is >= the model's input).
        record.phash = perceptualHash(decoded.image);
        pixels = preprocessor.toTensor(decoded.image);
    } catch (const std::bad_alloc&) {
        record.phash.reset();
        // Memory comes back: tried again on the next run (see PhotoStatus).
        record.status = PhotoStatus::Unreadable;
        record.error = QStringLiteral("There is not enough memory to decode the image.");
        return;
    } catch (const std::exception& e) {
        record.phash.reset();
        record.status = PhotoStatus::Failed;
        // ImageError names the file; the catalog row already does.
        record.error = oneLine(e.what());
        return;
    }
    readMetadataInto(bytes, record);
    record.status = PhotoStatus::Ok;
    record.error.clear();
}

void readMetadataInto(const QByteArray& bytes, PhotoRecord& record)
{
    const PhotoMetadata meta = readPhotoMetadata(bytes);
    record.takenAt = meta.takenAt;
    record.camera = meta.camera;
    record.lens = meta.lens;
    record.hasGps = meta.hasGps;
    record.latitude = meta.latitude;
    record.longitude = meta.longitude;
}

} // namespace photosearch
