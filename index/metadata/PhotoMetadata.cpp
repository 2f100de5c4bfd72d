#include "PhotoMetadata.h"

#include "HeifDecoder.h"
#include "ImageFormat.h"

#include <exiv2/exiv2.hpp>

#include <QDate>
#include <QTime>

#include <cmath>
#include <exception>
#include <memory>

namespace photosearch {
namespace {

// Once per process, before any thread reads metadata: exiv2's own logging
// off (a broken file must not print to stderr), its XMP parser initialised
// (exiv2 0.27 requires that before multi-threaded use) and ISO-BMFF
// (HEIF/AVIF) reading switched on where this exiv2 was built with it.
void initialiseExiv2()
{
    static const bool done = [] {
        Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);
        Exiv2::XmpParser::initialize();
#ifdef EXV_ENABLE_BMFF
        Exiv2::enableBMFF(true);
#endif
        return true;
    }();
    Q_UNUSED(done);
}

QString cleanString(const std::string& s)
{
    QString out = QString::fromUtf8(s.c_str()); // stops at an embedded NUL
    return out.trimmed();
}

template <typename Data, typename Key>
auto find(const Data& data, const char* key) -> decltype(&*data.begin())
{
    try {
        const auto it = data.findKey(Key(key));
        if (it == data.end() || it->count() == 0)
            return nullptr;
        return &*it;
    } catch (...) {
        return nullptr;
    }
}

QString exifString(const Exiv2::ExifData& exif, const char* key)
{
    const auto* d = find<Exiv2::ExifData, Exiv2::ExifKey>(exif, key);
    return d ? cleanString(d->toString()) : QString();
}

QString xmpString(const Exiv2::XmpData& xmp, const char* key)
{
    const auto* d = find<Exiv2::XmpData, Exiv2::XmpKey>(xmp, key);
    return d ? cleanString(d->toString()) : QString();
}

QDateTime parseIsoLocal(const QString& text);

// EXIF "YYYY:MM:DD HH:MM:SS" (some writers use '-' or 'T'); all-zero or
// blank dates are "none".
QDateTime parseExifDate(const QString& text)
{
    if (text.size() < 10)
        return {};
    QString s = text.left(19);
    if (s.size() >= 10) {
        s[4] = QLatin1Char('-');
        s[7] = QLatin1Char('-');
    }
    if (s.size() > 10)
        s[10] = QLatin1Char('T');
    return parseIsoLocal(s);
}

// ISO 8601 as in XMP ("2021-05-01T12:34:56+02:00", "2021-05-01T12:34",
// "2021-05-01"): the local date and time as written, any offset ignored.
QDateTime parseIsoLocal(const QString& text)
{
    const QDate date = QDate::fromString(text.left(10), QStringLiteral("yyyy-MM-dd"));
    if (!date.isValid() || date.year() < 1800)
        return {};
    QTime time(0, 0);
    if (text.size() >= 16 && text[10] == QLatin1Char('T')) {
        const QString t = text.mid(11, 8);
        QTime parsed = QTime::fromString(t, QStringLiteral("HH:mm:ss"));
        if (!parsed.isValid())
            parsed = QTime::fromString(t.left(5), QStringLiteral("HH:mm"));
        if (!parsed.isValid())
            return {};
        time = parsed;
    }
    return QDateTime(date, time, Qt::LocalTime);
}

// Three rationals (degrees, minutes, seconds) → degrees; NaN when malformed.
double gpsDegrees(const Exiv2::Exifdatum* d)
{
    if (!d || d->count() < 1)
        return std::nan("");
    double total = 0;
    const double scale[3] = {1, 60, 3600};
    for (long i = 0; i < std::min<long>(3, long(d->count())); ++i) {
        const Exiv2::Rational r = d->toRational(i);
        if (r.second == 0) {
            if (r.first == 0 && i > 0)
                continue; // 0/0 minutes or seconds: some writers do that
            return std::nan("");
        }
        total += double(r.first) / double(r.second) / scale[i];
    }
    return total;
}

void readGps(const Exiv2::ExifData& exif, PhotoMetadata& out)
{
    const auto* lat = find<Exiv2::ExifData, Exiv2::ExifKey>(exif, "Exif.GPSInfo.GPSLatitude");
    const auto* lon = find<Exiv2::ExifData, Exiv2::ExifKey>(exif, "Exif.GPSInfo.GPSLongitude");
    if (!lat || !lon)
        return;
    double latitude = gpsDegrees(lat);
    double longitude = gpsDegrees(lon);
    if (!std::isfinite(latitude) || !std::isfinite(longitude))
        return;
    if (exifString(exif, "Exif.GPSInfo.GPSLatitudeRef").startsWith(QLatin1Char('S'), Qt::CaseInsensitive))
        latitude = -latitude;
    if (exifString(exif, "Exif.GPSInfo.GPSLongitudeRef").startsWith(QLatin1Char('W'), Qt::CaseInsensitive))
        longitude = -longitude;
    if (std::fabs(latitude) > 90 || std::fabs(longitude) > 180)
        return;
    out.hasGps = true;
    out.latitude = latitude;
    out.longitude = longitude;
}

// exiv2's reader for every format it knows; a file it throws on gives
// nothing (and HEIF/AVIF still get their chance through libheif).
void readWithExiv2(const QByteArray& bytes, Exiv2::ExifData& exif, Exiv2::XmpData& xmp)
{
    try {
        auto image = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(bytes.constData()),
                                               long(bytes.size()));
        // exiv2 0.27's video readers (QuickTime, RIFF, Matroska, ASF) can loop
        // without end on a broken file (fuzzing found a QuickTime one:
        // tests/fuzz/regressions/metadata-quicktime-hang); photos are never videos.
        if (!image.get() || image->mimeType().rfind("video/", 0) == 0)
            return;
        image->readMetadata();
        exif = std::move(image->exifData());
        xmp = std::move(image->xmpData());
    } catch (...) {
    }
}

// exiv2 0.27's BMFF reader finds no EXIF in many HEIC files (those libheif
// writes among them), so HEIF/AVIF EXIF is also taken from libheif's Exif item.
void readHeifExif(const QByteArray& bytes, Exiv2::ExifData& exif)
{
    const QByteArray tiff = heifExif(bytes);
    if (tiff.isEmpty())
        return;
    try {
        Exiv2::ExifParser::decode(exif, reinterpret_cast<const Exiv2::byte*>(tiff.constData()),
                                  uint32_t(tiff.size()));
    } catch (...) {
        exif.clear();
    }
}

PhotoMetadata read(const QByteArray& bytes)
{
    PhotoMetadata out;
    Exiv2::ExifData exif;
    Exiv2::XmpData xmp;
    readWithExiv2(bytes, exif, xmp);
    const ImageFormat format = sniffImageFormat(bytes.left(kImageFormatSniffBytes));
    if (exif.empty() && (format == ImageFormat::Heif || format == ImageFormat::Avif))
        readHeifExif(bytes, exif);

    for (const char* key : {"Exif.Photo.DateTimeOriginal", "Exif.Photo.DateTimeDigitized"}) {
        out.takenAt = parseExifDate(exifString(exif, key));
        if (out.takenAt.isValid())
            break;
    }
    if (!out.takenAt.isValid()) {
        for (const char* key : {"Xmp.photoshop.DateCreated", "Xmp.xmp.CreateDate", "Xmp.exif.DateTimeOriginal"}) {
            out.takenAt = parseIsoLocal(xmpString(xmp, key));
            if (out.takenAt.isValid())
                break;
        }
    }

    QString make = exifString(exif, "Exif.Image.Make");
    QString model = exifString(exif, "Exif.Image.Model");
    if (make.isEmpty())
        make = xmpString(xmp, "Xmp.tiff.Make");
    if (model.isEmpty())
        model = xmpString(xmp, "Xmp.tiff.Model");
    if (model.isEmpty())
        out.camera = make;
    else if (make.isEmpty() || model.startsWith(make, Qt::CaseInsensitive))
        out.camera = model;
    else
        out.camera = make + QLatin1Char(' ') + model;

    out.lens = exifString(exif, "Exif.Photo.LensModel");
    if (out.lens.isEmpty())
        out.lens = xmpString(xmp, "Xmp.exifEX.LensModel");
    if (out.lens.isEmpty())
        out.lens = xmpString(xmp, "Xmp.aux.Lens");

    readGps(exif, out);
    return out;
}

} // namespace

PhotoMetadata readPhotoMetadata(const QByteArray& fileBytes)
{
    if (fileBytes.isEmpty())
        return {};
    initialiseExiv2();
    try {
        return read(fileBytes);
    } catch (const Exiv2::AnyError&) {
        return {};
    } catch (const std::exception&) {
        return {};
    } catch (...) {
        return {};
    }
}

} // namespace photosearch
