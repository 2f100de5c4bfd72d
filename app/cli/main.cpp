// photosearch-cli-engine: every command of the command-line contract of
// DESIGN.md (JSON lines on stdout; progress, logs and the one-line error on
// stderr). Users run `photosearch-cli` (LauncherMain.cpp), which answers a
// cached search itself and hands everything else to this program.

#include "CliArgs.h"
#include "Commands.h"
#include "ImagePreprocessor.h"
#include "ModelError.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <c10/util/Exception.h>
#include <torch/version.h>

#include <cstdio>
#include <cstdlib>

namespace {

const char* kUsage =
    "usage: photosearch-cli COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  tokenize --model DIR TEXT...       CLIP token ids, one JSON line per text\n"
    "  embed --model DIR [--device auto|cpu|cuda] [--dtype fp32|fp16|bf16] [--normalize]\n"
    "        (--text T | --image PATH)...   one JSON line per input, in order\n"
    "  index [--library DIR] [--model DIR] [--device D] [--workers N] [--batch N]\n"
    "        [--include-hidden] [--full-decode] FOLDER...\n"
    "                                     add, update and remove photos; prints a summary\n"
    "  search [--library DIR] [--model DIR] [-k N] [--all] [--sort relevance|date] [FILTERS] QUERY\n"
    "                                     photos matching the query, best first, down to the\n"
    "                                     query's relevance cut (--all: the k best regardless).\n"
    "                                     QUERY: terms joined by + and -, \"quoted phrases\",\n"
    "                                     weights 2:dog, an image file as a term, dates in\n"
    "                                     words (\"beach 2019\", \"receipt from March\")\n"
    "  similar [--library DIR] [--model DIR] [-k N] [FILTERS] IMAGE\n"
    "                                     photos looking like the image, best first\n"
    "  stats [--library DIR]              counts, formats and failures\n"
    "  duplicates [--library DIR]         groups of near-duplicate photos, largest first\n"
    "  albums [--library DIR]             albums with their kind (tag, few-shot, manual) and size\n"
    "  album show [--library DIR] NAME    the album's photos, best first\n"
    "  album train [--library DIR] NAME --positive PATH... [--negative PATH...]\n"
    "                                     few-shot album from photos marked in/out\n"
    "  album add|remove [--library DIR] NAME PATH...\n"
    "                                     edit an album (add creates a manual one)\n"
    "  album rename|delete [--library DIR] NAME [NEW-NAME]\n"
    "                                     photos stay in the library\n"
    "  classify [--model DIR | --library DIR] [--templates FILE] --labels \"a,b,c\" IMAGE...\n"
    "                                     zero-shot label probabilities, one JSON line per image\n"
    "  tag [--library DIR] [--model DIR] [--vocabulary FILE]\n"
    "                                     tag every photo from its stored embedding; FILE (one\n"
    "                                     label per line, # comments) becomes the library's\n"
    "                                     vocabulary. Prints {tags, photos, assigned, seconds}\n"
    "  tags [--library DIR] [--confirm TAG | --remove TAG | --clear TAG] PATH...\n"
    "                                     each photo's tags {path, tags:[{tag, score}]}; --confirm\n"
    "                                     and --remove record a correction that always wins over\n"
    "                                     the model, --clear forgets it. An unknown PATH prints\n"
    "                                     {path, error}, and the exit code is 1\n"
    "  ocr [--library DIR] [--all] [--languages eng+deu]\n"
    "                                     read the text written in photos where text is likely\n"
    "                                     (--all: in every photo); prints {examined, read, skipped,\n"
    "                                     failed, withText, seconds, cancelled}\n"
    "  text [--library DIR] PATH...       each photo's recognised text {path, text}\n"
    "  models                             installed models {id, name, path, dim, repo}\n"
    "  models download REPO               fetch a Hugging Face CLIP repo (e.g.\n"
    "                                     openai/clip-vit-base-patch32) from $HF_ENDPOINT into\n"
    "                                     $PHOTOSEARCH_MODELS (resumes; checks SHA-256)\n"
    "  repair [--library DIR] [--from-backup | --rebuild]\n"
    "                                     check the catalog; when it is damaged, keep it aside as\n"
    "                                     catalog.damaged-TIME.sqlite and rebuild it from what can\n"
    "                                     still be read and the last good copy (--from-backup: the\n"
    "                                     copy alone; --rebuild: no copy). Then run index again\n"
    "  --version                          print the version\n"
    "\n"
    "filters: --after DATE  --before DATE (taken-at, else file time;\n"
    "         YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS)\n"
    "         --folder DIR  --format jpeg,png,webp,gif,bmp,tiff,heif,avif,raw\n"
    "library: --library DIR, else $PHOTOSEARCH_LIBRARY, else the default library\n"
    "model:   --model DIR, else the one the library was indexed with, else $PHOTOSEARCH_MODEL\n";

} // namespace

int runCli(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("photosearch"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PHOTOSEARCH_VERSION));
    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h")) {
        std::fputs(kUsage, args.isEmpty() ? stderr : stdout);
        return args.isEmpty() ? 2 : 0;
    }
    if (args.first() == QLatin1String("--version")) {
        std::printf("photosearch-cli %s (Qt %s, LibTorch %s)\n", PHOTOSEARCH_VERSION, qVersion(), TORCH_VERSION);
        return 0;
    }
    using namespace photosearch::cli;
    if (const QString error = nonUtf8ArgumentError(argc, argv); !error.isEmpty()) {
        std::fprintf(stderr, "photosearch-cli: %s\n", qPrintable(error));
        return 1;
    }
    const QString command = args.takeFirst();
    try {
        if (command == QLatin1String("tokenize"))
            return tokenizeCommand(args);
        if (command == QLatin1String("embed"))
            return embedCommand(args);
        if (command == QLatin1String("index"))
            return indexCommand(args);
        if (command == QLatin1String("search"))
            return searchCommand(args);
        if (command == QLatin1String("similar"))
            return similarCommand(args);
        if (command == QLatin1String("stats"))
            return statsCommand(args);
        if (command == QLatin1String("duplicates"))
            return duplicatesCommand(args);
        if (command == QLatin1String("albums"))
            return albumsCommand(args);
        if (command == QLatin1String("album"))
            return albumCommand(args);
        if (command == QLatin1String("classify"))
            return classifyCommand(args);
        if (command == QLatin1String("tag"))
            return tagCommand(args);
        if (command == QLatin1String("tags"))
            return tagsCommand(args);
        if (command == QLatin1String("models"))
            return modelsCommand(args);
        if (command == QLatin1String("repair"))
            return repairCommand(args);
        if (command == QLatin1String("ocr"))
            return ocrCommand(args);
        if (command == QLatin1String("text"))
            return textCommand(args);
        throw UsageError("unknown command '" + command.toStdString() + "'");
    } catch (const UsageError& e) {
        return reportUsageError(e);
    } catch (const c10::Error& e) {
        // LibTorch messages carry a C++ backtrace; the user gets the first line.
        const std::string message = e.what_without_backtrace();
        std::fprintf(stderr, "photosearch-cli: %s\n", message.substr(0, message.find('\n')).c_str());
        return 1;
    } catch (const std::exception& e) {
        return reportError(e);
    }
}

int main(int argc, char** argv)
{
    const int code = runCli(argc, argv);
    // Every command has closed its files and catalog by now. What a normal
    // exit would still do is run LibTorch's and Qt's static destructors and
    // wind down thread pools: ~0.15 s for nothing on the 2-core VM, on a
    // short index run a few percent of it.
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(code);
}
