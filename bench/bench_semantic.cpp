// bench_semantic: the semantic engine's user-facing latencies with a
// ViT-B/32-shaped model (random weights: speed does not depend on them) and
// the real CLIP tokenizer.
//   1. classify: photos dropped on the window, labels typed, probabilities
//      out — decode (reduced JPEG decode), vision tower, label ensembles
//      (cold: embedded now; warm: cached), softmax.
//   2. search on a library of N photos: query language + a date phrase +
//      the relevance cut (background sample, candidates), text embedding
//      cached as in daily use, and cold (a new query).
// Not a test: run on purpose, numbers go to docs/BENCHMARKS.md.
//
//   bench_semantic [--tokenizer DIR] [--photos 10] [--megapixels 12] [--library-size 100000]
//                  [--queries 20] [--threads N]

#include <torch/torch.h>

#include "ClipEncoder.h"
#include "ClipModel.h"
#include "Compute.h"
#include "SearchEngine.h"
#include "TestImages.h"
#include "ZeroShotClassifier.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

using namespace photosearch;

namespace {

QString option(const QStringList& args, const QString& name, const QString& fallback)
{
    const int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1] : fallback;
}

double ms(const QElapsedTimer& t) { return double(t.nsecsElapsed()) / 1e6; }

void benchClassify(const ClipEncoder& encoder, const QString& dir, int photos, double megapixels)
{
    QStringList files;
    const int width = int(std::sqrt(megapixels * 1e6 * 4 / 3));
    for (int i = 0; i < photos; ++i) {
        const QString path = QStringLiteral("%1/drop%2.jpg").arg(dir).arg(i);
        testimages::makePicture(width, width * 3 / 4, i).save(path, "JPEG", 90);
        files << path;
    }
    const QStringList labels = {QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("receipt"),
                                QStringLiteral("beach"), QStringLiteral("screenshot")};
    for (const char* pass : {"cold (labels embedded now)", "warm (labels cached)"}) {
        static PromptEnsemble* ensemble = nullptr;
        if (!ensemble)
            ensemble = new PromptEnsemble(encoder);
        QElapsedTimer total;
        total.start();
        const ZeroShotClassifier classifier(encoder, labels, *ensemble);
        const double labelMs = ms(total);
        QElapsedTimer decode;
        decode.start();
        std::vector<torch::Tensor> pixels;
        for (const QString& f : files)
            pixels.push_back(encoder.preprocessor().load(f));
        const double decodeMs = ms(decode);
        QElapsedTimer encode;
        encode.start();
        torch::NoGradGuard noGrad;
        std::vector<Classification> out;
        for (size_t i = 0; i < pixels.size(); i += 8) {
            std::vector<torch::Tensor> batch(pixels.begin() + long(i), pixels.begin() + long(std::min(i + 8, pixels.size())));
            for (Classification& c : classifier.classify(encoder.embedPixels(batch)))
                out.push_back(c);
        }
        std::printf("classify %d photos (%.0f MP JPEG), %d labels x %d templates, %s: total %.0f ms = labels %.0f + "
                    "decode %.0f + encode+softmax %.0f\n",
                    photos, megapixels, int(labels.size()), int(ensemble->templates().size()), pass, ms(total),
                    labelMs, decodeMs, ms(encode));
    }
}

// CLIP-like unit vectors: a shared direction, topic centroids, noise (see
// bench_search.cpp for why).
std::vector<std::vector<float>> libraryVectors(int n, int dim)
{
    std::mt19937 gen(7);
    std::normal_distribution<float> normal;
    auto unit = [&](std::vector<float> v) {
        double s = 0;
        for (float x : v)
            s += double(x) * x;
        for (float& x : v)
            x = float(x / std::sqrt(s));
        return v;
    };
    auto randomUnit = [&] {
        std::vector<float> v(static_cast<size_t>(dim));
        for (float& x : v)
            x = normal(gen);
        return unit(v);
    };
    const std::vector<float> mu = randomUnit();
    std::vector<std::vector<float>> topics;
    for (int i = 0; i < 512; ++i)
        topics.push_back(randomUnit());
    std::vector<std::vector<float>> out;
    for (int i = 0; i < n; ++i) {
        const std::vector<float>& c = topics[size_t(gen() % topics.size())];
        std::vector<float> noise = randomUnit();
        std::vector<float> v(static_cast<size_t>(dim));
        for (int j = 0; j < dim; ++j)
            v[size_t(j)] = 0.55f * mu[size_t(j)] + 0.63f * c[size_t(j)] + 0.55f * noise[size_t(j)];
        out.push_back(unit(v));
    }
    return out;
}

void buildLibrary(const QString& dir, const QString& modelId, int n, int dim)
{
    QElapsedTimer t;
    t.start();
    Catalog catalog(dir);
    const std::vector<std::vector<float>> vectors = libraryVectors(n, dim);
    std::mt19937 gen(11);
    for (int start = 0; start < n; start += 5000) {
        Catalog::Transaction tx(catalog);
        for (int i = start; i < std::min(n, start + 5000); ++i) {
            PhotoRecord r;
            r.path = QStringLiteral("/photos/%1/IMG_%2.jpg").arg(2015 + i % 10).arg(i);
            r.contentHash = QString::number(i);
            r.format = QStringLiteral("jpeg");
            r.takenAt = QDateTime(QDate(2015 + i % 10, 1 + int(gen() % 12), 1 + int(gen() % 28)), QTime(12, 0));
            catalog.insertPhoto(r);
            catalog.putEmbedding(r.id, modelId, vectors[size_t(i)], r.contentHash);
        }
        tx.commit();
    }
    std::printf("built a library of %d photos in %.1f s\n", n, ms(t) / 1000);
}

void benchSearch(const ClipEncoder& encoder, const QString& dir, int size, int queries)
{
    const QString modelId = QStringLiteral("bench-b32");
    buildLibrary(dir, modelId, size, int(encoder.model().config().projectionDim));
    QElapsedTimer open;
    open.start();
    SearchEngine engine(dir, encoder, modelId);
    std::printf("opened (vector store %s) in %.0f ms\n", qPrintable(engine.rebuildReason().isEmpty() ? QStringLiteral("loaded") : QStringLiteral("built")), ms(open));
    const QStringList texts = {QStringLiteral("dog on a beach 2019"), QStringLiteral("receipt from March"),
                               QStringLiteral("2:sunset + mountains - people"), QStringLiteral("snow last winter")};
    for (const QString& text : texts) {
        std::vector<double> warm;
        double cold = 0;
        QueryResults last;
        for (int i = 0; i <= queries; ++i) {
            SearchRequest request;
            request.query = text;
            request.k = 20;
            request.today = QDate(2026, 12, 1);
            QElapsedTimer t;
            t.start();
            last = engine.search(request);
            if (i == 0)
                cold = ms(t);
            else
                warm.push_back(ms(t));
        }
        std::sort(warm.begin(), warm.end());
        std::printf("search '%s' on %d photos: first %.1f ms (text tower), then p50 %.1f ms p90 %.1f ms; %s; %d good "
                    "matches\n",
                    qPrintable(text), size, cold, warm[warm.size() / 2], warm[warm.size() * 9 / 10],
                    qPrintable(last.understood), last.goodMatches);
    }
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString tokenizerDir = option(args, QStringLiteral("--tokenizer"),
                                        QStringLiteral(PHOTOSEARCH_SOURCE_DIR "/../shared/clip-tokenizer"));
    const int threads = option(args, QStringLiteral("--threads"), QStringLiteral("0")).toInt();
    clip::ComputeOptions compute = clip::chooseCompute(clip::DevicePreference::Cpu);
    if (threads > 0)
        torch::set_num_threads(threads);
    std::printf("%s, %d threads, tokenizer %s\n", clip::describe(compute).c_str(), torch::get_num_threads(),
                qPrintable(tokenizerDir));
    ClipEncoder encoder(std::make_unique<clip::ClipModel>(clip::ClipModel::random(clip::ClipConfig::vitB32(), compute, 1)),
                        ClipTokenizer::fromDirectory(tokenizerDir), PreprocessConfig{}, QStringLiteral("random ViT-B/32"));
    QTemporaryDir temp;
    benchClassify(encoder, temp.path(), option(args, QStringLiteral("--photos"), QStringLiteral("10")).toInt(),
                  option(args, QStringLiteral("--megapixels"), QStringLiteral("12")).toDouble());
    benchSearch(encoder, temp.filePath(QStringLiteral("library")),
                option(args, QStringLiteral("--library-size"), QStringLiteral("100000")).toInt(),
                option(args, QStringLiteral("--queries"), QStringLiteral("20")).toInt());
    return 0;
}
