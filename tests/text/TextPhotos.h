#pragma once
// Photos with text in them, rendered for the OCR suites and bench_ocr:
// a receipt on a table, a sign in a scene, a screenshot, a page of text,
// each at an angle, blurred and through JPEG as a phone photo would be. The
// text is drawn with the DejaVu fonts (installed with Qt on Debian).
//
// Deterministic for the same spec (QPainter raster engine). Any thread.

#include <QImage>
#include <QSize>
#include <QStringList>

namespace photosearch::testimages {

enum class TextKind { Receipt, Sign, Screenshot, Page };

struct TextPhotoSpec {
    TextKind kind = TextKind::Receipt;
    QStringList lines;          // the text, top to bottom
    QSize size{1600, 1200};
    double angleDegrees = 0;    // the paper/sign rotated in the frame
    double blurRadius = 0;      // px, a box blur of the whole photo (shake, focus)
    int jpegQuality = 0;        // 0: no JPEG round trip
    quint32 seed = 1;           // the background scene
};

QImage renderTextPhoto(const TextPhotoSpec& spec);

// A photo with no text: a scene of shapes, or a fine texture (gravel, leaves)
// that looks busy at small scale. `texture` picks the second kind.
QImage renderPlainPhoto(QSize size, quint32 seed, bool texture);

// Lines of filler text (prices, items) around the distinctive ones.
QStringList receiptLines(const QString& shop, const QString& item, quint32 seed);

} // namespace photosearch::testimages
