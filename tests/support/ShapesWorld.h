#pragma once
// A synthetic photo world for tests that need to know what a picture shows:
// scenes of one to three shapes of one kind and colour on a named background,
// rendered with QPainter plus mild photographic noise, with natural captions.
// The CLIP model the suite trains itself (ShapesClip.h) learns this world, so
// search, tagging and classification tests can check answers, not just run.
//
// Everything is deterministic: scenes come from a splitmix64 generator (not
// std distributions, whose output differs between standard libraries), and
// render() draws the same pixels for the same Scene on the same Qt.

#include <QImage>
#include <QString>

#include <array>
#include <cstdint>
#include <vector>

namespace photosearch::shapes {

// Polygonal shapes have corners; circle, ring and heart are drawn with curves
// only (hasCorners() is false for them).
enum class Shape { Circle, Square, Triangle, Star, Hexagon, Heart, Cross, Ring };
enum class Colour { Red, Green, Blue, Yellow, Purple, Orange, White, Black };
// Three plain (light grey, sky blue, dark) and three textured backgrounds.
enum class Background { Grey, SkyBlue, Dark, Striped, Checkered, Noisy };
enum class Size { Small, Large };

// splitmix64: the same sequence on every platform and standard library.
class SplitMix64 {
public:
    explicit SplitMix64(uint64_t seed)
        : state_(seed)
    {
    }
    uint64_t next();
    double uniform();             // [0, 1)
    double uniform(double lo, double hi);
    int below(int n);             // [0, n)
    bool chance(double p) { return uniform() < p; }

private:
    uint64_t state_;
};

// Where one shape sits: centre as a fraction of the image side, rotation
// within ±25° (upright enough that a small model learns shapes in a minute).
struct Placement {
    double x = 0.5;
    double y = 0.5;
    double degrees = 0;
};

struct Scene {
    Shape shape = Shape::Circle;
    Colour colour = Colour::Red;
    Background background = Background::Grey;
    int count = 1;                     // 1..3 shapes, all of one kind and colour
    Size size = Size::Small;
    double radius = 0.15;              // shape radius, fraction of the image side
    std::vector<Placement> placements; // `count` of them
    uint64_t detailSeed = 0;           // colour jitter, texture, blur and noise
};

const std::vector<Shape>& allShapes();
const std::vector<Colour>& allColours();
const std::vector<Background>& allBackgrounds();

QString shapeName(Shape shape);         // "circle"
QString shapePlural(Shape shape);       // "circles", "crosses"
QString colourName(Colour colour);      // "red"
QString backgroundName(Background bg);  // "grey", "sky blue", "striped", ...
QString sizeName(Size size);            // "small", "large"
QString countWord(int count);           // "one", "two", "three"
bool hasCorners(Shape shape);

// Whether the shapes would be visible on the background; scenes() never
// makes the others (black on dark, white on light grey).
bool goodContrast(Colour colour, Background background);

// `count` scenes, the same for the same seed. Attributes are drawn uniformly
// (a background with poor contrast is drawn again).
std::vector<Scene> scenes(uint64_t seed, int count);

// The scene as an RGB888 picture of sizePx × sizePx: background, antialiased
// shapes, then slight blur, brightness jitter and pixel noise.
QImage render(const Scene& scene, int sizePx = 128);

// A natural English caption. Variant 0 names everything
// ("two small blue triangles on a striped background"); other variants vary
// the wording and leave out some attributes ("a photo of an orange star",
// "a red circle.", "a dark background with three white hearts"). The shape
// is always named, in the plural when count > 1.
QString caption(const Scene& scene, uint64_t variant = 0);

// render() saved as a JPEG (the compression is part of the noise).
bool writeSceneJpeg(const Scene& scene, const QString& path, int sizePx = 128, int quality = 90);

} // namespace photosearch::shapes
