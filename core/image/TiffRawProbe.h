#pragma once
// Telling a camera RAW that starts like a TIFF (NEF, NRW, ARW, PEF, SRW,
// DNG) from an ordinary TIFF, by walking a few IFDs. Pure function of the
// bytes it reads; any thread.

#include <QByteArray>
#include <QString>

#include <functional>

namespace photosearch {

// Reads `n` bytes at `pos` of the file being examined (fewer at its end).
using ByteReader = std::function<QByteArray(qint64 pos, qint64 n)>;

// Whether a file of `size` bytes that starts with a TIFF header holds camera
// RAW data. Decided from the IFDs, not from the name alone:
//  - IFD0 has DNGVersion (every DNG), or
//  - IFD0, an IFD of its chain or one of their SubIFDs has the photometric
//    interpretation of sensor data (CFA 32803, LinearRaw 34892: NEF, ARW,
//    PEF, SRW keep their raw so), which Qt cannot show anyway, or
//  - the name has a RAW extension and IFD0 names a camera Make (old Sony
//    ARW keep their data where no IFD points).
// An ordinary TIFF, whatever its tags, stays a TIFF. A few small reads
// (bounded: at most 16 IFDs of 512 entries); a broken structure says false.
bool tiffHoldsRaw(const ByteReader& read, qint64 size, const QString& path);

} // namespace photosearch
