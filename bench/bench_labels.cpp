// bench_labels: the first tagging of a library embeds the whole tag
// vocabulary (resources/vocabulary/default.txt) through every prompt
// template with the text tower, once per library and model. This times that
// (PromptEnsemble::embed, no catalog), and compares the result with an
// earlier run's vectors when given. Not a test; run on purpose.
//
// usage: bench_labels --model DIR [--labels N] [--rounds R] [--exact] [--save FILE] [--compare FILE]
//   --labels N   the first N labels of the vocabulary (default: all)
//   --exact      LabelPrecision::Exact (classify's) instead of Fast (the tagger's)
//   --save FILE  writes the label embeddings (float32, row-major)
//   --compare F  prints the smallest cosine between these and F's rows

#include <torch/torch.h>

#include "ClipEncoder.h"
#include "PromptEnsemble.h"
#include "Vocabulary.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>

#include <cstdio>

using namespace photosearch;

namespace {

QString option(const QStringList& args, const char* name, const QString& fallback = {})
{
    const qsizetype at = args.indexOf(QLatin1String(name));
    return at >= 0 && at + 1 < args.size() ? args[at + 1] : fallback;
}

void compareWith(const torch::Tensor& got, const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly) || f.size() != got.numel() * qint64(sizeof(float))) {
        std::printf("compare: %s is missing or of another shape\n", qPrintable(path));
        return;
    }
    const QByteArray bytes = f.readAll();
    const torch::Tensor before =
        torch::from_blob(const_cast<char*>(bytes.constData()), got.sizes(), torch::kFloat32).clone();
    const torch::Tensor cos = (got * before).sum(1);
    std::printf("compare with %s: cosine min %.7f, mean %.7f\n", qPrintable(path), cos.min().item<double>(),
                cos.mean().item<double>());
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString modelDir = option(args, "--model");
    if (modelDir.isEmpty()) {
        std::fprintf(stderr, "usage: bench_labels --model DIR [--labels N] [--rounds R] [--exact] [--save F] [--compare F]\n");
        return 2;
    }
    QStringList labels = defaultVocabulary();
    const int n = option(args, "--labels", QString::number(labels.size())).toInt();
    labels = labels.mid(0, n);
    const int rounds = option(args, "--rounds", QStringLiteral("1")).toInt();
    const int threads = clip::configureCpuThreads();
    const clip::ComputeOptions compute = clip::chooseCompute(clip::DevicePreference::Cpu);
    QElapsedTimer timer;
    timer.start();
    ClipEncoder encoder(modelDir, compute, clip::Towers::Text);
    std::printf("text tower of %s loaded in %.2f s (%s, %d threads)\n", qPrintable(modelDir),
                timer.nsecsElapsed() / 1e9, clip::describe(compute).c_str(), threads);
    torch::Tensor got;
    for (int r = 0; r < rounds; ++r) {
        PromptEnsemble ensemble(encoder); // fresh: nothing cached
        ensemble.setPrecision(args.contains(QLatin1String("--exact")) ? LabelPrecision::Exact : LabelPrecision::Fast);
        timer.restart();
        got = ensemble.embed(labels);
        const double s = timer.nsecsElapsed() / 1e9;
        const int texts = int(labels.size() * ensemble.templates().size());
        std::printf("round %d: %d labels x %d templates = %d texts in %.2f s (%.2f ms/text)\n", r + 1,
                    int(labels.size()), int(ensemble.templates().size()), texts, s, s * 1e3 / texts);
    }
    if (const QString cmp = option(args, "--compare"); !cmp.isEmpty())
        compareWith(got, cmp);
    if (const QString save = option(args, "--save"); !save.isEmpty()) {
        QFile f(save);
        const torch::Tensor c = got.contiguous();
        if (!f.open(QIODevice::WriteOnly)
            || f.write(reinterpret_cast<const char*>(c.data_ptr<float>()), c.numel() * qint64(sizeof(float)))
                   != c.numel() * qint64(sizeof(float)))
            std::fprintf(stderr, "cannot write %s\n", qPrintable(save));
    }
    return 0;
}
