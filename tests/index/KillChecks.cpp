#include "KillChecks.h"

#include "Catalog.h"
#include "SqliteConnection.h"
#include "VectorCache.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>

#include <algorithm>
#include <functional>
#include <memory>

namespace photosearch::killtest {

namespace {

const QString kCatalogFile = QStringLiteral("catalog.sqlite");

qint64 count(const Catalog& catalog, const char* sql, const QString& modelId = {})
{
    Statement s = catalog.connection().statement(sql);
    if (!modelId.isNull())
        s.bind(1, modelId);
    return s.next() ? s.int64(0) : -1;
}

QString integrity(const Catalog& catalog)
{
    Statement s = catalog.connection().statement("PRAGMA integrity_check");
    QStringList problems;
    while (s.next())
        problems << s.text(0);
    return problems == QStringList{QStringLiteral("ok")}
               ? QString()
               : QStringLiteral("integrity: %1").arg(problems.join(QStringLiteral("; ")));
}

// Rows the schema's keys should make impossible, counted anyway: the check
// must not lean on the code it checks.
QString duplicatesAndOrphans(const Catalog& catalog, const QString& modelId)
{
    if (const qint64 n = count(catalog, "SELECT COUNT(*) FROM (SELECT path FROM photos GROUP BY path HAVING COUNT(*) > 1)"))
        return QStringLiteral("duplicates: %1 paths have more than one photo row").arg(n);
    if (const qint64 n = count(catalog, "SELECT COUNT(*) FROM (SELECT photo_id FROM embeddings WHERE model_id = ?1 "
                                        "GROUP BY photo_id HAVING COUNT(*) > 1)", modelId))
        return QStringLiteral("duplicates: %1 photos have more than one embedding").arg(n);
    if (const qint64 n = count(catalog, "SELECT COUNT(*) FROM embeddings e LEFT JOIN photos p ON p.id = e.photo_id "
                                        "WHERE p.id IS NULL"))
        return QStringLiteral("orphans: %1 embeddings belong to no photo").arg(n);
    const qint64 rows = count(catalog, "SELECT COUNT(*) FROM embeddings WHERE model_id = ?1", modelId);
    if (rows != catalog.embeddingCount(modelId))
        return QStringLiteral("stale: %1 of %2 embeddings were computed from other content than the photo's")
            .arg(rows - catalog.embeddingCount(modelId))
            .arg(rows);
    return {};
}

QString photosHaveEmbeddings(const Catalog& catalog, const QString& modelId)
{
    const std::vector<qint64> missing = catalog.photosWithoutEmbedding(modelId);
    if (missing.empty())
        return {};
    const auto photo = catalog.photo(missing.front());
    return QStringLiteral("embeddings: %1 Ok photos have no embedding, e.g. %2")
        .arg(missing.size())
        .arg(photo ? photo->path : QString::number(missing.front()));
}

// Every file on disk once, as it is now, Ok, with its embedding; nothing
// else in the catalog.
QString catalogMatchesDisk(const Catalog& catalog, const FinalState& state, const QString& modelId)
{
    QHash<QString, PhotoRecord> rows;
    for (PhotoRecord& r : catalog.photos())
        rows.insert(r.path, std::move(r));
    for (const QString& path : state.files) {
        const auto it = rows.constFind(path);
        if (it == rows.constEnd())
            return QStringLiteral("on disk: %1 is not in the catalog").arg(path);
        const QFileInfo file(path);
        if (it->size != file.size() || it->mtimeMs != file.lastModified().toMSecsSinceEpoch())
            return QStringLiteral("on disk: %1 is recorded with size %2, mtime %3; the file has %4, %5")
                .arg(path).arg(it->size).arg(it->mtimeMs).arg(file.size()).arg(file.lastModified().toMSecsSinceEpoch());
        if (it->status != PhotoStatus::Ok)
            return QStringLiteral("on disk: %1 is recorded as not Ok (%2)").arg(path, it->error);
        if (catalog.embedding(it->id, modelId).empty())
            return QStringLiteral("on disk: %1 has no valid embedding").arg(path);
    }
    const QSet<QString> onDisk(state.files.begin(), state.files.end());
    for (auto it = rows.constBegin(); it != rows.constEnd(); ++it) {
        if (state.gone.contains(it.key()))
            return QStringLiteral("gone: %1 was deleted or moved away but is still in the catalog").arg(it.key());
        if (!onDisk.contains(it.key()))
            return QStringLiteral("gone: the catalog holds %1, which the driver never wrote").arg(it.key());
    }
    return {};
}

// The file must be current after an un-killed run (the run saves it last);
// then every catalog vector must be in it under its photo's id.
QString vectorFileMatches(const Catalog& catalog, const QString& libraryDir, const QString& modelId)
{
    std::vector<std::pair<qint64, std::vector<float>>> vectors;
    catalog.forEachEmbedding(modelId, [&](qint64 id, const std::vector<float>& v) { vectors.emplace_back(id, v); });
    if (vectors.empty())
        return QStringLiteral("vectors: the catalog holds no embeddings");
    const int dimension = int(vectors.front().second.size());
    VectorStore store(vectorStorePath(libraryDir, modelId), modelId, dimension);
    QString why;
    if (!store.load(catalog.generation(modelId), &why))
        return QStringLiteral("vectors: %1 is not current after a complete run (%2)").arg(store.filePath(), why);
    if (store.size() != qint64(vectors.size()))
        return QStringLiteral("vectors: the file holds %1 vectors, the catalog %2").arg(store.size()).arg(vectors.size());
    for (const auto& [id, v] : vectors) {
        const qint64 wanted = id;
        const auto hits = store.search(v.data(), 1, [wanted](qint64 hit) { return hit == wanted; });
        if (hits.empty())
            return QStringLiteral("vectors: photo id %1 is missing from the file").arg(id);
        if (hits.front().score < 0.999f)
            return QStringLiteral("vectors: photo id %1 has another vector in the file (cosine %2)")
                .arg(id).arg(double(hits.front().score));
    }
    return {};
}

// A kill between writing a temporary file and renaming it must not leave
// the temporary behind for good: a library's vector file can be hundreds of
// megabytes, one left per crash fills the disk. The run after a kill may
// clear them; the final state must hold only the library's own files.
QString noStrayFiles(const QString& libraryDir)
{
    static const QStringList own = {QStringLiteral("catalog.sqlite"), QStringLiteral("catalog.sqlite-wal"),
                                    QStringLiteral("catalog.sqlite-shm"), QStringLiteral("catalog.last-good.sqlite"),
                                    QStringLiteral("catalog.before-v*.sqlite"), QStringLiteral("vectors-*.faiss"),
                                    QStringLiteral("index.lock")};
    QStringList strays;
    for (const QString& name : QDir(libraryDir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
        const bool known = std::any_of(own.begin(), own.end(), [&](const QString& pattern) {
            return QRegularExpression(QRegularExpression::wildcardToRegularExpression(pattern)).match(name).hasMatch();
        });
        if (!known)
            strays << name;
    }
    return strays.isEmpty() ? QString()
                            : QStringLiteral("strays: the library folder holds files left by killed runs: %1")
                                  .arg(strays.join(QStringLiteral(", ")));
}

// One `similar` run; empty when `expected` comes first with at least
// `minScore`.
QString similarFirst(const FinalState& state, const QString& image, const QString& expected, double minScore)
{
    QProcess p;
    p.start(state.cli, {QStringLiteral("similar"), QStringLiteral("--library"), state.libraryDir,
                        QStringLiteral("-k"), QStringLiteral("3"), image});
    const bool done = p.waitForFinished(300000);
    const QByteArray out = p.readAllStandardOutput();
    if (!done || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return QStringLiteral("similar: `similar %1` failed (exit %2): %3")
            .arg(image).arg(p.exitCode()).arg(QString::fromUtf8(p.readAllStandardError().trimmed()));
    // The first line is the best hit.
    const QJsonObject best = QJsonDocument::fromJson(out.left(out.indexOf('\n'))).object();
    const QString first = best.value(QStringLiteral("path")).toString();
    const double score = best.value(QStringLiteral("score")).toDouble();
    if (first != expected || score < minScore)
        return QStringLiteral("similar: `similar %1` ranks %2 first (score %3), not %4")
            .arg(image, first).arg(score).arg(expected);
    return {};
}

// Each sampled photo by its own path, then a copy of it outside the library:
// the copy is embedded afresh, so its original must come first by content,
// which a vector stored for other content would not do.
QString similarRanksSelf(const FinalState& state, std::mt19937_64& rng)
{
    QStringList sample = state.files;
    std::shuffle(sample.begin(), sample.end(), rng);
    sample = sample.mid(0, state.similarSamples);
    for (int i = 0; i < sample.size(); ++i) {
        const QString& path = sample[i];
        QString problem = similarFirst(state, path, path, -1.0);
        if (!problem.isEmpty())
            return problem;
        const QString copy = QDir(state.probeDir).filePath(QStringLiteral("probe%1.%2").arg(i).arg(QFileInfo(path).suffix()));
        if (!QFile::copy(path, copy))
            return QStringLiteral("similar: cannot copy %1 to %2").arg(path, copy);
        problem = similarFirst(state, copy, path, 0.98);
        QFile::remove(copy);
        if (!problem.isEmpty())
            return problem;
    }
    return {};
}

} // namespace

QString checkAfterKill(const QString& libraryDir)
{
    if (!QFile::exists(QDir(libraryDir).filePath(kCatalogFile)))
        return {};
    try {
        const Catalog catalog(libraryDir, Catalog::Access::ReadOnly);
        const QString modelId = catalog.setting(QStringLiteral("model.id"));
        QString problem = integrity(catalog);
        if (problem.isEmpty() && !modelId.isEmpty())
            problem = photosHaveEmbeddings(catalog, modelId);
        if (problem.isEmpty())
            problem = duplicatesAndOrphans(catalog, modelId);
        return problem;
    } catch (const CatalogError& e) {
        return QStringLiteral("catalog: cannot be read after a kill: %1").arg(QString::fromUtf8(e.what()));
    }
}

QString checkFinal(const FinalState& state, std::mt19937_64& rng, int* passed)
{
    *passed = 0;
    try {
        std::unique_ptr<const Catalog> catalog = std::make_unique<const Catalog>(state.libraryDir, Catalog::Access::ReadOnly);
        const QString modelId = catalog->setting(QStringLiteral("model.id"));
        if (modelId.isEmpty())
            return QStringLiteral("catalog: no model.id setting after a complete run");
        const std::function<QString()> checks[] = {
            [&] { return integrity(*catalog); },
            [&] { return duplicatesAndOrphans(*catalog, modelId); },
            [&] { return photosHaveEmbeddings(*catalog, modelId); },
            [&] { return catalogMatchesDisk(*catalog, state, modelId); },
            [&] { return vectorFileMatches(*catalog, state.libraryDir, modelId); },
            [&] { return noStrayFiles(state.libraryDir); },
            [&] { catalog.reset(); return similarRanksSelf(state, rng); },
        };
        for (const auto& check : checks) {
            const QString problem = check();
            if (!problem.isEmpty())
                return problem;
            ++*passed;
        }
    } catch (const std::exception& e) {
        return QStringLiteral("catalog: %1").arg(QString::fromUtf8(e.what()));
    }
    return {};
}

} // namespace photosearch::killtest
