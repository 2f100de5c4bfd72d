#include "CpuFeatures.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define PHOTOSEARCH_X86 1
#endif

namespace clip {
namespace {

#ifdef PHOTOSEARCH_X86
uint64_t xgetbv0()
{
    uint32_t eax = 0, edx = 0;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return (uint64_t(edx) << 32) | eax;
}

CpuFeatures probe()
{
    CpuFeatures f;
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) // OSXSAVE: XGETBV usable
        return f;
    const uint64_t xcr0 = xgetbv0();
    // XMM, YMM, opmask and both halves of ZMM state saved by the OS.
    const bool osAvx512 = (xcr0 & 0xE6) == 0xE6;
    // XTILECFG and XTILEDATA: Linux also wants a per-process permission
    // request, which oneDNN makes itself before it uses the tiles.
    const bool osAmx = (xcr0 & (3ull << 17)) == (3ull << 17);
    if (__get_cpuid_max(0, nullptr) < 7)
        return f;
    __cpuid_count(7, 0, a, b, c, d);
    const bool avx512f = b & (1u << 16), avx512bw = b & (1u << 30), avx512vl = b & (1u << 31);
    const bool amxBf16 = d & (1u << 22), amxTile = d & (1u << 24);
    f.avx512 = osAvx512 && avx512f && avx512bw && avx512vl;
    f.amxBf16 = osAmx && amxBf16 && amxTile;
    if (a >= 1) {
        __cpuid_count(7, 1, a, b, c, d);
        f.avx512Bf16 = f.avx512 && (a & (1u << 5));
    }
    return f;
}
#else
CpuFeatures probe()
{
    return {};
}
#endif

CpuFeatures detect()
{
    CpuFeatures f = probe();
    const char* hide = std::getenv("PHOTOSEARCH_CPU_BF16");
    if (hide && std::strcmp(hide, "0") == 0)
        f.avx512Bf16 = f.amxBf16 = false;
    return f;
}

} // namespace

const CpuFeatures& cpuFeatures()
{
    static const CpuFeatures features = detect();
    return features;
}

} // namespace clip
