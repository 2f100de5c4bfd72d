// `models`: one JSON line {"id","name","path","dim","repo"} per installed
// model (index/models/ModelStore.h). `models download REPO`: fetches a
// Hugging Face repo into the model store (ModelDownloader.h), progress on
// stderr, the installed model's line on stdout; exit 1 with one sentence on
// failure. The download runs on a local event loop: Qt Network is
// asynchronous, and the CLI has no other loop running.

#include "CliArgs.h"
#include "Commands.h"
#include "DownloadMessages.h"
#include "ModelDownloader.h"
#include "ModelStore.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonObject>

#include <cstdio>
#include <stdexcept>

#include <unistd.h>

namespace photosearch::cli {
namespace {

QJsonObject modelLine(const InstalledModel& m)
{
    QJsonObject o{{QStringLiteral("id"), m.id},
                  {QStringLiteral("name"), m.name},
                  {QStringLiteral("path"), m.path},
                  {QStringLiteral("dim"), m.dim}};
    if (!m.repo.isEmpty())
        o.insert(QStringLiteral("repo"), m.repo);
    return o;
}

// In place on a terminal; a line every few seconds otherwise.
void printProgress(const DownloadProgress& p)
{
    static QElapsedTimer clock;
    const bool tty = ::isatty(STDERR_FILENO);
    if (!tty && clock.isValid() && clock.elapsed() < 5000)
        return;
    clock.start();
    const QString total = p.bytesTotal > 0 ? QStringLiteral(" of ") + formatBytes(p.bytesTotal) : QString();
    const QString rate = p.bytesPerSecond > 0 ? QStringLiteral(", %1/s").arg(formatBytes(qint64(p.bytesPerSecond)))
                                              : QString();
    std::fprintf(stderr, "%sdownloading %s: %s%s%s%s", tty ? "\r" : "", qPrintable(p.file),
                 qPrintable(formatBytes(p.bytesDone)), qPrintable(total), qPrintable(rate), tty ? "\033[K" : "\n");
    std::fflush(stderr);
}

int download(const QString& repo)
{
    ModelDownloader downloader;
    QEventLoop loop;
    QString installedDir, error;
    QObject::connect(&downloader, &ModelDownloader::progress, &downloader, printProgress);
    QObject::connect(&downloader, &ModelDownloader::finished, &loop, [&](const QString& dir) {
        installedDir = dir;
        loop.quit();
    });
    QObject::connect(&downloader, &ModelDownloader::failed, &loop, [&](const QString& sentence, const QString&) {
        error = sentence;
        loop.quit();
    });
    std::fprintf(stderr, "downloading %s from %s into %s\n", qPrintable(repo), qPrintable(ModelDownloader::endpoint()),
                 qPrintable(ModelStore::root()));
    downloader.start(repo);
    loop.exec();
    if (::isatty(STDERR_FILENO))
        std::fputs("\n", stderr);
    if (!error.isEmpty())
        throw std::runtime_error(error.toStdString()); // main() prints it and exits 1
    const auto model = ModelStore::installedRepo(repo);
    if (!model)
        throw std::runtime_error("the model was installed in " + installedDir.toStdString()
                                 + " but does not load; see the log above.");
    printJsonLine(modelLine(*model));
    return 0;
}

} // namespace

int modelsCommand(const QStringList& args)
{
    const CliArgs a(args, {}, {});
    const QStringList words = a.positionals();
    if (words.isEmpty()) {
        for (const InstalledModel& m : ModelStore::installed())
            printJsonLine(modelLine(m));
        return 0;
    }
    if (words.first() == QLatin1String("download")) {
        if (words.size() != 2)
            throw UsageError("models download takes one repo, e.g. openai/clip-vit-base-patch32");
        return download(words[1]);
    }
    throw UsageError("unknown models subcommand '" + words.first().toStdString() + "'");
}

} // namespace photosearch::cli
