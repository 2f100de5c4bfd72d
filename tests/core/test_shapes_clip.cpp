// The shapes CLIP fixture (tests/support/ShapesClip.h) is what other suites
// trust to give right answers, so this suite proves two things about it:
//  - the export is right: the trainer's own forward and ClipEncoder loading
//    the written directory give the same embeddings (relative error < 1e-4),
//    on a model whose every weight is random, so no swapped or transposed
//    tensor can hide behind an all-zero bias or a unit gain;
//  - what it learned: on held-out scenes (another seed), written as JPEG
//    files and read through ClipEncoder's own preprocessing, zero-shot colour
//    classification and the colour of text→image hits are far above chance.
//    Shape is measured and printed but NOT learned yet (expected failures).
//    Bounds sit below the measured values with a margin, since training is
//    only as deterministic as LibTorch's kernels.

// LibTorch (via ShapesClip.h and ClipEncoder.h) before Qt.
#include <torch/torch.h>

#include "ClipEncoder.h"
#include "ShapesClip.h"
#include "ShapesWorld.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <map>
#include <memory>

using namespace photosearch;
using namespace photosearch::shapes;

namespace {

double relativeError(const torch::Tensor& actual, const torch::Tensor& expected)
{
    return ((actual - expected).norm() / expected.norm()).item<double>();
}

// Mean of the unit-length prompt embeddings, normalised again: the CLIP
// paper's prompt ensemble.
torch::Tensor ensemble(const ClipEncoder& encoder, const QStringList& prompts)
{
    const torch::Tensor e = ClipEncoder::normalized(encoder.embedTexts(prompts)).mean(0, true);
    return ClipEncoder::normalized(e);
}

} // namespace

class TestShapesClip : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    std::unique_ptr<ClipEncoder> encoder_;
    std::vector<Scene> heldOut_;
    torch::Tensor images_; // [N, P] unit-length embeddings of heldOut_

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(temp_.isValid());
        // The environment may name another model, to judge training options.
        const QString dir = qEnvironmentVariable("PHOTOSEARCH_SHAPES_CLIP_DIR", QStringLiteral(PHOTOSEARCH_SHAPES_CLIP_DIR));
        QVERIFY2(QFileInfo::exists(QDir(dir).filePath(stampFileName())),
                 "the shapes_clip fixture (make_shapes_clip) has not run");
        encoder_ = std::make_unique<ClipEncoder>(dir, clip::chooseCompute(clip::DevicePreference::Cpu));

        heldOut_ = scenes(987654321, 240); // the fixture trains on another seed
        std::vector<torch::Tensor> pixels;
        for (size_t i = 0; i < heldOut_.size(); ++i) {
            const QString path = temp_.filePath(QStringLiteral("scene-%1.jpg").arg(i));
            QVERIFY(writeSceneJpeg(heldOut_[i], path));
            pixels.push_back(encoder_->preprocessor().load(path));
        }
        images_ = ClipEncoder::normalized(encoder_->embedPixels(pixels));
    }

    void everyCaptionWordIsOneToken()
    {
        const ClipTokenizer& t = encoder_->tokenizer();
        QCOMPARE(t.vocabularySize(), vocabularySize());
        for (const QString& word : tokenWords())
            QVERIFY2(t.encode(word).size() == 3, qPrintable(word));
        // A word outside the vocabulary still tokenizes, through byte symbols.
        QVERIFY(t.encode(QStringLiteral("zebra")).size() > 3);
        const std::vector<int64_t> ids = t.encode(caption(heldOut_[0], 0));
        QCOMPARE(ids.size(), size_t(caption(heldOut_[0], 0).split(QLatin1Char(' ')).size() + 2));
    }

    void exportMatchesTheTrainer();
    void learnedTextToImageRetrieval();
    void learnedZeroShotColourAndShape();
};

// A fresh model with every weight random (the trainer starts gains at one
// and biases at zero), written out and loaded by the engine.
void TestShapesClip::exportMatchesTheTrainer()
{
    ClipArchitecture arch;
    arch.textLayers = 2;
    arch.visionLayers = 2;
    TrainableClip model(arch, 7);
    {
        torch::NoGradGuard noGrad;
        torch::manual_seed(11);
        for (const auto& entry : model.parameters())
            if (entry.first != "logit_scale")
                entry.second.add_(torch::randn_like(entry.second) * 0.05);
    }
    const QString dir = temp_.filePath(QStringLiteral("random-export"));
    QVERIFY(QDir().mkpath(dir));
    QString error;
    QVERIFY2(writeTokenizer(dir, &error) && model.save(dir, &error), qPrintable(error));
    // fp32 asked for: the comparison is exact (1e-4), bf16 would be ~4e-3.
    const ClipEncoder engine(dir, clip::chooseCompute(clip::DevicePreference::Cpu, torch::kFloat32));

    const QStringList texts{QStringLiteral("a red circle"), QStringLiteral("two small blue triangles on a striped background"),
                            QStringLiteral("a photo of a zebra."), QString()};
    std::vector<std::vector<int64_t>> ids;
    for (const QString& t : texts)
        ids.push_back(engine.tokenizer().encode(t));
    std::vector<torch::Tensor> pixels;
    for (int i = 0; i < 3; ++i)
        pixels.push_back(scenePixels(heldOut_[size_t(i)], engine.preprocessor()));

    torch::NoGradGuard noGrad;
    const double textError = relativeError(engine.embedTexts(texts), model.encodeTokens(ids));
    const double imageError = relativeError(engine.embedPixels(pixels), model.encodeImages(torch::stack(pixels)));
    qInfo("export: relative error text %.2e, image %.2e", textError, imageError);
    QVERIFY2(textError < 1e-4, qPrintable(QString::number(textError)));
    QVERIFY2(imageError < 1e-4, qPrintable(QString::number(imageError)));
    QCOMPARE(engine.model().logitScale(), std::exp(model.logLogitScale().item<double>()));
}

// For every colour × shape present among the held-out scenes, the query
// "a <colour> <shape>" should rank such scenes in its top 5. recall@5 =
// relevant scenes in the top 5 / min(5, relevant scenes), averaged.
void TestShapesClip::learnedTextToImageRetrieval()
{
    std::map<std::pair<int, int>, std::vector<int64_t>> relevant;
    for (size_t i = 0; i < heldOut_.size(); ++i)
        relevant[{int(heldOut_[i].colour), int(heldOut_[i].shape)}].push_back(int64_t(i));
    QStringList queries;
    for (const auto& [key, indices] : relevant) {
        const Colour c = Colour(key.first);
        const Shape s = Shape(key.second);
        queries << QStringLiteral("a %1 %2").arg(colourName(c), shapeName(s));
    }
    const torch::Tensor texts = ClipEncoder::normalized(encoder_->embedTexts(queries));
    const torch::Tensor top = std::get<1>(torch::matmul(texts, images_.t()).topk(5, 1));
    double recall = 0;
    double colourHits = 0;
    int row = 0;
    for (const auto& [key, indices] : relevant) {
        int found = 0;
        for (int k = 0; k < 5; ++k) {
            const int64_t hit = top[row][k].item<int64_t>();
            found += std::count(indices.begin(), indices.end(), hit) > 0;
            colourHits += int(heldOut_[size_t(hit)].colour) == key.first;
        }
        recall += double(found) / std::min<size_t>(5, indices.size());
        ++row;
    }
    recall /= row;
    const double colourPrecision = colourHits / (5.0 * row);
    qInfo("retrieval over %d colour+shape queries: recall@5 %.3f, top-5 colour precision %.3f", row, recall,
          colourPrecision);
    QVERIFY2(colourPrecision > 0.9, qPrintable(QString::number(colourPrecision)));
    // Measured 0.16-0.26 (chance within the right colour is about 0.17):
    // the fixture does not learn shapes yet, see learnedZeroShotColourAndShape.
    QEXPECT_FAIL("", "the shapes CLIP tells colours apart but not yet shapes", Continue);
    QVERIFY2(recall > 0.5, qPrintable(QString::number(recall)));
}

// Zero-shot: each class's text is a prompt ensemble over the other
// attribute ("a red circle", "a red square", ... for the colour red).
void TestShapesClip::learnedZeroShotColourAndShape()
{
    std::vector<torch::Tensor> colourClasses, shapeClasses;
    for (Colour c : allColours()) {
        QStringList prompts;
        for (Shape s : allShapes())
            prompts << QStringLiteral("a photo of a %1 %2").arg(colourName(c), shapeName(s));
        colourClasses.push_back(ensemble(*encoder_, prompts));
    }
    for (Shape s : allShapes()) {
        QStringList prompts;
        for (Colour c : allColours())
            prompts << QStringLiteral("a photo of a %1 %2").arg(colourName(c), shapeName(s));
        shapeClasses.push_back(ensemble(*encoder_, prompts));
    }
    const torch::Tensor colourGuess = torch::matmul(images_, torch::cat(colourClasses).t()).argmax(1);
    const torch::Tensor shapeGuess = torch::matmul(images_, torch::cat(shapeClasses).t()).argmax(1);
    int colourRight = 0, shapeRight = 0;
    for (size_t i = 0; i < heldOut_.size(); ++i) {
        colourRight += colourGuess[int64_t(i)].item<int64_t>() == int(heldOut_[i].colour);
        shapeRight += shapeGuess[int64_t(i)].item<int64_t>() == int(heldOut_[i].shape);
    }
    const double n = double(heldOut_.size());
    qInfo("zero-shot on %d held-out scenes: colour accuracy %.3f (chance %.3f), shape accuracy %.3f (chance %.3f)",
          int(n), colourRight / n, 1.0 / allColours().size(), shapeRight / n, 1.0 / allShapes().size());
    QVERIFY2(colourRight / n > 0.9, qPrintable(QString::number(colourRight / n))); // measured 0.98-0.99
    // Measured 0.11-0.16 with every training variant tried (family batches,
    // patch 8 or 16, 2-3 layers, 400-1000 steps): shape is not learned within
    // the time budget. Expected to fail until it is, so a fix shows as XPASS.
    QEXPECT_FAIL("", "the shapes CLIP does not learn shapes within its training budget yet", Continue);
    QVERIFY2(shapeRight / n > 0.5, qPrintable(QString::number(shapeRight / n)));
}

QTEST_MAIN(TestShapesClip)
#include "test_shapes_clip.moc"
