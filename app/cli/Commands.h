#pragma once
// photosearch-cli subcommands. Each prints JSON lines on stdout and returns
// the exit code; errors are thrown and reported by main().

#include <QStringList>

#include <exception>

class QJsonObject;

namespace photosearch::cli {

class UsageError;

int tokenizeCommand(const QStringList& args);
int embedCommand(const QStringList& args);
int indexCommand(const QStringList& args);
int searchCommand(const QStringList& args);
int similarCommand(const QStringList& args);
int statsCommand(const QStringList& args);
int duplicatesCommand(const QStringList& args);
int albumsCommand(const QStringList& args);
int albumCommand(const QStringList& args);
int classifyCommand(const QStringList& args);
int tagCommand(const QStringList& args);
int tagsCommand(const QStringList& args);
int modelsCommand(const QStringList& args);
int repairCommand(const QStringList& args);
int ocrCommand(const QStringList& args);
int textCommand(const QStringList& args);

// Writes one compact JSON object and a newline to stdout.
void printJsonLine(const QJsonObject& object);

// The one-line error of a command (DESIGN.md); they return the exit code.
int reportUsageError(const UsageError& error);
int reportError(const std::exception& error);

// Qt decodes argv as UTF-8 and replaces bytes it cannot decode, so such an
// argument is refused up front: the sentence, or an empty string when every
// argument is UTF-8.
QString nonUtf8ArgumentError(int argc, char** argv);

// A PATH argument that is no photo of the library (tags, text): the sentence
// on stderr and a {"path","error"} line on stdout, so that the other paths
// still answer.
void reportNotInLibrary(const QString& path);

} // namespace photosearch::cli
