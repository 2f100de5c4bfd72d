// What the shared freedesktop thumbnail cache saves the grid: N photo-like
// 12-megapixel JPEGs thumbnailed by the window's ThumbnailLoader (its thread
// pool, grid cell size), first with an empty cache (decode + write the
// cache entry), then by a fresh loader whose memory cache is empty but whose
// disk cache is warm (what a restart, or the file manager having been there
// first, looks like), then with the disk cache off (decode every time).
//
//   bench_thumbnails [--photos 40] [--width 4000] [--height 3000]

#include "ResultsModel.h"
#include "TestImages.h"
#include "ThumbnailLoader.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QThread>
#include <QTemporaryDir>

#include <cstdio>
#include <cstring>

using namespace photosearch;

namespace {

int intOption(int argc, char** argv, const char* name, int fallback)
{
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0)
            return std::atoi(argv[i + 1]);
    return fallback;
}

// Seconds until every path has a thumbnail (or failed).
double thumbnailAll(const QStringList& paths, bool diskCache)
{
    const int s = ResultsModel::kThumbnailSize;
    ThumbnailLoader loader(QSize(s, s));
    loader.setDiskCacheEnabled(diskCache);
    QElapsedTimer timer;
    timer.start();
    loader.request(paths);
    while (loader.pendingCount() > 0)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    QCoreApplication::processEvents();
    return double(timer.nsecsElapsed()) / 1e9;
}

void report(const char* what, int n, double seconds)
{
    std::printf("%-34s %7.1f ms/photo  %7.1f photos/s\n", what, seconds * 1000.0 / n, n / seconds);
}

} // namespace

int main(int argc, char** argv)
{
    const int photos = intOption(argc, argv, "--photos", 40);
    const int width = intOption(argc, argv, "--width", 4000);
    const int height = intOption(argc, argv, "--height", 3000);
    QTemporaryDir dir;
    qputenv("XDG_CACHE_HOME", dir.filePath(QStringLiteral("cache")).toLocal8Bit());
    qunsetenv("PHOTOSEARCH_NO_THUMBNAIL_CACHE");
    QApplication app(argc, argv);

    QStringList paths;
    for (int i = 0; i < photos; ++i) {
        const QString path = dir.filePath(QStringLiteral("photo-%1.jpg").arg(i));
        if (!testimages::makePicture(width, height, i).save(path, "JPEG", 90)) {
            std::fprintf(stderr, "bench_thumbnails: cannot write %s\n", qPrintable(path));
            return 1;
        }
        paths << path;
    }
    std::printf("%d JPEGs of %dx%d, grid cell %d px, %d cores\n", photos, width, height,
                ResultsModel::kThumbnailSize, QThread::idealThreadCount());
    report("no disk cache (decode)", photos, thumbnailAll(paths, false));
    report("empty disk cache (decode + write)", photos, thumbnailAll(paths, true));
    report("warm disk cache (read PNG)", photos, thumbnailAll(paths, true));
    return 0;
}
