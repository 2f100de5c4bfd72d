#pragma once
// On-disk layout of `vectors-<model-id>.faiss` (all integers little-endian):
//
//   magic "PSVECTRS" | u32 format version | u32 kind (1 exact; 2 IVF-Flat,
//   format 1 only, no longer read; 3 IVF-SQ8, format 2 on)
//   u32 model id length | model id (UTF-8) | u32 dimension
//   i64 generation | i64 count | u64 payload length
//   payload: faiss::write_index() of the index; for the exact kind followed
//            by count i64 photo ids (row order)
//   u64 checksum (Hash64) of every byte above
//
// The header is enough to reject a stale or foreign file without reading
// the payload; the checksum keeps a corrupted payload away from FAISS's
// reader, which trusts the lengths it reads.

#include <QByteArray>
#include <QtGlobal>

#include <cstddef>

namespace photosearch::vectorfile {

inline constexpr char kMagic[8] = {'P', 'S', 'V', 'E', 'C', 'T', 'R', 'S'};
// Bump when the layout changes; readers refuse versions newer than theirs
// and keep reading the older ones they still can (tests/index/data/
// vectors-v*.faiss). Version 2 replaced IVF-Flat by IVF-SQ8: a version-1
// IVF-Flat file is refused, so the caller rebuilds it from the catalog; a
// version-1 exact file is read as before (same layout).
inline constexpr quint32 kFormatVersion = 2;

enum class Kind : quint32 { Exact = 1, IvfFlat = 2, IvfSq8 = 3 };

struct Header {
    quint32 version = kFormatVersion;
    Kind kind = Kind::Exact;
    QByteArray modelId;
    quint32 dimension = 0;
    qint64 generation = 0;
    qint64 count = 0;
    quint64 payloadBytes = 0;
};

QByteArray encodeHeader(const Header& h);

enum class ParseResult { Ok, Truncated, BadMagic };
// Parses the header at the start of `data`; `headerBytes` receives its size.
ParseResult parseHeader(const uchar* data, size_t size, Header* h, size_t* headerBytes);

// A fast 64-bit hash (four multiply-rotate lanes, so it runs near memory
// speed on multi-GB payloads). Not cryptographic: it is there to catch torn
// writes and bit rot; every step is a bijection in the changed word, so any
// single changed 8-byte word (e.g. one flipped byte) always changes the value.
class Hash64 {
public:
    void update(const void* data, size_t size);
    quint64 value() const;

private:
    void block(const uchar* p);
    quint64 lane_[4] = {0x9E3779B97F4A7C15ull, 0xC2B2AE3D27D4EB4Full,
                        0x165667B19E3779F9ull, 0x85EBCA77C2B2AE63ull};
    uchar tail_[32] = {};
    size_t tailSize_ = 0;
    quint64 length_ = 0;
};

} // namespace photosearch::vectorfile
