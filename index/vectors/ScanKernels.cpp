#include "ScanKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define PHOTOSEARCH_X86 1
#endif

namespace photosearch::kernels {
namespace {

float dotPlain(const float* a, const float* b, size_t d)
{
    float s[4] = {0, 0, 0, 0}; // four chains: independent adds pipeline
    size_t i = 0;
    for (; i + 4 <= d; i += 4)
        for (size_t j = 0; j < 4; ++j)
            s[j] += a[i + j] * b[i + j];
    for (; i < d; ++i)
        s[0] += a[i] * b[i];
    return (s[0] + s[1]) + (s[2] + s[3]);
}

float dotCodesPlain(const float* w, const uint8_t* code, size_t d)
{
    float s[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= d; i += 4)
        for (size_t j = 0; j < 4; ++j)
            s[j] += w[i + j] * float(code[i + j]);
    for (; i < d; ++i)
        s[0] += w[i] * float(code[i]);
    return (s[0] + s[1]) + (s[2] + s[3]);
}

int32_t dotCodes16Plain(const int16_t* w, const uint8_t* code, size_t d)
{
    int32_t s = 0;
    for (size_t i = 0; i < d; ++i)
        s += int32_t(w[i]) * int32_t(code[i]);
    return s;
}

#ifdef PHOTOSEARCH_X86
__attribute__((target("avx2,fma"))) int32_t dotCodes16Avx2(const int16_t* w, const uint8_t* code, size_t d)
{
    __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();
    size_t i = 0;
    for (; i + 32 <= d; i += 32) {
        const __m256i c0 = _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(code + i)));
        const __m256i c1 = _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(code + i + 16)));
        s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(c0, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + i))));
        s1 = _mm256_add_epi32(s1, _mm256_madd_epi16(c1, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + i + 16))));
    }
    const __m256i s = _mm256_add_epi32(s0, s1);
    __m128i t = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
    t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 0x4E));
    t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 0xB1));
    int32_t sum = _mm_cvtsi128_si32(t);
    for (; i < d; ++i)
        sum += int32_t(w[i]) * int32_t(code[i]);
    return sum;
}

__attribute__((target("avx2,fma"))) float horizontalSum(__m256 v)
{
    const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 t = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(t, _mm_shuffle_ps(t, t, 1)));
}

__attribute__((target("avx2,fma"))) float dotAvx2(const float* a, const float* b, size_t d)
{
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= d; i += 16) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
    }
    float s = horizontalSum(_mm256_add_ps(s0, s1));
    for (; i < d; ++i)
        s += a[i] * b[i];
    return s;
}

__attribute__((target("avx2,fma"))) float dotCodesAvx2(const float* w, const uint8_t* code, size_t d)
{
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= d; i += 16) {
        const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(code + i));
        const __m256 lo = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(c));
        const __m256 hi = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(c, 8)));
        s0 = _mm256_fmadd_ps(lo, _mm256_loadu_ps(w + i), s0);
        s1 = _mm256_fmadd_ps(hi, _mm256_loadu_ps(w + i + 8), s1);
    }
    float s = horizontalSum(_mm256_add_ps(s0, s1));
    for (; i < d; ++i)
        s += w[i] * float(code[i]);
    return s;
}

bool haveAvx2()
{
    static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return yes;
}
#endif

} // namespace

float dot(const float* a, const float* b, size_t d)
{
#ifdef PHOTOSEARCH_X86
    if (haveAvx2())
        return dotAvx2(a, b, d);
#endif
    return dotPlain(a, b, d);
}

float dotCodes(const float* w, const uint8_t* code, size_t d)
{
#ifdef PHOTOSEARCH_X86
    if (haveAvx2())
        return dotCodesAvx2(w, code, d);
#endif
    return dotCodesPlain(w, code, d);
}

int32_t dotCodes16(const int16_t* w, const uint8_t* code, size_t d)
{
#ifdef PHOTOSEARCH_X86
    if (haveAvx2())
        return dotCodes16Avx2(w, code, d);
#endif
    return dotCodes16Plain(w, code, d);
}

} // namespace photosearch::kernels
