// libFuzzer target: EXIF/XMP reading (exiv2, and the Exif item of HEIF/AVIF
// files through libheif) from a file's bytes, as the indexer calls it.
#include "PhotoMetadata.h"

#include <QCoreApplication>

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    static QCoreApplication app(*argc, *argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    (void)photosearch::readPhotoMetadata(bytes);
    return 0;
}
