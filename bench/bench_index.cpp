// Indexing throughput end to end (scan, read, hash, decode, preprocess,
// encode, write) against the encoder alone, on 12-megapixel JPEGs with a
// ViT-B/32-shaped model (random weights: speed does not depend on them).
//
//   bench_index [--photos N] [--workers N] [--batch N] [--full-decode] [--model DIR]
//               [--dtype fp32|bf16]   (default: the machine's choice, clip::chooseCompute)
//
// The goal is a pipeline that keeps the encoder busy: photos/s end to end
// close to the encoder's own images/s, and encoder busy time / wall time
// near 1, and per stage where the time went (busy, or waiting on which
// neighbour). Not a test: run on purpose, numbers go to docs/BENCHMARKS.md.

#include <torch/torch.h>

#include "ClipEncoder.h"
#include "ClipModel.h"
#include "Compute.h"
#include "Indexer.h"
#include "ModelIdentity.h"
#include "VectorSet.h"
#include "TestImages.h"

#include <QCoreApplication>
#include <QDir>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <memory>

using namespace photosearch;

namespace {

int intOption(const QStringList& args, const QString& name, int fallback)
{
    const int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1].toInt() : fallback;
}

// One 12 MP picture written once; each copy gets a distinct trailer after the
// JPEG end marker (decoders ignore it), so every file has its own content
// hash and is decoded and encoded, not recognised as a copy.
void makePhotos(const QString& dir, int count)
{
    const QString base = QDir(dir).filePath(QStringLiteral("base.tmp"));
    if (!testimages::writeImage(testimages::makePicture(4000, 3000, 7), base, ImageFormat::Jpeg))
        qFatal("cannot write %s", qPrintable(base));
    QFile in(base);
    in.open(QIODevice::ReadOnly);
    const QByteArray bytes = in.readAll();
    in.close();
    QFile::remove(base);
    QDir(dir).mkpath(QStringLiteral("photos"));
    for (int i = 0; i < count; ++i) {
        QFile out(QDir(dir).filePath(QStringLiteral("photos/img%1.jpg").arg(i, 5, 10, QLatin1Char('0'))));
        out.open(QIODevice::WriteOnly);
        out.write(bytes);
        out.write(QByteArray::number(i));
    }
    std::printf("photos: %d copies of a 4000x3000 JPEG (%.2f MB)\n", count, double(bytes.size()) / 1e6);
}

// Stage by stage, against the time they ran together: the stage that is
// busy nearly all of it is the bound; a stage's waiting names its
// neighbour. Decode is worker-seconds (summed over the workers), so its
// per-photo cost is comparable with bench_decode's.
void printStages(const IndexSummary& s)
{
    const double wall = s.pipelineSeconds > 0 ? s.pipelineSeconds : 1;
    const double encoded = double(std::max<qint64>(1, s.added + s.updated));
    std::printf("stages: scan+plan %.2f s, pipeline %.2f s, finish %.2f s\n", s.scanSeconds, s.pipelineSeconds,
                s.seconds - s.scanSeconds - s.pipelineSeconds);
    std::printf("  decode (%d workers): busy %.2f worker-s (%.0f ms/photo), blocked on the next stage %.2f "
                "worker-s\n",
                s.decodeWorkers, s.decodeSeconds, 1000.0 * s.decodeSeconds / encoded, s.decodeBlockedSeconds);
    std::printf("  encoder: busy %.2f s (%.0f%%, %.2f images/s while busy), starved %.2f s (%.0f%%)\n",
                s.encoderSeconds, 100.0 * s.encoderSeconds / wall,
                s.encoderSeconds > 0 ? encoded / s.encoderSeconds : 0.0, s.encoderStarvedSeconds,
                100.0 * s.encoderStarvedSeconds / wall);
    std::printf("  writer: busy %.2f s (%.0f%%), waiting %.2f s (%.0f%%)\n", s.writerSeconds,
                100.0 * s.writerSeconds / wall, s.writerWaitSeconds, 100.0 * s.writerWaitSeconds / wall);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int photos = intOption(args, QStringLiteral("--photos"), 96);
    const int workers = intOption(args, QStringLiteral("--workers"), 0);
    const int batch = intOption(args, QStringLiteral("--batch"), 8);
    const bool fullDecode = args.contains(QStringLiteral("--full-decode"));
    const int modelAt = args.indexOf(QStringLiteral("--model"));

    const int dtypeAt = args.indexOf(QStringLiteral("--dtype"));
    const clip::ComputeOptions compute = clip::chooseCompute(
        clip::DevicePreference::Auto, dtypeAt >= 0 && dtypeAt + 1 < args.size()
                                          ? clip::parseDtype(args[dtypeAt + 1].toStdString())
                                          : torch::ScalarType::Undefined);
    const int threads = compute.device.is_cpu() ? clip::configureCpuThreads() : 0;
    std::unique_ptr<ClipEncoder> loaded;
    std::unique_ptr<clip::TowerEngine> random;
    QString modelId = QStringLiteral("random-vit-b-32");
    if (modelAt >= 0 && modelAt + 1 < args.size()) {
        loaded = std::make_unique<ClipEncoder>(args[modelAt + 1], compute);
        modelId = vectorSetId(modelIdForDirectory(args[modelAt + 1]),
                              QString::fromStdString(clip::dtypeName(compute.dtype)));
    } else {
        random = std::make_unique<clip::ClipModel>(clip::ClipModel::random(clip::ClipConfig::vitB32(), compute, 1));
    }
    const clip::TowerEngine& model = loaded ? loaded->model() : *random;
    const ImagePreprocessor preprocessor = loaded ? loaded->preprocessor() : ImagePreprocessor();
    std::printf("device: %s, %d torch threads, batch %d, %s decode\n", clip::describe(compute).c_str(), threads, batch,
                fullDecode ? "full" : "reduced");

    QTemporaryDir temp;
    makePhotos(temp.path(), photos);

    // Encoder alone, on preprocessed pixels, after a warm-up batch.
    {
        torch::NoGradGuard noGrad;
        const int size = int(model.config().vision.imageSize);
        const torch::Tensor pixels = torch::randn({batch, 3, size, size});
        model.encodeImages(pixels);
        QElapsedTimer t;
        t.start();
        int done = 0;
        while (t.elapsed() < 10000 || done < 2 * batch) {
            model.encodeImages(pixels);
            done += batch;
        }
        std::printf("encoder only: %.2f images/s (%d images)\n", done * 1000.0 / double(t.elapsed()), done);
    }

    Indexer indexer(temp.filePath(QStringLiteral("library")), model, preprocessor, modelId);
    IndexOptions options;
    options.roots = {temp.filePath(QStringLiteral("photos"))};
    options.workers = workers;
    options.batchSize = batch;
    options.reducedDecode = !fullDecode;
    double indexingStart = -1;
    QElapsedTimer clock;
    clock.start();
    const IndexSummary s = indexer.run(options, nullptr, [&](const IndexProgress& p) {
        if (p.phase == IndexProgress::Phase::Indexing && indexingStart < 0)
            indexingStart = double(clock.nsecsElapsed()) / 1e9;
    });
    std::printf("pipeline: %lld photos in %.2f s = %.2f photos/s end to end (workers %d)\n", (long long)s.added,
                s.seconds, double(s.added) / s.seconds, workers);
    std::printf("encoder busy: %.2f s of %.2f s = %.0f%%\n", s.encoderSeconds, s.seconds,
                100.0 * s.encoderSeconds / s.seconds);
    printStages(s);
    if (s.added != photos)
        std::printf("WARNING: %lld failed\n", (long long)s.failed);

    // Incremental runs: nothing changed (size and mtime compared, no file
    // read), then every mtime moved with the bytes unchanged (a restored
    // backup: each file read and hashed, its EXIF read, nothing decoded).
    const IndexSummary again = indexer.run(options, nullptr, {});
    std::printf("rerun, nothing changed: %lld photos in %.3f s\n", (long long)again.unchanged, again.seconds);
    const QDateTime later = QDateTime::currentDateTime().addSecs(3600);
    for (const QFileInfo& f : QDir(options.roots.first()).entryInfoList(QDir::Files)) {
        QFile file(f.absoluteFilePath());
        if (file.open(QIODevice::ReadWrite))
            file.setFileTime(later, QFileDevice::FileModificationTime);
    }
    const IndexSummary touched = indexer.run(options, nullptr, {});
    std::printf("rerun, every mtime changed, same bytes: %lld unchanged, %lld updated in %.2f s = %.1f photos/s "
                "(encoder %.2f s)\n",
                (long long)touched.unchanged, (long long)touched.updated, touched.seconds,
                double(touched.scanned) / touched.seconds, touched.encoderSeconds);
    return 0;
}
