// Tag quality on the shapes world (tests/support/ShapesWorld.h) with the
// CLIP the suite trains itself: held-out renders are indexed, tagged with a
// vocabulary of the world's colours, shapes and backgrounds, and compared
// with each scene's ground truth (its colour, its shape, its background:
// three true tags of 22). The calibrated rule (TagRule.h) is measured
// against the best flat cosine threshold, chosen with the ground truth in
// hand (an oracle the calibrated rule does not get).

// LibTorch before Qt (Qt's keywords break LibTorch headers).
#include <torch/torch.h>

#include "ClipEncoder.h"

#include "Catalog.h"
#include "Indexer.h"
#include "LabelEmbeddings.h"
#include "LibraryTags.h"
#include "ModelIdentity.h"
#include "ShapesWorld.h"
#include "TagQueries.h"
#include "Tagger.h"

#include <QtTest>

#include <map>
#include <memory>
#include <set>

using namespace photosearch;
namespace sh = photosearch::shapes;

namespace {

constexpr uint64_t kSeed = 0x7A65C0DEull; // not the trainer's seed
constexpr int kPhotos = 300;

struct Quality {
    double precision = 0, recall = 0, f1 = 0;
};

Quality quality(qint64 truePositives, qint64 assigned, qint64 relevant)
{
    Quality q;
    q.precision = assigned ? double(truePositives) / double(assigned) : 1;
    q.recall = relevant ? double(truePositives) / double(relevant) : 1;
    q.f1 = q.precision + q.recall > 0 ? 2 * q.precision * q.recall / (q.precision + q.recall) : 0;
    return q;
}

QStringList vocabulary()
{
    QStringList labels;
    for (sh::Colour c : sh::allColours())
        labels << sh::colourName(c);
    for (sh::Shape s : sh::allShapes())
        labels << sh::shapeName(s);
    for (sh::Background b : sh::allBackgrounds())
        labels << sh::backgroundName(b) + QStringLiteral(" background");
    return labels;
}

std::set<QString> truth(const sh::Scene& s)
{
    return {sh::colourName(s.colour), sh::shapeName(s.shape), sh::backgroundName(s.background) +
                                                                  QStringLiteral(" background")};
}

} // namespace

class TestTagsQuality : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;
    std::unique_ptr<ClipEncoder> encoder_;
    std::map<QString, std::set<QString>> truth_; // path → true tags

private Q_SLOTS:
    void calibratedTagsBeatTheBestFlatThreshold()
    {
        const QString modelDir =
            qEnvironmentVariable("PHOTOSEARCH_SHAPES_CLIP_DIR", QStringLiteral(PHOTOSEARCH_SHAPES_CLIP_DIR));
        if (!QFileInfo::exists(modelDir + QStringLiteral("/model.safetensors")))
            QFAIL("the shapes_clip fixture did not produce a model");
        encoder_ = std::make_unique<ClipEncoder>(modelDir, clip::chooseCompute(clip::DevicePreference::Cpu));
        const QString photosDir = tmp_.filePath(QStringLiteral("photos"));
        QVERIFY(QDir().mkpath(photosDir));
        const std::vector<sh::Scene> scenes = sh::scenes(kSeed, kPhotos);
        for (int i = 0; i < kPhotos; ++i) {
            const QString path = QStringLiteral("%1/p%2.jpg").arg(photosDir).arg(i, 3, 10, QLatin1Char('0'));
            QVERIFY(sh::writeSceneJpeg(scenes[size_t(i)], path));
            truth_[path] = truth(scenes[size_t(i)]);
        }
        const QString library = tmp_.filePath(QStringLiteral("library"));
        const QString modelId = modelIdForDirectory(modelDir);
        {
            Indexer indexer(library, encoder_->model(), encoder_->preprocessor(), modelId);
            IndexOptions options;
            options.roots = {photosDir};
            QCOMPARE(indexer.run(options).added, qint64(kPhotos));
        }
        Catalog catalog(library);
        const QStringList labels = vocabulary();
        setLibraryVocabulary(catalog, labels);
        CatalogLabelEmbedder embedder(catalog, modelId, [this]() -> const ClipEncoder& { return *encoder_; });
        const TagRunSummary run = tagLibrary(catalog, modelId, embedder);
        QCOMPARE(run.photos, qint64(kPhotos));

        // The calibrated rule, overall and per kind of tag.
        qint64 tp = 0, assigned = 0;
        std::map<int, qint64> tpByKind; // 0 colour, 1 shape, 2 background
        std::vector<qint64> photoIds;
        std::vector<QString> paths;
        for (const PhotoRecord& p : catalog.photos()) {
            photoIds.push_back(p.id);
            paths.push_back(p.path);
            const std::set<QString>& t = truth_.at(p.path);
            for (const PhotoTag& tag : photoTags(catalog, modelId, p.id)) {
                ++assigned;
                if (t.count(tag.tag)) {
                    ++tp;
                    ++tpByKind[int(labels.indexOf(tag.tag) >= 16 ? 2 : labels.indexOf(tag.tag) >= 8 ? 1 : 0)];
                }
            }
        }
        const Quality calibrated = quality(tp, assigned, 3 * kPhotos);
        qInfo("calibrated rule: precision %.3f recall %.3f F1 %.3f (%lld tags on %d photos; recall colour %.3f "
              "shape %.3f background %.3f)",
              calibrated.precision, calibrated.recall, calibrated.f1, assigned, kPhotos,
              double(tpByKind[0]) / kPhotos, double(tpByKind[1]) / kPhotos, double(tpByKind[2]) / kPhotos);

        // The best flat cosine threshold over the same label embeddings.
        const torch::Tensor labelRows = embedder.embed(labels);
        torch::Tensor photos = torch::empty({kPhotos, labelRows.size(1)});
        for (int i = 0; i < kPhotos; ++i) {
            const std::vector<float> v = catalog.embedding(photoIds[size_t(i)], modelId);
            photos[i] = torch::from_blob(const_cast<float*>(v.data()), {int64_t(v.size())}).clone();
        }
        photos = photos / photos.norm(2, 1, true);
        const torch::Tensor cosines = torch::mm(photos, labelRows.t());
        torch::Tensor relevant = torch::zeros_like(cosines, torch::kBool);
        for (int i = 0; i < kPhotos; ++i)
            for (const QString& t : truth_.at(paths[size_t(i)]))
                relevant[i][labels.indexOf(t)] = true;
        Quality flat;
        double bestThreshold = 0;
        const torch::Tensor sorted = std::get<0>(cosines.reshape({-1}).sort());
        for (int64_t k = 0; k < sorted.numel(); k += 7) {
            const double threshold = sorted[k].item<double>();
            const torch::Tensor on = cosines >= threshold;
            const Quality q = quality((on & relevant).sum().item<int64_t>(), on.sum().item<int64_t>(), 3 * kPhotos);
            if (q.f1 > flat.f1) {
                flat = q;
                bestThreshold = threshold;
            }
        }
        qInfo("best flat cosine threshold %.4f (oracle): precision %.3f recall %.3f F1 %.3f", bestThreshold,
              flat.precision, flat.recall, flat.f1);

        // The rule's parameters around the defaults, for the log.
        {
            int count = 0;
            const char* const* neutral = neutralLabels(&count);
            QStringList neutralNames;
            for (int i = 0; i < count; ++i)
                neutralNames << QString::fromLatin1(neutral[i]);
            const torch::Tensor margins = tagMargins(photos, labelRows, embedder.embed(neutralNames));
            for (double minZ : {1.0, 1.5, 2.0, 2.5, 3.0}) {
                for (double minMargin : {-1.0, 0.0}) {
                    TagRule rule;
                    rule.minZ = minZ;
                    rule.minMargin = minMargin;
                    const TagDecision d = decideTags(margins, tagScores(margins, calibrateTags(margins, kPhotos, rule)), rule);
                    torch::Tensor on = torch::zeros_like(relevant);
                    for (int i = 0; i < kPhotos; ++i)
                        for (int64_t j = 0; j < d.tags.size(1); ++j)
                            if (d.assigned[i][j].item<bool>())
                                on[i][d.tags[i][j].item<int64_t>()] = true;
                    const Quality q = quality((on & relevant).sum().item<int64_t>(), on.sum().item<int64_t>(), 3 * kPhotos);
                    qInfo("rule minZ %.1f minMargin %.0f: precision %.3f recall %.3f F1 %.3f", minZ, minMargin,
                          q.precision, q.recall, q.f1);
                }
            }
        }

        // Bounds below what the rule (minZ 1.0) measured on the fixture
        // model: precision 0.65, recall 0.51, F1 0.57 against the oracle flat
        // threshold's 0.57 (the model learns colours and backgrounds, hardly
        // shapes: shape recall is near 0 for every rule). Chance precision
        // is 3/22 = 0.14.
        QVERIFY2(calibrated.precision >= 0.55, qPrintable(QString::number(calibrated.precision)));
        QVERIFY2(calibrated.recall >= 0.40, qPrintable(QString::number(calibrated.recall)));
    }
};

QTEST_GUILESS_MAIN(TestTagsQuality)
#include "test_tags_quality.moc"
