// make_shapes_clip --preview FILE.png
// make_shapes_clip DIR [--steps N] [--scenes N] [--seed N] [--threads N] [--batch N]
//                      [--image N] [--patch N] [--vision-width N] [--vision-layers N]
//                      [--lr-per-mille N]
//
// Trains the shapes CLIP (ShapesClip.h) into DIR, the CTest fixture
// `shapes_clip` that search, tagging and classification suites load. Exits 0
// at once when DIR already holds a model with the same stamp, so the
// fixture costs its training time once per build tree. The options exist for
// tuning; CTest uses the defaults.

// LibTorch before Qt.
#include <torch/torch.h>

#include "ShapesClip.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QStringList>

#include <cstdio>

using namespace photosearch;

namespace {

bool parseOptions(const QStringList& args, QString* dir, shapes::TrainOptions* o)
{
    for (int i = 1; i < args.size(); ++i) {
        const QString& a = args[i];
        if (a.startsWith(QLatin1String("--")) && i + 1 < args.size()) {
            bool ok = false;
            const qulonglong v = args[++i].toULongLong(&ok);
            if (!ok)
                return false;
            if (a == QLatin1String("--steps"))
                o->steps = int(v);
            else if (a == QLatin1String("--scenes"))
                o->scenes = int(v);
            else if (a == QLatin1String("--seed"))
                o->seed = v;
            else if (a == QLatin1String("--threads"))
                o->threads = int(v);
            else if (a == QLatin1String("--batch"))
                o->batch = int(v);
            else if (a == QLatin1String("--image"))
                o->architecture.imageSize = int(v);
            else if (a == QLatin1String("--patch"))
                o->architecture.patchSize = int(v);
            else if (a == QLatin1String("--vision-width"))
                o->architecture.visionWidth = int(v);
            else if (a == QLatin1String("--vision-layers"))
                o->architecture.visionLayers = int(v);
            else if (a == QLatin1String("--lr-per-mille"))
                o->learningRate = v / 1000.0;
            else
                return false;
        } else if (dir->isEmpty() && !a.startsWith(QLatin1String("--"))) {
            *dir = a;
        } else {
            return false;
        }
    }
    return !dir->isEmpty();
}

// A contact sheet of the first training scenes, to see the world: 8 × 4
// pictures at 128 px, captions (variant 0) on stderr.
int writePreview(const QString& path, const shapes::TrainOptions& o)
{
    const std::vector<shapes::Scene> scenes = shapes::scenes(o.seed, 32);
    QImage sheet(8 * 128, 4 * 128, QImage::Format_RGB888);
    QPainter painter(&sheet);
    for (int i = 0; i < 32; ++i) {
        painter.drawImage((i % 8) * 128, (i / 8) * 128, shapes::render(scenes[size_t(i)]));
        std::fprintf(stderr, "%2d %s\n", i, qPrintable(shapes::caption(scenes[size_t(i)])));
    }
    painter.end();
    return sheet.save(path) ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QString dir;
    shapes::TrainOptions options;
    if (app.arguments().size() == 3 && app.arguments()[1] == QLatin1String("--preview"))
        return writePreview(app.arguments()[2], options);
    if (!parseOptions(app.arguments(), &dir, &options)) {
        std::fprintf(stderr, "usage: make_shapes_clip DIR [--steps N] [--scenes N] [--seed N] [--threads N] [--batch N] "
                             "[--image N] [--patch N] [--vision-width N] [--vision-layers N] [--lr-per-mille N]\n");
        return 2;
    }
    options.log = [](const QString& line) { std::fprintf(stderr, "%s\n", qPrintable(line)); };
    QElapsedTimer timer;
    timer.start();
    QString error;
    bool reused = false;
    shapes::TrainReport report;
    try {
        if (!shapes::makeShapesClip(dir, options, &error, &reused, &report)) {
            std::fprintf(stderr, "make_shapes_clip: %s\n", qPrintable(error));
            return 1;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "make_shapes_clip: %s\n", e.what());
        return 1;
    }
    if (reused) {
        std::fprintf(stderr, "%s is up to date\n", qPrintable(dir));
        return 0;
    }
    std::fprintf(stderr, "wrote %s: render %.1f s, train %.1f s, total %.1f s; loss %.3f -> %.3f; logit scale %.1f\n",
                 qPrintable(dir), report.renderSeconds, report.trainSeconds, timer.elapsed() / 1000.0,
                 report.firstLoss, report.lastLoss, report.logitScale);
    return 0;
}
