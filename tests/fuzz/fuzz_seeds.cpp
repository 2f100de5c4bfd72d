// Writes the seed corpora for the fuzz targets (packaging/fuzz.sh): small
// images in every decoded format, photos with EXIF (JPEG, HEIF, AVIF), a
// tiny safetensors file, config.json / preprocessor_config.json, and a tiny
// tokenizer vocabulary. Made from the test suites' own fixture writers, so
// the seeds look like what the tests feed the parsers. Not instrumented.
//   fuzz_seeds OUTDIR
#include "ClipDirWriter.h"
#include "DngWriter.h"
#include "TestImages.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QGuiApplication>

#include <cstdio>

using namespace photosearch;
using namespace photosearch::testimages;
using namespace photosearch::testmodel;

namespace {

bool put(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

// The image target reads byte 0 as the decode target; the seeds carry one.
void imageSeeds(const QDir& images, const QDir& metadata)
{
    const QImage picture = makePicture(48, 32, 7);
    const ImageFormat formats[] = {ImageFormat::Jpeg, ImageFormat::Png,  ImageFormat::Webp, ImageFormat::Gif,
                                   ImageFormat::Bmp,  ImageFormat::Tiff, ImageFormat::Heif, ImageFormat::Avif};
    const QString scratch = images.filePath(QStringLiteral("scratch.tmp"));
    for (const ImageFormat format : formats) {
        QString error;
        if (!writeImage(picture, scratch, format, &error)) {
            std::fprintf(stderr, "fuzz_seeds: no %s seed: %s\n", qPrintable(imageFormatName(format)), qPrintable(error));
            continue;
        }
        const QByteArray bytes = readFile(scratch);
        for (char mode = 0; mode < (format == ImageFormat::Jpeg ? 3 : 1); ++mode)
            put(images.filePath(imageFormatName(format) + QString::number(int(mode))), mode + bytes);
    }
    // Camera RAW: DNGs (a bare mosaic, one with a preview) for LibRaw, one
    // seed per decode-target mode.
    for (const bool preview : {false, true}) {
        testdng::DngOptions dng;
        dng.scene = picture;
        if (preview)
            dng.preview = makePicture(48, 32, 8);
        dng.orientation = preview ? 6 : 1;
        QString error;
        if (!testdng::writeDng(scratch, dng, &error)) {
            std::fprintf(stderr, "fuzz_seeds: no DNG seed: %s\n", qPrintable(error));
            continue;
        }
        const QByteArray bytes = readFile(scratch);
        for (char mode = 0; mode < 3; ++mode)
            put(images.filePath(QStringLiteral("dng%1-%2").arg(int(preview)).arg(int(mode))), mode + bytes);
    }
    QFile::remove(scratch);
    ExifFields exif;
    exif.orientation = 6;
    exif.takenAt = QDateTime(QDate(2019, 7, 14), QTime(12, 30, 5));
    exif.make = QStringLiteral("Canon");
    exif.model = QStringLiteral("Canon EOS 5D");
    exif.lens = QStringLiteral("EF 50mm");
    exif.hasGps = true;
    exif.latitude = 48.8584;
    exif.longitude = -2.2945;
    const QString jpeg = metadata.filePath(QStringLiteral("exif.jpg"));
    if (writeJpegWithExif(picture, jpeg, exif))
        put(images.filePath(QStringLiteral("exif-jpeg")), '\1' + readFile(jpeg));
    exif.exifPrefix = true;
    writeHeifWithExif(picture, metadata.filePath(QStringLiteral("exif.heic")), exif, false);
    writeHeifWithExif(picture, metadata.filePath(QStringLiteral("exif.avif")), exif, true);
    writeImage(picture, metadata.filePath(QStringLiteral("plain.png")), ImageFormat::Png);
}

void modelSeeds(const QDir& safetensors, const QDir& config, const QDir& vocab)
{
    put(safetensors.filePath(QStringLiteral("two.safetensors")),
        safetensorsBytes({{"a.weight", {2, 3}, {1, 2, 3, 4, 5, 6}}, {"b.bias", {4}, {0.5f, -1, 2, 0}}}));
    put(safetensors.filePath(QStringLiteral("empty.safetensors")), safetensorsBytes({}));
    ClipSpec spec;
    put(config.filePath(QStringLiteral("config.json")), clipConfigJson(spec));
    put(config.filePath(QStringLiteral("preprocessor_config.json")), clipPreprocessorJson(224));
    const std::vector<Merge> merges = {{"o", "n</w>"}, {"d", "o"}, {"do", "g</w>"}, {"b", "e"}, {"a", "c"},
                                       {"ac", "h</w>"}, {"be", "ach</w>"}};
    put(vocab.filePath(QStringLiteral("vocab.json")), clipVocabJson(merges));
    put(vocab.filePath(QStringLiteral("merges.txt")), clipMergesTxt(merges));
}

} // namespace

int main(int argc, char** argv)
{
    QGuiApplication app(argc, argv); // QImageWriter's plugins
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_seeds OUTDIR\n");
        return 2;
    }
    const QDir out(QString::fromLocal8Bit(argv[1]));
    for (const char* sub : {"image", "metadata", "safetensors", "config", "tiny-vocab"})
        out.mkpath(QLatin1String(sub));
    imageSeeds(QDir(out.filePath(QStringLiteral("image"))), QDir(out.filePath(QStringLiteral("metadata"))));
    modelSeeds(QDir(out.filePath(QStringLiteral("safetensors"))), QDir(out.filePath(QStringLiteral("config"))),
               QDir(out.filePath(QStringLiteral("tiny-vocab"))));
    return 0;
}
