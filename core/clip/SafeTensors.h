#pragma once
// Reader for the safetensors format: an 8-byte little-endian header length, a
// JSON header {name: {dtype, shape, data_offsets}}, then raw tensor bytes.
// The file is memory-mapped; every offset and size is checked against the
// file before anything is read, so a malformed file gives a ModelError and
// never a crash.

#include <torch/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace clip {

struct TensorInfo {
    std::string dtype;          // as written in the header, e.g. "F32"
    std::vector<int64_t> shape;
    uint64_t begin = 0;         // byte offsets into the data section
    uint64_t end = 0;
};

class SafeTensorsFile {
public:
    explicit SafeTensorsFile(const std::string& path);
    ~SafeTensorsFile();
    SafeTensorsFile(const SafeTensorsFile&) = delete;
    SafeTensorsFile& operator=(const SafeTensorsFile&) = delete;

    const std::string& path() const { return path_; }
    bool contains(const std::string& name) const { return tensors_.count(name) != 0; }
    const std::map<std::string, TensorInfo>& tensors() const { return tensors_; }

    // Copies the tensor into a new CPU tensor of type `as`. The stored dtype
    // must be F32, F16 or BF16 and, when `expectedShape` is non-empty, the
    // shape must equal it; otherwise ModelError names the file and tensor.
    torch::Tensor load(const std::string& name, const std::vector<int64_t>& expectedShape,
                       torch::ScalarType as = torch::kFloat32) const;
    // Where a tensor's bytes lie in the mapping (checked against the file by
    // the constructor); valid while this reader lives.
    const uint8_t* data(const TensorInfo& info) const { return map_ + dataStart_ + info.begin; }

private:
    void parseHeader();

    std::string path_;
    const uint8_t* map_ = nullptr;
    uint64_t fileSize_ = 0;
    uint64_t dataStart_ = 0;
    std::map<std::string, TensorInfo> tensors_;
#ifdef _WIN32
    std::vector<uint8_t> buffer_;
#endif
};

std::string shapeToString(const std::vector<int64_t>& shape);

} // namespace clip
