#pragma once
// Which photos are worth OCR: a cheap signal from a small grey copy. Text is
// many small, high-contrast strokes packed along lines; a cell of the copy
// "looks like text" when its contrast is high and its rows and columns cross
// its mid-level often (stroke edges) but not as often as sensor noise does.
// The likelihood is the share of such cells, scaled so that one line of
// legible text in the frame already counts. bench_ocr measures what the
// threshold skips and misses on a mixed synthetic library.
//
// Thread rule: stateless; any thread.

#include <QImage>

namespace photosearch {

// Long side of the grey copy the signal is computed on.
constexpr int kTextSignalSide = 512;
// Photos whose likelihood is below this are skipped (stored as Skipped).
constexpr float kTextLikelihoodThreshold = 0.3f;

// 0..1; `image` at any size (it is scaled to kTextSignalSide first).
float textLikelihood(const QImage& image);

} // namespace photosearch
