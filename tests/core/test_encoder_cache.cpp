// ClipEncoderCache: one set of weights per model directory for all threads,
// freed with its last holder, and safe to use from several threads at once.

// LibTorch (via ClipEncoderCache.h) before Qt.
#include <torch/torch.h>

#include "ClipEncoderCache.h"
#include "ModelError.h"
#include "TinyModel.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace photosearch;

namespace {
// Stands for ModelIdentity's id of the files as they are.
const QString kId = QStringLiteral("clip-0000000000000001");
} // namespace

class TestEncoderCache : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString modelA_;
    QString modelB_;

private Q_SLOTS:
    void initTestCase()
    {
        modelA_ = temp_.filePath(QStringLiteral("a"));
        modelB_ = temp_.filePath(QStringLiteral("b"));
        QString error;
        QVERIFY2(testmodel::writeTinyClipModel(modelA_, &error, 1), qPrintable(error));
        QVERIFY2(testmodel::writeTinyClipModel(modelB_, &error, 2), qPrintable(error));
    }

    void sameDirectorySameWeights()
    {
        ClipEncoderCache cache(clip::DevicePreference::Cpu);
        const auto first = cache.acquire(modelA_, kId);
        const auto second = cache.acquire(modelA_, kId);
        QCOMPARE(first.get(), second.get());
        const auto other = cache.acquire(modelB_, kId);
        QVERIFY(other.get() != first.get());
        QCOMPARE(other->modelDir(), modelB_);
    }

    void changedFilesLoadAgain()
    {
        // Weights replaced on disk give another id: the old encoder is not
        // handed out for it, even while it is still held.
        ClipEncoderCache cache(clip::DevicePreference::Cpu);
        const auto before = cache.acquire(modelA_, kId);
        const auto after = cache.acquire(modelA_, QStringLiteral("clip-0000000000000002"));
        QVERIFY(after.get() != before.get());
    }

    void freedWithItsLastHolder()
    {
        ClipEncoderCache cache(clip::DevicePreference::Cpu);
        std::weak_ptr<const ClipEncoder> watch;
        {
            const auto held = cache.acquire(modelA_, kId);
            watch = held;
        }
        QVERIFY(watch.expired()); // the cache itself keeps nothing alive
        const auto again = cache.acquire(modelA_, kId);
        QVERIFY(again);
    }

    void badModelThrowsAndLeavesTheCacheUsable()
    {
        ClipEncoderCache cache(clip::DevicePreference::Cpu);
        QVERIFY_THROWS_EXCEPTION(clip::ModelError, cache.acquire(temp_.filePath(QStringLiteral("missing")), kId));
        QVERIFY(cache.acquire(modelA_, kId));
    }

    void threadsShareOneModel()
    {
        // Like the app: an index thread and a search thread asking at once
        // get the same weights, and embedding on both at the same time gives
        // what one thread alone gives.
        ClipEncoderCache cache(clip::DevicePreference::Cpu);
        const QStringList texts = {QStringLiteral("a dog on a beach"), QStringLiteral("a red car")};
        const torch::Tensor expected = cache.acquire(modelA_, kId)->embedTexts(texts);

        ClipEncoderCache shared(clip::DevicePreference::Cpu);
        constexpr int kThreads = 4;
        std::vector<const ClipEncoder*> seen(kThreads, nullptr);
        std::vector<torch::Tensor> results(kThreads);
        std::atomic_int holding{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i) {
            threads.emplace_back([&, i] {
                const auto encoder = shared.acquire(modelA_, kId);
                seen[size_t(i)] = encoder.get();
                // Everyone holds it before anyone embeds, so no thread can
                // let go of it early and make a later one load a second copy.
                ++holding;
                while (holding.load() < kThreads)
                    std::this_thread::yield();
                torch::Tensor out;
                for (int round = 0; round < 5; ++round)
                    out = encoder->embedTexts(texts);
                results[size_t(i)] = out;
            });
        }
        for (std::thread& t : threads)
            t.join();
        for (int i = 0; i < kThreads; ++i) {
            QVERIFY(seen[size_t(i)] != nullptr);
            QCOMPARE(seen[size_t(i)], seen[0]);
            QVERIFY(torch::allclose(results[size_t(i)], expected, 1e-5, 1e-6));
        }
    }
};

QTEST_GUILESS_MAIN(TestEncoderCache)
#include "test_encoder_cache.moc"
