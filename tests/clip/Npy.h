#pragma once
// Reads the float32 .npy arrays of the golden fixture (NumPy format v1/v2,
// little-endian '<f4', C order).

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace testsupport {

struct NpyArray {
    std::vector<int64_t> shape;
    std::vector<float> data;
};

inline NpyArray readNpyFloat32(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot open " + path);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
        throw std::runtime_error(path + " is not a .npy file");
    const int major = uint8_t(bytes[6]);
    size_t headerLen, offset;
    if (major == 1) {
        headerLen = uint8_t(bytes[8]) | (size_t(uint8_t(bytes[9])) << 8);
        offset = 10;
    } else {
        headerLen = uint8_t(bytes[8]) | (size_t(uint8_t(bytes[9])) << 8) | (size_t(uint8_t(bytes[10])) << 16)
                    | (size_t(uint8_t(bytes[11])) << 24);
        offset = 12;
    }
    const std::string header = bytes.substr(offset, headerLen);
    if (header.find("'<f4'") == std::string::npos || header.find("'fortran_order': False") == std::string::npos)
        throw std::runtime_error(path + ": only C-ordered <f4 arrays are supported");
    const size_t open = header.find('(', header.find("'shape'"));
    const size_t close = header.find(')', open);
    NpyArray a;
    std::stringstream dims(header.substr(open + 1, close - open - 1));
    std::string item;
    size_t count = 1;
    while (std::getline(dims, item, ',')) {
        if (item.find_first_not_of(' ') == std::string::npos)
            continue;
        a.shape.push_back(std::stoll(item));
        count *= size_t(a.shape.back());
    }
    const size_t dataStart = offset + headerLen;
    if (bytes.size() - dataStart != count * 4)
        throw std::runtime_error(path + ": size does not match shape");
    a.data.resize(count);
    std::memcpy(a.data.data(), bytes.data() + dataStart, count * 4);
    return a;
}

} // namespace testsupport
