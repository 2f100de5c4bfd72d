// photosearch-cli repair: checks the catalog and, when it is damaged, keeps
// the damaged file aside and builds a sound one (index/catalog/CatalogRepair.h).

#include "Catalog.h"
#include "CatalogRepair.h"
#include "Commands.h"
#include "Indexer.h"
#include "LibraryArgs.h"
#include "LibraryRoots.h"
#include "VectorCache.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLockFile>

#include <cstdio>

namespace photosearch::cli {
namespace {

RepairMode modeFromArgs(const CliArgs& a)
{
    const bool fromBackup = a.has(QStringLiteral("from-backup"));
    const bool rebuild = a.has(QStringLiteral("rebuild"));
    if (fromBackup && rebuild)
        throw UsageError("repair takes --from-backup or --rebuild, not both");
    return fromBackup ? RepairMode::FromBackup : rebuild ? RepairMode::Rebuild : RepairMode::Auto;
}

// The FAISS files reflect the damaged catalog's rows and generations, which
// the repaired one may not have: removed, they are rebuilt from the catalog
// by the next search (VectorCache.h). They hold nothing else.
QJsonArray removeVectorCaches(const QString& libraryDir)
{
    QJsonArray removed;
    const QDir dir(libraryDir);
    for (const QString& name : dir.entryList({QStringLiteral("vectors-*.faiss")}, QDir::Files))
        if (QFile::remove(dir.filePath(name)))
            removed.append(dir.filePath(name));
    return removed;
}

QJsonArray stringArray(const QStringList& list)
{
    QJsonArray array;
    for (const QString& s : list)
        array.append(s);
    return array;
}

// What happened and what to do next, in one line.
QString nextStep(const RepairReport& r, const QString& libraryDir, const QStringList& roots)
{
    QStringList quoted;
    for (const QString& root : roots)
        quoted << shellQuoted(root);
    const QString folders = roots.isEmpty() ? QStringLiteral("FOLDER...") : quoted.join(QLatin1Char(' '));
    const QString index =
        QStringLiteral("photosearch-cli index --library %1 %2").arg(shellQuoted(libraryDir), folders);
    const QString from = r.backup.isEmpty()
                             ? QStringLiteral("rebuilt from what could still be read (%1 rows)")
                                   .arg(r.fromDamaged.copied)
                             : QStringLiteral("rebuilt from what could still be read (%1 rows) and, for the rest, from "
                                              "the copy %2 of %3 (%4 rows)")
                                   .arg(r.fromDamaged.copied)
                                   .arg(r.backup, r.backupTime)
                                   .arg(r.fromBackup.copied);
    if (r.movedAside.isEmpty()) // it was missing: nothing to keep
        return QStringLiteral("%1 was damaged (%2); the catalog was %3; run %4 to bring it up to date with your "
                              "photos.")
            .arg(r.catalog, r.problem, from, index);
    return QStringLiteral("%1 was damaged (%2); it was kept as %3 and the catalog was %4; run %5 to bring it up to "
                          "date with your photos.")
        .arg(r.catalog, r.problem, r.movedAside, from, index);
}

} // namespace

int repairCommand(const QStringList& args)
{
    const CliArgs a(args, {QStringLiteral("library")}, {QStringLiteral("from-backup"), QStringLiteral("rebuild")});
    if (!a.positionals().isEmpty())
        throw UsageError("repair takes no arguments");
    const RepairMode mode = modeFromArgs(a);
    const QString libraryDir = openLibraryDir(a, LibraryUse::MustExist);
    // No index run may start meanwhile (it would take the new file's rows for
    // the old one's); open catalogs are refused by repairCatalog itself.
    QLockFile lock(indexLockPath(libraryDir));
    takeIndexLock(lock, libraryDir);
    const RepairReport r = repairCatalog(libraryDir, mode);
    QJsonObject summary{
        {QStringLiteral("catalog"), r.catalog},
        {QStringLiteral("photos"), r.photos},
        {QStringLiteral("albums"), r.albums},
    };
    if (r.outcome == RepairReport::Outcome::Healthy) {
        summary.insert(QStringLiteral("status"), QStringLiteral("ok"));
        printJsonLine(summary);
        std::fprintf(stderr, "photosearch-cli: %s passed its check; nothing was changed.\n", qPrintable(r.catalog));
        return 0;
    }
    QStringList roots;
    try {
        roots = libraryRoots(Catalog(libraryDir));
    } catch (const CatalogError& e) {
        std::fprintf(stderr, "%s\n", e.what());
    }
    const bool restored = r.outcome == RepairReport::Outcome::Restored;
    summary.insert(QStringLiteral("status"), restored ? QStringLiteral("restored") : QStringLiteral("salvaged"));
    summary.insert(QStringLiteral("problem"), r.problem);
    summary.insert(QStringLiteral("moved_aside"), r.movedAside);
    summary.insert(QStringLiteral("backup"), r.backup);
    summary.insert(QStringLiteral("backup_time"), r.backupTime);
    summary.insert(QStringLiteral("rows_from_damaged"), r.fromDamaged.copied);
    summary.insert(QStringLiteral("rows_from_backup"), r.fromBackup.copied);
    QJsonObject backupByTable; // only the tables the damaged file could not read (all of them after --from-backup)
    for (auto it = r.fromBackup.copiedByTable.cbegin(); it != r.fromBackup.copiedByTable.cend(); ++it)
        backupByTable.insert(it.key(), it.value());
    summary.insert(QStringLiteral("rows_from_backup_by_table"), backupByTable);
    summary.insert(QStringLiteral("unreadable"), stringArray(r.fromDamaged.unreadable));
    summary.insert(QStringLiteral("caches_removed"), removeVectorCaches(libraryDir));
    summary.insert(QStringLiteral("folders"), stringArray(roots));
    printJsonLine(summary);
    std::fprintf(stderr, "photosearch-cli: %s\n", qPrintable(nextStep(r, libraryDir, roots)));
    return 0;
}

} // namespace photosearch::cli
