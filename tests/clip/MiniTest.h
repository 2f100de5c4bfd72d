#pragma once
// A minimal test harness for the CLIP library's own tests. That library must
// build and be tested where Qt is absent (a CUDA machine with only LibTorch),
// so these tests cannot use Qt Test; everything above the CLIP library uses
// Qt Test. Exit code 77 means "skipped" (CTest SKIP_RETURN_CODE).

#include <cmath>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace minitest {

struct Failure {
    std::string message;
};
struct Skip {
    std::string reason;
};

inline std::vector<std::pair<std::string, std::function<void()>>>& registry()
{
    static std::vector<std::pair<std::string, std::function<void()>>> tests;
    return tests;
}

struct Registrar {
    Registrar(const char* name, std::function<void()> fn) { registry().emplace_back(name, std::move(fn)); }
};

inline int runAll(int argc, char** argv)
{
    const std::string filter = argc > 1 ? argv[1] : "";
    int failed = 0, passed = 0, skipped = 0;
    for (auto& [name, fn] : registry()) {
        if (!filter.empty() && name.find(filter) == std::string::npos)
            continue;
        try {
            fn();
            ++passed;
            std::cout << "PASS   " << name << "\n";
        } catch (const Skip& s) {
            ++skipped;
            std::cout << "SKIP   " << name << ": " << s.reason << "\n";
        } catch (const Failure& f) {
            ++failed;
            std::cout << "FAIL!  " << name << ": " << f.message << "\n";
        } catch (const std::exception& e) {
            ++failed;
            std::cout << "FAIL!  " << name << ": unexpected exception: " << e.what() << "\n";
        }
    }
    std::cout << "Totals: " << passed << " passed, " << failed << " failed, " << skipped << " skipped\n";
    if (failed)
        return 1;
    return passed == 0 && skipped > 0 ? 77 : 0;
}

} // namespace minitest

#define MT_CAT2(a, b) a##b
#define MT_CAT(a, b) MT_CAT2(a, b)
#define TEST_CASE(name)                                                                   \
    static void MT_CAT(test_, name)();                                                    \
    static minitest::Registrar MT_CAT(registrar_, name)(#name, &MT_CAT(test_, name));     \
    static void MT_CAT(test_, name)()

#define VERIFY(cond)                                                                       \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            std::ostringstream os_;                                                       \
            os_ << __FILE__ << ":" << __LINE__ << ": VERIFY(" #cond ") failed";             \
            throw minitest::Failure{os_.str()};                                           \
        }                                                                                 \
    } while (0)

#define VERIFY_MSG(cond, msg)                                                              \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            std::ostringstream os_;                                                       \
            os_ << __FILE__ << ":" << __LINE__ << ": " << msg;                             \
            throw minitest::Failure{os_.str()};                                           \
        }                                                                                 \
    } while (0)

#define VERIFY_EQ(a, b) VERIFY_MSG((a) == (b), #a " == " #b " failed: " << (a) << " vs " << (b))

// Runs `stmt`, which must throw ExcType whose what() contains `needle`.
#define VERIFY_THROWS(ExcType, stmt, needle)                                               \
    do {                                                                                  \
        bool thrown_ = false;                                                             \
        try {                                                                             \
            stmt;                                                                         \
        } catch (const ExcType& e_) {                                                     \
            thrown_ = true;                                                               \
            const std::string w_ = e_.what();                                             \
            VERIFY_MSG(w_.find(needle) != std::string::npos,                               \
                      "message '" << w_ << "' lacks '" << needle << "'");                 \
        }                                                                                 \
        VERIFY_MSG(thrown_, #stmt " did not throw " #ExcType);                             \
    } while (0)

#define SKIP(reason) throw minitest::Skip{reason}

#define MINITEST_MAIN                                                                     \
    int main(int argc, char** argv) { return minitest::runAll(argc, argv); }
