#pragma once
#include <stdexcept>
#include <string>

namespace clip {

// Bad input: a model file that is missing, malformed or does not match its
// config. The message is one sentence naming the file (and tensor) involved;
// callers show it to the user as is. Broken internal invariants are asserts,
// never this exception.
class ModelError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace clip
