// make_demo_photos DIR [COUNT]
//
// Writes a small photo library of the shapes world (ShapesWorld.h) for
// looking at the window: COUNT scenes (default 120) as 480 px JPEGs in three
// folders, with file times spread over 2025–2026 (what date filters and the
// detail pane show when a photo has no EXIF date), plus a resized copy of
// one photo so that the duplicates view has a group. The shapes CLIP
// (make_shapes_clip) understands these pictures. Used by
// packaging/screenshots.sh; never by the test suites.

#include "ShapesWorld.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QImage>

#include <cstdio>

using namespace photosearch;

namespace {

const char* const kFolders[] = {"Holidays 2025", "Garden", "Phone"};

QString fileNameFor(const shapes::Scene& scene, int index)
{
    QString name = shapes::caption(scene, 0);
    name.replace(QLatin1Char(' '), QLatin1Char('-'));
    return QStringLiteral("%1-%2.jpg").arg(index, 3, 10, QLatin1Char('0')).arg(name);
}

bool writePhoto(const shapes::Scene& scene, const QString& path, const QDateTime& time)
{
    if (!shapes::writeSceneJpeg(scene, path, 480, 88))
        return false;
    QFile file(path);
    return file.open(QIODevice::ReadWrite) && file.setFileTime(time, QFileDevice::FileModificationTime);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: make_demo_photos DIR [COUNT]\n");
        return 2;
    }
    const QDir root(args[1]);
    const int count = args.size() > 2 ? args[2].toInt() : 120;
    const std::vector<shapes::Scene> scenes = shapes::scenes(2026, qMax(1, count));
    const QDateTime start(QDate(2025, 1, 4), QTime(10, 30));
    for (int i = 0; i < int(scenes.size()); ++i) {
        const QString folder = root.filePath(QLatin1String(kFolders[i % 3]));
        if (!QDir().mkpath(folder)) {
            std::fprintf(stderr, "make_demo_photos: cannot create %s\n", qPrintable(folder));
            return 1;
        }
        const QDateTime time = start.addDays(i * 600 / qMax(1, count)).addSecs(i * 977 % 36000);
        const QString path = QDir(folder).filePath(fileNameFor(scenes[size_t(i)], i));
        if (!writePhoto(scenes[size_t(i)], path, time)) {
            std::fprintf(stderr, "make_demo_photos: cannot write %s\n", qPrintable(path));
            return 1;
        }
    }
    // A smaller copy of the first photo: a near-duplicate.
    const QString first = QDir(root.filePath(QLatin1String(kFolders[0]))).filePath(fileNameFor(scenes[0], 0));
    const QImage image(first);
    const QString copy = root.filePath(QStringLiteral("Phone/copy-of-000.jpg"));
    if (image.isNull() || !image.scaledToWidth(360, Qt::SmoothTransformation).save(copy, "JPEG", 80))
        return 1;
    std::printf("%d photos in %s\n", int(scenes.size()) + 1, qPrintable(root.absolutePath()));
    return 0;
}
