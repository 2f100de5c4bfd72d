#include "Resample.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace photosearch {
namespace {

double bicubic(double x)
{
    constexpr double a = -0.5;
    x = std::abs(x);
    if (x < 1.0)
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    if (x < 2.0)
        return (((x - 5) * x + 8) * x - 4) * a;
    return 0.0;
}

// Pillow's precompute_coeffs for one axis; the expressions keep its
// operation order so that the doubles round the same way.
class Axis {
public:
    Axis(int inSize, int outSize)
        : inSize_(inSize)
        , scale_(double(inSize) / outSize)
        , filterScale_(std::max(scale_, 1.0))
        , support_(2.0 * filterScale_)
        , ksize_(int(std::ceil(support_)) * 2 + 1)
    {
    }

    int ksize() const { return ksize_; }

    // Fills k[0, count) with the normalised weights of output i, inputs
    // [start, start + count); returns count.
    int weights(int i, double* k, int& start) const
    {
        const double center = (i + 0.5) * scale_;
        const double ss = 1.0 / filterScale_;
        start = std::max(int(center - support_ + 0.5), 0);
        // ATen's clamp: rounding can make one more input than ksize.
        const int count = std::clamp(std::min(int(center + support_ + 0.5), inSize_) - start, 0, ksize_);
        double sum = 0.0;
        for (int x = 0; x < count; ++x) {
            k[x] = bicubic((x + start - center + 0.5) * ss);
            sum += k[x];
        }
        if (sum != 0.0)
            for (int x = 0; x < count; ++x)
                k[x] /= sum;
        return count;
    }

private:
    int inSize_;
    double scale_, filterScale_, support_;
    int ksize_;
};

// Fixed-point taps of outputs [first, first + count) of an axis.
struct Taps {
    int ksize = 0;
    int precision = 0;
    std::vector<int> start; // first input of each output
    std::vector<int> size;  // number of inputs of each output
    std::vector<int32_t> weights;

    const int32_t* of(int i) const { return weights.data() + size_t(i) * size_t(ksize); }
};

Taps bicubicTaps(int inSize, int outSize, int first, int count)
{
    const Axis axis(inSize, outSize);
    Taps taps;
    taps.ksize = axis.ksize();
    std::vector<double> k(size_t(taps.ksize));

    // The reference (transformers' CLIPImageProcessor on torchvision, i.e.
    // ATen's uint8 antialiased bicubic, a port of Pillow-SIMD) differs from
    // Pillow only here: instead of a fixed 22 bits, the precision is the
    // largest that keeps the axis's largest weight within int16. It depends
    // on every output, not only the ones computed.
    double largest = 0.0;
    for (int i = 0, start = 0; i < outSize; ++i) {
        const int n = axis.weights(i, k.data(), start);
        largest = std::max(largest, *std::max_element(k.begin(), k.begin() + n));
    }
    while (taps.precision < 22 && int(0.5 + largest * (1 << (taps.precision + 1))) < (1 << 15))
        ++taps.precision;

    taps.start.resize(size_t(count));
    taps.size.resize(size_t(count));
    taps.weights.assign(size_t(count) * size_t(taps.ksize), 0);
    for (int i = 0; i < count; ++i) {
        const int n = axis.weights(first + i, k.data(), taps.start[size_t(i)]);
        taps.size[size_t(i)] = n;
        int32_t* w = taps.weights.data() + size_t(i) * size_t(taps.ksize);
        for (int x = 0; x < n; ++x) {
            const double v = k[size_t(x)] * (1 << taps.precision);
            w[x] = int32_t(v < 0 ? -0.5 + v : 0.5 + v);
        }
    }
    return taps;
}

uint8_t clip8(int32_t sum, int precision)
{
    return uint8_t(std::clamp(sum >> precision, 0, 255));
}

} // namespace

QImage resizeBicubic(const QImage& image, QSize size, QRect window)
{
    Q_ASSERT(image.format() == QImage::Format_RGB888);
    Q_ASSERT(QRect(QPoint(), size).contains(window));

    const bool vertical = size.height() != image.height();
    Taps rowTaps;
    int rowFirst = window.top(); // input rows the vertical pass reads
    int rowCount = window.height();
    if (vertical) {
        rowTaps = bicubicTaps(image.height(), size.height(), window.top(), window.height());
        rowFirst = rowTaps.start.front();
        rowCount = rowTaps.start.back() + rowTaps.size.back() - rowFirst;
    }

    QImage rows;
    if (size.width() != image.width()) {
        const Taps taps = bicubicTaps(image.width(), size.width(), window.left(), window.width());
        const int32_t half = 1 << (taps.precision - 1);
        rows = QImage(window.width(), rowCount, QImage::Format_RGB888);
        for (int y = 0; y < rowCount; ++y) {
            const uchar* in = image.constScanLine(rowFirst + y);
            uchar* out = rows.scanLine(y);
            for (int x = 0; x < window.width(); ++x) {
                const int32_t* w = taps.of(x);
                const uchar* p = in + 3 * taps.start[size_t(x)];
                int32_t r = half, g = half, b = half;
                for (int i = 0; i < taps.size[size_t(x)]; ++i, p += 3) {
                    r += p[0] * w[i];
                    g += p[1] * w[i];
                    b += p[2] * w[i];
                }
                out[3 * x] = clip8(r, taps.precision);
                out[3 * x + 1] = clip8(g, taps.precision);
                out[3 * x + 2] = clip8(b, taps.precision);
            }
        }
    } else {
        rows = image.copy(window.left(), rowFirst, window.width(), rowCount);
    }
    if (!vertical)
        return rows;

    QImage out(window.size(), QImage::Format_RGB888);
    const int bytes = 3 * window.width();
    std::vector<int32_t> sums(static_cast<size_t>(bytes));
    for (int y = 0; y < window.height(); ++y) {
        const int32_t* w = rowTaps.of(y);
        std::fill(sums.begin(), sums.end(), 1 << (rowTaps.precision - 1));
        for (int i = 0; i < rowTaps.size[size_t(y)]; ++i) {
            const uchar* in = rows.constScanLine(rowTaps.start[size_t(y)] - rowFirst + i);
            for (int x = 0; x < bytes; ++x)
                sums[size_t(x)] += in[x] * w[i];
        }
        uchar* o = out.scanLine(y);
        for (int x = 0; x < bytes; ++x)
            o[x] = clip8(sums[size_t(x)], rowTaps.precision);
    }
    return out;
}

} // namespace photosearch
