#include "Catalog.h"

#include "CatalogBackup.h"
#include "CatalogFiles.h"
#include "CatalogRepair.h"
#include "CatalogSchema.h"
#include "CatalogUseLock.h"
#include "SqliteConnection.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>

#include <sqlite3.h>
#include <QtEndian>

#include <algorithm>
#include <cstring>
#include <string>

namespace photosearch {

const int Catalog::kSchemaVersion = 4;

namespace {

const QString kFileName = QStringLiteral("catalog.sqlite");

// Stored text of taken_at and of filter bounds: one format so that text
// order is time order.
const QString kTimeFormat = QStringLiteral("yyyy-MM-dd'T'HH:mm:ss");

// The time a filter compares: taken-at, else the file's mtime as local wall
// clock in the same text format. Whole seconds (the mtime is truncated).
#define PS_PHOTO_TIME \
    "COALESCE(taken_at, strftime('%Y-%m-%dT%H:%M:%S', mtime_ms / 1000.0, 'unixepoch', 'localtime'))"

// An embedding counts only while it was computed from the photo's current
// content, the photo decoded, and the BLOB holds exactly dim float32 values.
#define PS_VALID_EMBEDDING                                                                        \
    "e.content_hash = p.content_hash AND p.status = 0 AND e.dim > 0 AND typeof(e.vector) = 'blob' " \
    "AND length(e.vector) = e.dim * 4"

#define PS_PHOTO_COLUMNS                                                                               \
    "id, path, size, mtime_ms, content_hash, width, height, format, taken_at, camera, lens, has_gps, " \
    "latitude, longitude, status, error, phash"

PhotoStatus readStatus(const Statement& s, int column)
{
    // Anything else (e.g. a status from a newer build) is not usable here.
    const qint64 status = s.int64(column);
    return status == int(PhotoStatus::Ok) || status == int(PhotoStatus::Unreadable) ? PhotoStatus(status)
                                                                                    : PhotoStatus::Failed;
}

PhotoRecord readPhoto(const Statement& s)
{
    PhotoRecord r;
    r.id = s.int64(0);
    r.path = s.text(1);
    r.size = s.int64(2);
    r.mtimeMs = s.int64(3);
    r.contentHash = s.text(4);
    r.width = int(s.int64(5));
    r.height = int(s.int64(6));
    r.format = s.text(7);
    if (!s.isNull(8))
        r.takenAt = QDateTime::fromString(s.text(8), Qt::ISODate); // invalid text reads as unknown
    r.camera = s.text(9);
    r.lens = s.text(10);
    r.hasGps = s.int64(11) != 0;
    r.latitude = s.real(12);
    r.longitude = s.real(13);
    r.status = readStatus(s, 14);
    r.error = s.text(15);
    if (!s.isNull(16))
        r.phash = quint64(s.int64(16)); // stored as SQLite's signed integer, every bit kept
    return r;
}

// Binds the 16 columns after id, starting at parameter 1.
void bindPhoto(Statement& s, const PhotoRecord& r)
{
    s.bind(1, r.path).bind(2, r.size).bind(3, r.mtimeMs).bind(4, r.contentHash);
    s.bind(5, r.width).bind(6, r.height).bind(7, r.format);
    if (r.takenAt.isValid())
        s.bind(8, r.takenAt.toString(kTimeFormat));
    else
        s.bindNull(8);
    s.bind(9, r.camera).bind(10, r.lens).bind(11, r.hasGps ? 1 : 0);
    s.bind(12, r.latitude).bind(13, r.longitude).bind(14, int(r.status)).bind(15, r.error);
    if (r.phash)
        s.bind(16, qint64(*r.phash));
    else
        s.bindNull(16);
}

std::vector<PhotoRecord> readPhotos(Statement s)
{
    std::vector<PhotoRecord> out;
    while (s.next())
        out.push_back(readPhoto(s));
    return out;
}

// A bound of a filter as stored text, at the whole-second precision of the
// catalog: a photo time t (whole seconds) is >= b exactly when it is >= ceil(b),
// and likewise for <.
QString boundText(const QDateTime& bound)
{
    QDateTime local = bound.toLocalTime();
    const int ms = local.time().msec();
    if (ms > 0)
        local = local.addMSecs(1000 - ms);
    return local.toString(kTimeFormat);
}

QByteArray encodeVector(const std::vector<float>& vector)
{
    static_assert(sizeof(float) == sizeof(quint32), "float32 expected");
    QByteArray bytes(qsizetype(vector.size() * sizeof(float)), Qt::Uninitialized);
    qToLittleEndian<quint32>(vector.data(), qsizetype(vector.size()), bytes.data());
    return bytes;
}

// Empty when the BLOB does not hold exactly `dim` values.
bool decodeVector(const Statement& s, int dimColumn, int blobColumn, std::vector<float>* out)
{
    const qint64 dim = s.int64(dimColumn);
    int size = 0;
    const void* data = s.isBlob(blobColumn) ? s.blob(blobColumn, &size) : nullptr;
    if (!data || dim <= 0 || qint64(size) != dim * qint64(sizeof(float))) {
        out->clear();
        return false;
    }
    out->resize(size_t(dim));
    qFromLittleEndian<quint32>(data, qsizetype(dim), out->data());
    return true;
}

void bumpAllGenerations(const SqliteConnection& db)
{
    db.statement("UPDATE model_generations SET generation = generation + 1").run();
}

// A missing or empty catalog.sqlite beside copies of it was emptied (a crash
// on ext4 leaves 0 bytes) or removed: creating a new catalog there would
// lose the albums for good, and the next good run would overwrite the copy.
void refuseLostCatalog(const QString& file, CatalogFileKind kind)
{
    if (kind == CatalogFileKind::Regular)
        return;
    const QStringList copies = catalogBackups(file);
    if (copies.isEmpty())
        return; // a new library
    const QString state = kind == CatalogFileKind::Missing ? QStringLiteral("missing") : QStringLiteral("empty");
    const QString sentence = QStringLiteral("%1 is %2 although copies of it are kept beside it (%3); run %4 to "
                                            "restore it from the newest copy.")
                                 .arg(file, state, copies.first(), repairCommandLine(QFileInfo(file).absolutePath()));
    throw SqliteError(sentence, QStringLiteral("catalog %1 beside a copy").arg(state), SQLITE_CORRUPT);
}

// Runs the schema check or upgrade; a file it refuses is closed without a
// checkpoint (its -wal may be another database's).
void upgradeOrRefuse(const SqliteConnection& db)
{
    try {
        upgradeCatalogSchema(db, catalogSchemaSteps());
    } catch (...) {
        db.keepWalOnClose();
        throw;
    }
}

} // namespace

struct Catalog::Impl {
    Impl(const QString& file, bool readOnly)
        : inUse(CatalogUseLock::shared(file, !readOnly))
        , db(file, readOnly)
        , readOnly(readOnly)
    {
    }
    // First in, last out: taken before SQLite opens the file and held until
    // it has closed it (checkpointed, removed its -wal by name).
    CatalogUseLock inUse;
    SqliteConnection db;
    bool readOnly;
};

Catalog::Catalog(const QString& libraryDir, Access access)
{
    const QString dir = QDir(libraryDir).absolutePath();
    const QString file = dir + QLatin1Char('/') + kFileName;
    if (access == Access::ReadOnly) {
        refuseLostCatalog(file, requireCatalogFileKind(file));
        d_ = std::make_unique<Impl>(file, true);
        // Upgrading writes: an older catalog cannot be read as it is.
        const std::vector<SchemaStep>& steps = catalogSchemaSteps();
        const int version = catalogSchemaVersion(d_->db);
        if (version < steps.back().toVersion)
            throw CatalogError(QStringLiteral("%1 uses an older catalog schema (%2) and is opened read-only; open it "
                                              "once where it can be written so that it is upgraded.")
                                   .arg(file, QString::number(version))
                                   .toStdString());
        upgradeOrRefuse(d_->db); // only checks a newer file
        return;
    }
    if (!QDir().mkpath(dir)) {
        throw CatalogError(
            QStringLiteral("Cannot create the library folder %1 for %2; check its permissions or choose another "
                           "library.")
                .arg(dir, file)
                .toStdString());
    }
    finishInterruptedRepair(file);
    refuseLostCatalog(file, requireCatalogFileKind(file));
    d_ = std::make_unique<Impl>(file, false);
    upgradeOrRefuse(d_->db);
}

bool Catalog::isReadOnly() const
{
    return d_->readOnly;
}

Catalog::~Catalog() = default;

QString Catalog::filePath() const
{
    return d_->db.filePath();
}

const SqliteConnection& Catalog::connection() const
{
    return d_->db;
}

// --- Transaction ---

Catalog::Transaction::Transaction(Catalog& catalog)
    : catalog_(&catalog)
{
    Q_ASSERT_X(!catalog.d_->db.inTransaction(), "Catalog::Transaction", "transactions do not nest");
    // IMMEDIATE: take the write lock now (waiting up to the busy timeout)
    // rather than failing half-way through a batch.
    catalog_->d_->db.exec("BEGIN IMMEDIATE");
}

Catalog::Transaction::~Transaction()
{
    if (!done_)
        catalog_->d_->db.rollbackQuietly();
}

void Catalog::Transaction::commit()
{
    if (done_)
        return;
    catalog_->d_->db.exec("COMMIT");
    done_ = true;
}

// --- photos ---

std::vector<PhotoRecord> Catalog::photos() const
{
    return readPhotos(d_->db.statement("SELECT " PS_PHOTO_COLUMNS " FROM photos ORDER BY id"));
}

std::vector<Catalog::PhotoState> Catalog::photoStates(const QString& modelId) const
{
    // `embedded` as photosWithoutEmbedding() decides it (that photo is Ok and lacks one).
    Statement s = d_->db.statement(
        "SELECT p.id, p.path, p.size, p.mtime_ms, p.content_hash, p.status, p.error, EXISTS ("
        "SELECT 1 FROM embeddings e WHERE e.photo_id = p.id AND e.model_id = ?1 AND " PS_VALID_EMBEDDING ") "
        "FROM photos p ORDER BY p.id");
    s.bind(1, modelId);
    std::vector<PhotoState> out;
    while (s.next()) {
        PhotoState r;
        r.id = s.int64(0);
        r.path = s.text(1);
        r.size = s.int64(2);
        r.mtimeMs = s.int64(3);
        r.contentHash = s.text(4);
        r.status = readStatus(s, 5);
        r.error = s.text(6);
        r.embedded = s.int64(7) != 0;
        out.push_back(std::move(r));
    }
    return out;
}

std::optional<PhotoRecord> Catalog::photo(qint64 id) const
{
    Statement s = d_->db.statement("SELECT " PS_PHOTO_COLUMNS " FROM photos WHERE id = ?1");
    s.bind(1, id);
    if (!s.next())
        return std::nullopt;
    return readPhoto(s);
}

std::optional<PhotoRecord> Catalog::photoByPath(const QString& path) const
{
    Statement s = d_->db.statement("SELECT " PS_PHOTO_COLUMNS " FROM photos WHERE path = ?1");
    s.bind(1, path);
    if (!s.next())
        return std::nullopt;
    return readPhoto(s);
}

std::vector<PhotoRecord> Catalog::photosByHash(const QString& contentHash) const
{
    // An empty hash means "not computed yet", which does not make photos the same file.
    if (contentHash.isEmpty())
        return {};
    Statement s = d_->db.statement("SELECT " PS_PHOTO_COLUMNS " FROM photos WHERE content_hash = ?1 ORDER BY id");
    s.bind(1, contentHash);
    return readPhotos(std::move(s));
}

qint64 Catalog::insertPhoto(PhotoRecord& record)
{
    Statement s = d_->db.statement(
        "INSERT INTO photos(path, size, mtime_ms, content_hash, width, height, format, taken_at, camera, lens, "
        "has_gps, latitude, longitude, status, error, phash) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
    bindPhoto(s, record);
    s.run();
    record.id = d_->db.lastInsertId();
    return record.id;
}

void Catalog::updatePhoto(const PhotoRecord& record)
{
    WriteScope scope(d_->db);
    bool validityChanged = false;
    {
        Statement old = d_->db.statement("SELECT content_hash, status FROM photos WHERE id = ?1");
        old.bind(1, record.id);
        if (!old.next()) {
            throw CatalogError(
                QStringLiteral("Photo %1 is no longer in %2; scan the library again.")
                    .arg(QString::number(record.id), filePath())
                    .toStdString());
        }
        validityChanged = old.text(0) != record.contentHash || old.int64(1) != int(record.status);
    }
    Statement s = d_->db.statement(
        "UPDATE photos SET path = ?1, size = ?2, mtime_ms = ?3, content_hash = ?4, width = ?5, height = ?6, "
        "format = ?7, taken_at = ?8, camera = ?9, lens = ?10, has_gps = ?11, latitude = ?12, longitude = ?13, "
        "status = ?14, error = ?15, phash = ?16 WHERE id = ?17");
    bindPhoto(s, record);
    s.bind(17, record.id);
    s.run();
    if (validityChanged)
        bumpAllGenerations(d_->db);
    scope.commit();
}

void Catalog::removePhoto(qint64 id)
{
    WriteScope scope(d_->db);
    Statement s = d_->db.statement("DELETE FROM photos WHERE id = ?1");
    s.bind(1, id);
    s.run();
    // Every model, not just those the photo had vectors for: cheap, and a
    // spurious bump only costs a vector store reload.
    if (d_->db.changes() > 0)
        bumpAllGenerations(d_->db);
    scope.commit();
}

std::vector<qint64> Catalog::photoIds(const PhotoFilter& filter) const
{
    // Built from fixed fragments only; every value is a parameter. Each shape
    // of filter is one cached statement.
    std::string sql = "SELECT id FROM photos WHERE status = 0";
    QStringList values;
    if (filter.after.isValid()) {
        sql += " AND " PS_PHOTO_TIME " >= ?";
        values << boundText(filter.after);
    }
    if (filter.before.isValid()) {
        sql += " AND " PS_PHOTO_TIME " < ?";
        values << boundText(filter.before);
    }
    if (!filter.folders.isEmpty()) {
        // The folder itself, or anything starting with "folder/": as a range
        // so that '%' and '_' in names are plain characters ('0' follows '/').
        sql += " AND (";
        for (int i = 0; i < filter.folders.size(); ++i) {
            QString base = filter.folders[i];
            while (base.size() > 1 && base.endsWith(QLatin1Char('/')))
                base.chop(1);
            const QString prefix = base.endsWith(QLatin1Char('/')) ? base : base + QLatin1Char('/');
            sql += i == 0 ? "" : " OR ";
            sql += "path = ? OR (path >= ? AND path < ?)";
            values << base << prefix << prefix.chopped(1) + QLatin1Char('0');
        }
        sql += ")";
    }
    if (!filter.formats.isEmpty()) {
        sql += " AND format IN (";
        for (int i = 0; i < filter.formats.size(); ++i)
            sql += i == 0 ? "?" : ", ?";
        sql += ")";
        values << filter.formats;
    }
    sql += " ORDER BY id";

    Statement s = d_->db.statement(sql);
    for (int i = 0; i < values.size(); ++i)
        s.bind(i + 1, values[i]);
    std::vector<qint64> ids;
    while (s.next())
        ids.push_back(s.int64(0));
    return ids;
}

// --- embeddings ---

void Catalog::putEmbedding(qint64 photoId, const QString& modelId, const std::vector<float>& vector,
                           const QString& contentHash)
{
    if (vector.empty() || vector.size() > size_t(1) << 24) {
        throw CatalogError(QStringLiteral("An embedding of %1 values cannot be stored in %2; this is a bug in "
                                          "the model or the indexer.")
                               .arg(QString::number(vector.size()), filePath())
                               .toStdString());
    }
    const QByteArray bytes = encodeVector(vector);
    WriteScope scope(d_->db);
    Statement s = d_->db.statement(
        "INSERT INTO embeddings(photo_id, model_id, dim, vector, content_hash) VALUES(?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT(photo_id, model_id) DO UPDATE SET dim = excluded.dim, vector = excluded.vector, "
        "content_hash = excluded.content_hash");
    s.bind(1, photoId).bind(2, modelId).bind(3, int(vector.size()));
    s.bindBlob(4, bytes.constData(), int(bytes.size())).bind(5, contentHash);
    s.run();
    // A model's first generation is random, not 1: a vectors file copied
    // in from another library (same model, same number of changes) must
    // not pass for this one's.
    const qint64 firstGeneration = QRandomGenerator::global()->bounded(qint64(1), qint64(1) << 62);
    d_->db
        .statement("INSERT INTO model_generations(model_id, generation) VALUES(?1, ?2) "
                   "ON CONFLICT(model_id) DO UPDATE SET generation = generation + 1")
        .bind(1, modelId)
        .bind(2, firstGeneration)
        .run();
    scope.commit();
}

std::vector<float> Catalog::embedding(qint64 photoId, const QString& modelId) const
{
    Statement s = d_->db.statement("SELECT e.dim, e.vector FROM embeddings e JOIN photos p ON p.id = e.photo_id "
                                   "WHERE e.photo_id = ?1 AND e.model_id = ?2 AND " PS_VALID_EMBEDDING);
    s.bind(1, photoId).bind(2, modelId);
    std::vector<float> vector;
    if (s.next())
        decodeVector(s, 0, 1, &vector);
    return vector;
}

std::vector<std::vector<float>> Catalog::embeddings(const std::vector<qint64>& photoIds,
                                                    const QString& modelId) const
{
    std::vector<std::vector<float>> out(photoIds.size());
    if (photoIds.empty())
        return out;
    // One statement, the ids bound as one JSON array (SQLite sorts them and
    // walks the index once): faster than the cached one-id statement stepped
    // per id, at 1M photos 0.80 against 0.95 ms for 40 ids, 1.7 against
    // 3.0 ms for 100 (bench_search --catalog-dir, docs/BENCHMARKS.md).
    QByteArray list = "[";
    for (qint64 id : photoIds)
        list += QByteArray::number(id) + ',';
    list.back() = ']';
    std::vector<std::pair<qint64, size_t>> where(photoIds.size()); // (id, index in photoIds), by id
    for (size_t i = 0; i < photoIds.size(); ++i)
        where[i] = {photoIds[i], i};
    std::sort(where.begin(), where.end());
    Statement s = d_->db.statement("SELECT e.photo_id, e.dim, e.vector FROM embeddings e "
                                   "JOIN photos p ON p.id = e.photo_id WHERE e.model_id = ?1 AND "
                                   "e.photo_id IN (SELECT value FROM json_each(?2)) AND " PS_VALID_EMBEDDING);
    s.bind(1, modelId).bind(2, QString::fromLatin1(list));
    std::vector<float> vector;
    while (s.next()) {
        if (!decodeVector(s, 1, 2, &vector))
            continue;
        const qint64 id = s.int64(0);
        auto it = std::lower_bound(where.begin(), where.end(), std::make_pair(id, size_t(0)));
        for (; it != where.end() && it->first == id; ++it)
            out[it->second] = vector;
    }
    return out;
}

void Catalog::forEachEmbedding(const QString& modelId,
                               const std::function<void(qint64 photoId, const std::vector<float>&)>& visit) const
{
    Statement s = d_->db.statement("SELECT e.photo_id, e.dim, e.vector FROM embeddings e "
                                   "JOIN photos p ON p.id = e.photo_id "
                                   "WHERE e.model_id = ?1 AND " PS_VALID_EMBEDDING " ORDER BY e.photo_id");
    s.bind(1, modelId);
    std::vector<float> vector;
    while (s.next()) {
        if (decodeVector(s, 1, 2, &vector))
            visit(s.int64(0), vector);
    }
}

std::vector<std::vector<float>> Catalog::sampleEmbeddings(const QString& modelId, int maxCount) const
{
    std::vector<std::vector<float>> out;
    if (maxCount <= 0)
        return out;
    // Every stride-th id: spread over the library's history (ids grow with
    // time), repeatable, and without reading the other rows' BLOBs.
    // Rounded up: rounded down, LIMIT would stop before the newest ids.
    const qint64 stride = std::max<qint64>(1, (embeddingCount(modelId) + maxCount - 1) / maxCount);
    Statement s = d_->db.statement("SELECT e.dim, e.vector FROM embeddings e JOIN photos p ON p.id = e.photo_id "
                                   "WHERE e.model_id = ?1 AND " PS_VALID_EMBEDDING " AND e.photo_id % ?2 = 0 "
                                   "LIMIT ?3");
    s.bind(1, modelId).bind(2, stride).bind(3, maxCount);
    std::vector<float> vector;
    while (s.next()) {
        if (decodeVector(s, 0, 1, &vector))
            out.push_back(vector);
    }
    return out;
}

qint64 Catalog::embeddingCount(const QString& modelId) const
{
    Statement s = d_->db.statement("SELECT count(*) FROM embeddings e JOIN photos p ON p.id = e.photo_id "
                                   "WHERE e.model_id = ?1 AND " PS_VALID_EMBEDDING);
    s.bind(1, modelId);
    return s.next() ? s.int64(0) : 0;
}

std::vector<qint64> Catalog::photosWithoutEmbedding(const QString& modelId) const
{
    Statement s = d_->db.statement("SELECT p.id FROM photos p WHERE p.status = 0 AND NOT EXISTS ("
                                   "SELECT 1 FROM embeddings e WHERE e.photo_id = p.id AND e.model_id = ?1 "
                                   "AND " PS_VALID_EMBEDDING ") ORDER BY p.id");
    s.bind(1, modelId);
    std::vector<qint64> ids;
    while (s.next())
        ids.push_back(s.int64(0));
    return ids;
}

qint64 Catalog::generation(const QString& modelId) const
{
    Statement s = d_->db.statement("SELECT generation FROM model_generations WHERE model_id = ?1");
    s.bind(1, modelId);
    return s.next() ? s.int64(0) : 0;
}

// --- text queries ---

std::vector<float> Catalog::cachedTextEmbedding(const QString& modelId, const QString& text)
{
    std::vector<float> vector;
    {
        Statement s = d_->db.statement("SELECT dim, vector FROM query_embeddings WHERE model_id = ?1 AND text = ?2");
        s.bind(1, modelId).bind(2, text);
        if (!s.next() || !decodeVector(s, 0, 1, &vector))
            return {};
    }
    // A read-only or busy library still answers from its cache; it only
    // cannot record the use (throwing would have the query embedded again:
    // the model loaded for an answer the catalog holds).
    if (isReadOnly())
        return vector;
    try {
        d_->db.statement("UPDATE query_embeddings SET used_at = ?3 WHERE model_id = ?1 AND text = ?2")
            .bind(1, modelId)
            .bind(2, text)
            .bind(3, QDateTime::currentMSecsSinceEpoch())
            .run();
    } catch (const CatalogError& e) {
        qWarning("Could not record the use of a cached query: %s", e.what());
    }
    return vector;
}

void Catalog::cacheTextEmbedding(const QString& modelId, const QString& text, const std::vector<float>& vector)
{
    if (vector.empty() || text.size() > kMaxCachedQueryLength)
        return;
    const QByteArray bytes = encodeVector(vector);
    WriteScope scope(d_->db);
    Statement s = d_->db.statement(
        "INSERT INTO query_embeddings(model_id, text, dim, vector, used_at) VALUES(?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT(model_id, text) DO UPDATE SET dim = excluded.dim, vector = excluded.vector, "
        "used_at = excluded.used_at");
    s.bind(1, modelId).bind(2, text).bind(3, int(vector.size()));
    s.bindBlob(4, bytes.constData(), int(bytes.size())).bind(5, QDateTime::currentMSecsSinceEpoch());
    s.run();
    d_->db
        .statement("DELETE FROM query_embeddings WHERE model_id = ?1 AND rowid NOT IN "
                   "(SELECT rowid FROM query_embeddings WHERE model_id = ?1 ORDER BY used_at DESC LIMIT ?2)")
        .bind(1, modelId)
        .bind(2, kMaxCachedQueries)
        .run();
    scope.commit();
}

// --- settings ---

QString Catalog::setting(const QString& key, const QString& fallback) const
{
    Statement s = d_->db.statement("SELECT value FROM settings WHERE key = ?1");
    s.bind(1, key);
    return s.next() ? s.text(0) : fallback;
}

void Catalog::setSetting(const QString& key, const QString& value)
{
    d_->db
        .statement("INSERT INTO settings(key, value) VALUES(?1, ?2) "
                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(1, key)
        .bind(2, value)
        .run();
}

// --- summary ---

Catalog::Stats Catalog::stats() const
{
    Stats stats;
    {
        Statement s = d_->db.statement("SELECT count(*), coalesce(sum(status <> 0), 0) FROM photos");
        if (s.next()) {
            stats.photos = s.int64(0);
            stats.failed = s.int64(1);
        }
    }
    {
        Statement s = d_->db.statement("SELECT format, count(*) FROM photos GROUP BY format");
        while (s.next())
            stats.byFormat[s.text(0)] = s.int64(1);
    }
    {
        Statement s = d_->db.statement("SELECT path, error FROM photos WHERE status <> 0 ORDER BY path");
        while (s.next())
            stats.failures.emplace_back(s.text(0), s.text(1));
    }
    return stats;
}

} // namespace photosearch
