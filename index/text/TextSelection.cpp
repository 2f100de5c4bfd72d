#include "TextSelection.h"

#include <algorithm>
#include <vector>

namespace photosearch {

namespace {

constexpr int kCell = 16;
// Max - min grey level inside a cell for strokes to count (printed text on
// paper or a screen is 100+; soft shading and sky stay well under).
constexpr int kMinContrast = 70;
// Mid-level crossings per row (and per column) of a 16-px cell: letters at
// the sizes that still read give 2..6; a flat edge gives ~1; noise 8+.
constexpr double kMinCrossings = 1.6;
constexpr double kMaxCrossings = 7.0;
// Share of text-like cells that counts as "text here" (likelihood 1): about
// one line of text across a photo at this copy's size.
constexpr double kFullShare = 0.03;
// Share of a cell's pixels near its darkest or lightest level: ink on paper
// or on a sign is two-toned; gravel, leaves and shaded shapes are not.
constexpr double kMinTwoToned = 0.6;

struct Cell {
    int min = 255;
    int max = 0;
};

// Crossings of `mid` along one run of pixels (a row or a column of a cell).
int crossings(const uchar* p, int count, int step, int mid)
{
    int n = 0;
    bool above = p[0] > mid;
    for (int i = 1; i < count; ++i) {
        const bool now = p[i * step] > mid;
        n += now != above;
        above = now;
    }
    return n;
}

bool textLikeCell(const QImage& grey, int x0, int y0)
{
    Cell c;
    for (int y = y0; y < y0 + kCell; ++y) {
        const uchar* row = grey.constScanLine(y) + x0;
        for (int x = 0; x < kCell; ++x) {
            c.min = std::min(c.min, int(row[x]));
            c.max = std::max(c.max, int(row[x]));
        }
    }
    if (c.max - c.min < kMinContrast)
        return false;
    const int mid = (c.min + c.max) / 2;
    const int margin = (c.max - c.min) / 4;
    int extreme = 0;
    for (int y = y0; y < y0 + kCell; ++y) {
        const uchar* row = grey.constScanLine(y) + x0;
        for (int x = 0; x < kCell; ++x)
            extreme += row[x] <= c.min + margin || row[x] >= c.max - margin;
    }
    if (extreme < kMinTwoToned * kCell * kCell)
        return false;
    const int stride = int(grey.bytesPerLine());
    int horizontal = 0, vertical = 0;
    for (int i = 0; i < kCell; ++i) {
        horizontal += crossings(grey.constScanLine(y0 + i) + x0, kCell, 1, mid);
        vertical += crossings(grey.constScanLine(y0) + x0 + i, kCell, stride, mid);
    }
    const double h = double(horizontal) / kCell, v = double(vertical) / kCell;
    return h >= kMinCrossings && h <= kMaxCrossings && v >= kMinCrossings * 0.5 && v <= kMaxCrossings;
}

// The share of text-like cells in `grey` scaled to `side`, as a likelihood.
float likelihoodAt(const QImage& grey, int side)
{
    const QImage copy = grey.scaled(side, side, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    const int cellsX = copy.width() / kCell, cellsY = copy.height() / kCell;
    if (cellsX == 0 || cellsY == 0)
        return 0;
    int textCells = 0;
    for (int cy = 0; cy < cellsY; ++cy)
        for (int cx = 0; cx < cellsX; ++cx)
            textCells += textLikeCell(copy, cx * kCell, cy * kCell);
    const double share = double(textCells) / double(cellsX * cellsY);
    return float(std::min(1.0, share / kFullShare));
}

} // namespace

float textLikelihood(const QImage& image)
{
    if (image.isNull())
        return 0;
    const QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
    // Two scales: small print at the larger copy, a sign's big letters at
    // the smaller (there they have the stroke size of small print).
    return std::max(likelihoodAt(grey, kTextSignalSide), likelihoodAt(grey, kTextSignalSide / 2));
}

} // namespace photosearch
