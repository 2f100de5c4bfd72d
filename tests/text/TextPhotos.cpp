#include "TextPhotos.h"

#include "PhotoScenes.h"

#include <QFont>
#include <QPainter>
#include <QRandomGenerator>

namespace photosearch::testimages {

namespace {

QFont font(const char* family, int pixelSize, bool bold = false)
{
    QFont f(QString::fromLatin1(family));
    f.setPixelSize(pixelSize);
    f.setBold(bold);
    f.setHintingPreference(QFont::PreferNoHinting);
    return f;
}

// Draws `lines` in the rectangle `paper` (in its own rotated frame).
void drawPaper(QPainter& p, const QRectF& paper, const QColor& background, const QColor& ink, const QFont& f,
               const QStringList& lines, bool centred)
{
    p.fillRect(paper, background);
    p.setPen(ink);
    p.setFont(f);
    const double lineHeight = f.pixelSize() * 1.45;
    double y = paper.top() + lineHeight;
    for (const QString& line : lines) {
        const QRectF row(paper.left() + f.pixelSize(), y - f.pixelSize(), paper.width() - 2 * f.pixelSize(),
                         lineHeight);
        p.drawText(row, (centred ? Qt::AlignHCenter : Qt::AlignLeft) | Qt::AlignVCenter, line);
        y += lineHeight;
    }
}

QImage boxBlur(const QImage& image, double radius)
{
    if (radius <= 0.5)
        return image;
    // Down and up again: a cheap, deterministic blur of about `radius` px.
    const QSize small = image.size() / (1.0 + radius);
    return image.scaled(small, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
        .scaled(image.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
}

void drawScreenshot(QPainter& p, QSize size, const QStringList& lines)
{
    p.fillRect(QRect(QPoint(0, 0), size), QColor(250, 250, 250));
    p.fillRect(QRect(0, 0, size.width(), 36), QColor(60, 64, 72));
    p.setPen(Qt::white);
    p.setFont(font("DejaVu Sans", 15, true));
    p.drawText(QRect(12, 0, size.width(), 36), Qt::AlignVCenter, QStringLiteral("Settings - Network"));
    p.setPen(QColor(30, 30, 30));
    p.setFont(font("DejaVu Sans", 18));
    int y = 80;
    for (const QString& line : lines) {
        p.drawText(QPoint(40, y), line);
        y += 34;
    }
}

} // namespace

QStringList receiptLines(const QString& shop, const QString& item, quint32 seed)
{
    QRandomGenerator rng(seed);
    QStringList lines{shop, QStringLiteral("12 Harbour Street"), QString()};
    const QStringList filler{QStringLiteral("Milk"), QStringLiteral("Bread"), QStringLiteral("Nails 50mm"),
                             QStringLiteral("Tape"), QStringLiteral("Coffee")};
    for (int i = 0; i < 3; ++i)
        lines << QStringLiteral("%1   %2.%3").arg(filler[int(rng.bounded(filler.size()))]).arg(rng.bounded(1, 30)).arg(rng.bounded(10, 99));
    lines << item + QStringLiteral("   7.45") << QString() << QStringLiteral("TOTAL   42.10");
    return lines;
}

QImage renderTextPhoto(const TextPhotoSpec& spec)
{
    QImage image = spec.kind == TextKind::Screenshot
        ? QImage(spec.size, QImage::Format_RGB32)
        : renderScene(spec.size.width(), spec.size.height(), SceneSpec{spec.seed, spec.seed * 7 + 3, 0})
              .convertToFormat(QImage::Format_RGB32);
    {
        QPainter p(&image);
        p.setRenderHint(QPainter::Antialiasing);
        p.setRenderHint(QPainter::TextAntialiasing);
        const double w = spec.size.width(), h = spec.size.height();
        if (spec.kind == TextKind::Screenshot) {
            drawScreenshot(p, spec.size, spec.lines);
        } else {
            p.translate(w / 2, h / 2);
            p.rotate(spec.angleDegrees);
            if (spec.kind == TextKind::Receipt) {
                const int px = int(h / 30);
                drawPaper(p, QRectF(-w * 0.22, -h * 0.45, w * 0.44, h * 0.9), QColor(245, 243, 236),
                          QColor(40, 40, 45), font("DejaVu Sans Mono", px), spec.lines, false);
            } else if (spec.kind == TextKind::Sign) {
                const int px = int(h / 10);
                const double height = px * 1.45 * spec.lines.size() + px;
                drawPaper(p, QRectF(-w * 0.35, -height / 2, w * 0.7, height), QColor(20, 90, 50), Qt::white,
                          font("DejaVu Sans", px, true), spec.lines, true);
            } else {
                const int px = int(h / 40);
                drawPaper(p, QRectF(-w * 0.3, -h * 0.47, w * 0.6, h * 0.94), Qt::white, Qt::black,
                          font("DejaVu Serif", px), spec.lines, false);
            }
        }
    }
    image = boxBlur(image, spec.blurRadius);
    if (spec.jpegQuality > 0)
        image = recompressedCopy(image, spec.jpegQuality);
    return image.convertToFormat(QImage::Format_RGB888);
}

QImage renderPlainPhoto(QSize size, quint32 seed, bool texture)
{
    QImage image = renderScene(size.width(), size.height(), SceneSpec{seed, seed * 13 + 5, 0})
                       .convertToFormat(QImage::Format_RGB32);
    if (texture) {
        QPainter p(&image);
        p.setRenderHint(QPainter::Antialiasing);
        QRandomGenerator rng(seed);
        const int count = size.width() * size.height() / 400;
        for (int i = 0; i < count; ++i) {
            const int g = int(rng.bounded(40, 200));
            p.setPen(Qt::NoPen);
            p.setBrush(QColor(g / 2, g, g / 3));
            const double r = 2 + rng.bounded(6.0);
            p.drawEllipse(QPointF(rng.bounded(double(size.width())), rng.bounded(double(size.height()))), r,
                          r * 0.6);
        }
    }
    return image.convertToFormat(QImage::Format_RGB888);
}

} // namespace photosearch::testimages
