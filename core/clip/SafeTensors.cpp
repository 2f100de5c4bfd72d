#include "SafeTensors.h"

#include "Json.h"
#include "ModelError.h"

#include <cstring>
#include <fstream>
#include <limits>

#ifndef _WIN32
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace clip {

namespace {

// Element sizes of every dtype the format defines; a dtype outside this table
// makes the file malformed. Only the floating types can be loaded.
int64_t elementSize(const std::string& dtype)
{
    static const std::map<std::string, int64_t> sizes = {
        {"BOOL", 1}, {"U8", 1}, {"I8", 1}, {"F8_E4M3", 1}, {"F8_E5M2", 1},
        {"I16", 2}, {"U16", 2}, {"F16", 2}, {"BF16", 2},
        {"I32", 4}, {"U32", 4}, {"F32", 4},
        {"I64", 8}, {"U64", 8}, {"F64", 8},
    };
    auto it = sizes.find(dtype);
    return it == sizes.end() ? 0 : it->second;
}

constexpr uint64_t kMaxHeaderBytes = 100u << 20;

} // namespace

std::string shapeToString(const std::vector<int64_t>& shape)
{
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i)
            s += ", ";
        s += std::to_string(shape[i]);
    }
    return s + "]";
}

SafeTensorsFile::SafeTensorsFile(const std::string& path)
    : path_(path)
{
#ifdef _WIN32
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ModelError("Cannot open model weights " + path + ".");
    buffer_.assign(std::istreambuf_iterator<char>(in), {});
    map_ = buffer_.data();
    fileSize_ = buffer_.size();
#else
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw ModelError("Cannot open model weights " + path + ": " + std::strerror(errno) + ".");
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw ModelError("Model weights " + path + " are not a regular file.");
    }
    fileSize_ = uint64_t(st.st_size);
    if (fileSize_ > 0) {
        void* m = ::mmap(nullptr, fileSize_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) {
            ::close(fd);
            throw ModelError("Cannot map model weights " + path + ": " + std::strerror(errno) + ".");
        }
        map_ = static_cast<const uint8_t*>(m);
    }
    ::close(fd);
#endif
    try {
        parseHeader();
    } catch (...) {
#ifndef _WIN32
        if (map_)
            ::munmap(const_cast<uint8_t*>(map_), fileSize_);
#endif
        throw;
    }
}

SafeTensorsFile::~SafeTensorsFile()
{
#ifndef _WIN32
    if (map_)
        ::munmap(const_cast<uint8_t*>(map_), fileSize_);
#endif
}

void SafeTensorsFile::parseHeader()
{
    const std::string where = "Model weights " + path_;
    if (fileSize_ < 8)
        throw ModelError(where + " are truncated: the file has " + std::to_string(fileSize_)
                         + " bytes, fewer than the 8-byte header length.");
    uint64_t headerLen = 0;
    for (int i = 7; i >= 0; --i)
        headerLen = (headerLen << 8) | map_[i];
    if (headerLen > fileSize_ - 8)
        throw ModelError(where + " are truncated or not safetensors: the header claims "
                         + std::to_string(headerLen) + " bytes but the file has only "
                         + std::to_string(fileSize_ - 8) + " after the length field.");
    if (headerLen > kMaxHeaderBytes)
        throw ModelError(where + " have an implausibly large header (" + std::to_string(headerLen) + " bytes).");
    dataStart_ = 8 + headerLen;
    const uint64_t dataSize = fileSize_ - dataStart_;

    Json header;
    try {
        header = Json::parse(std::string_view(reinterpret_cast<const char*>(map_ + 8), headerLen));
    } catch (const JsonError& e) {
        throw ModelError(where + " have a malformed header (" + e.what() + ").");
    }
    if (!header.isObject())
        throw ModelError(where + " have a malformed header (not a JSON object).");

    for (const auto& [name, entry] : header.asObject()) {
        if (name == "__metadata__")
            continue;
        const std::string tensorWhere = where + ", tensor '" + name + "'";
        try {
            TensorInfo info;
            info.dtype = entry.stringOr("dtype", "");
            const int64_t esize = elementSize(info.dtype);
            if (esize == 0)
                throw ModelError(tensorWhere + " has unknown dtype '" + info.dtype + "'.");
            const Json* shape = entry.find("shape");
            const Json* offsets = entry.find("data_offsets");
            if (!shape || !shape->isArray() || !offsets || !offsets->isArray() || offsets->asArray().size() != 2)
                throw ModelError(tensorWhere + " lacks a valid shape or data_offsets.");
            uint64_t numel = 1;
            for (const Json& d : shape->asArray()) {
                const int64_t n = d.asInt();
                if (n < 0)
                    throw ModelError(tensorWhere + " has a negative dimension.");
                if (n != 0 && numel > std::numeric_limits<uint64_t>::max() / uint64_t(n) / 8)
                    throw ModelError(tensorWhere + " has an impossibly large shape.");
                numel *= uint64_t(n);
                info.shape.push_back(n);
            }
            const int64_t b = offsets->asArray()[0].asInt();
            const int64_t e = offsets->asArray()[1].asInt();
            if (b < 0 || e < b || uint64_t(e) > dataSize)
                throw ModelError(tensorWhere + " has data offsets [" + std::to_string(b) + ", " + std::to_string(e)
                                 + "] outside the " + std::to_string(dataSize) + "-byte data section (truncated file?).");
            info.begin = uint64_t(b);
            info.end = uint64_t(e);
            if (info.end - info.begin != numel * uint64_t(esize))
                throw ModelError(tensorWhere + " has " + std::to_string(info.end - info.begin) + " bytes, but shape "
                                 + shapeToString(info.shape) + " of " + info.dtype + " needs "
                                 + std::to_string(numel * uint64_t(esize)) + ".");
            tensors_.emplace(name, std::move(info));
        } catch (const JsonError& je) {
            throw ModelError(tensorWhere + " has a malformed header entry (" + je.what() + ").");
        }
    }
}

torch::Tensor SafeTensorsFile::load(const std::string& name, const std::vector<int64_t>& expectedShape,
                                    torch::ScalarType as) const
{
    auto it = tensors_.find(name);
    if (it == tensors_.end())
        throw ModelError("Model weights " + path_ + " lack tensor '" + name + "'.");
    const TensorInfo& info = it->second;
    if (!expectedShape.empty() && info.shape != expectedShape)
        throw ModelError("Model weights " + path_ + ", tensor '" + name + "' has shape " + shapeToString(info.shape)
                         + " but the model config needs " + shapeToString(expectedShape) + ".");
    torch::ScalarType stored;
    if (info.dtype == "F32")
        stored = torch::kFloat32;
    else if (info.dtype == "F16")
        stored = torch::kFloat16;
    else if (info.dtype == "BF16")
        stored = torch::kBFloat16;
    else
        throw ModelError("Model weights " + path_ + ", tensor '" + name + "' has dtype " + info.dtype
                         + "; only F32, F16 and BF16 weights are supported.");
    // Copy instead of wrapping the mapping: tensor data in the file need not be
    // aligned, and the model must outlive this reader.
    torch::Tensor t = torch::empty(info.shape, torch::TensorOptions().dtype(stored));
    if (info.end > info.begin)
        std::memcpy(t.data_ptr(), map_ + dataStart_ + info.begin, info.end - info.begin);
    return stored == as ? t : t.to(as);
}

} // namespace clip
