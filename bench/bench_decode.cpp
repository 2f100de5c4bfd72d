// Decoding + preprocessing cost of one large photo, single thread: a
// 12-megapixel (4000x3000) photo-like JPEG decoded in full and with libjpeg's
// reduced DCT decode, each followed by the CLIP preprocessing (resize, crop,
// normalise); also the decode alone and the hashing of the file bytes. Then
// camera RAW: a DNG of the same size written with the tests' DngWriter (an
// uncompressed 16-bit mosaic), read through its embedded preview and, without
// one, through LibRaw's half-size demosaic.
//
//   bench_decode [--runs 20] [--width 4000] [--height 3000] [--quality 90]

// LibTorch (via ImagePreprocessor.h) before Qt.
#include "ImagePreprocessor.h"

#include "DngWriter.h"
#include "ImageDecoder.h"
#include "TestImages.h"

#include <torch/torch.h>

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImageWriter>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <numeric>
#include <vector>

using namespace photosearch;
using Clock = std::chrono::steady_clock;

namespace {

struct Stats {
    double mean = 0;
    double median = 0;
    double min = 0;
};

Stats timeRuns(const std::function<void()>& fn, int runs)
{
    fn(); // warm-up
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = Clock::now();
        fn();
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    Stats s;
    s.mean = std::accumulate(ms.begin(), ms.end(), 0.0) / double(ms.size());
    s.median = ms.size() % 2 ? ms[ms.size() / 2] : (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]) / 2;
    s.min = ms.front();
    return s;
}

void report(const char* what, const Stats& s)
{
    std::printf("%-44s mean %8.2f ms   median %8.2f ms   min %8.2f ms\n", what, s.mean, s.median, s.min);
}

// Camera RAW through the shared decoder: the preview path and the demosaic
// path, each for CLIP (shortest side 224) and for a 256 px thumbnail.
bool benchRaw(const QTemporaryDir& dir, int width, int height, int runs)
{
    const QImage scene = testimages::makePicture(width & ~1, height & ~1, 11);
    const QString withPreview = dir.filePath(QStringLiteral("preview.dng"));
    const QString mosaicOnly = dir.filePath(QStringLiteral("mosaic.dng"));
    testdng::DngOptions options;
    options.scene = scene;
    options.preview = scene.scaled(scene.size() / 4, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    QString error;
    if (!testdng::writeDng(withPreview, options, &error)) {
        std::fprintf(stderr, "cannot write the DNG: %s\n", qPrintable(error));
        return false;
    }
    options.preview = QImage();
    if (!testdng::writeDng(mosaicOnly, options, &error)) {
        std::fprintf(stderr, "cannot write the DNG: %s\n", qPrintable(error));
        return false;
    }
    std::printf("\n%dx%d DNG (uncompressed 16-bit mosaic, %.1f MB), preview %dx%d; %d runs each, 1 thread\n",
                scene.width(), scene.height(), double(QFileInfo(mosaicOnly).size()) / 1e6,
                options.scene.width() / 4, options.scene.height() / 4, runs);
    volatile int sink = 0;
    const DecodeTarget clip = DecodeTarget::shortestSide(224);
    const DecodeTarget thumb = DecodeTarget::fitInto(QSize(256, 256));
    report("    DNG preview, CLIP target", timeRuns([&] {
               sink = sink + ImageDecoder::decodeFile(withPreview, clip).image.width();
           }, runs));
    report("    DNG preview, 256 px thumbnail", timeRuns([&] {
               sink = sink + ImageDecoder::decodeFile(withPreview, thumb).image.width();
           }, runs));
    const int slowRuns = std::max(1, runs / 4);
    report("    DNG half-size demosaic, CLIP target", timeRuns([&] {
               sink = sink + ImageDecoder::decodeFile(mosaicOnly, clip).image.width();
           }, slowRuns));
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    QGuiApplication app(argc, argv); // image plugins; offscreen is fine
    int runs = 20, width = 4000, height = 3000, quality = 90;
    for (int i = 1; i + 1 < argc; i += 2) {
        const int v = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--runs"))
            runs = std::max(1, v);
        else if (!std::strcmp(argv[i], "--width"))
            width = v;
        else if (!std::strcmp(argv[i], "--height"))
            height = v;
        else if (!std::strcmp(argv[i], "--quality"))
            quality = v;
        else {
            std::fprintf(stderr, "usage: bench_decode [--runs N] [--width W] [--height H] [--quality Q]\n");
            return 2;
        }
    }
    torch::set_num_threads(1);
    at::set_num_interop_threads(1);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("photo.jpg"));
    {
        const QImage picture = testimages::makePicture(width, height, 7);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return 1;
        QImageWriter writer(&file, "jpeg");
        writer.setQuality(quality);
        if (!writer.write(picture)) {
            std::fprintf(stderr, "cannot write the JPEG: %s\n", qPrintable(writer.errorString()));
            return 1;
        }
    }
    const QByteArray bytes = ImagePreprocessor::readImageFile(path);
    const ImagePreprocessor pre;
    const DecodedImage reduced = pre.decode(bytes, path, true);
    std::printf("%dx%d JPEG, quality %d, %.2f MB; reduced decode gives %dx%d; %d runs each, 1 thread\n", width,
                height, quality, double(bytes.size()) / 1e6, reduced.image.width(), reduced.image.height(), runs);

    volatile float sink = 0;
    report("(a) full decode + preprocess", timeRuns([&] {
               sink = sink + pre.toTensor(pre.decode(bytes, path, false).image).data_ptr<float>()[0];
           }, runs));
    report("(b) reduced DCT decode + preprocess", timeRuns([&] {
               sink = sink + pre.toTensor(pre.decode(bytes, path, true).image).data_ptr<float>()[0];
           }, runs));
    report("    full decode only", timeRuns([&] { sink = sink + pre.decode(bytes, path, false).image.width(); }, runs));
    report("    reduced decode only", timeRuns([&] { sink = sink + pre.decode(bytes, path, true).image.width(); }, runs));
    report("    read file (page cache) + reduced decode", timeRuns([&] {
               sink = sink + pre.decode(path, true).width();
           }, runs));
    for (const auto& [name, algorithm] :
         {std::pair{"    SHA-1 of the file bytes", QCryptographicHash::Sha1},
          std::pair{"    SHA-256 of the file bytes", QCryptographicHash::Sha256},
          std::pair{"    BLAKE2b-256 of the file bytes", QCryptographicHash::Blake2b_256}})
        report(name, timeRuns([&, algorithm = algorithm] {
                   sink = sink + float(QCryptographicHash::hash(bytes, algorithm).at(0));
               }, runs));
    return benchRaw(dir, width, height, runs) ? 0 : 1;
}
