// Image formats by magic bytes and their catalog names (see ImageFormat.h).
// Thread rule: pure functions on bytes and strings; any thread.

#include "ImageFormat.h"

#include <cstring>

namespace photosearch {
namespace {

bool startsWith(const QByteArray& head, const char* magic, int length, int offset = 0)
{
    return head.size() >= offset + length && std::memcmp(head.constData() + offset, magic, size_t(length)) == 0;
}

quint32 be32(const QByteArray& head, int offset)
{
    const auto* p = reinterpret_cast<const uchar*>(head.constData() + offset);
    return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
}

// ISO-BMFF: box size, "ftyp", major brand, minor version, compatible brands.
ImageFormat sniffIsoBmff(const QByteArray& head)
{
    if (!startsWith(head, "ftyp", 4, 4) || head.size() < 12)
        return ImageFormat::Unknown;
    const quint32 boxSize = be32(head, 0);
    // The brands inside the box that we can see: the major brand at 8, then
    // compatible brands from 16 on (12..15 is the minor version).
    qsizetype end = head.size();
    if (boxSize >= 16 && boxSize < quint32(end))
        end = qsizetype(boxSize);
    bool heif = false;
    bool avif = false;
    const auto look = [&](int offset) {
        const QByteArray brand = head.mid(offset, 4);
        if (brand == "avif" || brand == "avis")
            avif = true;
        else if (brand == "heic" || brand == "heix" || brand == "hevc" || brand == "hevx" || brand == "heim"
                 || brand == "heis" || brand == "mif1" || brand == "msf1")
            heif = true;
    };
    // Canon CR3: an ISO-BMFF movie-like container of major brand "crx ".
    if (head.mid(8, 4) == "crx ")
        return ImageFormat::Raw;
    look(8);
    for (int offset = 16; offset + 4 <= end; offset += 4)
        look(offset);
    if (avif)
        return ImageFormat::Avif;
    if (heif)
        return ImageFormat::Heif;
    return ImageFormat::Unknown;
}

} // namespace

ImageFormat sniffImageFormat(const QByteArray& head)
{
    if (startsWith(head, "\xFF\xD8\xFF", 3))
        return ImageFormat::Jpeg;
    if (startsWith(head, "\x89PNG\r\n\x1A\n", 8))
        return ImageFormat::Png;
    if (startsWith(head, "RIFF", 4) && startsWith(head, "WEBP", 4, 8))
        return ImageFormat::Webp;
    if (startsWith(head, "GIF87a", 6) || startsWith(head, "GIF89a", 6))
        return ImageFormat::Gif;
    if (startsWith(head, "BM", 2) && head.size() >= 14)
        return ImageFormat::Bmp;
    // RAW kinds with a magic of their own, before the plain TIFF test: CR2
    // (a TIFF with "CR" at 8), Olympus ORF, Panasonic RW2, Fujifilm RAF.
    if (startsWith(head, "II*\0", 4) && startsWith(head, "CR", 2, 8))
        return ImageFormat::Raw;
    if (startsWith(head, "IIRO", 4) || startsWith(head, "IIRS", 4) || startsWith(head, "MMOR", 4)
        || startsWith(head, "IIU\0", 4) || startsWith(head, "FUJIFILMCCD-RAW", 15))
        return ImageFormat::Raw;
    if (startsWith(head, "II*\0", 4) || startsWith(head, "MM\0*", 4))
        return ImageFormat::Tiff;
    return sniffIsoBmff(head);
}

QString imageFormatName(ImageFormat format)
{
    switch (format) {
    case ImageFormat::Jpeg: return QStringLiteral("jpeg");
    case ImageFormat::Png: return QStringLiteral("png");
    case ImageFormat::Webp: return QStringLiteral("webp");
    case ImageFormat::Gif: return QStringLiteral("gif");
    case ImageFormat::Bmp: return QStringLiteral("bmp");
    case ImageFormat::Tiff: return QStringLiteral("tiff");
    case ImageFormat::Heif: return QStringLiteral("heif");
    case ImageFormat::Avif: return QStringLiteral("avif");
    case ImageFormat::Raw: return QStringLiteral("raw");
    case ImageFormat::Unknown: break;
    }
    return QString();
}

ImageFormat imageFormatFromName(const QString& name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("jpeg") || n == QLatin1String("jpg"))
        return ImageFormat::Jpeg;
    if (n == QLatin1String("png"))
        return ImageFormat::Png;
    if (n == QLatin1String("webp"))
        return ImageFormat::Webp;
    if (n == QLatin1String("gif"))
        return ImageFormat::Gif;
    if (n == QLatin1String("bmp"))
        return ImageFormat::Bmp;
    if (n == QLatin1String("tiff") || n == QLatin1String("tif"))
        return ImageFormat::Tiff;
    if (n == QLatin1String("heif") || n == QLatin1String("heic"))
        return ImageFormat::Heif;
    if (n == QLatin1String("avif"))
        return ImageFormat::Avif;
    if (n == QLatin1String("raw") || hasRawExtension(QLatin1Char('.') + n))
        return ImageFormat::Raw;
    return ImageFormat::Unknown;
}

bool hasRawExtension(const QString& fileName)
{
    static const char* const suffixes[] = {".cr2", ".cr3", ".nef", ".nrw", ".arw", ".srf", ".sr2",
                                           ".raf", ".orf", ".rw2", ".dng", ".pef", ".srw"};
    for (const char* s : suffixes)
        if (fileName.endsWith(QLatin1String(s), Qt::CaseInsensitive))
            return true;
    return false;
}

} // namespace photosearch
