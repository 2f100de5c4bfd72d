// The tiny CLIP model the tests write themselves (tests/support/TinyModel.h):
// it loads, tokenizes through its merges, and embeds different inputs
// differently — what the library tests need of it in place of the shared
// fixture.

// LibTorch (via ClipEncoder.h) before Qt.
#include <torch/torch.h>

#include "ClipEncoder.h"
#include "TestImages.h"
#include "TinyModel.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace photosearch;

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Largest cosine similarity between two different rows.
double maxOffDiagonalCosine(const torch::Tensor& embeddings)
{
    const torch::Tensor n = ClipEncoder::normalized(embeddings);
    const torch::Tensor cos = torch::matmul(n, n.t()) - 2 * torch::eye(n.size(0));
    return cos.max().item<double>();
}

} // namespace

class TestTinyModel : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString dir_;
    std::unique_ptr<ClipEncoder> encoder_;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(temp_.isValid());
        dir_ = temp_.filePath(QStringLiteral("tiny"));
        QString error;
        QVERIFY2(testmodel::writeTinyClipModel(dir_, &error), qPrintable(error));
        encoder_ = std::make_unique<ClipEncoder>(dir_, clip::chooseCompute(clip::DevicePreference::Cpu));
    }

    void configMatchesTheTokenizer()
    {
        const clip::ClipConfig& c = encoder_->model().config();
        const ClipTokenizer& t = encoder_->tokenizer();
        QCOMPARE(c.text.vocabSize, int64_t(t.vocabularySize()));
        QCOMPARE(c.text.bosTokenId, t.startId());
        QCOMPARE(c.text.eosTokenId, t.endId());
        QVERIFY(c.text.eosTokenId != 2); // not the legacy argmax pooling
        QCOMPARE(t.endId(), int64_t(t.vocabularySize() - 1));
        QCOMPARE(encoder_->preprocessor().config().cropSize, int(c.vision.imageSize));
    }

    void tokenizerUsesTheMerges()
    {
        const ClipTokenizer& t = encoder_->tokenizer();
        const QJsonObject vocab = QJsonDocument::fromJson(readAll(dir_ + QStringLiteral("/vocab.json"))).object();
        std::vector<int64_t> expected{t.startId()};
        for (const char* word : {"a</w>", "dog</w>", "on</w>", "a</w>", "beach</w>"}) {
            QVERIFY2(vocab.contains(QLatin1String(word)), word);
            expected.push_back(vocab.value(QLatin1String(word)).toInteger());
        }
        expected.push_back(t.endId());
        QCOMPARE(t.encode(QStringLiteral("a dog on a beach")), expected);
        // Anything else falls back to byte symbols, never to the unknown (end) id.
        const std::vector<int64_t> ids = t.encode(QStringLiteral("Zürich 2024 — ünïcödé!"));
        QCOMPARE(ids.front(), t.startId());
        QCOMPARE(ids.back(), t.endId());
        QCOMPARE(std::count(ids.begin(), ids.end(), t.endId()), 1);
    }

    void textEmbeddingsDiffer()
    {
        const torch::Tensor e = encoder_->embedTexts({QStringLiteral("a dog on a beach"), QStringLiteral("a red car"),
                                                      QStringLiteral("the photo"), QStringLiteral("x")});
        QCOMPARE(e.sizes().vec(), (std::vector<int64_t>{4, encoder_->model().config().projectionDim}));
        QVERIFY(torch::isfinite(e).all().item<bool>());
        const double max = maxOffDiagonalCosine(e);
        qInfo("largest cosine between different texts: %.6f", max);
        QVERIFY(max < 0.9999);
    }

    // A search loads only the tower it needs, with fp32 weights left in the
    // file's mapping (issue 15's cold start): the same numbers as a full,
    // copied load, and the missing tower refuses instead of running garbage.
    void oneTowerAndInPlaceLoadsAgree()
    {
        const auto cpu = clip::chooseCompute(clip::DevicePreference::Cpu);
        const QStringList texts{QStringLiteral("a dog on a beach"), QStringLiteral("receipt")};
        const torch::Tensor full = encoder_->embedTexts(texts);
        for (const auto storage : {clip::WeightStorage::Copy, clip::WeightStorage::InPlace}) {
            const ClipEncoder text(dir_, cpu, clip::Towers::Text, storage);
            QVERIFY(text.model().hasTextTower() && !text.model().hasVisionTower());
            QVERIFY(torch::equal(text.embedTexts(texts), full));
            QVERIFY_THROWS_EXCEPTION(std::logic_error,
                                     text.embedPixels({encoder_->preprocessor().toTensor(
                                         testimages::makePicture(64, 64, 1))}));
        }
        std::vector<torch::Tensor> pixels;
        for (int seed = 0; seed < 3; ++seed)
            pixels.push_back(encoder_->preprocessor().toTensor(testimages::makePicture(320, 240, seed)));
        const torch::Tensor images = encoder_->embedPixels(pixels);
        for (const auto storage : {clip::WeightStorage::Copy, clip::WeightStorage::InPlace}) {
            const ClipEncoder vision(dir_, cpu, clip::Towers::Vision, storage);
            QVERIFY(!vision.model().hasTextTower() && vision.model().hasVisionTower());
            QVERIFY(torch::equal(vision.embedPixels(pixels), images));
            QVERIFY_THROWS_EXCEPTION(std::logic_error, vision.embedTexts(texts));
        }
    }

    void imageEmbeddingsDiffer()
    {
        std::vector<torch::Tensor> pixels;
        for (int seed = 0; seed < 24; ++seed)
            pixels.push_back(encoder_->preprocessor().toTensor(testimages::makePicture(320, 240, seed)));
        const torch::Tensor e = encoder_->embedPixels(pixels);
        QCOMPARE(e.sizes().vec(), (std::vector<int64_t>{24, encoder_->model().config().projectionDim}));
        QVERIFY(torch::isfinite(e).all().item<bool>());
        // The library tests find each photo as its own nearest neighbour.
        const double max = maxOffDiagonalCosine(e);
        qInfo("largest cosine between different pictures: %.6f", max);
        QVERIFY(max < 0.9999);
    }

    void sameSeedSameFiles()
    {
        const QString again = temp_.filePath(QStringLiteral("again"));
        const QString other = temp_.filePath(QStringLiteral("other"));
        QVERIFY(testmodel::writeTinyClipModel(again));
        QVERIFY(testmodel::writeTinyClipModel(other, nullptr, 1));
        const QStringList files = QDir(dir_).entryList(QDir::Files);
        QCOMPARE(files.size(), 5);
        for (const QString& name : files) {
            const QByteArray bytes = readAll(dir_ + QLatin1Char('/') + name);
            QVERIFY(!bytes.isEmpty());
            QVERIFY2(bytes == readAll(again + QLatin1Char('/') + name), qPrintable(name));
            // Only the weights depend on the seed.
            QCOMPARE(bytes == readAll(other + QLatin1Char('/') + name), name != QLatin1String("model.safetensors"));
        }
    }

    void unwritableDirectoryIsReported()
    {
        QFile blocker(temp_.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QString error;
        QVERIFY(!testmodel::writeTinyClipModel(blocker.fileName() + QStringLiteral("/model"), &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTinyModel)
#include "test_tiny_model.moc"
