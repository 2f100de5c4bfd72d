#pragma once
// Photo-like scenes for the near-duplicate tests: a sky-to-ground gradient,
// a horizon, shaded shapes and sensor noise, with the layout and the colours
// drawn from separate seeds. So a test can make the same composition in other
// colours, the same scene with one shape moved (a burst shot), and the usual
// derived copies of one photo (resized, re-compressed, cropped, brighter).
//
// Deterministic (fixed generators, QPainter raster engine): the same
// arguments give the same pixels. Any thread (QImage painting only).

#include <QImage>
#include <QtGlobal>

namespace photosearch::testimages {

struct SceneSpec {
    quint32 layout = 0;  // shapes, their places and sizes, the horizon
    quint32 colours = 0; // every colour
    // Moves the last (frontmost) shape right by this fraction of the width.
    double shiftLastShape = 0;
};

QImage renderScene(int width, int height, const SceneSpec& spec);

// Derived copies of one photo.
QImage resizedCopy(const QImage& image, double factor);         // smooth scaling
QImage recompressedCopy(const QImage& image, int jpegQuality);  // through JPEG in memory
QImage croppedCopy(const QImage& image, double fractionPerSide); // cut from every side
QImage brightenedCopy(const QImage& image, int delta);          // added to R, G and B, clamped

} // namespace photosearch::testimages
