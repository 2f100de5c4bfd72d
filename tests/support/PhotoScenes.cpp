#include "PhotoScenes.h"

#include <QBuffer>
#include <QLinearGradient>
#include <QPainter>
#include <QPolygonF>
#include <QRadialGradient>
#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace photosearch::testimages {
namespace {

QColor randomColour(QRandomGenerator& rng)
{
    return QColor::fromHsv(rng.bounded(360), 60 + rng.bounded(196), 40 + rng.bounded(216));
}

void paintBackground(QPainter& p, int w, int h, QRandomGenerator& layout, QRandomGenerator& colours)
{
    const double horizon = h * (0.35 + layout.bounded(0.3));
    QLinearGradient sky(0, 0, w * layout.bounded(0.3), horizon);
    sky.setColorAt(0, randomColour(colours));
    sky.setColorAt(1, randomColour(colours));
    p.fillRect(QRectF(0, 0, w, horizon), sky);
    QLinearGradient ground(0, horizon, w * layout.bounded(0.3), h);
    ground.setColorAt(0, randomColour(colours));
    ground.setColorAt(1, randomColour(colours));
    p.fillRect(QRectF(0, horizon, w, h - horizon), ground);
}

void paintShape(QPainter& p, int w, int h, QRandomGenerator& layout, QRandomGenerator& colours, double shift)
{
    const double sw = w * (0.12 + layout.bounded(0.3));
    const double sh = h * (0.12 + layout.bounded(0.3));
    const double x = w * layout.bounded(0.9) - sw / 3 + shift * w;
    const double y = h * layout.bounded(0.9) - sh / 3;
    const int kind = layout.bounded(3);
    QRadialGradient shade(QPointF(x + sw / 3, y + sh / 3), std::max(sw, sh));
    shade.setColorAt(0, randomColour(colours));
    shade.setColorAt(1, randomColour(colours));
    p.setBrush(shade);
    p.setPen(QPen(randomColour(colours), std::max(1, w / 200)));
    const QRectF box(x, y, sw, sh);
    if (kind == 0)
        p.drawEllipse(box);
    else if (kind == 1)
        p.drawRect(box);
    else
        p.drawPolygon(QPolygonF({QPointF(x, y + sh), QPointF(x + sw / 2, y), QPointF(x + sw, y + sh)}));
}

// Zero-mean noise of about ±6 levels, from the layout seed: a copy of the
// scene has the same grain, another scene another one.
void addNoise(QImage& image, quint32 seed)
{
    QRandomGenerator rng(seed ^ 0x9e3779b9u);
    for (int y = 0; y < image.height(); ++y) {
        uchar* px = image.scanLine(y);
        for (int i = 0; i < image.width() * 3; ++i)
            px[i] = uchar(std::clamp(int(px[i]) + rng.bounded(13) - 6, 0, 255));
    }
}

} // namespace

QImage renderScene(int width, int height, const SceneSpec& spec)
{
    QImage image(width, height, QImage::Format_RGB888);
    QRandomGenerator layout(spec.layout * 2654435761u + 7u);
    QRandomGenerator colours(spec.colours * 40503u + 11u);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    paintBackground(painter, width, height, layout, colours);
    const int shapes = 4 + layout.bounded(4);
    for (int i = 0; i < shapes; ++i)
        paintShape(painter, width, height, layout, colours, i == shapes - 1 ? spec.shiftLastShape : 0);
    painter.end();
    addNoise(image, spec.layout);
    return image;
}

QImage resizedCopy(const QImage& image, double factor)
{
    return image.scaled(qRound(image.width() * factor), qRound(image.height() * factor), Qt::IgnoreAspectRatio,
                        Qt::SmoothTransformation);
}

QImage recompressedCopy(const QImage& image, int jpegQuality)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", jpegQuality);
    return QImage::fromData(bytes, "JPEG").convertToFormat(QImage::Format_RGB888);
}

QImage croppedCopy(const QImage& image, double fractionPerSide)
{
    const int dx = qRound(image.width() * fractionPerSide);
    const int dy = qRound(image.height() * fractionPerSide);
    return image.copy(dx, dy, image.width() - 2 * dx, image.height() - 2 * dy);
}

QImage brightenedCopy(const QImage& image, int delta)
{
    QImage out = image.convertToFormat(QImage::Format_RGB888);
    for (int y = 0; y < out.height(); ++y) {
        uchar* px = out.scanLine(y);
        for (int i = 0; i < out.width() * 3; ++i)
            px[i] = uchar(std::clamp(int(px[i]) + delta, 0, 255));
    }
    return out;
}

} // namespace photosearch::testimages
