#pragma once
// The one exception of image decoding. Kept in its own Qt-free header so that
// code catching it (the indexer, the CLI, the UI) needs neither the decoder
// nor LibTorch. Thread rule: none (a value type).

#include <stdexcept>

namespace photosearch {

// A file that cannot be turned into pixels. The message is one sentence
// naming the file; callers show it to the user as is.
class ImageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace photosearch
