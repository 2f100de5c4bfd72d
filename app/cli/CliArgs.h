#pragma once
// Command-line arguments of one subcommand, in the order given. Order
// matters for `embed`, whose outputs follow its --text/--image inputs.

#include <QString>
#include <QStringList>

#include <stdexcept>
#include <utility>
#include <vector>

namespace photosearch::cli {

// Wrong usage: reported with exit code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// `name` as typed on the command line: "-k" for one letter, else "--library".
QString optionName(const QString& name);

class CliArgs {
public:
    // `valueOptions` take one value (`--name V` or `--name=V`); `flags` take
    // none. Anything else starting with "-" is a UsageError; "--" ends options.
    CliArgs(const QStringList& args, const QStringList& valueOptions, const QStringList& flags);

    const std::vector<std::pair<QString, QString>>& options() const { return options_; }
    const QStringList& positionals() const { return positionals_; }
    bool has(const QString& name) const;
    QString value(const QString& name, const QString& fallback = {}) const; // the last one given
    // The value of an option that must be present.
    QString required(const QString& name) const;

private:
    std::vector<std::pair<QString, QString>> options_;
    QStringList positionals_;
};

// The integer option `name` (`fallback` when absent): UsageError when it is
// not a number, below `minimum`, or beyond int (the error gives the maximum).
int numberOption(const CliArgs& args, const QString& name, int fallback, int minimum);

// "does not exist" or "is a file, not a folder" for a path that is not a
// folder, else empty.
QString folderProblem(const QString& path);

// Throws std::runtime_error with a sentence when the model folder `dir`
// does not exist or is not a folder; what is in it is checked when it loads.
void requireModelFolder(const QString& dir);

} // namespace photosearch::cli
