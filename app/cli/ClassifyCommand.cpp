// `classify`: zero-shot classification of any image files against labels
// typed on the command line (the engine of the window's drop panel).
// Images are decoded and embedded as they are now, in the library or not.
// With a library, the label embeddings are kept in its catalog, so the
// text tower runs once per label and model.

// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoder.h"

#include "Catalog.h"
#include "Commands.h"
#include "LabelEmbeddings.h"
#include "ComputeArgs.h"
#include "LibraryArgs.h"
#include "LibraryLocation.h"
#include "ModelIdentity.h"
#include "VectorSet.h"
#include "VectorSetDtype.h"
#include "ZeroShotClassifier.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>

#include <cstdio>
#include <memory>

namespace photosearch::cli {
namespace {

// Images per vision-tower call, as the indexer's CPU batch.
constexpr int kImageBatch = 8;

// The library whose catalog caches the labels, when there is one: --library
// (which must exist), else the default library if it already exists.
std::unique_ptr<Catalog> openCacheCatalog(const CliArgs& a)
{
    if (a.has(QStringLiteral("library"))) {
        const QString dir = openLibraryDir(a, LibraryUse::Read);
        return std::make_unique<Catalog>(dir, libraryAccess(dir));
    }
    const QString dir = LibraryLocation::resolve();
    if (!QFileInfo::exists(QDir(dir).filePath(QStringLiteral("catalog.sqlite"))))
        return nullptr;
    try {
        return std::make_unique<Catalog>(dir, libraryAccess(dir));
    } catch (const CatalogError&) {
        return nullptr; // only a cache: classify works without it
    }
}

void printResult(const QString& path, const Classification& c, const QStringList& labels)
{
    QJsonObject probs;
    for (int i = 0; i < labels.size(); ++i)
        probs.insert(labels[i], double(c.probs[size_t(i)]));
    printJsonLine(QJsonObject{{QStringLiteral("path"), path},
                              {QStringLiteral("label"), c.label},
                              {QStringLiteral("probs"), probs}});
}

// Decodes and classifies in batches; a file that cannot be read gets an
// error line in its place and the others go on. Returns the failures.
int classifyFiles(const ClipEncoder& encoder, const ZeroShotClassifier& classifier, const QStringList& files)
{
    int failed = 0;
    for (qsizetype start = 0; start < files.size(); start += kImageBatch) {
        const QStringList chunk = files.mid(start, kImageBatch);
        std::vector<torch::Tensor> pixels;
        std::vector<QString> errors(size_t(chunk.size()));
        for (qsizetype i = 0; i < chunk.size(); ++i) {
            try {
                pixels.push_back(encoder.preprocessor().load(chunk[i]));
            } catch (const ImageError& e) {
                errors[size_t(i)] = QString::fromUtf8(e.what());
            }
        }
        std::vector<Classification> results;
        if (!pixels.empty()) {
            torch::NoGradGuard noGrad;
            results = classifier.classify(encoder.embedPixels(pixels));
        }
        size_t next = 0;
        for (qsizetype i = 0; i < chunk.size(); ++i) {
            if (!errors[size_t(i)].isEmpty()) {
                std::fprintf(stderr, "photosearch-cli: %s\n", qPrintable(errors[size_t(i)]));
                printJsonLine(QJsonObject{{QStringLiteral("path"), chunk[i]},
                                          {QStringLiteral("error"), errors[size_t(i)]}});
                ++failed;
            } else {
                printResult(chunk[i], results[next++], classifier.labels());
            }
        }
    }
    return failed;
}

} // namespace

int classifyCommand(const QStringList& args)
{
    const CliArgs a(args, libraryValueOptions() << QStringLiteral("labels") << QStringLiteral("templates"), {});
    const QStringList labels = ZeroShotClassifier::splitLabels(a.required(QStringLiteral("labels")));
    if (labels.isEmpty())
        throw UsageError("--labels needs at least one label, e.g. --labels \"cat,dog,receipt\"");
    if (a.positionals().isEmpty())
        throw UsageError("classify needs at least one IMAGE");
    const QStringList templates = a.has(QStringLiteral("templates"))
                                      ? readPromptTemplates(a.value(QStringLiteral("templates")))
                                      : defaultPromptTemplates();

    std::unique_ptr<Catalog> catalog = openCacheCatalog(a);
    QString modelDir;
    if (catalog) {
        modelDir = resolveModelDir(a, *catalog);
    } else {
        modelDir = a.value(QStringLiteral("model"), qEnvironmentVariable("PHOTOSEARCH_MODEL"));
        if (modelDir.isEmpty())
            throw UsageError("no CLIP model given: pass --model DIR or --library DIR, or set PHOTOSEARCH_MODEL");
        requireModelFolder(modelDir);
    }
    // Labels are cached with the library's vectors of this model, in their precision.
    const QString filesId = modelIdForDirectory(modelDir);
    const QString existing = catalog ? existingVectorSet(*catalog, filesId) : QString();
    const clip::ComputeOptions compute = computeFromArgs(a, vectorSetDtype(existing));
    const QString setId = catalog ? readerVectorSet(existing, filesId, compute.dtype) : QString();
    const ClipEncoder encoder(modelDir, compute);
    PromptEnsemble ensemble(encoder, templates, catalog ? catalogLabelStore(*catalog, setId) : LabelEmbeddingStore{});
    const ZeroShotClassifier classifier(encoder, labels, ensemble);
    const int failed = classifyFiles(encoder, classifier, a.positionals());
    if (failed > 0)
        std::fprintf(stderr, "photosearch-cli: %d of %d images could not be classified.\n", failed,
                     int(a.positionals().size()));
    return failed > 0 ? 1 : 0;
}

} // namespace photosearch::cli
