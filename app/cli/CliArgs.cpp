#include "CliArgs.h"

namespace photosearch::cli {

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
                throw UsageError(QStringLiteral("--%1 takes no value").arg(name).toStdString());
            options_.emplace_back(name, QString());
        } else if (valueOptions.contains(name)) {
            if (!hasInlineValue) {
                if (i + 1 >= args.size())
                    throw UsageError(QStringLiteral("--%1 needs a value").arg(name).toStdString());
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
        throw UsageError(QStringLiteral("--%1 is required").arg(name).toStdString());
    return value(name);
}

} // namespace photosearch::cli
