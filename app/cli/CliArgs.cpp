#include "CliArgs.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include <limits>

namespace photosearch::cli {

QString optionName(const QString& name)
{
    // Spelled as the usage writes it: `-k`, `--library`.
    return (name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name;
}

CliArgs::CliArgs(const QStringList& args, const QStringList& valueOptions, const QStringList& flags)
{
    bool optionsEnded = false;
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        if (optionsEnded || !a.startsWith(QLatin1Char('-')) || a == QLatin1String("-")) {
            positionals_ << a;
            continue;
        }
        if (a == QLatin1String("--")) {
            optionsEnded = true;
            continue;
        }
        QString name = a;
        while (name.startsWith(QLatin1Char('-')))
            name.remove(0, 1);
        QString value;
        bool hasInlineValue = false;
        if (const int eq = name.indexOf(QLatin1Char('=')); eq >= 0) {
            value = name.mid(eq + 1);
            name = name.left(eq);
            hasInlineValue = true;
        }
        if (flags.contains(name)) {
            if (hasInlineValue)
                throw UsageError(QStringLiteral("%1 takes no value").arg(optionName(name)).toStdString());
            options_.emplace_back(name, QString());
        } else if (valueOptions.contains(name)) {
            if (!hasInlineValue) {
                if (i + 1 >= args.size())
                    throw UsageError(QStringLiteral("%1 needs a value").arg(optionName(name)).toStdString());
                value = args[++i];
            }
            options_.emplace_back(name, value);
        } else {
            throw UsageError(QStringLiteral("unknown option %1").arg(a).toStdString());
        }
    }
}

bool CliArgs::has(const QString& name) const
{
    for (const auto& o : options_)
        if (o.first == name)
            return true;
    return false;
}

QString CliArgs::value(const QString& name, const QString& fallback) const
{
    QString v = fallback;
    for (const auto& o : options_)
        if (o.first == name)
            v = o.second;
    return v;
}

QString CliArgs::required(const QString& name) const
{
    if (!has(name))
        throw UsageError(QStringLiteral("%1 is required").arg(optionName(name)).toStdString());
    return value(name);
}

int numberOption(const CliArgs& args, const QString& name, int fallback, int minimum)
{
    if (!args.has(name))
        return fallback;
    const QString text = args.value(name).trimmed();
    bool ok = false;
    const qlonglong n = text.toLongLong(&ok);
    // All digits but not a qlonglong overflowed: too large as well.
    static const QRegularExpression digits(QStringLiteral("^\\+?[0-9]+$"));
    if ((ok && n > std::numeric_limits<int>::max()) || (!ok && digits.match(text).hasMatch()))
        throw UsageError(QStringLiteral("%1 %2 is too large (at most %3)")
                             .arg(optionName(name), text)
                             .arg(std::numeric_limits<int>::max())
                             .toStdString());
    if (!ok || n < minimum) {
        const QString bound = minimum == 1 ? QStringLiteral("> 0") : QStringLiteral(">= %1").arg(minimum);
        throw UsageError(QStringLiteral("%1 needs a number %2, not '%3'")
                             .arg(optionName(name), bound, args.value(name))
                             .toStdString());
    }
    return int(n);
}

QString folderProblem(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return QStringLiteral("does not exist");
    if (!info.isDir())
        return QStringLiteral("is a file, not a folder");
    return {};
}

void requireModelFolder(const QString& dir)
{
    // Said here, not as "cannot open DIR/config.json": the folder itself is
    // what is wrong, and loading would only find that out later.
    const QString problem = folderProblem(dir);
    if (!problem.isEmpty())
        throw std::runtime_error(QStringLiteral("The model folder %1 %2; pass --model a Hugging Face CLIP folder "
                                                "(with config.json and model.safetensors).")
                                     .arg(QDir::cleanPath(QFileInfo(dir).absoluteFilePath()), problem)
                                     .toStdString());
}

} // namespace photosearch::cli
