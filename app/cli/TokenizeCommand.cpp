#include "CliArgs.h"
#include "ClipTokenizer.h"
#include "Commands.h"

#include <QJsonArray>
#include <QJsonObject>

namespace photosearch::cli {

int tokenizeCommand(const QStringList& args)
{
    const CliArgs a(args, {QStringLiteral("model")}, {});
    const QString model = a.required(QStringLiteral("model"));
    if (a.positionals().isEmpty())
        throw UsageError("tokenize needs at least one TEXT");
    requireModelFolder(model);
    const ClipTokenizer tokenizer = ClipTokenizer::fromDirectory(model);
    for (const QString& text : a.positionals()) {
        QJsonArray ids;
        for (int64_t id : tokenizer.encode(text))
            ids.append(qint64(id));
        printJsonLine(QJsonObject{{QStringLiteral("text"), text}, {QStringLiteral("ids"), ids}});
    }
    return 0;
}

} // namespace photosearch::cli
