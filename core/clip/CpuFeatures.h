#pragma once
// What the CPU this process runs on can do, as it reports at run time (CPUID
// and the registers the operating system saves), never what the build
// machine had: the same binary runs on CPUs with and without bf16 units.

namespace clip {

struct CpuFeatures {
    bool avx512 = false;     // AVX-512 F/BW/VL with the OS saving its registers
    bool avx512Bf16 = false; // AVX512_BF16 (Cooper Lake, Zen 4 and later)
    bool amxBf16 = false;    // AMX tiles with bf16 (Sapphire Rapids and later)

    // Matrix products in bf16 run in hardware: about 2.4× fp32 on Linear
    // layers measured on an AVX512_BF16 EPYC (docs/BENCHMARKS.md). Without
    // it LibTorch emulates bf16 and is slower than fp32.
    bool fastBf16() const { return avx512Bf16 || amxBf16; }
};

// Read once per process. PHOTOSEARCH_CPU_BF16=0 hides the bf16 units, for
// tests and for comparing precisions on one machine.
const CpuFeatures& cpuFeatures();

} // namespace clip
