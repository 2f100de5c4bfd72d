// `albums` and `album show|train|add|remove|rename|delete` (DESIGN.md
// "Command line"). No model is loaded: albums work from the embeddings the
// catalog already holds for the library's model.
//
// Writes are small catalog transactions: an index run in progress only makes
// them wait for its current batch (SQLite's busy timeout); when even that
// runs out, the error says indexing is why.

#include "AlbumLibrary.h"
#include "Catalog.h"
#include "Commands.h"
#include "LibraryArgs.h"
#include "LibraryModel.h"
#include "VectorCache.h"

#include <QJsonObject>
#include <QRegularExpression>

#include <cstdio>
#include <functional>

namespace photosearch::cli {
namespace {

const QStringList kExampleOptions = {QStringLiteral("positive"), QStringLiteral("negative")};

// DESIGN.md writes `--positive PATH...`: the words after --positive or
// --negative, up to the next option, all belong to it. Rewritten here into
// the repeated form CliArgs reads (`--positive A --positive B`).
QStringList expandExampleLists(const QStringList& args)
{
    QStringList out;
    QString current;       // the list option being read, empty outside one
    bool hasValue = false; // it has its first word already
    for (const QString& a : args) {
        if (a.startsWith(QLatin1Char('-')) && a != QLatin1String("-")) {
            const QString name = QString(a).remove(QRegularExpression(QStringLiteral("^-+"))).section('=', 0, 0);
            current = kExampleOptions.contains(name) ? name : QString();
            hasValue = a.contains(QLatin1Char('='));
            out << a;
            continue;
        }
        if (!current.isEmpty() && hasValue)
            out << QStringLiteral("--") + current;
        hasValue = true;
        out << a;
    }
    return out;
}

QStringList optionValues(const CliArgs& args, const QString& name)
{
    QStringList values;
    for (const auto& o : args.options())
        if (o.first == name)
            values << o.second;
    return values;
}

// Runs one album edit; a catalog that stayed locked is explained by the
// index run holding it, when there is one.
template <typename Edit>
auto write(const QString& libraryDir, Edit edit)
{
    try {
        return edit();
    } catch (const CatalogError& e) {
        qint64 pid = 0;
        if (!indexRunInProgress(libraryDir, &pid))
            throw;
        throw std::runtime_error(QStringLiteral("The library at %1 is being indexed (process %2) and stayed busy; "
                                                "run the album command again when indexing has finished. (%3)")
                                     .arg(libraryDir, QString::number(pid), QString::fromUtf8(e.what()))
                                     .toStdString());
    }
}

QJsonObject photoLine(const AlbumPhoto& p)
{
    return QJsonObject{{QStringLiteral("path"), p.path}, {QStringLiteral("score"), p.score}};
}

QJsonObject summaryLine(const AlbumSummary& s)
{
    return QJsonObject{{QStringLiteral("name"), s.name},
                       {QStringLiteral("kind"), albumKindName(s.kind)},
                       {QStringLiteral("count"), s.count}};
}

QString needName(const CliArgs& a, const char* usage)
{
    if (a.positionals().isEmpty() || a.positionals().first().trimmed().isEmpty())
        throw UsageError(std::string("album ") + usage);
    return a.positionals().first();
}

int train(const CliArgs& a, const QString& libraryDir)
{
    const QString name = needName(a, "train needs NAME --positive PATH... [--negative PATH...]");
    if (a.positionals().size() > 1)
        throw UsageError("album train takes the photos after --positive or --negative; put NAME before them");
    const QStringList positives = optionValues(a, QStringLiteral("positive"));
    const QStringList negatives = optionValues(a, QStringLiteral("negative"));
    if (positives.isEmpty() && negatives.isEmpty())
        throw UsageError("album train needs --positive PATH... (photos that belong) or --negative PATH...");
    Catalog catalog(libraryDir);
    AlbumLibrary albums(catalog, libraryModelId(catalog));
    const FewShotTraining t = write(libraryDir, [&] { return albums.train(name, positives, negatives); });
    const AlbumSummary s = write(libraryDir, [&] { return albums.summary(name); });
    if (!t.trained)
        std::fprintf(stderr, "photosearch-cli: album \"%s\" was not trained: it needs at least one photo marked in "
                             "that is indexed with the library's model; it lists its marked photos only.\n",
                     qPrintable(s.name));
    printJsonLine(QJsonObject{{QStringLiteral("album"), s.name},
                              {QStringLiteral("kind"), albumKindName(s.kind)},
                              {QStringLiteral("positives"), t.positives},
                              {QStringLiteral("negatives"), t.negatives},
                              {QStringLiteral("weakNegatives"), t.weakNegatives},
                              {QStringLiteral("withoutEmbedding"), t.withoutEmbedding},
                              {QStringLiteral("trained"), t.trained},
                              {QStringLiteral("count"), s.count}});
    return 0;
}

int edit(const QString& sub, const CliArgs& a, const QString& libraryDir)
{
    const QString usage = sub + QStringLiteral(" needs NAME PATH...");
    const QString name = needName(a, qPrintable(usage));
    const QStringList paths = a.positionals().mid(1);
    if (paths.isEmpty())
        throw UsageError(("album " + usage).toStdString());
    Catalog catalog(libraryDir);
    AlbumLibrary albums(catalog, libraryModelId(catalog));
    const int changed = write(libraryDir, [&] {
        return sub == QLatin1String("add") ? albums.add(name, paths) : albums.remove(name, paths);
    });
    const AlbumSummary s = write(libraryDir, [&] { return albums.summary(name); });
    printJsonLine(QJsonObject{{QStringLiteral("album"), s.name},
                              {QStringLiteral("kind"), albumKindName(s.kind)},
                              {sub == QLatin1String("add") ? QStringLiteral("added") : QStringLiteral("removed"),
                               changed},
                              {QStringLiteral("count"), s.count}});
    return 0;
}

} // namespace

int albumsCommand(const QStringList& args)
{
    const CliArgs a(args, {QStringLiteral("library")}, {});
    if (!a.positionals().isEmpty())
        throw UsageError("albums takes no arguments (album show NAME lists one album's photos)");
    const QString libraryDir = openLibraryDir(a, LibraryUse::Read);
    Catalog catalog(libraryDir, libraryAccess(libraryDir));
    AlbumLibrary albums(catalog, libraryModelId(catalog));
    for (const AlbumSummary& s : write(libraryDir, [&] { return albums.list(); }))
        printJsonLine(summaryLine(s));
    return 0;
}

int albumCommand(const QStringList& args)
{
    static const QStringList subcommands = {QStringLiteral("show"),   QStringLiteral("train"),
                                            QStringLiteral("add"),    QStringLiteral("remove"),
                                            QStringLiteral("rename"), QStringLiteral("delete")};
    if (args.isEmpty() || !subcommands.contains(args.first()))
        throw UsageError("album needs one of show, train, add, remove, rename, delete");
    const QString sub = args.first();
    const QStringList rest = args.mid(1);
    const bool isTrain = sub == QLatin1String("train");
    const CliArgs a(isTrain ? expandExampleLists(rest) : rest, QStringList{QStringLiteral("library")}
                                                                 + (isTrain ? kExampleOptions : QStringList{}),
                    {});
    // show only reads: it works on a read-only library (LibraryArgs.h); the
    // editing subcommands refuse one with a sentence.
    const bool isShow = sub == QLatin1String("show");
    const QString libraryDir = openLibraryDir(a, isShow ? LibraryUse::Read : LibraryUse::MustExist);
    if (isTrain)
        return train(a, libraryDir);
    if (sub == QLatin1String("add") || sub == QLatin1String("remove"))
        return edit(sub, a, libraryDir);

    const QString name = needName(a, sub == QLatin1String("rename") ? "rename needs NAME NEW-NAME"
                                                                     : "needs an album NAME");
    if (a.positionals().size() != (sub == QLatin1String("rename") ? 2 : 1))
        throw UsageError(sub == QLatin1String("rename") ? "album rename needs NAME NEW-NAME"
                                                        : ("album " + sub + " takes one NAME (quote it if it has "
                                                                            "spaces)").toStdString());
    Catalog catalog(libraryDir, isShow ? libraryAccess(libraryDir) : Catalog::Access::ReadWrite);
    AlbumLibrary albums(catalog, libraryModelId(catalog));
    if (isShow) {
        for (const AlbumPhoto& p : write(libraryDir, [&] { return albums.show(name); }))
            printJsonLine(photoLine(p));
    } else if (sub == QLatin1String("rename")) {
        write(libraryDir, [&] { albums.rename(name, a.positionals().at(1)); });
        printJsonLine(summaryLine(albums.summary(a.positionals().at(1))));
    } else {
        write(libraryDir, [&] { albums.deleteAlbum(name); });
        printJsonLine(QJsonObject{{QStringLiteral("album"), name.trimmed()}, {QStringLiteral("deleted"), true}});
    }
    return 0;
}

} // namespace photosearch::cli
