#pragma once
// Pillow's bicubic resampling (libImaging/Resample.c: a = -0.5 kernel
// stretched by the downscale factor, separable, horizontal pass first into an
// 8-bit intermediate, fixed-point weights) with the fixed-point precision of
// ATen's uint8 antialiased bicubic, which is what transformers'
// CLIPImageProcessor runs through torchvision. That reproduces its pixels bit
// for bit; Pillow's own fixed 22 bits differ by one level on ~0.1% of values.

#include <QImage>
#include <QRect>
#include <QSize>

namespace photosearch {

// Resizes `image` (Format_RGB888) to `size` and returns the part `window` of
// the result (which must lie inside it) as Format_RGB888; only that part is
// computed. An axis whose size does not change is copied, as both do.
QImage resizeBicubic(const QImage& image, QSize size, QRect window);

} // namespace photosearch
