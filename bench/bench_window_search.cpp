// The window's first search (issue 15: "the window's first search as fast"
// as the CLI's): the search worker the window runs, driven the way the
// controller drives it, in a process that has LibTorch loaded already (the
// window always has). Prints one JSON line with the milliseconds from the
// request to the answer.
//
//   bench_window_search --library LIB --model MODEL --query TEXT [--preload whole]
//
// --preload whole: the whole model taken from the cache before the search,
// as every first search did before the worker loaded towers lazily (so the
// same binary gives "before" and "after").
// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoderCache.h"

#include "Catalog.h"
#include "ModelIdentity.h"
#include "SearchWorker.h"
#include "VectorSet.h"
#include "VectorSetDtype.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace photosearch;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{QStringLiteral("library"), QStringLiteral("library folder"), QStringLiteral("DIR")},
                       {QStringLiteral("model"), QStringLiteral("model folder"), QStringLiteral("DIR")},
                       {QStringLiteral("query"), QStringLiteral("search text"), QStringLiteral("TEXT")},
                       {QStringLiteral("preload"), QStringLiteral("'whole': load the whole model first"),
                        QStringLiteral("WHAT")}});
    parser.process(app);
    const QString library = parser.value(QStringLiteral("library"));
    const QString model = parser.value(QStringLiteral("model"));

    QElapsedTimer clock;
    clock.start();
    auto encoders = std::make_shared<ClipEncoderCache>();
    std::shared_ptr<const ClipEncoder> preloaded;
    if (parser.value(QStringLiteral("preload")) == QLatin1String("whole")) {
        const QString filesId = modelIdForDirectory(model);
        const Catalog catalog(library, Catalog::Access::ReadOnly);
        preloaded = encoders->acquire(model, filesId, vectorSetDtype(existingVectorSet(catalog, filesId)));
    }
    auto latest = std::make_shared<std::atomic_int>(1);
    SearchWorker worker(library, latest, encoders);
    SearchResults answer;
    QString failure;
    QObject::connect(&worker, &SearchWorker::finished, [&](const SearchResults& r) { answer = r; });
    QObject::connect(&worker, &SearchWorker::failed,
                     [&](int, const QString& sentence, const QString&) { failure = sentence; });
    SearchJob job;
    job.id = 1;
    job.options.text = parser.value(QStringLiteral("query"));
    job.modelDir = model;
    worker.search(job); // on this thread: the signals above are direct
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    const QJsonObject line{{QStringLiteral("query"), job.options.text},
                           {QStringLiteral("preload"), parser.value(QStringLiteral("preload"))},
                           {QStringLiteral("ms"), ms},
                           {QStringLiteral("hits"), int(answer.hits.size())},
                           {QStringLiteral("error"), failure}};
    std::printf("%s\n", QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
    return failure.isEmpty() ? 0 : 1;
}
