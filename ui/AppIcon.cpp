// The window icon (see AppIcon.h), drawn with QPainter from the SVG's
// shapes at 16 to 256 px so that every size is crisp, not scaled.
// Thread rule: GUI thread only (QPixmap needs the GUI application).

#include "AppIcon.h"

#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace photosearch {
namespace {

// Drawn in the SVG's 128-unit square, scaled to `size`.
QPixmap paintIcon(int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 128.0, size / 128.0);
    const QColor ink(0x2b, 0x4a, 0x66);

    p.setPen(QPen(ink, 3));
    p.setBrush(Qt::white);
    p.drawRoundedRect(QRectF(8, 16, 92, 76), 9, 9);
    QPainterPath photo;
    photo.addRoundedRect(QRectF(12, 20, 84, 68), 6, 6);
    p.save();
    p.setClipPath(photo);
    QLinearGradient sky(0, 20, 0, 88);
    sky.setColorAt(0, QColor(0x5a, 0xa9, 0xe6));
    sky.setColorAt(1, QColor(0xa7, 0xd3, 0xf5));
    p.fillRect(QRectF(12, 20, 84, 68), sky);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0xff, 0xd4, 0x47));
    p.drawEllipse(QPointF(74, 40), 9, 9);
    p.setBrush(QColor(0x3f, 0x9b, 0x5a));
    const QPointF hill[] = {{12, 78}, {40, 50}, {62, 72}, {74, 62}, {96, 82}, {96, 88}, {12, 88}};
    p.drawPolygon(hill, 7);
    p.restore();

    p.setPen(QPen(ink, 7));
    p.setBrush(QColor(255, 255, 255, 90));
    p.drawEllipse(QPointF(82, 80), 22, 22);
    p.setPen(QPen(ink, 11, Qt::SolidLine, Qt::RoundCap));
    p.drawLine(QPointF(97, 96), QPointF(116, 115));
    return pixmap;
}

} // namespace

QIcon appIcon()
{
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addPixmap(paintIcon(size));
    return icon;
}

} // namespace photosearch
