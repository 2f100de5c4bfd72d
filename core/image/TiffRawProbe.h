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

// What the IFDs of a file that starts with a TIFF header say about camera
// RAW data in it.
enum class TiffRaw {
    No,  // an ordinary TIFF, whatever its tags
    Yes, // IFD0 has DNGVersion (every DNG), or IFD0, an IFD of its chain or
         // one of their SubIFDs has the photometric interpretation of sensor
         // data (CFA 32803, LinearRaw 34892: NEF, ARW, PEF, SRW keep their
         // raw so), which Qt cannot show anyway
    ByName, // only a RAW extension and a camera Make in IFD0 (old Sony ARW
            // keep their data where no IFD points; Nikon Scan writes RGB
            // scans as .nef): LibRaw decides, and a file it refuses is read
            // as the TIFF it is
};

// Decided from the IFDs, not from the name alone, for a file of `size`
// bytes. A few small reads (bounded: at most 16 IFDs of 512 entries); a
// broken structure says No.
TiffRaw tiffRawKind(const ByteReader& read, qint64 size, const QString& path);

} // namespace photosearch
