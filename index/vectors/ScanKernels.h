#pragma once
// The inner loops of the compact index's search: inner products of a float
// query with float rows (IVF centroids) and with 8-bit codes (the stored
// vectors). Debian's FAISS is built for baseline x86-64 and scans one float
// at a time; these use AVX2+FMA when the CPU has them (checked once at run
// time) and plain loops otherwise.

#include <cstddef>
#include <cstdint>

namespace photosearch::kernels {

// Sum of a[i] * b[i], i < d.
float dot(const float* a, const float* b, size_t d);

// Sum of w[i] * code[i], i < d (the codes read as 0..255).
float dotCodes(const float* w, const uint8_t* code, size_t d);

// The same with integer weights (a query scaled to 16 bits): exact integer
// arithmetic, twice the codes per instruction of the float version. No
// overflow while d * 255 * max|w| < 2^31 (CompactSearch scales to that).
int32_t dotCodes16(const int16_t* w, const uint8_t* code, size_t d);

} // namespace photosearch::kernels
