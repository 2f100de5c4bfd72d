#pragma once
// Locates the copy of ../shared that CMake placed in the build tree. Tests
// that need it skip (not fail) when it was absent at configure time.

#include "MiniTest.h"

#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>

namespace testsupport {

inline bool pathExists(const std::string& path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

inline std::string tinyClipDir()
{
    const std::string dir = std::string(PHOTOSEARCH_TEST_SHARED_DIR) + "/fixtures/tiny-clip";
    if (!pathExists(dir + "/golden.json"))
        SKIP("needs ../shared/fixtures/tiny-clip (not present when CMake was configured)");
    return dir;
}

inline std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace testsupport
