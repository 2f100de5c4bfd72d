#include "VectorFile.h"

#include <QtEndian>

#include <cstring>

namespace photosearch::vectorfile {
namespace {

constexpr quint64 kP1 = 0x9E3779B185EBCA87ull;
constexpr quint64 kP2 = 0xC2B2AE3D27D4EB4Full;

quint64 rotl(quint64 x, int r) { return (x << r) | (x >> (64 - r)); }

template <typename T> void put(QByteArray& out, T v)
{
    const T le = qToLittleEndian(v);
    out.append(reinterpret_cast<const char*>(&le), sizeof le);
}

struct Cursor {
    const uchar* p;
    size_t left;
    template <typename T> bool get(T* v)
    {
        if (left < sizeof(T))
            return false;
        *v = qFromLittleEndian<T>(p);
        p += sizeof(T);
        left -= sizeof(T);
        return true;
    }
};

} // namespace

QByteArray encodeHeader(const Header& h)
{
    QByteArray out(kMagic, sizeof kMagic);
    put<quint32>(out, h.version);
    put<quint32>(out, static_cast<quint32>(h.kind));
    put<quint32>(out, quint32(h.modelId.size()));
    out.append(h.modelId);
    put<quint32>(out, h.dimension);
    put<qint64>(out, h.generation);
    put<qint64>(out, h.count);
    put<quint64>(out, h.payloadBytes);
    return out;
}

ParseResult parseHeader(const uchar* data, size_t size, Header* h, size_t* headerBytes)
{
    if (size < sizeof kMagic)
        return ParseResult::Truncated;
    if (std::memcmp(data, kMagic, sizeof kMagic) != 0)
        return ParseResult::BadMagic;
    Cursor c{data + sizeof kMagic, size - sizeof kMagic};
    quint32 kind = 0, idSize = 0;
    if (!c.get(&h->version) || !c.get(&kind) || !c.get(&idSize) || c.left < idSize)
        return ParseResult::Truncated;
    h->kind = static_cast<Kind>(kind);
    h->modelId = QByteArray(reinterpret_cast<const char*>(c.p), int(idSize));
    c.p += idSize;
    c.left -= idSize;
    if (!c.get(&h->dimension) || !c.get(&h->generation) || !c.get(&h->count)
        || !c.get(&h->payloadBytes))
        return ParseResult::Truncated;
    *headerBytes = size - c.left;
    return ParseResult::Ok;
}

void Hash64::block(const uchar* p)
{
    for (int i = 0; i < 4; ++i) {
        const quint64 w = qFromLittleEndian<quint64>(p + 8 * i);
        lane_[i] = rotl(lane_[i] ^ (w * kP1), 31) * kP2;
    }
}

void Hash64::update(const void* data, size_t size)
{
    // FAISS writes empty vectors as (data() == nullptr, 0 bytes); memcpy
    // from a null pointer is undefined even for 0 bytes.
    if (size == 0)
        return;
    auto p = static_cast<const uchar*>(data);
    length_ += size;
    if (tailSize_ > 0) {
        const size_t take = std::min(size, sizeof tail_ - tailSize_);
        std::memcpy(tail_ + tailSize_, p, take);
        tailSize_ += take;
        p += take;
        size -= take;
        if (tailSize_ < sizeof tail_)
            return;
        block(tail_);
        tailSize_ = 0;
    }
    for (; size >= sizeof tail_; p += sizeof tail_, size -= sizeof tail_)
        block(p);
    std::memcpy(tail_, p, size);
    tailSize_ = size;
}

quint64 Hash64::value() const
{
    quint64 h = lane_[0];
    for (int i = 1; i < 4; ++i)
        h = (h * kP1) ^ lane_[i];
    for (size_t i = 0; i < tailSize_; ++i)
        h = rotl(h ^ (tail_[i] * kP1), 27) * kP2;
    h ^= length_;
    h ^= h >> 33;
    h *= kP2;
    h ^= h >> 29;
    return h;
}

} // namespace photosearch::vectorfile
