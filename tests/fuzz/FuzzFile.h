#pragma once
// The fuzz input as a file path, for readers that take paths (safetensors
// maps its file, the tokenizer and preprocessor read theirs): an anonymous
// in-memory file (memfd) reached through /proc/self/fd, so that no disk is
// touched and nothing is left behind. Fuzz targets only.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

class FuzzFile {
public:
    FuzzFile(const uint8_t* data, size_t size)
        : fd_(memfd_create("fuzz", MFD_CLOEXEC))
    {
        size_t done = 0;
        while (fd_ >= 0 && done < size) {
            const ssize_t n = ::write(fd_, data + done, size - done);
            if (n <= 0)
                break;
            done += size_t(n);
        }
    }
    ~FuzzFile()
    {
        if (fd_ >= 0)
            ::close(fd_);
    }
    FuzzFile(const FuzzFile&) = delete;
    FuzzFile& operator=(const FuzzFile&) = delete;
    std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

private:
    int fd_;
};
