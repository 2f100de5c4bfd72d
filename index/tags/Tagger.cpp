// The tagger's runs over the catalog: read embeddings, score in chunks,
// write one transaction per chunk. The maths is TagRule.cpp.
#include <torch/torch.h>

#include "Tagger.h"

#include "Catalog.h"
#include "LabelEmbeddings.h"
#include "LibraryTags.h"
#include "SqliteConnection.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QHash>

#include <unordered_map>

namespace photosearch {

namespace {

// Photos per matrix product and per write transaction. 4096 × 512 floats is
// 8 MB, well inside the caches' reach of a BLAS call, and a transaction of
// ~20k rows keeps SQLite's commit cost negligible.
constexpr int64_t kChunk = 4096;
// Photos the per-tag medians are measured on, evenly spread over the
// library: the median's standard error at 50k samples is ~0.6% of the
// scale, far below what changes a decision.
constexpr int64_t kCalibrationSample = 50000;

QString stateKey(const QString& modelId)
{
    return QStringLiteral("tags/state/") + modelId;
}

// What a calibration depends on besides the photos.
QString stateDigest(const QString& embedderKey, const QStringList& labels, const TagRule& rule)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(embedderKey.toUtf8());
    h.addData(QByteArray(1, '\n'));
    h.addData(labels.join(QLatin1Char('\n')).toUtf8());
    h.addData(QStringLiteral("\n%1 %2 %3 %4 %5")
                  .arg(rule.minZ)
                  .arg(rule.minMargin)
                  .arg(rule.maxTagsPerPhoto)
                  .arg(rule.storedPerPhoto)
                  .arg(rule.priorPhotos)
                  .toUtf8());
    return QString::fromLatin1(h.result().toHex().left(32));
}

struct Labels {
    QStringList names;
    std::vector<qint64> ids;
    torch::Tensor tags;    // [T, D]
    torch::Tensor neutral; // [K, D]
};

Labels embedLabels(LabelEmbedder& embedder, QStringList names, std::vector<qint64> ids)
{
    Labels l;
    l.names = std::move(names);
    l.ids = std::move(ids);
    l.tags = embedder.embed(l.names);
    int count = 0;
    const char* const* neutral = neutralLabels(&count);
    QStringList neutralNames;
    for (int i = 0; i < count; ++i)
        neutralNames << QString::fromLatin1(neutral[i]);
    l.neutral = embedder.embed(neutralNames);
    return l;
}

// Corrections naming a vocabulary tag: photo → tag indexes.
std::unordered_map<qint64, std::vector<int64_t>> correctedTags(const Catalog& catalog, const Labels& labels)
{
    QHash<qint64, int64_t> indexOf;
    for (size_t i = 0; i < labels.ids.size(); ++i)
        indexOf.insert(labels.ids[i], int64_t(i));
    std::unordered_map<qint64, std::vector<int64_t>> out;
    Statement s = catalog.connection().statement(
        "SELECT c.photo_id, t.id FROM tag_corrections c JOIN tags t ON t.name = c.tag WHERE t.in_vocabulary = 1");
    while (s.next()) {
        const auto it = indexOf.constFind(s.int64(1));
        if (it != indexOf.constEnd())
            out[s.int64(0)].push_back(*it);
    }
    return out;
}

void requireSameWidth(const Catalog& catalog, int64_t photoDim, const Labels& labels)
{
    if (labels.tags.size(1) != photoDim || labels.neutral.size(1) != photoDim)
        throw CatalogError(QStringLiteral("%1 holds photo embeddings %2 wide but the model's label embeddings "
                                          "are %3 wide; index the photos again with this model.")
                               .arg(catalog.filePath(), QString::number(photoDim),
                                    QString::number(labels.tags.size(1)))
                               .toStdString());
}

struct Writer {
    const SqliteConnection& db;
    const QString& modelId;
    const Labels& labels;
    const std::unordered_map<qint64, std::vector<int64_t>>& corrections;
    bool replace; // delete each photo's old rows first (incremental runs)

    void insert(qint64 photo, int64_t tag, float score, bool assigned) const
    {
        db.statement("INSERT OR REPLACE INTO photo_tag_scores(photo_id, tag_id, model_id, score, assigned) "
                     "VALUES(?1, ?2, ?3, ?4, ?5)")
            .bind(1, photo)
            .bind(2, labels.ids[size_t(tag)])
            .bind(3, modelId)
            .bind(4, double(score))
            .bind(5, assigned ? 1 : 0)
            .run();
    }

    // Scores one chunk's photos; returns the tags assigned.
    qint64 write(const std::vector<qint64>& photos, const torch::Tensor& margins, const TagCalibration& calibration,
                 const TagRule& rule) const
    {
        const torch::Tensor z = tagScores(margins, calibration).contiguous();
        const TagDecision d = decideTags(margins, z, rule);
        const auto tags = d.tags.accessor<int64_t, 2>();
        const auto scores = d.scores.accessor<float, 2>();
        const auto assigned = d.assigned.accessor<bool, 2>();
        const auto all = z.accessor<float, 2>();
        qint64 count = 0;
        WriteScope scope(db);
        for (size_t i = 0; i < photos.size(); ++i) {
            const auto row = int64_t(i);
            if (replace)
                db.statement("DELETE FROM photo_tag_scores WHERE photo_id = ?1 AND model_id = ?2")
                    .bind(1, photos[i])
                    .bind(2, modelId)
                    .run();
            const auto c = corrections.find(photos[i]);
            if (c != corrections.end())
                for (int64_t tag : c->second)
                    insert(photos[i], tag, all[row][tag], false);
            for (int64_t j = 0; j < tags.size(1); ++j) {
                if (tags[row][j] < 0)
                    continue;
                insert(photos[i], tags[row][j], scores[row][j], assigned[row][j]);
                count += assigned[row][j] ? 1 : 0;
            }
            db.statement("INSERT OR REPLACE INTO tagged_photos(photo_id, model_id, content_hash) "
                         "SELECT id, ?2, content_hash FROM photos WHERE id = ?1")
                .bind(1, photos[i])
                .bind(2, modelId)
                .run();
        }
        scope.commit();
        return count;
    }
};

void storeCalibration(const SqliteConnection& db, const QString& modelId, const Labels& labels,
                      const TagCalibration& c)
{
    const torch::Tensor center = c.center.contiguous(), scale = c.scale.contiguous();
    for (size_t i = 0; i < labels.ids.size(); ++i)
        db.statement("INSERT INTO tag_calibration(model_id, tag_id, center, scale) VALUES(?1, ?2, ?3, ?4)")
            .bind(1, modelId)
            .bind(2, labels.ids[i])
            .bind(3, double(center[int64_t(i)].item<float>()))
            .bind(4, double(scale[int64_t(i)].item<float>()))
            .run();
}

// The calibration of the last full run, in the order of `labels`; empty
// tensors when a tag has none.
TagCalibration storedCalibration(const Catalog& catalog, const QString& modelId, const Labels& labels)
{
    QHash<qint64, std::pair<float, float>> byId;
    Statement s = catalog.connection().statement(
        "SELECT tag_id, center, scale FROM tag_calibration WHERE model_id = ?1");
    s.bind(1, modelId);
    while (s.next())
        byId.insert(s.int64(0), {float(s.real(1)), float(s.real(2))});
    const auto n = int64_t(labels.ids.size());
    TagCalibration c{torch::empty({n}), torch::empty({n})};
    for (int64_t i = 0; i < n; ++i) {
        const auto it = byId.constFind(labels.ids[size_t(i)]);
        if (it == byId.constEnd() || !(it->second > 0))
            return {};
        c.center[i] = it->first;
        c.scale[i] = it->second;
    }
    return c;
}

// Every valid embedding's margins, chunk by chunk, kept as float16 (the
// margins of 100k photos × 300 tags are 60 MB; float16's 3 significant
// digits are finer than any decision needs).
struct AllMargins {
    std::vector<qint64> photos;
    std::vector<torch::Tensor> chunks;
};

AllMargins libraryMargins(const Catalog& catalog, const QString& modelId, const Labels& labels)
{
    AllMargins all;
    std::vector<float> buffer;
    int64_t dim = -1;
    std::vector<qint64> pending;
    const auto flush = [&] {
        if (pending.empty())
            return;
        const torch::Tensor photos = torch::from_blob(buffer.data(), {int64_t(pending.size()), dim});
        all.chunks.push_back(tagMargins(photos, labels.tags, labels.neutral).to(torch::kHalf));
        all.photos.insert(all.photos.end(), pending.begin(), pending.end());
        pending.clear();
        buffer.clear();
    };
    catalog.forEachEmbedding(modelId, [&](qint64 id, const std::vector<float>& v) {
        if (dim < 0) {
            dim = int64_t(v.size());
            requireSameWidth(catalog, dim, labels);
        }
        if (int64_t(v.size()) != dim)
            return; // a row of another width cannot be this model's; the indexer re-embeds it
        buffer.insert(buffer.end(), v.begin(), v.end());
        pending.push_back(id);
        if (int64_t(pending.size()) == kChunk)
            flush();
    });
    flush();
    return all;
}

TagCalibration calibrate(const AllMargins& all, const TagRule& rule)
{
    const torch::Tensor margins = torch::cat(all.chunks);
    const int64_t n = margins.size(0);
    const int64_t step = (n + kCalibrationSample - 1) / kCalibrationSample;
    const torch::Tensor sample = step > 1 ? margins.index({torch::indexing::Slice(0, n, step)}) : margins;
    return calibrateTags(sample.to(torch::kFloat), n, rule);
}

} // namespace

TagRunSummary tagLibrary(Catalog& catalog, const QString& modelId, LabelEmbedder& embedder, const TagRule& rule)
{
    QElapsedTimer timer;
    timer.start();
    torch::NoGradGuard noGrad;
    std::vector<qint64> ids = syncVocabularyTags(catalog);
    const Labels labels = embedLabels(embedder, libraryVocabulary(catalog), std::move(ids));
    const AllMargins all = libraryMargins(catalog, modelId, labels);
    const auto corrections = correctedTags(catalog, labels);

    TagRunSummary summary;
    summary.tags = int(labels.names.size());
    summary.full = true;
    const SqliteConnection& db = catalog.connection();
    TagCalibration calibration;
    {
        WriteScope scope(db);
        db.statement("DELETE FROM photo_tag_scores WHERE model_id = ?1").bind(1, modelId).run();
        db.statement("DELETE FROM tagged_photos WHERE model_id = ?1").bind(1, modelId).run();
        db.statement("DELETE FROM tag_calibration WHERE model_id = ?1").bind(1, modelId).run();
        QString state;
        if (!all.photos.empty()) {
            calibration = calibrate(all, rule);
            storeCalibration(db, modelId, labels, calibration);
            state = stateDigest(embedder.key(), labels.names, rule) + QLatin1Char(' ') +
                    QString::number(all.photos.size());
        }
        catalog.setSetting(stateKey(modelId), state);
        scope.commit();
    }
    const Writer writer{db, modelId, labels, corrections, false};
    size_t at = 0;
    for (const torch::Tensor& chunk : all.chunks) {
        const std::vector<qint64> photos(all.photos.begin() + long(at), all.photos.begin() + long(at) + chunk.size(0));
        summary.assigned += writer.write(photos, chunk, calibration, rule);
        at += photos.size();
    }
    summary.photos = qint64(all.photos.size());
    summary.seconds = double(timer.nsecsElapsed()) / 1e9;
    return summary;
}

namespace {

std::vector<qint64> untaggedPhotos(const Catalog& catalog, const QString& modelId)
{
    // The embeddings' validity test of Catalog.cpp (PS_VALID_EMBEDDING).
    Statement s = catalog.connection().statement(
        "SELECT e.photo_id FROM embeddings e JOIN photos p ON p.id = e.photo_id "
        "WHERE e.model_id = ?1 AND e.content_hash = p.content_hash AND p.status = 0 AND NOT EXISTS ("
        "SELECT 1 FROM tagged_photos t WHERE t.photo_id = e.photo_id AND t.model_id = ?1 "
        "AND t.content_hash = p.content_hash) ORDER BY e.photo_id");
    s.bind(1, modelId);
    std::vector<qint64> ids;
    while (s.next())
        ids.push_back(s.int64(0));
    return ids;
}

} // namespace

qint64 untaggedPhotoCount(const Catalog& catalog, const QString& modelId)
{
    return qint64(untaggedPhotos(catalog, modelId).size());
}

TagRunSummary tagUntagged(Catalog& catalog, const QString& modelId, LabelEmbedder& embedder, const TagRule& rule)
{
    QElapsedTimer timer;
    timer.start();
    const std::vector<qint64> photos = untaggedPhotos(catalog, modelId);
    TagRunSummary summary;
    if (photos.empty())
        return summary;

    const QStringList names = libraryVocabulary(catalog);
    const QStringList state = catalog.setting(stateKey(modelId)).split(QLatin1Char(' '));
    if (state.size() != 2 || state[0] != stateDigest(embedder.key(), names, rule) ||
        qint64(photos.size()) > state[1].toLongLong())
        return tagLibrary(catalog, modelId, embedder, rule);

    torch::NoGradGuard noGrad;
    const Labels labels = embedLabels(embedder, names, syncVocabularyTags(catalog));
    const TagCalibration calibration = storedCalibration(catalog, modelId, labels);
    if (!calibration.center.defined())
        return tagLibrary(catalog, modelId, embedder, rule);
    const auto corrections = correctedTags(catalog, labels);
    const Writer writer{catalog.connection(), modelId, labels, corrections, true};
    for (size_t at = 0; at < photos.size(); at += size_t(kChunk)) {
        std::vector<qint64> chunk;
        std::vector<float> buffer;
        for (size_t i = at; i < std::min(photos.size(), at + size_t(kChunk)); ++i) {
            const std::vector<float> v = catalog.embedding(photos[i], modelId);
            if (int64_t(v.size()) != labels.tags.size(1))
                continue;
            buffer.insert(buffer.end(), v.begin(), v.end());
            chunk.push_back(photos[i]);
        }
        if (chunk.empty())
            continue;
        const torch::Tensor e = torch::from_blob(buffer.data(), {int64_t(chunk.size()), labels.tags.size(1)});
        summary.assigned += writer.write(chunk, tagMargins(e, labels.tags, labels.neutral), calibration, rule);
        summary.photos += qint64(chunk.size());
    }
    summary.tags = int(labels.names.size());
    summary.seconds = double(timer.nsecsElapsed()) / 1e9;
    return summary;
}

TagRunSummary tagIndexedPhotos(const QString& libraryDir, const QString& modelId,
                               const std::function<const ClipEncoder&()>& encoder)
{
    Catalog catalog(libraryDir);
    CatalogLabelEmbedder labels(catalog, modelId, encoder);
    return tagUntagged(catalog, modelId, labels);
}

} // namespace photosearch
