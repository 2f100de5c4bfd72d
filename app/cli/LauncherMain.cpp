// photosearch-cli: what users and scripts run. It answers `search` and
// `similar` itself when the catalog has what they need (QuickSearch.h: no
// LibTorch in this process, so a repeated query answers in a fraction of the
// ~0.5 s LibTorch takes to load) and hands every other command, and any
// search that needs the model, to photosearch-cli-engine (main.cpp) by exec:
// same arguments, same standard streams, same exit code.

#include "CliArgs.h"
#include "Commands.h"
#include "QuickSearch.h"
#include "SearchCommand.h"

#include <QCoreApplication>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <unistd.h>

namespace {

std::string directoryOfThisProgram()
{
    char path[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
    if (n <= 0)
        return {};
    const std::string exe(path, size_t(n));
    return exe.substr(0, exe.rfind('/'));
}

// Next to this program in a build tree; the installed layout's libexec folder otherwise.
std::string enginePath()
{
    const std::string dir = directoryOfThisProgram();
    const std::string besides = dir + "/photosearch-cli-engine";
    if (access(besides.c_str(), F_OK) == 0) // execv then names what is wrong with it
        return besides;
    return dir + "/" PHOTOSEARCH_ENGINE_FROM_BIN "/photosearch-cli-engine";
}

[[noreturn]] void runEngine(char** argv)
{
    std::fflush(nullptr);
    const std::string engine = enginePath();
    execv(engine.c_str(), argv);
    std::fprintf(stderr, "photosearch-cli: could not start %s (%s); reinstall PhotoSearch.\n", engine.c_str(),
                 std::strerror(errno));
    std::exit(1);
}

bool isQuickCommand(const char* command)
{
    return std::strcmp(command, "search") == 0 || std::strcmp(command, "similar") == 0;
}

} // namespace

int main(int argc, char** argv)
{
    // PHOTOSEARCH_QUICK_SEARCH=0 sends searches to the engine as well
    // (to compare the two, or should the quick path ever misbehave).
    const char* quick = std::getenv("PHOTOSEARCH_QUICK_SEARCH");
    if (argc < 2 || !isQuickCommand(argv[1]) || (quick && std::strcmp(quick, "0") == 0))
        runEngine(argv);
    using namespace photosearch::cli;
    if (!nonUtf8ArgumentError(argc, argv).isEmpty())
        runEngine(argv); // the engine says what to do about it
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("photosearch"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PHOTOSEARCH_VERSION));
    QStringList args = QCoreApplication::arguments().mid(1);
    const QString command = args.takeFirst();
    try {
        return command == QLatin1String("search") ? quickSearchCommand(args) : quickSimilarCommand(args);
    } catch (const NeedsFullCli&) {
        runEngine(argv);
    } catch (const UsageError& e) {
        return reportUsageError(e);
    } catch (const std::exception& e) {
        return reportError(e);
    }
}
