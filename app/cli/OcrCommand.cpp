// `ocr` and `text` (DESIGN.md "Command line"): the text-in-photos pass over
// the library (index/text/TextPass.h), and each photo's recognised text.
//
// `text` with an unknown PATH behaves like `tags`: the other paths are still
// answered, the unknown one gets {"path","error"} in its place on stdout, the
// sentence on stderr, and the exit code is 1.

#include "Catalog.h"
#include "Commands.h"
#include "IndexControl.h"
#include "LibraryArgs.h"
#include "PhotoLookup.h"
#include "PhotoTextStore.h"
#include "TextPass.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>
#include <thread>
#include <unistd.h>

namespace photosearch::cli {

namespace {

std::atomic_int ocrInterrupted{0};

extern "C" void onOcrInterrupt(int signal)
{
    ocrInterrupted = signal;
    // A second Ctrl+C ends the process at once: what was committed stays.
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

// Turns SIGINT/SIGTERM into control.cancel() while it lives (a signal handler
// may only set a flag).
class CancelOnSignal {
public:
    explicit CancelOnSignal(IndexControl& control)
    {
        ocrInterrupted = 0;
        std::signal(SIGINT, onOcrInterrupt);
        std::signal(SIGTERM, onOcrInterrupt);
        watcher_ = std::thread([this, &control] {
            while (!finished_) {
                if (ocrInterrupted != 0) {
                    control.cancel();
                    break;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        });
    }
    ~CancelOnSignal()
    {
        finished_ = true;
        watcher_.join();
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
    }

private:
    std::atomic_bool finished_{false};
    std::thread watcher_;
};

} // namespace

int ocrCommand(const QStringList& args)
{
    const CliArgs a(args, libraryValueOptions() << QStringLiteral("languages"), {QStringLiteral("all")});
    if (!a.positionals().isEmpty())
        throw UsageError("ocr takes no PATH; it reads the photos of the library");
    // MustExist refuses a read-only library with its own sentence.
    const QString libraryDir = openLibraryDir(a, LibraryUse::MustExist);
    TextPassOptions options;
    options.all = a.has(QStringLiteral("all"));
    // Without --languages, those of the library's last pass (the window's
    // setting, say): a pass in other languages would read every photo again.
    options.languages = a.has(QStringLiteral("languages"))
                            ? a.value(QStringLiteral("languages"))
                            : Catalog(libraryDir).setting(QString::fromLatin1(kTextLanguagesSetting),
                                                          options.languages);
    IndexControl control;
    const CancelOnSignal cancelOnSignal(control);
    const bool tty = ::isatty(STDERR_FILENO);
    const TextPassSummary s = TextPass(libraryDir).run(options, &control, [tty](const TextPassProgress& p) {
        if (tty)
            std::fprintf(stderr, "\rreading text %lld/%lld", static_cast<long long>(p.done),
                         static_cast<long long>(p.total));
    });
    if (tty)
        std::fputc('\n', stderr);
    printJsonLine(QJsonObject{{QStringLiteral("examined"), s.examined},
                              {QStringLiteral("read"), s.read},
                              {QStringLiteral("skipped"), s.skipped},
                              {QStringLiteral("failed"), s.failed},
                              {QStringLiteral("withText"), s.withText},
                              {QStringLiteral("seconds"), s.seconds},
                              {QStringLiteral("cancelled"), s.cancelled}});
    return s.cancelled ? 130 : 0;
}

int textCommand(const QStringList& args)
{
    const CliArgs a(args, libraryValueOptions(), {});
    if (a.positionals().isEmpty())
        throw UsageError("text needs at least one PATH of a photo in the library");
    const QString libraryDir = openLibraryDir(a, LibraryUse::Read);
    const Catalog catalog(libraryDir, libraryAccess(libraryDir));
    const PhotoTextStore texts(catalog);
    int unknown = 0;
    for (const QString& path : a.positionals()) {
        const std::optional<qint64> id = photoIdForPath(catalog, path);
        if (!id) {
            ++unknown;
            reportNotInLibrary(path);
            continue;
        }
        const std::optional<PhotoText> text = texts.text(*id);
        const bool read = text && text->status == PhotoTextStatus::Read;
        printJsonLine(QJsonObject{{QStringLiteral("path"), path}, {QStringLiteral("text"), read ? text->text : QString()}});
    }
    return unknown > 0 ? 1 : 0;
}

} // namespace photosearch::cli
