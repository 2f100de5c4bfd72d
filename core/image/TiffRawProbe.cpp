// The IFD walk behind tiffRawKind (see TiffRawProbe.h).
// Thread rule: pure; any thread.

#include "TiffRawProbe.h"

#include "ImageFormat.h"

#include <algorithm>
#include <set>
#include <vector>

namespace photosearch {
namespace {

constexpr quint16 kTagPhotometric = 262;
constexpr quint16 kTagMake = 271;
constexpr quint16 kTagSubIfds = 330;
constexpr quint16 kTagDngVersion = 50706;
constexpr quint16 kPhotometricCfa = 32803;
constexpr quint16 kPhotometricLinearRaw = 34892;
constexpr int kMaxIfds = 16;
constexpr int kMaxEntries = 512;
constexpr int kMaxSubIfds = 8;

class IfdWalker {
public:
    IfdWalker(const ByteReader& read, qint64 size, bool bigEndian)
        : read_(read)
        , size_(size)
        , bigEndian_(bigEndian)
    {
    }

    struct Ifd {
        bool dng = false;
        bool make = false;
        bool rawPhotometric = false;
        std::vector<quint32> subIfds;
        quint32 next = 0;
    };

    // The IFD at `offset`; false when it cannot be read or was seen before
    // (a loop in a hostile file).
    bool readIfd(quint32 offset, Ifd& out)
    {
        if (offset < 8 || offset + 2 > size_ || ++visited_ > kMaxIfds || !seen_.insert(offset).second)
            return false;
        const int count = int(u16(read_(offset, 2), 0));
        if (count <= 0 || count > kMaxEntries)
            return false;
        const QByteArray entries = read_(offset + 2, qint64(count) * 12 + 4);
        if (entries.size() < count * 12)
            return false;
        for (int i = 0; i < count; ++i)
            readEntry(entries, i * 12, out);
        if (entries.size() >= count * 12 + 4)
            out.next = u32(entries, count * 12);
        return true;
    }

private:
    void readEntry(const QByteArray& entries, int at, Ifd& out)
    {
        const quint16 tag = u16(entries, at);
        const quint16 type = u16(entries, at + 2);
        const quint32 count = u32(entries, at + 4);
        if (tag == kTagDngVersion)
            out.dng = true;
        else if (tag == kTagMake && count > 1)
            out.make = true;
        else if (tag == kTagPhotometric && type == 3 /* SHORT */) {
            const quint16 v = u16(entries, at + 8);
            out.rawPhotometric = v == kPhotometricCfa || v == kPhotometricLinearRaw;
        } else if (tag == kTagSubIfds && (type == 4 /* LONG */ || type == 13 /* IFD */) && count > 0) {
            const int n = int(std::min<quint32>(count, kMaxSubIfds));
            if (count == 1) {
                out.subIfds.push_back(u32(entries, at + 8));
            } else {
                const QByteArray list = read_(u32(entries, at + 8), qint64(n) * 4);
                for (int i = 0; i + 4 <= list.size(); i += 4)
                    out.subIfds.push_back(u32(list, i));
            }
        }
    }

    quint16 u16(const QByteArray& b, int at) const
    {
        if (at + 2 > b.size())
            return 0;
        const auto* p = reinterpret_cast<const uchar*>(b.constData() + at);
        return bigEndian_ ? quint16((p[0] << 8) | p[1]) : quint16(p[0] | (p[1] << 8));
    }

    quint32 u32(const QByteArray& b, int at) const
    {
        if (at + 4 > b.size())
            return 0;
        const quint32 hi = u16(b, bigEndian_ ? at : at + 2);
        const quint32 lo = u16(b, bigEndian_ ? at + 2 : at);
        return (hi << 16) | lo;
    }

    const ByteReader& read_;
    qint64 size_;
    bool bigEndian_;
    int visited_ = 0;
    std::set<quint32> seen_;
};

} // namespace

TiffRaw tiffRawKind(const ByteReader& read, qint64 size, const QString& path)
{
    const QByteArray header = read(0, 8);
    if (header.size() < 8)
        return TiffRaw::No;
    const bool bigEndian = header.startsWith("MM");
    if (!bigEndian && !header.startsWith("II"))
        return TiffRaw::No;
    IfdWalker walker(read, size, bigEndian);
    const auto* p = reinterpret_cast<const uchar*>(header.constData() + 4);
    const quint32 first = bigEndian ? (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | p[3]
                                    : quint32(p[0]) | (quint32(p[1]) << 8) | (quint32(p[2]) << 16) | (quint32(p[3]) << 24);
    IfdWalker::Ifd ifd0;
    if (!walker.readIfd(first, ifd0))
        return TiffRaw::No;
    if (ifd0.dng || ifd0.rawPhotometric)
        return TiffRaw::Yes;
    // The chain after IFD0 and every SubIFD met, breadth first.
    std::vector<quint32> pending = ifd0.subIfds;
    if (ifd0.next)
        pending.push_back(ifd0.next);
    for (size_t i = 0; i < pending.size(); ++i) {
        IfdWalker::Ifd ifd;
        if (!walker.readIfd(pending[i], ifd))
            continue;
        if (ifd.rawPhotometric)
            return TiffRaw::Yes;
        pending.insert(pending.end(), ifd.subIfds.begin(), ifd.subIfds.end());
        if (ifd.next)
            pending.push_back(ifd.next);
    }
    return ifd0.make && hasRawExtension(path) ? TiffRaw::ByName : TiffRaw::No;
}

} // namespace photosearch
