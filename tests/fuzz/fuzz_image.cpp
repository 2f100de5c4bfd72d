// libFuzzer target: ImageDecoder::decode on untrusted bytes (format sniffed by
// content: JPEG, PNG, WebP, GIF, TIFF, BMP through Qt's plugins, HEIF/AVIF
// through libheif). Byte 0 picks the decode target (full size, CLIP's
// shortest side, a thumbnail box) so that JPEG DCT reduction is reached.
#include "ImageDecoder.h"

#include <QCoreApplication>

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    static QCoreApplication app(*argc, *argv); // plugin paths for the image formats
    photosearch::ImageDecoder::raiseAllocationLimit();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    photosearch::DecodeTarget target;
    if (data[0] % 3 == 1)
        target = photosearch::DecodeTarget::shortestSide(224);
    else if (data[0] % 3 == 2)
        target = photosearch::DecodeTarget::fitInto(QSize(64, 64));
    const QByteArray bytes(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));
    try {
        const photosearch::DecodedImage decoded = photosearch::ImageDecoder::decode(bytes, QStringLiteral("fuzz"), target);
        if (decoded.image.format() != QImage::Format_RGB888)
            __builtin_trap(); // the contract in ImageDecoder.h
    } catch (const photosearch::ImageError&) {
    }
    return 0;
}
