// The shapes world (see ShapesWorld.h): scene sampling, rendering with
// QPainter and captions. The look is tuned so that a small CLIP can learn it
// in a minute or two yet cannot read attributes off single pixels: colours
// are jittered, shapes rotate and move, and every picture is blurred and
// noisy.

#include "ShapesWorld.h"

#include <QImageWriter>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>
#include <QStringList>
#include <QTransform>

#include <algorithm>
#include <cmath>

namespace photosearch::shapes {

namespace {

constexpr double kPi = 3.14159265358979323846;

QColor baseColour(Colour c)
{
    switch (c) {
    case Colour::Red: return QColor(215, 35, 35);
    case Colour::Green: return QColor(40, 170, 60);
    case Colour::Blue: return QColor(35, 70, 215);
    case Colour::Yellow: return QColor(245, 215, 40);
    case Colour::Purple: return QColor(140, 50, 180);
    case Colour::Orange: return QColor(245, 135, 25);
    case Colour::White: return QColor(248, 248, 248);
    case Colour::Black: return QColor(15, 15, 15);
    }
    return Qt::magenta;
}

QPolygonF regularPolygon(int corners, double radius, double startDegrees)
{
    QPolygonF p;
    for (int i = 0; i < corners; ++i) {
        const double a = (startDegrees + 360.0 * i / corners) * kPi / 180.0;
        p << QPointF(radius * std::cos(a), radius * std::sin(a));
    }
    return p;
}

QPolygonF starPolygon()
{
    QPolygonF p;
    for (int i = 0; i < 10; ++i) {
        const double a = (-90.0 + 36.0 * i) * kPi / 180.0;
        const double r = i % 2 ? 0.45 : 1.05;
        p << QPointF(r * std::cos(a), r * std::sin(a));
    }
    return p;
}

QPolygonF crossPolygon()
{
    const double a = 0.32; // half the arm width
    const double l = 0.95; // arm length from the centre
    return QPolygonF({{-a, -l}, {a, -l}, {a, -a}, {l, -a}, {l, a}, {a, a}, {a, l}, {-a, l}, {-a, a}, {-l, a},
                      {-l, -a}, {-a, -a}});
}

QPainterPath heartPath()
{
    QPainterPath p;
    p.moveTo(0, 0.95);
    p.cubicTo(-0.6, 0.5, -1.05, 0.1, -1.05, -0.3);
    p.cubicTo(-1.05, -0.8, -0.45, -1.0, 0, -0.52);
    p.cubicTo(0.45, -1.0, 1.05, -0.8, 1.05, -0.3);
    p.cubicTo(1.05, 0.1, 0.6, 0.5, 0, 0.95);
    return p;
}

// The shape with radius about 1 around the origin; areas are roughly alike
// so that size stays a separate attribute.
QPainterPath unitShape(Shape s)
{
    QPainterPath p;
    switch (s) {
    case Shape::Circle: p.addEllipse(QPointF(0, 0), 0.9, 0.9); break;
    case Shape::Square: p.addPolygon(regularPolygon(4, 1.1, 45)); break;
    case Shape::Triangle: p.addPolygon(regularPolygon(3, 1.2, -90)); break;
    case Shape::Star: p.addPolygon(starPolygon()); break;
    case Shape::Hexagon: p.addPolygon(regularPolygon(6, 1.0, 0)); break;
    case Shape::Heart: p = heartPath(); break;
    case Shape::Cross: p.addPolygon(crossPolygon()); break;
    case Shape::Ring:
        p.addEllipse(QPointF(0, 0), 1.0, 1.0);
        p.addEllipse(QPointF(0, 0), 0.5, 0.5);
        p.setFillRule(Qt::OddEvenFill);
        break;
    }
    p.closeSubpath();
    return p;
}

QColor jittered(QColor c, SplitMix64& r, int amount)
{
    auto j = [&](int v) { return std::clamp(v + r.below(2 * amount + 1) - amount, 0, 255); };
    return QColor(j(c.red()), j(c.green()), j(c.blue()));
}

void paintStripes(QPainter& p, int size, SplitMix64& r)
{
    const QColor a = jittered(QColor(235, 225, 200), r, 10);
    const QColor b = jittered(QColor(165, 150, 125), r, 10);
    p.fillRect(0, 0, size, size, a);
    const double width = size * r.uniform(0.06, 0.1);
    p.save();
    p.translate(size / 2.0, size / 2.0);
    p.rotate(r.uniform(0, 180));
    for (double x = -size; x < size; x += 2 * width)
        p.fillRect(QRectF(x, -size, width, 2 * size), b);
    p.restore();
}

void paintCheckers(QPainter& p, int size, SplitMix64& r)
{
    const QColor a = jittered(QColor(225, 215, 225), r, 8);
    const QColor b = jittered(QColor(120, 130, 120), r, 8);
    const double cell = size * r.uniform(0.09, 0.14);
    const double ox = r.uniform(0, cell * 2);
    const double oy = r.uniform(0, cell * 2);
    for (int i = -2; i * cell < size; ++i)
        for (int j = -2; j * cell < size; ++j)
            p.fillRect(QRectF(i * cell - ox + 2 * cell, j * cell - oy + 2 * cell, cell, cell), (i + j) % 2 ? a : b);
}

// Coarse random colour blotches: clearly noisy even after a 2x downscale.
void paintNoise(QPainter& p, int size, SplitMix64& r)
{
    const int block = std::max(2, size / 40);
    for (int y = 0; y < size; y += block)
        for (int x = 0; x < size; x += block)
            p.fillRect(x, y, block, block, QColor(60 + r.below(150), 60 + r.below(150), 60 + r.below(150)));
}

void paintBackground(QPainter& p, Background bg, int size, SplitMix64& r)
{
    switch (bg) {
    case Background::Grey: p.fillRect(0, 0, size, size, jittered(QColor(200, 200, 200), r, 8)); break;
    case Background::SkyBlue: p.fillRect(0, 0, size, size, jittered(QColor(150, 195, 240), r, 10)); break;
    case Background::Dark: p.fillRect(0, 0, size, size, jittered(QColor(40, 40, 50), r, 8)); break;
    case Background::Striped: paintStripes(p, size, r); break;
    case Background::Checkered: paintCheckers(p, size, r); break;
    case Background::Noisy: paintNoise(p, size, r); break;
    }
}

// A 3-tap blur of strength `a` in both directions, brightness scale and
// additive noise (a sum of four uniforms, roughly normal).
void addCameraNoise(QImage& img, SplitMix64& r)
{
    const double a = r.uniform(0.08, 0.22);
    const double gain = r.uniform(0.92, 1.08);
    const double sigma = r.uniform(2.0, 6.0);
    const int w = img.width();
    const int h = img.height();
    std::vector<float> buf(size_t(w) * h * 3);
    for (int y = 0; y < h; ++y) {
        const uchar* row = img.constScanLine(y);
        for (int i = 0; i < w * 3; ++i)
            buf[size_t(y) * w * 3 + i] = row[i];
    }
    std::vector<float> tmp(buf.size());
    auto at = [&](const std::vector<float>& v, int x, int y, int c) {
        return v[(size_t(std::clamp(y, 0, h - 1)) * w + std::clamp(x, 0, w - 1)) * 3 + c];
    };
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c)
                tmp[(size_t(y) * w + x) * 3 + c] = float((1 - 2 * a) * at(buf, x, y, c) + a * (at(buf, x - 1, y, c) + at(buf, x + 1, y, c)));
    for (int y = 0; y < h; ++y) {
        uchar* row = img.scanLine(y);
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c) {
                const double v = (1 - 2 * a) * at(tmp, x, y, c) + a * (at(tmp, x, y - 1, c) + at(tmp, x, y + 1, c));
                const double n = (r.uniform() + r.uniform() + r.uniform() + r.uniform() - 2.0) * sigma * 1.732;
                row[x * 3 + c] = uchar(std::clamp(std::lround(v * gain + n), 0L, 255L));
            }
    }
}

// Centres that keep each shape inside the picture and, when possible, apart
// from the others (a few overlapping tries are accepted rather than looping).
std::vector<Placement> place(int count, double radius, SplitMix64& r)
{
    std::vector<Placement> out;
    for (int i = 0; i < count; ++i) {
        Placement best;
        for (int attempt = 0; attempt < 30; ++attempt) {
            best = {r.uniform(radius, 1 - radius), r.uniform(radius, 1 - radius), r.uniform(-25, 25)};
            const bool clear = std::all_of(out.begin(), out.end(), [&](const Placement& o) {
                return std::hypot(o.x - best.x, o.y - best.y) > 2.05 * radius;
            });
            if (clear)
                break;
        }
        out.push_back(best);
    }
    return out;
}

QString article(const QString& nextWord)
{
    return QStringLiteral("aeiou").contains(nextWord.at(0)) ? QStringLiteral("an") : QStringLiteral("a");
}

} // namespace

uint64_t SplitMix64::next()
{
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double SplitMix64::uniform()
{
    return double(next() >> 11) / 9007199254740992.0;
}

double SplitMix64::uniform(double lo, double hi)
{
    return lo + (hi - lo) * uniform();
}

int SplitMix64::below(int n)
{
    return int(next() % uint64_t(n));
}

const std::vector<Shape>& allShapes()
{
    static const std::vector<Shape> all{Shape::Circle, Shape::Square, Shape::Triangle, Shape::Star,
                                        Shape::Hexagon, Shape::Heart, Shape::Cross, Shape::Ring};
    return all;
}

const std::vector<Colour>& allColours()
{
    static const std::vector<Colour> all{Colour::Red,    Colour::Green,  Colour::Blue,  Colour::Yellow,
                                         Colour::Purple, Colour::Orange, Colour::White, Colour::Black};
    return all;
}

const std::vector<Background>& allBackgrounds()
{
    static const std::vector<Background> all{Background::Grey,    Background::SkyBlue,   Background::Dark,
                                             Background::Striped, Background::Checkered, Background::Noisy};
    return all;
}

QString shapeName(Shape s)
{
    static const char* const names[] = {"circle", "square", "triangle", "star", "hexagon", "heart", "cross", "ring"};
    return QString::fromLatin1(names[int(s)]);
}

QString shapePlural(Shape s)
{
    return s == Shape::Cross ? QStringLiteral("crosses") : shapeName(s) + QLatin1Char('s');
}

QString colourName(Colour c)
{
    static const char* const names[] = {"red", "green", "blue", "yellow", "purple", "orange", "white", "black"};
    return QString::fromLatin1(names[int(c)]);
}

QString backgroundName(Background bg)
{
    static const char* const names[] = {"grey", "sky blue", "dark", "striped", "checkered", "noisy"};
    return QString::fromLatin1(names[int(bg)]);
}

QString sizeName(Size size)
{
    return size == Size::Small ? QStringLiteral("small") : QStringLiteral("large");
}

QString countWord(int count)
{
    static const char* const words[] = {"zero", "one", "two", "three"};
    return QString::fromLatin1(words[std::clamp(count, 0, 3)]);
}

bool hasCorners(Shape s)
{
    return s != Shape::Circle && s != Shape::Heart && s != Shape::Ring;
}

bool goodContrast(Colour colour, Background background)
{
    return !(colour == Colour::Black && background == Background::Dark)
           && !(colour == Colour::White && background == Background::Grey);
}

std::vector<Scene> scenes(uint64_t seed, int count)
{
    SplitMix64 r(seed ^ 0x5EED5CE7E5ull);
    std::vector<Scene> out;
    out.reserve(size_t(std::max(count, 0)));
    for (int i = 0; i < count; ++i) {
        Scene s;
        s.shape = allShapes()[size_t(r.below(int(allShapes().size())))];
        s.colour = allColours()[size_t(r.below(int(allColours().size())))];
        do
            s.background = allBackgrounds()[size_t(r.below(int(allBackgrounds().size())))];
        while (!goodContrast(s.colour, s.background));
        s.count = 1 + r.below(3);
        s.size = r.chance(0.5) ? Size::Small : Size::Large;
        s.radius = s.size == Size::Small ? r.uniform(0.12, 0.15) : r.uniform(0.21, 0.26);
        s.placements = place(s.count, s.radius, r);
        s.detailSeed = r.next();
        out.push_back(std::move(s));
    }
    return out;
}

QImage render(const Scene& scene, int sizePx)
{
    SplitMix64 r(scene.detailSeed);
    QImage img(sizePx, sizePx, QImage::Format_RGB32);
    {
        QPainter p(&img);
        paintBackground(p, scene.background, sizePx, r);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(jittered(baseColour(scene.colour), r, 12));
        const QPainterPath unit = unitShape(scene.shape);
        for (const Placement& pl : scene.placements) {
            QTransform t;
            t.translate(pl.x * sizePx, pl.y * sizePx);
            t.rotate(pl.degrees);
            t.scale(scene.radius * sizePx, scene.radius * sizePx);
            p.drawPath(t.map(unit));
        }
    }
    QImage rgb = img.convertToFormat(QImage::Format_RGB888);
    addCameraNoise(rgb, r);
    return rgb;
}

QString caption(const Scene& s, uint64_t variant)
{
    SplitMix64 r(variant * 0x2545F4914F6CDD1Dull + s.detailSeed);
    const bool full = variant == 0;
    QStringList words;
    if (full || r.chance(0.6))
        words << sizeName(s.size);
    if (full || r.chance(0.85))
        words << colourName(s.colour);
    words << (s.count > 1 ? shapePlural(s.shape) : shapeName(s.shape));
    if (s.count > 1)
        words.prepend(countWord(s.count));
    else if (!full && r.chance(0.2))
        words.prepend(QStringLiteral("one"));
    else
        words.prepend(article(words.first()));
    QString phrase = words.join(QLatin1Char(' '));
    const QString bg = backgroundName(s.background);
    if (full)
        return phrase + QStringLiteral(" on a ") + bg + QStringLiteral(" background");

    const double form = r.uniform();
    if (form < 0.15)
        phrase = article(bg) + QLatin1Char(' ') + bg + QStringLiteral(" background with ") + phrase;
    else if (form < 0.6)
        phrase += QStringLiteral(" on ") + article(bg) + QLatin1Char(' ') + bg + QStringLiteral(" background");
    static const char* const prefixes[] = {"a photo of ", "a picture of ", "an image of ", "a close-up photo of ",
                                           "a good photo of ", "a blurry photo of ", "a bright photo of "};
    if (r.chance(0.45))
        phrase.prepend(QString::fromLatin1(prefixes[r.below(7)]));
    if (r.chance(0.3))
        phrase += QLatin1Char('.');
    return phrase;
}

bool writeSceneJpeg(const Scene& scene, const QString& path, int sizePx, int quality)
{
    QImageWriter writer(path, "jpeg");
    writer.setQuality(quality);
    return writer.write(render(scene, sizePx));
}

} // namespace photosearch::shapes
