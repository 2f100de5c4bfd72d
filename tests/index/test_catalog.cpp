// The SQLite catalog: photos, embeddings with their staleness key, model
// generations, filters, transactions, schema versions (including a file laid
// out the way version 1 writes it) and a second connection reading while the
// first writes.

#include "Catalog.h"
#include "CatalogSchema.h"
#include "LibraryModel.h"
#include "SqliteConnection.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>
#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

#include <algorithm>
#include <cstring>
#include <functional>
#include <thread>

using photosearch::Catalog;
using photosearch::CatalogError;
using photosearch::PhotoFilter;
using photosearch::PhotoRecord;
using photosearch::PhotoStatus;

namespace {

// Direct access to the file, bypassing Catalog, to set up fixtures and look
// at what was written.
class RawDb {
public:
    explicit RawDb(const QString& file)
    {
        if (sqlite3_open_v2(file.toUtf8().constData(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr)
            != SQLITE_OK)
            qFatal("cannot open %s", qPrintable(file));
        sqlite3_busy_timeout(db_, 5000);
    }
    ~RawDb() { sqlite3_close(db_); }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    bool exec(const char* sql)
    {
        char* error = nullptr;
        const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
        if (rc != SQLITE_OK) {
            qWarning("%s: %s", sql, error);
            sqlite3_free(error);
        }
        return rc == SQLITE_OK;
    }
    qint64 integer(const char* sql)
    {
        sqlite3_stmt* s = nullptr;
        qint64 value = -1;
        if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
            value = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        return value;
    }
    QString text(const char* sql)
    {
        sqlite3_stmt* s = nullptr;
        QString value;
        if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
            value = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
        sqlite3_finalize(s);
        return value;
    }
    QByteArray blob(const char* sql)
    {
        sqlite3_stmt* s = nullptr;
        QByteArray value;
        if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
            value = QByteArray(static_cast<const char*>(sqlite3_column_blob(s, 0)), sqlite3_column_bytes(s, 0));
        sqlite3_finalize(s);
        return value;
    }

private:
    sqlite3* db_ = nullptr;
};

// The schema as version 1 writes it, frozen here on purpose: if
// CatalogSchema.cpp's version 1 is ever edited instead of adding a step, the
// v1 test below still checks against what released builds wrote.
const char* kVersion1Fixture = R"sql(
CREATE TABLE photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL DEFAULT 0,
    mtime_ms INTEGER NOT NULL DEFAULT 0,
    content_hash TEXT NOT NULL DEFAULT '',
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    format TEXT NOT NULL DEFAULT '',
    taken_at TEXT,
    camera TEXT NOT NULL DEFAULT '',
    lens TEXT NOT NULL DEFAULT '',
    has_gps INTEGER NOT NULL DEFAULT 0,
    latitude REAL NOT NULL DEFAULT 0,
    longitude REAL NOT NULL DEFAULT 0,
    status INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX photos_content_hash ON photos(content_hash);
CREATE TABLE embeddings (
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    model_id TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    content_hash TEXT NOT NULL,
    PRIMARY KEY (photo_id, model_id)
);
CREATE INDEX embeddings_model ON embeddings(model_id, photo_id);
CREATE TABLE model_generations (model_id TEXT PRIMARY KEY, generation INTEGER NOT NULL DEFAULT 0);
CREATE TABLE tags (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE);
CREATE TABLE photo_tags (
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    score REAL NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (photo_id, tag_id)
);
CREATE INDEX photo_tags_tag ON photo_tags(tag_id);
CREATE TABLE albums (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, created TEXT NOT NULL DEFAULT '');
CREATE TABLE album_photos (
    album_id INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (album_id, photo_id)
);
CREATE INDEX album_photos_photo ON album_photos(photo_id);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('schema_version', '1'), ('min_reader_version', '1');
PRAGMA user_version = 1;

INSERT INTO photos(id, path, size, mtime_ms, content_hash, width, height, format, taken_at, camera, lens,
                   has_gps, latitude, longitude, status, error)
VALUES (7, '/pictures/2019/beach.jpg', 123456, 1560000000000, 'abc123', 4032, 3024, 'jpeg',
        '2019-06-08T14:20:00', 'Canon EOS 80D', 'EF-S 18-55', 1, 43.5, -1.25, 0, ''),
       (8, '/pictures/broken.png', 10, 1560000001000, 'def456', 0, 0, 'png', NULL, '', '', 0, 0, 0, 1,
        'truncated file');
-- Two float32 values, 1.0 and -2.0, little-endian.
INSERT INTO embeddings VALUES (7, 'clip-b32', 2, X'0000803F000000C0', 'abc123');
INSERT INTO model_generations VALUES ('clip-b32', 5);
INSERT INTO settings VALUES ('model', 'clip-b32');
)sql";

// What version 2 added to version 1's file, frozen likewise.
const char* kVersion2Fixture = R"sql(
CREATE TABLE query_embeddings (
    model_id TEXT NOT NULL,
    text TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    used_at INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (model_id, text)
);
-- 0.6 and 0.8 as float32, little-endian.
INSERT INTO query_embeddings VALUES ('clip-b32', 'dog', 2, X'9A99193FCDCC4C3F', 1700000000000);
UPDATE meta SET value = '2' WHERE key = 'schema_version';
PRAGMA user_version = 2;
)sql";

PhotoRecord makePhoto(const QString& path, const QString& hash = QStringLiteral("h"),
                      const QString& format = QStringLiteral("jpeg"))
{
    PhotoRecord r;
    r.path = path;
    r.size = 1000;
    r.mtimeMs = 1600000000000;
    r.contentHash = hash;
    r.format = format;
    return r;
}

QDateTime local(int y, int mo, int d, int h, int mi, int s = 0, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::LocalTime);
}

std::vector<qint64> ids(std::initializer_list<qint64> list)
{
    return std::vector<qint64>(list);
}

QString catalogFile(const QTemporaryDir& dir)
{
    return dir.path() + QStringLiteral("/catalog.sqlite");
}

QString errorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const CatalogError& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

class TestCatalog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void createsAndReopensWithData();
    void photoRowsRoundTrip();
    void removingAPhotoRemovesWhatHangsOffIt();
    void staleEmbeddingsAreIgnored();
    void badVectorBlobReadsAsMissing();
    void generationIncreasesOnEveryKindOfChange();
    void librariesDoNotShareGenerations();
    void indexRunSwitchesToACoveringModelOnly();
    void embeddingsInIdOrderLittleEndian();
    void reenteringFromAVisitorWorks();
    void filterByTime();
    void filterByFolderAndFormat();
    void transactionsRollBackUnlessCommitted();
    void settingsAndStats();
    void newerSchemaIsRefused();
    void newerButReadableSchemaOpens();
    void garbageFileIsAnError();
    void foreignDatabaseIsAnError();
    void readOnlyCatalogIsAnError();
    void version1FileOpensUnchanged();
    void version2FileUpgradesToVersion3();
    void emptyVersion0FileIsUpgraded();
    void upgradeRunsStepByStepAndStopsAtAFailure();
    void secondConnectionReadsWhileFirstWrites();
};

void TestCatalog::createsAndReopensWithData()
{
    QTemporaryDir tmp;
    const QString libraryDir = tmp.path() + QStringLiteral("/not/yet/there");
    qint64 id = 0;
    {
        Catalog catalog(libraryDir);
        QCOMPARE(catalog.filePath(), libraryDir + QStringLiteral("/catalog.sqlite"));
        PhotoRecord r = makePhoto(QStringLiteral("/p/a.jpg"));
        id = catalog.insertPhoto(r);
        QCOMPARE(r.id, id);
        catalog.putEmbedding(id, QStringLiteral("m"), {0.5f, 0.25f}, QStringLiteral("h"));
        catalog.setSetting(QStringLiteral("k"), QStringLiteral("v"));
    }
    QVERIFY(QFile::exists(libraryDir + QStringLiteral("/catalog.sqlite")));
    {
        Catalog catalog(libraryDir);
        QCOMPARE(catalog.photos().size(), size_t(1));
        QCOMPARE(catalog.photo(id)->path, QStringLiteral("/p/a.jpg"));
        QCOMPARE(catalog.embedding(id, QStringLiteral("m")), (std::vector<float>{0.5f, 0.25f}));
        QCOMPARE(catalog.setting(QStringLiteral("k")), QStringLiteral("v"));
        QVERIFY(catalog.generation(QStringLiteral("m")) > 0);
    }
    RawDb raw(libraryDir + QStringLiteral("/catalog.sqlite"));
    QCOMPARE(raw.integer("PRAGMA user_version"), qint64(Catalog::kSchemaVersion));
    QCOMPARE(raw.text("SELECT value FROM meta WHERE key = 'min_reader_version'"), QStringLiteral("3"));
    QCOMPARE(raw.text("PRAGMA journal_mode"), QStringLiteral("wal"));
}

void TestCatalog::photoRowsRoundTrip()
{
    QTemporaryDir tmp;
    Catalog catalog(tmp.path());

    PhotoRecord full;
    full.path = QStringLiteral("/pictures/été/ß.heic");
    full.size = 5'000'000'000;
    full.mtimeMs = 1'700'000'000'123;
    full.contentHash = QStringLiteral("deadbeef");
    full.width = 4032;
    full.height = 3024;
    full.format = QStringLiteral("heif");
    full.takenAt = local(2020, 5, 17, 14, 30, 5);
    full.camera = QStringLiteral("Apple iPhone 12");
    full.lens = QStringLiteral("wide");
    full.hasGps = true;
    full.latitude = 48.8566;
    full.longitude = -2.3522;
    catalog.insertPhoto(full);

    PhotoRecord copy = makePhoto(QStringLiteral("/backup/x.heic"), QStringLiteral("deadbeef"));
    catalog.insertPhoto(copy);
    PhotoRecord noHash = makePhoto(QStringLiteral("/p/unhashed.jpg"), QString());
    catalog.insertPhoto(noHash);

    const std::optional<PhotoRecord> read = catalog.photoByPath(full.path);
    QVERIFY(read);
    QCOMPARE(read->id, full.id);
    QCOMPARE(read->size, full.size);
    QCOMPARE(read->mtimeMs, full.mtimeMs);
    QCOMPARE(read->contentHash, full.contentHash);
    QCOMPARE(read->width, 4032);
    QCOMPARE(read->height, 3024);
    QCOMPARE(read->format, full.format);
    QCOMPARE(read->takenAt, full.takenAt);
    QCOMPARE(read->camera, full.camera);
    QCOMPARE(read->lens, full.lens);
    QVERIFY(read->hasGps);
    QCOMPARE(read->latitude, full.latitude);
    QCOMPARE(read->longitude, full.longitude);
    QCOMPARE(read->status, PhotoStatus::Ok);
    QVERIFY(!catalog.photo(copy.id)->takenAt.isValid());

    const auto sameFile = catalog.photosByHash(QStringLiteral("deadbeef"));
    QCOMPARE(sameFile.size(), size_t(2));
    QCOMPARE(sameFile[0].id, full.id);
    QCOMPARE(sameFile[1].id, copy.id);
    QVERIFY(catalog.photosByHash(QString()).empty());
    QVERIFY(!catalog.photoByPath(QStringLiteral("/nowhere.jpg")));

    PhotoRecord failed = *read;
    failed.status = PhotoStatus::Failed;
    failed.error = QStringLiteral("cannot decode");
    failed.takenAt = {};
    failed.path = QStringLiteral("/moved/ß.heic");
    catalog.updatePhoto(failed);
    const auto updated = catalog.photo(full.id);
    QCOMPARE(updated->status, PhotoStatus::Failed);
    QCOMPARE(updated->error, QStringLiteral("cannot decode"));
    QVERIFY(!updated->takenAt.isValid());
    QCOMPARE(updated->path, QStringLiteral("/moved/ß.heic"));
    QVERIFY(!catalog.photoByPath(full.path));

    // A path is in the catalog once; the error names the file.
    PhotoRecord duplicate = makePhoto(QStringLiteral("/backup/x.heic"));
    const QString error = errorOf([&] { catalog.insertPhoto(duplicate); });
    QVERIFY2(error.contains(catalog.filePath()), qPrintable(error));

    PhotoRecord ghost = makePhoto(QStringLiteral("/ghost.jpg"));
    ghost.id = 999;
    QVERIFY(!errorOf([&] { catalog.updatePhoto(ghost); }).isEmpty());

    catalog.removePhoto(copy.id);
    QVERIFY(!catalog.photo(copy.id));
    QCOMPARE(catalog.photos().size(), size_t(2));
    // Ids are never handed out twice: they are FAISS ids too.
    PhotoRecord next = makePhoto(QStringLiteral("/p/next.jpg"));
    QVERIFY(catalog.insertPhoto(next) > noHash.id);
}

void TestCatalog::removingAPhotoRemovesWhatHangsOffIt()
{
    QTemporaryDir tmp;
    qint64 id = 0;
    qint64 other = 0;
    {
        Catalog catalog(tmp.path());
        PhotoRecord r = makePhoto(QStringLiteral("/p/a.jpg"));
        id = catalog.insertPhoto(r);
        PhotoRecord o = makePhoto(QStringLiteral("/p/b.jpg"));
        other = catalog.insertPhoto(o);
        catalog.putEmbedding(id, QStringLiteral("m1"), {1, 2, 3}, QStringLiteral("h"));
        catalog.putEmbedding(id, QStringLiteral("m2"), {4, 5}, QStringLiteral("h"));
        catalog.putEmbedding(other, QStringLiteral("m1"), {7, 8, 9}, QStringLiteral("h"));
    }
    {
        RawDb raw(catalogFile(tmp));
        QVERIFY(raw.exec("PRAGMA foreign_keys = ON; INSERT INTO tags(id, name) VALUES (1, 'beach');"
                         "INSERT INTO photo_tag_scores(photo_id, tag_id, model_id, score, assigned) "
                         "VALUES (1, 1, 'm1', 0.9, 1), (2, 1, 'm1', 0.8, 1);"
                         "INSERT INTO tag_corrections(photo_id, tag, verdict) VALUES (1, 'beach', -1);"
                         "INSERT INTO albums(id, name) VALUES (1, 'Summer');"
                         "INSERT INTO album_examples(album_id, photo_id, positive) VALUES (1, 1, 1);"
                         "INSERT INTO album_photos(album_id, photo_id) VALUES (1, 1), (1, 2);"));
    }
    Catalog catalog(tmp.path());
    catalog.removePhoto(id);
    RawDb raw(catalogFile(tmp));
    QCOMPARE(raw.integer("SELECT count(*) FROM embeddings WHERE photo_id = 1"), qint64(0));
    QCOMPARE(raw.integer("SELECT count(*) FROM embeddings"), qint64(1));
    QCOMPARE(raw.integer("SELECT count(*) FROM photo_tag_scores"), qint64(1));
    QCOMPARE(raw.integer("SELECT count(*) FROM tag_corrections"), qint64(0));
    QCOMPARE(raw.integer("SELECT count(*) FROM album_examples"), qint64(0));
    QCOMPARE(raw.integer("SELECT count(*) FROM album_photos"), qint64(1));
    QCOMPARE(catalog.embeddingCount(QStringLiteral("m1")), qint64(1));
    QCOMPARE(catalog.embedding(other, QStringLiteral("m1")), (std::vector<float>{7, 8, 9}));
}

void TestCatalog::staleEmbeddingsAreIgnored()
{
    QTemporaryDir tmp;
    Catalog catalog(tmp.path());
    const QString m = QStringLiteral("m");
    PhotoRecord r = makePhoto(QStringLiteral("/p/a.jpg"), QStringLiteral("h1"));
    catalog.insertPhoto(r);
    QCOMPARE(catalog.photosWithoutEmbedding(m), ids({r.id}));

    catalog.putEmbedding(r.id, m, {1, 0}, QStringLiteral("h1"));
    QCOMPARE(catalog.embedding(r.id, m), (std::vector<float>{1, 0}));
    QCOMPARE(catalog.embeddingCount(m), qint64(1));
    QVERIFY(catalog.photosWithoutEmbedding(m).empty());
    QVERIFY(catalog.embedding(r.id, QStringLiteral("other")).empty());
    QCOMPARE(catalog.photosWithoutEmbedding(QStringLiteral("other")), ids({r.id}));

    // The file changed: the vector no longer describes it.
    r.contentHash = QStringLiteral("h2");
    catalog.updatePhoto(r);
    QVERIFY(catalog.embedding(r.id, m).empty());
    QCOMPARE(catalog.embeddingCount(m), qint64(0));
    int visited = 0;
    catalog.forEachEmbedding(m, [&](qint64, const std::vector<float>&) { ++visited; });
    QCOMPARE(visited, 0);
    QCOMPARE(catalog.photosWithoutEmbedding(m), ids({r.id}));

    catalog.putEmbedding(r.id, m, {0, 1}, QStringLiteral("h2"));
    QCOMPARE(catalog.embedding(r.id, m), (std::vector<float>{0, 1}));

    // A photo that no longer decodes has no usable vector and needs none.
    r.status = PhotoStatus::Failed;
    catalog.updatePhoto(r);
    QVERIFY(catalog.embedding(r.id, m).empty());
    QCOMPARE(catalog.embeddingCount(m), qint64(0));
    QVERIFY(catalog.photosWithoutEmbedding(m).empty());

    // An embedding for a photo that is not there is refused.
    QVERIFY(!errorOf([&] { catalog.putEmbedding(12345, m, {1}, QStringLiteral("h")); }).isEmpty());
    QVERIFY(!errorOf([&] { catalog.putEmbedding(r.id, m, {}, QStringLiteral("h2")); }).isEmpty());
}

void TestCatalog::badVectorBlobReadsAsMissing()
{
    QTemporaryDir tmp;
    qint64 id = 0;
    {
        Catalog catalog(tmp.path());
        PhotoRecord r = makePhoto(QStringLiteral("/p/a.jpg"));
        id = catalog.insertPhoto(r);
        PhotoRecord r2 = makePhoto(QStringLiteral("/p/b.jpg"));
        catalog.insertPhoto(r2);
        catalog.putEmbedding(id, QStringLiteral("m"), {1, 2, 3}, QStringLiteral("h"));
        catalog.putEmbedding(r2.id, QStringLiteral("m"), {1, 2, 3}, QStringLiteral("h"));
        RawDb raw(catalogFile(tmp));
        QVERIFY(raw.exec("UPDATE embeddings SET vector = X'000000' WHERE photo_id = 1;"
                         "UPDATE embeddings SET vector = 'text!!!!!!!!' WHERE photo_id = 2;"));
    }
    Catalog catalog(tmp.path());
    QVERIFY(catalog.embedding(id, QStringLiteral("m")).empty());
    QCOMPARE(catalog.embeddingCount(QStringLiteral("m")), qint64(0));
    QCOMPARE(catalog.photosWithoutEmbedding(QStringLiteral("m")), ids({1, 2}));
    int visited = 0;
    catalog.forEachEmbedding(QStringLiteral("m"), [&](qint64, const std::vector<float>&) { ++visited; });
    QCOMPARE(visited, 0);
}

void TestCatalog::generationIncreasesOnEveryKindOfChange()
{
    QTemporaryDir tmp;
    Catalog catalog(tmp.path());
    const QString a = QStringLiteral("a");
    const QString b = QStringLiteral("b");
    QCOMPARE(catalog.generation(a), qint64(0));

    PhotoRecord r = makePhoto(QStringLiteral("/p/1.jpg"), QStringLiteral("h1"));
    catalog.insertPhoto(r);
    PhotoRecord r2 = makePhoto(QStringLiteral("/p/2.jpg"), QStringLiteral("h2"));
    catalog.insertPhoto(r2);

    catalog.putEmbedding(r.id, a, {1}, QStringLiteral("h1"));
    const qint64 afterPut = catalog.generation(a);
    QVERIFY(afterPut > 0);
    QCOMPARE(catalog.generation(b), qint64(0));
    catalog.putEmbedding(r.id, b, {1}, QStringLiteral("h1"));
    catalog.putEmbedding(r.id, a, {2}, QStringLiteral("h1"));
    const qint64 afterReplace = catalog.generation(a);
    QVERIFY(afterReplace > afterPut);

    // Same content, same status: the vectors did not change.
    r.path = QStringLiteral("/p/renamed.jpg");
    r.width = 10;
    catalog.updatePhoto(r);
    QCOMPARE(catalog.generation(a), afterReplace);

    r.contentHash = QStringLiteral("h1-edited");
    catalog.updatePhoto(r);
    const qint64 afterHash = catalog.generation(a);
    QVERIFY(afterHash > afterReplace);
    const qint64 bAfterHash = catalog.generation(b);

    r.status = PhotoStatus::Failed;
    catalog.updatePhoto(r);
    const qint64 afterStatus = catalog.generation(a);
    QVERIFY(afterStatus > afterHash);
    QVERIFY(catalog.generation(b) > bAfterHash);

    catalog.removePhoto(r2.id);
    const qint64 afterRemove = catalog.generation(a);
    QVERIFY(afterRemove > afterStatus);

    catalog.removePhoto(987654); // nothing there, nothing changed
    QCOMPARE(catalog.generation(a), afterRemove);
}

void TestCatalog::librariesDoNotShareGenerations()
{
    // The same history in two libraries: their vectors files must not be
    // interchangeable (the store trusts a file whose generation matches).
    QTemporaryDir one;
    QTemporaryDir two;
    qint64 generations[2] = {0, 0};
    int i = 0;
    for (const QString& dir : {one.path(), two.path()}) {
        Catalog catalog(dir);
        PhotoRecord r = makePhoto(QStringLiteral("/p/1.jpg"), QStringLiteral("h1"));
        catalog.insertPhoto(r);
        catalog.putEmbedding(r.id, QStringLiteral("m"), {1}, QStringLiteral("h1"));
        generations[i++] = catalog.generation(QStringLiteral("m"));
    }
    QVERIFY(generations[0] > 0);
    QVERIFY(generations[1] > 0);
    QVERIFY(generations[0] != generations[1]);
}

void TestCatalog::indexRunSwitchesToACoveringModelOnly()
{
    QTemporaryDir tmp;
    Catalog catalog(tmp.path());
    std::vector<qint64> ids;
    for (int i = 0; i < 3; ++i) {
        PhotoRecord r = makePhoto(QStringLiteral("/p/%1.jpg").arg(i), QStringLiteral("h%1").arg(i));
        ids.push_back(catalog.insertPhoto(r));
    }
    const QString a = QStringLiteral("clip-a");
    const QString b = QStringLiteral("clip-b");
    for (int i = 0; i < 3; ++i)
        catalog.putEmbedding(ids[size_t(i)], a, {1}, QStringLiteral("h%1").arg(i));
    recordIndexedModel(catalog, QStringLiteral("/models/a"), a, true); // none yet: even a cancelled run sets it
    QCOMPARE(libraryModelId(catalog), a);

    // Model b over one folder only: search stays with a, which sees every photo.
    catalog.putEmbedding(ids[0], b, {1}, QStringLiteral("h0"));
    recordIndexedModel(catalog, QStringLiteral("/models/b"), b, false);
    QCOMPARE(libraryModelId(catalog), a);
    QCOMPARE(libraryModelDir(catalog), QStringLiteral("/models/a"));

    // Once b covers as much, but interrupted: still a.
    catalog.putEmbedding(ids[1], b, {1}, QStringLiteral("h1"));
    catalog.putEmbedding(ids[2], b, {1}, QStringLiteral("h2"));
    recordIndexedModel(catalog, QStringLiteral("/models/b"), b, true);
    QCOMPARE(libraryModelId(catalog), a);
    // A finished run: b.
    recordIndexedModel(catalog, QStringLiteral("/models/b"), b, false);
    QCOMPARE(libraryModelId(catalog), b);
    QCOMPARE(libraryModelDir(catalog), QStringLiteral("/models/b"));

    // New files in the library's own model folder (another id), even over a
    // part, even interrupted: the old weights are gone, the new id is taken.
    const QString c = QStringLiteral("clip-c");
    catalog.putEmbedding(ids[0], c, {1}, QStringLiteral("h0"));
    recordIndexedModel(catalog, QStringLiteral("/models/b"), c, true);
    QCOMPARE(libraryModelId(catalog), c);
}

void TestCatalog::embeddingsInIdOrderLittleEndian()
{
    QTemporaryDir tmp;
    Catalog catalog(tmp.path());
    std::vector<qint64> photoIds;
    for (int i = 0; i < 4; ++i) {
        PhotoRecord r = makePhoto(QStringLiteral("/p/%1.jpg").arg(i));
        photoIds.push_back(catalog.insertPhoto(r));
    }
    for (int i = 3; i >= 0; --i) {
        if (i == 2)
            continue;
        catalog.putEmbedding(photoIds[size_t(i)], QStringLiteral("m"), {float(i), -1.5f, 1e-7f},
                             QStringLiteral("h"));
    }
    std::vector<qint64> seen;
    catalog.forEachEmbedding(QStringLiteral("m"), [&](qint64 id, const std::vector<float>& v) {
        seen.push_back(id);
        QCOMPARE(v.size(), size_t(3));
        const auto index = std::find(photoIds.begin(), photoIds.end(), id) - photoIds.begin();
        QCOMPARE(v[0], float(index));
        QCOMPARE(v[1], -1.5f);
        QCOMPARE(v[2], 1e-7f);
    });
    QCOMPARE(seen, (std::vector<qint64>{photoIds[0], photoIds[1], photoIds[3]}));
    QCOMPARE(catalog.photosWithoutEmbedding(QStringLiteral("m")), ids({photoIds[2]}));

    RawDb raw(catalogFile(tmp));
    const QByteArray bytes = raw.blob("SELECT vector FROM embeddings WHERE photo_id = 2 AND model_id = 'm'");
    QCOMPARE(bytes.size(), 12);
    QCOMPARE(bytes.left(8).toHex(), QByteArray("0000803f0000c0bf")); // 1.0f, -1.5f
}

void TestCatalog::reenteringFromAVisitorWorks()
{
    QTemporaryDir tmp;
    Catalog catalog(tmp.path());
    for (int i = 0; i < 3; ++i) {
        PhotoRecord r = makePhoto(QStringLiteral("/p/%1.jpg").arg(i));
        catalog.insertPhoto(r);
        catalog.putEmbedding(r.id, QStringLiteral("m"), {float(i)}, QStringLiteral("h"));
    }
    int inner = 0;
    catalog.forEachEmbedding(QStringLiteral("m"), [&](qint64 id, const std::vector<float>& v) {
        QCOMPARE(catalog.embedding(id, QStringLiteral("m")), v);
        catalog.forEachEmbedding(QStringLiteral("m"), [&](qint64, const std::vector<float>&) { ++inner; });
    });
    QCOMPARE(inner, 9);
}

void TestCatalog::filterByTime()
{
    QTemporaryDir tmp;
    Catalog catalog(tmp.path());
    PhotoRecord morning = makePhoto(QStringLiteral("/p/morning.jpg"));
    morning.takenAt = local(2021, 3, 10, 9, 0, 0);
    catalog.insertPhoto(morning);
    PhotoRecord noon = makePhoto(QStringLiteral("/p/noon.jpg"));
    noon.takenAt = local(2021, 3, 10, 12, 0, 0);
    catalog.insertPhoto(noon);
    // No taken-at: its mtime (local wall clock) stands in.
    PhotoRecord scanned = makePhoto(QStringLiteral("/p/scan.png"));
    scanned.mtimeMs = local(2021, 3, 10, 10, 30, 0, 700).toMSecsSinceEpoch();
    catalog.insertPhoto(scanned);
    // Its mtime would match, but the taken-at says otherwise.
    PhotoRecord old = makePhoto(QStringLiteral("/p/old.jpg"));
    old.takenAt = local(1999, 12, 31, 23, 59, 59);
    old.mtimeMs = scanned.mtimeMs;
    catalog.insertPhoto(old);
    PhotoRecord failed = makePhoto(QStringLiteral("/p/failed.jpg"));
    failed.takenAt = noon.takenAt;
    failed.status = PhotoStatus::Failed;
    catalog.insertPhoto(failed);

    auto query = [&](const QDateTime& after, const QDateTime& before) {
        PhotoFilter f;
        f.after = after;
        f.before = before;
        return catalog.photoIds(f);
    };
    QCOMPARE(catalog.photoIds(PhotoFilter()), ids({morning.id, noon.id, scanned.id, old.id}));
    // after inclusive, before exclusive
    QCOMPARE(query(local(2021, 3, 10, 9, 0), local(2021, 3, 10, 12, 0)), ids({morning.id, scanned.id}));
    QCOMPARE(query(local(2021, 3, 10, 9, 0, 1), {}), ids({noon.id, scanned.id}));
    QCOMPARE(query({}, local(2021, 3, 10, 9, 0, 1)), ids({morning.id, old.id}));
    // mtime fallback, at whole seconds
    QCOMPARE(query(local(2021, 3, 10, 10, 30), local(2021, 3, 10, 10, 30, 1)), ids({scanned.id}));
    QCOMPARE(query(local(2021, 3, 10, 10, 30, 1), local(2021, 3, 10, 11, 0)), ids({}));
    // Sub-second bounds against whole-second times.
    QCOMPARE(query(local(2021, 3, 10, 9, 0, 0, 500), local(2021, 3, 10, 10, 0)), ids({}));
    QCOMPARE(query({}, local(2021, 3, 10, 9, 0, 0, 500)), ids({morning.id, old.id}));
    // A bound in UTC means the same instant, seen on the local clock.
    QCOMPARE(query(local(2021, 3, 10, 11, 0).toUTC(), {}), ids({noon.id}));
}

void TestCatalog::filterByFolderAndFormat()
{
    QTemporaryDir tmp;
    Catalog catalog(tmp.path());
    auto add = [&](const char* path, const char* format) {
        PhotoRecord r = makePhoto(QString::fromUtf8(path), QStringLiteral("h"), QString::fromLatin1(format));
        return catalog.insertPhoto(r);
    };
    const qint64 b1 = add("/a/b/1.jpg", "jpeg");
    const qint64 b2 = add("/a/b/c/2.png", "png");
    const qint64 bc = add("/a/bc/3.jpg", "jpeg");
    const qint64 bDash = add("/a/b-c/4.jpg", "jpeg"); // '-' sorts before '/'
    const qint64 pct = add("/x/100%_/p.jpg", "jpeg");
    const qint64 like = add("/x/100ab/q.jpg", "jpeg"); // what LIKE '/x/100%_/%' would also match
    const qint64 under = add("/x/a_c/r.webp", "webp");
    const qint64 abc = add("/x/abc/s.webp", "webp");

    auto inFolder = [&](const char* folder) {
        PhotoFilter f;
        f.folders = QStringList{QString::fromUtf8(folder)};
        return catalog.photoIds(f);
    };
    QCOMPARE(inFolder("/a/b"), ids({b1, b2}));
    QCOMPARE(inFolder("/a/b/"), ids({b1, b2}));
    QCOMPARE(inFolder("/a/b/c"), ids({b2}));
    QCOMPARE(inFolder("/a"), ids({b1, b2, bc, bDash}));
    QCOMPARE(inFolder("/x/100%_"), ids({pct}));
    QCOMPARE(inFolder("/x/a_c"), ids({under}));
    QCOMPARE(inFolder("/x/a%"), ids({}));
    QCOMPARE(inFolder("/"), ids({b1, b2, bc, bDash, pct, like, under, abc}));
    QCOMPARE(inFolder("/a/b/1.jpg"), ids({b1})); // the folder itself

    PhotoFilter f;
    f.formats = QStringList{QStringLiteral("webp")};
    QCOMPARE(catalog.photoIds(f), ids({under, abc}));
    f.formats = QStringList{QStringLiteral("png"), QStringLiteral("webp")};
    QCOMPARE(catalog.photoIds(f), ids({b2, under, abc}));
    f.folders = QStringList{QStringLiteral("/a")};
    QCOMPARE(catalog.photoIds(f), ids({b2}));
    f.folders = QStringList{QStringLiteral("/a/b/c"), QStringLiteral("/x")}; // any of them
    f.formats.clear();
    QCOMPARE(catalog.photoIds(f), ids({b2, pct, like, under, abc}));
    f.formats = QStringList{QStringLiteral("webp")};
    f.formats = QStringList{QStringLiteral("gif")};
    QCOMPARE(catalog.photoIds(f), ids({}));
}

void TestCatalog::transactionsRollBackUnlessCommitted()
{
    QTemporaryDir tmp;
    Catalog catalog(tmp.path());
    {
        Catalog::Transaction t(catalog);
        PhotoRecord r = makePhoto(QStringLiteral("/p/rolled-back.jpg"));
        catalog.insertPhoto(r);
        catalog.putEmbedding(r.id, QStringLiteral("m"), {1}, QStringLiteral("h"));
        QCOMPARE(catalog.photos().size(), size_t(1)); // visible inside
    }
    QVERIFY(catalog.photos().empty());
    QCOMPARE(catalog.generation(QStringLiteral("m")), qint64(0));

    try {
        Catalog::Transaction t(catalog);
        PhotoRecord r = makePhoto(QStringLiteral("/p/a.jpg"));
        catalog.insertPhoto(r);
        PhotoRecord again = makePhoto(QStringLiteral("/p/a.jpg"));
        catalog.insertPhoto(again); // throws: same path
        t.commit();
        QFAIL("a duplicate path was accepted");
    } catch (const CatalogError&) {
    }
    QVERIFY(catalog.photos().empty());

    {
        Catalog::Transaction t(catalog);
        for (int i = 0; i < 3; ++i) {
            PhotoRecord r = makePhoto(QStringLiteral("/p/%1.jpg").arg(i));
            catalog.insertPhoto(r);
            catalog.putEmbedding(r.id, QStringLiteral("m"), {float(i)}, QStringLiteral("h"));
        }
        t.commit();
    }
    QCOMPARE(catalog.photos().size(), size_t(3));
    QCOMPARE(catalog.embeddingCount(QStringLiteral("m")), qint64(3));
    Catalog reopened(tmp.path());
    QCOMPARE(reopened.photos().size(), size_t(3));
}

void TestCatalog::settingsAndStats()
{
    QTemporaryDir tmp;
    Catalog catalog(tmp.path());
    QCOMPARE(catalog.setting(QStringLiteral("model")), QString());
    QCOMPARE(catalog.setting(QStringLiteral("model"), QStringLiteral("fallback")), QStringLiteral("fallback"));
    catalog.setSetting(QStringLiteral("model"), QStringLiteral("clip-b32"));
    catalog.setSetting(QStringLiteral("model"), QStringLiteral("clip-l14'; DROP TABLE photos; --"));
    QCOMPARE(catalog.setting(QStringLiteral("model")), QStringLiteral("clip-l14'; DROP TABLE photos; --"));

    auto add = [&](const char* path, const char* format, const char* error) {
        PhotoRecord r = makePhoto(QString::fromUtf8(path), QStringLiteral("h"), QString::fromLatin1(format));
        if (error) {
            r.status = PhotoStatus::Failed;
            r.error = QString::fromUtf8(error);
        }
        catalog.insertPhoto(r);
    };
    add("/p/z.jpg", "jpeg", "bad huffman table");
    add("/p/a.jpg", "jpeg", nullptr);
    add("/p/m.png", "png", "truncated");
    add("/p/b.webp", "webp", nullptr);
    add("/p/c.jpg", "jpeg", nullptr);

    const Catalog::Stats stats = catalog.stats();
    QCOMPARE(stats.photos, qint64(5));
    QCOMPARE(stats.failed, qint64(2));
    QCOMPARE(stats.byFormat.size(), size_t(3));
    QCOMPARE(stats.byFormat.at(QStringLiteral("jpeg")), qint64(3));
    QCOMPARE(stats.byFormat.at(QStringLiteral("png")), qint64(1));
    QCOMPARE(stats.byFormat.at(QStringLiteral("webp")), qint64(1));
    QCOMPARE(stats.failures.size(), size_t(2));
    QCOMPARE(stats.failures[0], std::make_pair(QStringLiteral("/p/m.png"), QStringLiteral("truncated")));
    QCOMPARE(stats.failures[1], std::make_pair(QStringLiteral("/p/z.jpg"), QStringLiteral("bad huffman table")));
}

void TestCatalog::newerSchemaIsRefused()
{
    QTemporaryDir tmp;
    {
        Catalog catalog(tmp.path());
    }
    {
        RawDb raw(catalogFile(tmp));
        QVERIFY(raw.exec("UPDATE meta SET value = '7' WHERE key IN ('schema_version', 'min_reader_version');"
                         "PRAGMA user_version = 7;"));
    }
    const QString error = errorOf([&] { Catalog catalog(tmp.path()); });
    QCOMPARE(error, catalogFile(tmp) + QStringLiteral(" was written by a newer version of PhotoSearch (catalog "
                                                      "schema 7); update PhotoSearch to open it."));
    RawDb raw(catalogFile(tmp));
    QCOMPARE(raw.integer("PRAGMA user_version"), qint64(7)); // untouched
}

void TestCatalog::newerButReadableSchemaOpens()
{
    QTemporaryDir tmp;
    {
        Catalog catalog(tmp.path());
        PhotoRecord r = makePhoto(QStringLiteral("/p/a.jpg"));
        catalog.insertPhoto(r);
    }
    {
        // A later version that only added something older builds can ignore.
        RawDb raw(catalogFile(tmp));
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE faces (id INTEGER PRIMARY KEY);"
                                        "UPDATE meta SET value = '%1' WHERE key = 'schema_version';"
                                        "PRAGMA user_version = %1;")
                             .arg(Catalog::kSchemaVersion + 1)
                             .toUtf8()
                             .constData()));
    }
    {
        Catalog catalog(tmp.path());
        QCOMPARE(catalog.photos().size(), size_t(1));
    }
    RawDb raw(catalogFile(tmp));
    QCOMPARE(raw.integer("PRAGMA user_version"), qint64(Catalog::kSchemaVersion + 1)); // never moved back
}

void TestCatalog::garbageFileIsAnError()
{
    for (const QByteArray& content : {QByteArray("hello"), QByteArray(8192, 'x'),
                                      QByteArray("SQLite format 3").append(QByteArray(4000, '\x07'))}) {
        QTemporaryDir tmp;
        QFile file(catalogFile(tmp));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();
        const QString error = errorOf([&] { Catalog catalog(tmp.path()); });
        QVERIFY2(error.startsWith(catalogFile(tmp) + QStringLiteral(" is not a PhotoSearch catalog")),
                 qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("move it away or choose another library")), qPrintable(error));
        // Left alone for the user to inspect.
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), content);
    }
}

void TestCatalog::foreignDatabaseIsAnError()
{
    QTemporaryDir tmp;
    {
        RawDb raw(catalogFile(tmp));
        QVERIFY(raw.exec("CREATE TABLE songs (title TEXT);"));
    }
    const QString error = errorOf([&] { Catalog catalog(tmp.path()); });
    QVERIFY2(error.startsWith(catalogFile(tmp) + QStringLiteral(" is an SQLite database but not a PhotoSearch")),
             qPrintable(error));
    RawDb raw(catalogFile(tmp));
    QCOMPARE(raw.integer("SELECT count(*) FROM sqlite_master WHERE name = 'photos'"), qint64(0));
}

void TestCatalog::readOnlyCatalogIsAnError()
{
#ifdef Q_OS_UNIX
    if (::geteuid() == 0)
        QSKIP("permissions do not stop root");
#endif
    QTemporaryDir tmp;
    {
        Catalog catalog(tmp.path());
        PhotoRecord r = makePhoto(QStringLiteral("/p/a.jpg"));
        catalog.insertPhoto(r);
    }
    const QFileDevice::Permissions readOnly = QFileDevice::ReadOwner | QFileDevice::ExeOwner;
    QVERIFY(QFile::setPermissions(catalogFile(tmp), QFileDevice::ReadOwner));
    QVERIFY(QFile::setPermissions(tmp.path(), readOnly));
    const QString error = errorOf([&] {
        Catalog catalog(tmp.path());
        PhotoRecord r = makePhoto(QStringLiteral("/p/b.jpg"));
        catalog.insertPhoto(r);
    });
    QFile::setPermissions(tmp.path(), readOnly | QFileDevice::WriteOwner);
    QVERIFY2(error.startsWith(catalogFile(tmp) + QLatin1Char(' ')), qPrintable(error));
}

void TestCatalog::version1FileOpensUnchanged()
{
    QTemporaryDir tmp;
    {
        RawDb raw(catalogFile(tmp));
        QVERIFY(raw.exec(kVersion1Fixture));
    }
    Catalog catalog(tmp.path());
    const auto beach = catalog.photo(7);
    QVERIFY(beach);
    QCOMPARE(beach->path, QStringLiteral("/pictures/2019/beach.jpg"));
    QCOMPARE(beach->size, qint64(123456));
    QCOMPARE(beach->mtimeMs, qint64(1560000000000));
    QCOMPARE(beach->contentHash, QStringLiteral("abc123"));
    QCOMPARE(beach->width, 4032);
    QCOMPARE(beach->height, 3024);
    QCOMPARE(beach->format, QStringLiteral("jpeg"));
    QCOMPARE(beach->takenAt, local(2019, 6, 8, 14, 20));
    QCOMPARE(beach->camera, QStringLiteral("Canon EOS 80D"));
    QCOMPARE(beach->lens, QStringLiteral("EF-S 18-55"));
    QVERIFY(beach->hasGps);
    QCOMPARE(beach->latitude, 43.5);
    QCOMPARE(beach->longitude, -1.25);
    const auto broken = catalog.photo(8);
    QCOMPARE(broken->status, PhotoStatus::Failed);
    QCOMPARE(broken->error, QStringLiteral("truncated file"));
    QCOMPARE(catalog.embedding(7, QStringLiteral("clip-b32")), (std::vector<float>{1.0f, -2.0f}));
    QCOMPARE(catalog.generation(QStringLiteral("clip-b32")), qint64(5));
    QCOMPARE(catalog.setting(QStringLiteral("model")), QStringLiteral("clip-b32"));

    // Ids continue after the highest one ever used.
    PhotoRecord next = makePhoto(QStringLiteral("/pictures/new.jpg"));
    QCOMPARE(catalog.insertPhoto(next), qint64(9));

    // Upgraded step by step to the current schema: version 2's query cache works.
    QVERIFY(catalog.cachedTextEmbedding(QStringLiteral("clip-b32"), QStringLiteral("beach")).empty());
    catalog.cacheTextEmbedding(QStringLiteral("clip-b32"), QStringLiteral("beach"), {0.6f, 0.8f});
    QCOMPARE(catalog.cachedTextEmbedding(QStringLiteral("clip-b32"), QStringLiteral("beach")),
             (std::vector<float>{0.6f, 0.8f}));
    QVERIFY(catalog.cachedTextEmbedding(QStringLiteral("other-model"), QStringLiteral("beach")).empty());
    RawDb raw(catalogFile(tmp));
    QCOMPARE(raw.integer("PRAGMA user_version"), qint64(Catalog::kSchemaVersion));
    QCOMPARE(raw.integer("SELECT value FROM meta WHERE key = 'min_reader_version'"), qint64(3));
}

void TestCatalog::version2FileUpgradesToVersion3()
{
    QTemporaryDir tmp;
    {
        // A catalog as version 2 left it: version 1's tables, the query
        // cache with one entry, and the version recorded.
        RawDb raw(catalogFile(tmp));
        QVERIFY(raw.exec(kVersion1Fixture));
        QVERIFY(raw.exec(kVersion2Fixture));
    }
    Catalog catalog(tmp.path());
    QCOMPARE(catalog.photo(7)->path, QStringLiteral("/pictures/2019/beach.jpg"));
    QCOMPARE(catalog.embedding(7, QStringLiteral("clip-b32")), (std::vector<float>{1.0f, -2.0f}));
    QCOMPARE(catalog.cachedTextEmbedding(QStringLiteral("clip-b32"), QStringLiteral("dog")),
             (std::vector<float>{0.6f, 0.8f}));
    QCOMPARE(catalog.generation(QStringLiteral("clip-b32")), qint64(5));

    RawDb raw(catalogFile(tmp));
    QCOMPARE(raw.integer("PRAGMA user_version"), qint64(Catalog::kSchemaVersion)); // then on to the latest
    QCOMPARE(raw.integer("SELECT value FROM meta WHERE key = 'min_reader_version'"), qint64(3));
    // Version 3's tables and columns, empty or unset for existing rows.
    QCOMPARE(raw.integer("SELECT count(*) FROM photos WHERE phash IS NULL"), qint64(2));
    QCOMPARE(raw.integer("SELECT count(*) FROM photo_tag_scores"), qint64(0));
    QCOMPARE(raw.integer("SELECT count(*) FROM tag_corrections"), qint64(0));
    QCOMPARE(raw.integer("SELECT count(*) FROM album_examples") + raw.integer("SELECT count(*) FROM album_models"),
             qint64(0));
    QCOMPARE(raw.integer("SELECT count(*) FROM sqlite_master WHERE name = 'photo_tags'"), qint64(0));
    QVERIFY(raw.exec("INSERT INTO albums(name) VALUES ('trip')"));
    QCOMPARE(raw.text("SELECT kind FROM albums WHERE name = 'trip'"), QStringLiteral("manual"));
    QVERIFY(!raw.exec("INSERT INTO albums(name) VALUES ('trip')")); // names are unique
    // A photo's removal takes its tags and album entries along.
    QVERIFY(raw.exec("INSERT INTO tags(name) VALUES ('beach');"
                     "INSERT INTO photo_tag_scores VALUES (7, 1, 'clip-b32', 0.5, 1);"
                     "INSERT INTO tag_corrections VALUES (7, 'beach', 1, 0);"
                     "INSERT INTO album_examples VALUES (1, 7, 1);"));
    catalog.removePhoto(7);
    QCOMPARE(raw.integer("SELECT count(*) FROM photo_tag_scores") + raw.integer("SELECT count(*) FROM tag_corrections")
                 + raw.integer("SELECT count(*) FROM album_examples"),
             qint64(0));
}

void TestCatalog::emptyVersion0FileIsUpgraded()
{
    QTemporaryDir tmp;
    {
        RawDb raw(catalogFile(tmp));
        // A real database file (header written) that holds nothing yet.
        QVERIFY(raw.exec("CREATE TABLE x (a); DROP TABLE x; PRAGMA user_version = 0;"));
    }
    {
        Catalog catalog(tmp.path());
        PhotoRecord r = makePhoto(QStringLiteral("/p/a.jpg"));
        catalog.insertPhoto(r);
    }
    RawDb raw(catalogFile(tmp));
    QCOMPARE(raw.integer("PRAGMA user_version"), qint64(Catalog::kSchemaVersion));
    QCOMPARE(raw.text("SELECT value FROM meta WHERE key = 'schema_version'"),
             QString::number(Catalog::kSchemaVersion));
    QCOMPARE(raw.integer("SELECT count(*) FROM photos"), qint64(1));
    QCOMPARE(raw.text("PRAGMA journal_mode"), QStringLiteral("wal"));
}

void TestCatalog::upgradeRunsStepByStepAndStopsAtAFailure()
{
    using photosearch::SchemaStep;
    using photosearch::SqliteConnection;
    QTemporaryDir tmp;
    const QString file = catalogFile(tmp);
    {
        const SqliteConnection db(file);
        const std::vector<SchemaStep> first = {
            {1, 1, [](const SqliteConnection& c) { c.exec("CREATE TABLE t (a INTEGER)"); }},
        };
        photosearch::upgradeCatalogSchema(db, first);
        QCOMPARE(photosearch::catalogSchemaVersion(db), 1);
        db.exec("INSERT INTO t VALUES (42)");
    }
    {
        // Step 1 would fail if it ran again (the table exists): only steps 2
        // and 3 may run; 3 fails and must leave the file at version 2.
        const SqliteConnection db(file);
        const std::vector<SchemaStep> later = {
            {1, 1, [](const SqliteConnection& c) { c.exec("CREATE TABLE t (a INTEGER)"); }},
            {2, 1, [](const SqliteConnection& c) { c.exec("ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x'"); }},
            {3, 3, [](const SqliteConnection& c) {
                 c.exec("CREATE TABLE u (a INTEGER)");
                 c.exec("THIS IS NOT SQL");
             }},
        };
        const QString error = errorOf([&] { photosearch::upgradeCatalogSchema(db, later); });
        QVERIFY2(error.startsWith(file + QStringLiteral(" could not be upgraded from catalog schema 2 to 3")),
                 qPrintable(error));
        QCOMPARE(photosearch::catalogSchemaVersion(db), 2);
        QCOMPARE(photosearch::catalogMinReaderVersion(db), 1);
    }
    RawDb raw(file);
    QCOMPARE(raw.text("SELECT a || b FROM t"), QStringLiteral("42x"));
    QCOMPARE(raw.integer("SELECT count(*) FROM sqlite_master WHERE name = 'u'"), qint64(0));
}

void TestCatalog::secondConnectionReadsWhileFirstWrites()
{
    QTemporaryDir tmp;
    Catalog writer(tmp.path());
    PhotoRecord first = makePhoto(QStringLiteral("/p/first.jpg"));
    writer.insertPhoto(first);

    // Another thread, its own Catalog: it sees committed data and is never
    // blocked by the open write transaction.
    auto readFromOtherThread = [&] {
        qint64 count = -1;
        qint64 ms = -1;
        QString error;
        std::thread reader([&] {
            try {
                QElapsedTimer timer;
                timer.start();
                Catalog catalog(tmp.path());
                count = qint64(catalog.photos().size());
                ms = timer.elapsed();
            } catch (const CatalogError& e) {
                error = QString::fromUtf8(e.what());
            }
        });
        reader.join();
        return std::make_tuple(count, ms, error);
    };

    {
        Catalog::Transaction t(writer);
        PhotoRecord second = makePhoto(QStringLiteral("/p/second.jpg"));
        writer.insertPhoto(second);
        const auto [count, ms, error] = readFromOtherThread();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(count, qint64(1));
        QVERIFY2(ms < 2500, qPrintable(QString::number(ms))); // well under the 5 s busy timeout
        t.commit();
    }
    const auto [count, ms, error] = readFromOtherThread();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(count, qint64(2));
}

QTEST_GUILESS_MAIN(TestCatalog)
#include "test_catalog.moc"
