#include "PhotoReader.h"

#include "ImagePreprocessor.h"
#include "PerceptualHash.h"
#include "PhotoMetadata.h"

#include <QFileInfo>

#include <openssl/evp.h>

#include <new>
#include <stdexcept>

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
        out.contentHash = contentHashOf(out.bytes);
    } catch (const std::bad_alloc&) {
        out.error = QStringLiteral("There is not enough memory to read the file.");
        return out;
    } catch (const ImageError& e) {
        out.vanished = !QFileInfo::exists(path);
        out.error = oneLine(e.what());
        return out;
    }
    return out;
}

QString contentHashOf(const QByteArray& bytes)
{
    // Identity of content, not security: SHA-1, as the catalog has always
    // stored. OpenSSL's rather than Qt's: it uses the CPU's SHA instructions
    // where there are some (1.8 GB/s against Qt's 0.46 on the 2-core VM),
    // and every byte of every new photo goes through it, ~2.6 MB each.
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(bytes.constData(), size_t(bytes.size()), digest, &size, EVP_sha1(), nullptr) != 1)
        throw std::bad_alloc(); // OpenSSL's only way to fail here is memory
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(digest), int(size)).toHex());
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
