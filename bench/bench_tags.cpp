// bench_tags: tagLibrary (index/tags/Tagger.h) on a catalog of random unit
// vectors, the label embeddings random too (no model is loaded): the cost of
// reading the embeddings, the matrix products, the calibration and the
// writes. Not a test; run on purpose.
//
// usage: bench_tags [--photos 100000] [--tags 300] [--dim 512]

#include <torch/torch.h>

#include "Catalog.h"
#include "LabelEmbeddings.h"
#include "LibraryTags.h"
#include "Tagger.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStringList>
#include <QTemporaryDir>

#include <cstdio>

using namespace photosearch;

namespace {

class RandomLabels : public LabelEmbedder {
public:
    explicit RandomLabels(int64_t dim)
        : dim_(dim)
    {
    }
    torch::Tensor embed(const QStringList& labels) override
    {
        torch::Tensor t = torch::randn({int64_t(labels.size()), dim_});
        return t / t.norm(2, 1, true);
    }
    QString key() const override { return QStringLiteral("random"); }

private:
    int64_t dim_;
};

int option(const QStringList& args, const char* name, int fallback)
{
    const qsizetype at = args.indexOf(QLatin1String(name));
    return at >= 0 && at + 1 < args.size() ? args[at + 1].toInt() : fallback;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int photos = option(args, "--photos", 100000), tags = option(args, "--tags", 300);
    const int dim = option(args, "--dim", 512);
    QTemporaryDir dir;
    Catalog catalog(dir.path());
    QElapsedTimer timer;
    timer.start();
    torch::manual_seed(0);
    {
        Catalog::Transaction t(catalog);
        for (int i = 0; i < photos; ++i) {
            PhotoRecord r;
            r.path = QStringLiteral("/p/%1.jpg").arg(i);
            r.contentHash = QString::number(i);
            catalog.insertPhoto(r);
            torch::Tensor v = torch::randn({dim});
            v /= v.norm();
            catalog.putEmbedding(r.id, QStringLiteral("m"), std::vector<float>(v.data_ptr<float>(), v.data_ptr<float>() + dim),
                                 r.contentHash);
        }
        t.commit();
    }
    std::fprintf(stderr, "built %d photos in %.1f s\n", photos, double(timer.elapsed()) / 1000);
    QStringList labels;
    for (int i = 0; i < tags; ++i)
        labels << QStringLiteral("tag %1").arg(i);
    setLibraryVocabulary(catalog, labels);
    RandomLabels embedder(dim);
    const TagRunSummary s = tagLibrary(catalog, QStringLiteral("m"), embedder);
    std::printf("{\"photos\":%lld,\"tags\":%d,\"dim\":%d,\"assigned\":%lld,\"seconds\":%.3f,\"threads\":%d}\n",
                s.photos, s.tags, dim, s.assigned, s.seconds, torch::get_num_threads());
    QElapsedTimer again;
    again.start();
    const TagRunSummary none = tagUntagged(catalog, QStringLiteral("m"), embedder);
    std::printf("{\"tagUntagged_nothing_new_seconds\":%.4f,\"photos\":%lld}\n", double(again.nsecsElapsed()) / 1e9,
                none.photos);
    return 0;
}
