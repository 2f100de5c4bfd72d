// DCT pHash; the contract and the measured distances are in the header.

#include "PerceptualHash.h"

#include <QtGlobal>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace photosearch {
namespace {

constexpr int kCells = 32; // side of the downscaled picture
constexpr int kLow = 8;    // side of the low-frequency block kept

using Grid = std::array<double, kCells * kCells>;

// One cell's share of each source pixel along one axis, in 1/kCells pixel
// units: cell i covers [i*n, (i+1)*n), source pixel x covers
// [x*kCells, (x+1)*kCells). Integers, so the shares are exact.
struct Share {
    int source;
    int cell;
    qint64 weight;
};

std::vector<Share> axisShares(int n)
{
    std::vector<Share> shares;
    shares.reserve(size_t(n) + kCells);
    for (int x = 0; x < n; ++x) {
        const qint64 lo = qint64(x) * kCells;
        const qint64 hi = lo + kCells;
        for (int cell = int(lo / n); cell < kCells && qint64(cell) * n < hi; ++cell) {
            const qint64 overlap = std::min(hi, qint64(cell + 1) * n) - std::max(lo, qint64(cell) * n);
            if (overlap > 0)
                shares.push_back({x, cell, overlap});
        }
    }
    return shares;
}

// Area-averaged luma on a kCells × kCells grid.
Grid downscaleGrey(const QImage& source)
{
    const QImage image = source.format() == QImage::Format_RGB888 ? source
                                                                   : source.convertToFormat(QImage::Format_RGB888);
    const int w = image.width();
    const int h = image.height();
    const std::vector<Share> columns = axisShares(w);
    const std::vector<Share> rows = axisShares(h);

    Grid grid{};
    std::array<double, kCells> line{};
    size_t r = 0;
    for (int y = 0; y < h; ++y) {
        line.fill(0);
        const uchar* px = image.constScanLine(y);
        for (const Share& c : columns) {
            const uchar* p = px + 3 * c.source;
            line[size_t(c.cell)] += double(c.weight) * (0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]);
        }
        for (; r < rows.size() && rows[r].source == y; ++r) {
            double* out = &grid[size_t(rows[r].cell) * kCells];
            for (int i = 0; i < kCells; ++i)
                out[i] += double(rows[r].weight) * line[size_t(i)];
        }
    }
    // Each cell gathered w*h (in 1/kCells² units) of weight.
    const double scale = 1.0 / (double(w) * double(h));
    for (double& v : grid)
        v *= scale;
    return grid;
}

// Orthonormal DCT-II basis, only the kLow lowest frequencies.
const std::array<double, kLow * kCells>& dctBasis()
{
    static const std::array<double, kLow * kCells> basis = [] {
        std::array<double, kLow * kCells> b{};
        for (int u = 0; u < kLow; ++u) {
            const double alpha = std::sqrt((u == 0 ? 1.0 : 2.0) / kCells);
            for (int x = 0; x < kCells; ++x)
                b[size_t(u * kCells + x)] = alpha * std::cos(M_PI * (2 * x + 1) * u / (2.0 * kCells));
        }
        return b;
    }();
    return basis;
}

// Coefficient (u, v) at [v * kLow + u].
std::array<double, kLow * kLow> lowFrequencies(const Grid& grid)
{
    const auto& basis = dctBasis();
    std::array<double, kCells * kLow> rows{}; // [y][u]
    for (int y = 0; y < kCells; ++y)
        for (int u = 0; u < kLow; ++u) {
            double sum = 0;
            for (int x = 0; x < kCells; ++x)
                sum += basis[size_t(u * kCells + x)] * grid[size_t(y * kCells + x)];
            rows[size_t(y * kLow + u)] = sum;
        }
    std::array<double, kLow * kLow> out{};
    for (int v = 0; v < kLow; ++v)
        for (int u = 0; u < kLow; ++u) {
            double sum = 0;
            for (int y = 0; y < kCells; ++y)
                sum += basis[size_t(v * kCells + y)] * rows[size_t(y * kLow + u)];
            out[size_t(v * kLow + u)] = sum;
        }
    return out;
}

} // namespace

quint64 perceptualHash(const QImage& image)
{
    if (image.isNull() || image.width() <= 0 || image.height() <= 0)
        return 0;
    const std::array<double, kLow * kLow> f = lowFrequencies(downscaleGrey(image));
    // The DC term is the mean brightness: left out, so that brightness does
    // not move the median.
    std::vector<double> ac(f.begin() + 1, f.end());
    std::nth_element(ac.begin(), ac.begin() + ac.size() / 2, ac.end());
    const double median = ac[ac.size() / 2];
    quint64 hash = 0;
    for (size_t k = 1; k < f.size(); ++k)
        if (f[k] > median)
            hash |= quint64(1) << k;
    return hash;
}

int hammingDistance(quint64 a, quint64 b)
{
    return qPopulationCount(a ^ b);
}

} // namespace photosearch
