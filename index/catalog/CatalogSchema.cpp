#include "CatalogSchema.h"

#include "Catalog.h"
#include "CatalogBackup.h"
#include "CatalogRepair.h"
#include "SqliteConnection.h"

#include <QByteArray>
#include <QFileInfo>

#include <sqlite3.h>

namespace photosearch {

namespace {

// Version 1. Frozen once released: a later change is a new step, never an
// edit here (tests/index/test_catalog.cpp keeps a copy to prove old files
// still open).
//
// photos.taken_at is the wall clock as written in the photo,
// 'yyyy-MM-ddTHH:mm:ss' (text, so it sorts); NULL when unknown.
// embeddings.content_hash is the hash of the file the vector was computed
// from: the vector is valid only while it equals photos.content_hash.
// embeddings.vector is dim float32 values, little-endian.
// AUTOINCREMENT: a photo id is also its id in every FAISS file, so an id is
// never handed out twice.
constexpr const char* kVersion1 = R"sql(
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

CREATE TABLE model_generations (
    model_id TEXT PRIMARY KEY,
    generation INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE photo_tags (
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    score REAL NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (photo_id, tag_id)
);
CREATE INDEX photo_tags_tag ON photo_tags(tag_id);

CREATE TABLE albums (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT ''
);
CREATE TABLE album_photos (
    album_id INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (album_id, photo_id)
);
CREATE INDEX album_photos_photo ON album_photos(photo_id);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
)sql";

void applyVersion1(const SqliteConnection& connection)
{
    connection.exec(kVersion1);
}

// Version 2: text queries embedded once per model, so that a repeated search
// skips the text tower. Readers of version 1 ignore the table, hence a
// minimum reader of 1. used_at (ms since the epoch) picks what to evict.
constexpr const char* kVersion2 = R"sql(
CREATE TABLE query_embeddings (
    model_id TEXT NOT NULL,
    text TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    used_at INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (model_id, text)
);
)sql";

void applyVersion2(const SqliteConnection& connection)
{
    connection.exec(kVersion2);
}

// Version 3: what the semantic engine derives from stored embeddings and
// pixels, and what a person decides about it.
// - photos.phash: 64-bit perceptual hash of the decoded image (core/
//   PerceptualHash.h), stored as a signed integer; NULL = not computed. It
//   belongs to the photo's content like its width and height.
// - photo_tag_scores: one row per (photo, tag, model) with the tag's
//   calibrated score and whether the tagger assigned it. Tags are kept per
//   model so that switching model never mixes scores of two models.
// - tag_corrections: a person's verdicts (1 confirmed, -1 removed), by tag
//   name and without a model: they outlive re-tagging, a vocabulary edit and
//   a model change, and win over the model.
// - tags.in_vocabulary: the tags of the library's current vocabulary (a tag
//   dropped from it keeps its row while corrections name it).
// - albums.kind: 'manual' or 'few-shot' (auto-albums are tags, not rows);
//   album_examples: the photos a person marked in (1) or out (0) of a
//   few-shot album; album_models: its trained linear probe per model.
// v1's photo_tags (never written by any build) is replaced.
// Minimum reader 3: a version-2 build would update photos without keeping
// phash and tags in step with the content.
constexpr const char* kVersion3 = R"sql(
ALTER TABLE photos ADD COLUMN phash INTEGER;
DROP TABLE photo_tags;
ALTER TABLE tags ADD COLUMN in_vocabulary INTEGER NOT NULL DEFAULT 1;
CREATE TABLE photo_tag_scores (
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    model_id TEXT NOT NULL,
    score REAL NOT NULL,
    assigned INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (photo_id, tag_id, model_id)
);
CREATE INDEX photo_tag_scores_tag ON photo_tag_scores(model_id, tag_id, assigned);
CREATE TABLE tag_corrections (
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    verdict INTEGER NOT NULL,
    at_ms INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (photo_id, tag)
);
ALTER TABLE albums ADD COLUMN kind TEXT NOT NULL DEFAULT 'manual';
CREATE UNIQUE INDEX albums_name ON albums(name);
CREATE TABLE album_examples (
    album_id INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    positive INTEGER NOT NULL,
    PRIMARY KEY (album_id, photo_id)
);
CREATE TABLE album_models (
    album_id INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
    model_id TEXT NOT NULL,
    dim INTEGER NOT NULL,
    weights BLOB NOT NULL,
    bias REAL NOT NULL,
    trained_at_ms INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (album_id, model_id)
);
-- index/tags (TagStore.h): label embeddings per model, never evicted (the
-- query cache is), so re-tagging needs no text tower; key = the prompt
-- templates' digest and the label. Each tag's calibration per model (centre
-- and scale of its neutral margin over the library), so that photos added
-- later are judged on the same scale. tagged_photos: which photos were
-- scored from which content, so that new and changed photos are found.
CREATE TABLE label_embeddings (
    model_id TEXT NOT NULL,
    key TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model_id, key)
);
CREATE TABLE tag_calibration (
    model_id TEXT NOT NULL,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    center REAL NOT NULL,
    scale REAL NOT NULL,
    PRIMARY KEY (model_id, tag_id)
);
CREATE TABLE tagged_photos (
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    model_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    PRIMARY KEY (photo_id, model_id)
);
)sql";

void applyVersion3(const SqliteConnection& connection)
{
    connection.exec(kVersion3);
}

// Version 4: text read in photos (index/text/PhotoTextStore.h). One row per
// photo the text pass looked at; valid only while content_hash equals the
// photo's (the staleness key, as for embeddings), so a moved photo keeps its
// text and a changed one is read again. status: 0 read, 1 skipped by the
// selection, 2 failed. words: JSON [[word, confidence 0..100], ...] of the
// words kept; text: those words in reading order, lines joined by '\n'.
// likelihood: the selection's cheap signal (TextSelection.h), kept to tune it.
// photo_text_fts indexes `search_text`: `text` plus the joined forms of
// words written with a hyphen or an apostrophe ("Wi-Fi" also as "WiFi", so
// that `wifi` finds it; unicode61 splits at the hyphen), with unicode61 and
// remove_diacritics 2 (accent- and case-folded); it keeps its own copy (not an external-content table) so
// a damaged index never mis-deletes, and the triggers keep it in step with
// photo_text, which cascades with photos: a removed photo leaves the index.
// Salvage (CatalogSalvage.cpp) never copies its shadow tables; the triggers
// refill it as photo_text is copied.
// Minimum reader 3: a version-3 build ignores these tables, its deletes
// cascade through them (the triggers live in the file), and its content
// changes make the rows stale rather than wrong.
constexpr const char* kVersion4 = R"sql(
CREATE TABLE photo_text (
    photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
    content_hash TEXT NOT NULL,
    languages TEXT NOT NULL,
    status INTEGER NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    words TEXT NOT NULL DEFAULT '',
    confidence REAL NOT NULL DEFAULT 0,
    likelihood REAL NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    read_at_ms INTEGER NOT NULL DEFAULT 0,
    search_text TEXT NOT NULL DEFAULT ''
);
CREATE VIRTUAL TABLE photo_text_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER photo_text_fts_insert AFTER INSERT ON photo_text BEGIN
    INSERT INTO photo_text_fts(rowid, text) VALUES (new.photo_id, new.search_text);
END;
CREATE TRIGGER photo_text_fts_delete AFTER DELETE ON photo_text BEGIN
    DELETE FROM photo_text_fts WHERE rowid = old.photo_id;
END;
CREATE TRIGGER photo_text_fts_update AFTER UPDATE OF photo_id, search_text ON photo_text BEGIN
    DELETE FROM photo_text_fts WHERE rowid = old.photo_id;
    INSERT INTO photo_text_fts(rowid, text) VALUES (new.photo_id, new.search_text);
END;
)sql";

void applyVersion4(const SqliteConnection& connection)
{
    connection.exec(kVersion4);
}

bool hasTable(const SqliteConnection& connection, const char* name)
{
    Statement s = connection.statement("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1");
    s.bind(1, QString::fromLatin1(name));
    return s.next() && s.int64(0) > 0;
}

// Tables other than SQLite's own: in a version-0 file they mean the file
// belongs to some other program.
bool hasForeignTables(const SqliteConnection& connection)
{
    Statement s = connection.statement("SELECT count(*) FROM sqlite_master WHERE substr(name, 1, 7) <> 'sqlite_'");
    return s.next() && s.int64(0) > 0;
}

void writeVersion(const SqliteConnection& connection, int version, int minReader)
{
    connection.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    const char* upsert = "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value";
    connection.statement(upsert).bind(1, QStringLiteral("schema_version")).bind(2, QString::number(version)).run();
    connection.statement(upsert)
        .bind(1, QStringLiteral("min_reader_version"))
        .bind(2, QString::number(minReader))
        .run();
    // A pragma takes no parameters; the value is our own integer.
    connection.exec((QByteArray("PRAGMA user_version = ") + QByteArray::number(version)).constData());
}

} // namespace

const std::vector<SchemaStep>& catalogSchemaSteps()
{
    static const std::vector<SchemaStep> steps = {
        {1, 1, &applyVersion1},
        {2, 1, &applyVersion2},
        {3, 3, &applyVersion3},
        {4, 3, &applyVersion4},
    };
    return steps;
}

int catalogSchemaVersion(const SqliteConnection& connection)
{
    Statement s = connection.statement("PRAGMA user_version");
    return s.next() ? int(s.int64(0)) : 0;
}

int catalogMinReaderVersion(const SqliteConnection& connection)
{
    if (!hasTable(connection, "meta"))
        return 0;
    Statement s = connection.statement("SELECT value FROM meta WHERE key = 'min_reader_version'");
    return s.next() ? s.text(0).toInt() : 0;
}

namespace {

// Throws when the file at `version` is not one to upgrade (newer than this
// build reads, or another program's); true when it needs no step.
bool upToDateOrRefused(const SqliteConnection& connection, int version, int target)
{
    const QString& file = connection.filePath();
    if (version > target) {
        int minReader = catalogMinReaderVersion(connection);
        if (minReader <= 0)
            minReader = version; // no promise recorded: assume only its own version reads it
        if (minReader > target) {
            throw CatalogError(QStringLiteral("%1 was written by a newer version of PhotoSearch (catalog schema "
                                              "%2); update PhotoSearch to open it.")
                                   .arg(file, QString::number(version))
                                   .toStdString());
        }
        return true;
    }
    if (version == target)
        return true;
    if (version < 0 || (version == 0 && hasForeignTables(connection))) {
        // Also what another database's -wal beside the catalog looks like:
        // repair keeps the file and that -wal aside.
        throw CatalogError(QStringLiteral("%1 is an SQLite database but not a PhotoSearch catalog; run %2 (it keeps "
                                          "the file aside and restores the catalog), or move it away or choose "
                                          "another library.")
                               .arg(file, repairCommandLine(QFileInfo(file).absolutePath()))
                               .toStdString());
    }
    return false;
}

// Runs the step from `version` in one IMMEDIATE transaction, unless another
// process ran it while we waited for the lock. `*copy`: a file with content
// is first copied (CatalogBackup.h), here, after the version is read again
// under the lock: read before it, another process could upgrade and commit
// in between, and the copy would hold the upgraded file under the old name.
void runStep(const SqliteConnection& connection, const std::vector<SchemaStep>& steps, int version, bool* copy)
{
    connection.exec("BEGIN IMMEDIATE");
    try {
        if (catalogSchemaVersion(connection) != version) {
            connection.exec("COMMIT");
            return;
        }
        if (*copy && version > 0)
            backupBeforeUpgrade(connection, version); // its own sentence when it fails
        *copy = false;
    } catch (...) {
        connection.rollbackQuietly();
        throw;
    }
    try {
        const SchemaStep& step = steps[size_t(version)];
        Q_ASSERT(step.toVersion == version + 1);
        step.apply(connection);
        writeVersion(connection, step.toVersion, step.minReader);
        connection.exec("COMMIT");
    } catch (const CatalogError& e) {
        connection.rollbackQuietly();
        const auto* sqlite = dynamic_cast<const SqliteError*>(&e);
        if (sqlite && (sqlite->code() & 0xff) == SQLITE_FULL) // the code tells callers too
            throw SqliteError(QStringLiteral("%1 could not be upgraded from catalog schema %2 to %3 because the "
                                             "disk is full, and was left unchanged; free some disk space and try "
                                             "again.")
                                  .arg(connection.filePath(), QString::number(version), QString::number(version + 1)),
                              sqlite->detail(), SQLITE_FULL);
        throw CatalogError(QStringLiteral("%1 could not be upgraded from catalog schema %2 to %3 and was left "
                                          "unchanged; free some disk space or check its permissions and try "
                                          "again. (%4)")
                               .arg(connection.filePath(), QString::number(version), QString::number(version + 1),
                                    sqlite ? sqlite->detail() : QString::fromUtf8(e.what()))
                               .toStdString());
    } catch (...) {
        connection.rollbackQuietly();
        throw;
    }
}

} // namespace

void upgradeCatalogSchema(const SqliteConnection& connection, const std::vector<SchemaStep>& steps,
                          SchemaBackup backup)
{
    const int target = steps.empty() ? 0 : steps.back().toVersion;
    // Only before the first step: a version-0 file has nothing to keep, and
    // later steps start from a file this call itself upgraded.
    bool copy = backup == SchemaBackup::Take;
    for (;;) {
        const int version = catalogSchemaVersion(connection);
        if (upToDateOrRefused(connection, version, target))
            return;
        runStep(connection, steps, version, &copy);
    }
}

} // namespace photosearch
