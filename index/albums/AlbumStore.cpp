#include "AlbumStore.h"

#include "PhotoLookup.h"

#include "Catalog.h"
#include "SqliteConnection.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <cstring>

namespace photosearch {

namespace {

AlbumKind kindFromText(const QString& text)
{
    return text == QLatin1String("few-shot") ? AlbumKind::FewShot : AlbumKind::Manual;
}

QString libraryOf(const Catalog& catalog)
{
    return QFileInfo(catalog.filePath()).absolutePath();
}

QString cleanName(const QString& name, const Catalog& catalog)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        throw AlbumError(QStringLiteral("An album needs a name with some text in it (library %1).")
                             .arg(libraryOf(catalog))
                             .toStdString());
    return trimmed;
}

AlbumRow rowFrom(const Statement& s)
{
    return AlbumRow{s.int64(0), s.text(1), kindFromText(s.text(2)), s.text(3)};
}

} // namespace

QString albumKindName(AlbumKind kind)
{
    switch (kind) {
    case AlbumKind::Manual:
        return QStringLiteral("manual");
    case AlbumKind::FewShot:
        return QStringLiteral("few-shot");
    case AlbumKind::Tag:
        return QStringLiteral("tag");
    }
    return {};
}

AlbumStore::AlbumStore(Catalog& catalog)
    : catalog_(catalog)
{
}

std::vector<AlbumRow> AlbumStore::albums() const
{
    std::vector<AlbumRow> rows;
    Statement s = catalog_.connection().statement("SELECT id, name, kind, created FROM albums ORDER BY name");
    while (s.next())
        rows.push_back(rowFrom(s));
    return rows;
}

std::optional<AlbumRow> AlbumStore::album(const QString& name) const
{
    Statement s = catalog_.connection().statement("SELECT id, name, kind, created FROM albums WHERE name = ?1");
    s.bind(1, name.trimmed());
    if (!s.next())
        return std::nullopt;
    return rowFrom(s);
}

AlbumRow AlbumStore::requireAlbum(const QString& name) const
{
    std::optional<AlbumRow> row = album(name);
    if (!row)
        throw AlbumError(QStringLiteral("There is no album named \"%1\" in the library at %2; "
                                        "`photosearch-cli albums` lists them.")
                             .arg(name, libraryOf(catalog_))
                             .toStdString());
    return *row;
}

AlbumRow AlbumStore::create(const QString& name, AlbumKind kind)
{
    Q_ASSERT(kind != AlbumKind::Tag);
    const QString clean = cleanName(name, catalog_);
    WriteScope scope(catalog_.connection());
    if (album(clean))
        throw AlbumError(QStringLiteral("An album named \"%1\" already exists in the library at %2; "
                                        "choose another name or delete that album first.")
                             .arg(clean, libraryOf(catalog_))
                             .toStdString());
    const QString created = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    catalog_.connection()
        .statement("INSERT INTO albums(name, created, kind) VALUES(?1, ?2, ?3)")
        .bind(1, clean)
        .bind(2, created)
        .bind(3, albumKindName(kind))
        .run();
    const AlbumRow row{catalog_.connection().lastInsertId(), clean, kind, created};
    scope.commit();
    return row;
}

void AlbumStore::rename(const QString& name, const QString& newName)
{
    const QString clean = cleanName(newName, catalog_);
    WriteScope scope(catalog_.connection());
    const AlbumRow row = requireAlbum(name);
    if (clean == row.name)
        return;
    if (album(clean))
        throw AlbumError(QStringLiteral("An album named \"%1\" already exists in the library at %2; "
                                        "choose another name.")
                             .arg(clean, libraryOf(catalog_))
                             .toStdString());
    catalog_.connection().statement("UPDATE albums SET name = ?1 WHERE id = ?2").bind(1, clean).bind(2, row.id).run();
    scope.commit();
}

void AlbumStore::remove(const QString& name)
{
    WriteScope scope(catalog_.connection());
    const AlbumRow row = requireAlbum(name);
    // album_photos, album_examples and album_models go by ON DELETE CASCADE;
    // photos are only referenced.
    catalog_.connection().statement("DELETE FROM albums WHERE id = ?1").bind(1, row.id).run();
    scope.commit();
}

std::vector<qint64> AlbumStore::photos(qint64 albumId) const
{
    std::vector<qint64> ids;
    Statement s = catalog_.connection().statement(
        "SELECT photo_id FROM album_photos WHERE album_id = ?1 ORDER BY position, photo_id");
    s.bind(1, albumId);
    while (s.next())
        ids.push_back(s.int64(0));
    return ids;
}

qint64 AlbumStore::photoCount(qint64 albumId) const
{
    Statement s = catalog_.connection().statement("SELECT count(*) FROM album_photos WHERE album_id = ?1");
    s.bind(1, albumId);
    return s.next() ? s.int64(0) : 0;
}

int AlbumStore::addPhotos(qint64 albumId, const std::vector<qint64>& photoIds)
{
    const SqliteConnection& c = catalog_.connection();
    WriteScope scope(c);
    qint64 position = 0;
    {
        Statement s = c.statement("SELECT coalesce(max(position), -1) FROM album_photos WHERE album_id = ?1");
        s.bind(1, albumId);
        if (s.next())
            position = s.int64(0) + 1;
    }
    int added = 0;
    for (qint64 id : photoIds) {
        c.statement("INSERT OR IGNORE INTO album_photos(album_id, photo_id, position) VALUES(?1, ?2, ?3)")
            .bind(1, albumId)
            .bind(2, id)
            .bind(3, position)
            .run();
        if (c.changes() > 0) {
            ++added;
            ++position;
        }
    }
    scope.commit();
    return added;
}

int AlbumStore::removePhotos(qint64 albumId, const std::vector<qint64>& photoIds)
{
    const SqliteConnection& c = catalog_.connection();
    WriteScope scope(c);
    int removed = 0;
    for (qint64 id : photoIds) {
        c.statement("DELETE FROM album_photos WHERE album_id = ?1 AND photo_id = ?2").bind(1, albumId).bind(2, id).run();
        removed += c.changes();
    }
    scope.commit();
    return removed;
}

std::vector<AlbumExample> AlbumStore::examples(qint64 albumId) const
{
    std::vector<AlbumExample> out;
    Statement s = catalog_.connection().statement(
        "SELECT photo_id, positive FROM album_examples WHERE album_id = ?1 ORDER BY positive DESC, photo_id");
    s.bind(1, albumId);
    while (s.next())
        out.push_back(AlbumExample{s.int64(0), s.int64(1) != 0});
    return out;
}

void AlbumStore::setExamples(qint64 albumId, const std::vector<qint64>& photoIds, bool positive)
{
    const SqliteConnection& c = catalog_.connection();
    WriteScope scope(c);
    for (qint64 id : photoIds) {
        c.statement("INSERT INTO album_examples(album_id, photo_id, positive) VALUES(?1, ?2, ?3) "
                    "ON CONFLICT(album_id, photo_id) DO UPDATE SET positive = excluded.positive")
            .bind(1, albumId)
            .bind(2, id)
            .bind(3, positive ? 1 : 0)
            .run();
    }
    // Every model's probe was trained on the old examples.
    c.statement("DELETE FROM album_models WHERE album_id = ?1").bind(1, albumId).run();
    scope.commit();
}

std::optional<StoredProbe> AlbumStore::probe(qint64 albumId, const QString& modelId) const
{
    Statement s = catalog_.connection().statement(
        "SELECT dim, weights, bias, trained_at_ms FROM album_models WHERE album_id = ?1 AND model_id = ?2");
    s.bind(1, albumId).bind(2, modelId);
    if (!s.next())
        return std::nullopt;
    const qint64 dim = s.int64(0);
    int bytes = 0;
    const void* data = s.blob(1, &bytes);
    // A row that does not hold `dim` floats is as good as none: retrained.
    if (dim <= 0 || bytes != int(dim * qint64(sizeof(float))) || !data)
        return std::nullopt;
    StoredProbe p;
    p.weights.resize(size_t(dim));
    std::memcpy(p.weights.data(), data, size_t(bytes));
    p.bias = s.real(2);
    p.trainedAtMs = s.int64(3);
    return p;
}

void AlbumStore::storeProbe(qint64 albumId, const QString& modelId, const StoredProbe& probe)
{
    // Stored as float32 in host order, like embeddings.vector (little-endian
    // on every platform PhotoSearch builds for).
    catalog_.connection()
        .statement("INSERT INTO album_models(album_id, model_id, dim, weights, bias, trained_at_ms) "
                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(album_id, model_id) DO UPDATE SET "
                   "dim = excluded.dim, weights = excluded.weights, bias = excluded.bias, "
                   "trained_at_ms = excluded.trained_at_ms")
        .bind(1, albumId)
        .bind(2, modelId)
        .bind(3, qint64(probe.weights.size()))
        .bindBlob(4, probe.weights.data(), int(probe.weights.size() * sizeof(float)))
        .bind(5, probe.bias)
        .bind(6, probe.trainedAtMs)
        .run();
}

qint64 AlbumStore::photoIdForPath(const QString& path) const
{
    if (const std::optional<qint64> id = photosearch::photoIdForPath(catalog_, path))
        return *id;
    throw AlbumError(QStringLiteral("%1 is not in the library at %2; index its folder first "
                                    "(photosearch-cli index FOLDER).")
                         .arg(path, libraryOf(catalog_))
                         .toStdString());
}

std::vector<qint64> AlbumStore::photoIdsForPaths(const QStringList& paths) const
{
    std::vector<qint64> ids;
    ids.reserve(size_t(paths.size()));
    for (const QString& path : paths)
        ids.push_back(photoIdForPath(path));
    return ids;
}

} // namespace photosearch
