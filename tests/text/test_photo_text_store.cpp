// PhotoTextStore and schema 4: stored text, FTS5 matching with accents and
// case folded, prefixes and phrases, the staleness key (a moved photo keeps
// its text, a changed one loses it), a removed photo leaving the index, the
// index rebuilt, and a version-3 catalog upgraded.
#include "Catalog.h"
#include "PhotoTextStore.h"
#include "CatalogSchema.h"
#include "SqliteConnection.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace photosearch;

namespace {

qint64 addPhoto(Catalog& catalog, const QString& path, const QString& hash)
{
    PhotoRecord r;
    r.path = path;
    r.contentHash = hash;
    r.size = 10;
    r.format = QStringLiteral("jpeg");
    return catalog.insertPhoto(r);
}

PhotoText readText(const QString& text, float confidence = 90)
{
    PhotoText t;
    t.text = text;
    for (const QString& w : text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts))
        t.words.emplace_back(w, confidence);
    t.confidence = confidence;
    t.languages = QStringLiteral("eng");
    return t;
}

std::vector<qint64> ids(const std::vector<TextMatch>& matches)
{
    std::vector<qint64> out;
    for (const TextMatch& m : matches)
        out.push_back(m.photoId);
    return out;
}

qint64 ftsRows(const Catalog& catalog)
{
    Statement s = catalog.connection().statement("SELECT count(*) FROM photo_text_fts");
    return s.next() ? s.int64(0) : -1;
}

} // namespace

class TestPhotoTextStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void storesAndReadsBack();
    void matchFoldsAccentsAndCase();
    void matchPrefixPhraseAndCoverage();
    void matchIgnoresSyntaxAndEmptyWords();
    void staleRowsAreInvisibleAndReRead();
    void movedPhotoKeepsItsText();
    void removedPhotoLeavesTheIndex();
    void skippedAndFailedAreNotMatched();
    void languagesChangeMeansReRead();
    void rebuildIndexRestoresMatches();
    void version3CatalogIsUpgraded();
};

void TestPhotoTextStore::storesAndReadsBack()
{
    QTemporaryDir dir;
    Catalog catalog(dir.path());
    const qint64 id = addPhoto(catalog, QStringLiteral("/p/receipt.jpg"), QStringLiteral("h1"));
    PhotoTextStore store(catalog);
    QVERIFY(!store.text(id));
    PhotoText t = readText(QStringLiteral("HARDWARE DEPOT\nNails 4.50"), 87.5f);
    t.likelihood = 0.8f;
    store.put(id, QStringLiteral("h1"), t);
    const auto back = store.text(id);
    QVERIFY(back);
    QCOMPARE(back->status, PhotoTextStatus::Read);
    QCOMPARE(back->text, t.text);
    QCOMPARE(back->words.size(), size_t(4));
    QCOMPARE(back->words[0].first, QStringLiteral("HARDWARE"));
    QCOMPARE(back->words[0].second, 87.5f);
    QCOMPARE(back->languages, QStringLiteral("eng"));
    QCOMPARE(back->likelihood, 0.8f);
    const PhotoTextCounts c = store.counts();
    QCOMPARE(c.read, qint64(1));
    QCOMPARE(c.withText, qint64(1));
    QCOMPARE(c.unread, qint64(0));
    // Replacing the row replaces its index entry.
    store.put(id, QStringLiteral("h1"), readText(QStringLiteral("Bakery")));
    QVERIFY(store.match({QStringLiteral("hardware")}, false, 10).empty());
    QCOMPARE(ids(store.match({QStringLiteral("bakery")}, false, 10)), std::vector<qint64>{id});
    QCOMPARE(ftsRows(catalog), qint64(1));
}

void TestPhotoTextStore::matchFoldsAccentsAndCase()
{
    QTemporaryDir dir;
    Catalog catalog(dir.path());
    PhotoTextStore store(catalog);
    const qint64 cafe = addPhoto(catalog, QStringLiteral("/p/a.jpg"), QStringLiteral("a"));
    const qint64 strasse = addPhoto(catalog, QStringLiteral("/p/b.jpg"), QStringLiteral("b"));
    store.put(cafe, QStringLiteral("a"), readText(QStringLiteral("Café Noël ouvert")));
    store.put(strasse, QStringLiteral("b"), readText(QStringLiteral("ÉCOLE Lisboa")));
    for (const char* q : {"cafe", "CAFE", "café", "CAFÉ", "Cafè", "noel"})
        QCOMPARE(ids(store.match({QString::fromUtf8(q)}, false, 10)), std::vector<qint64>{cafe});
    for (const char* q : {"ecole", "école", "Ecole", "lisboa", "LISBOA"})
        QCOMPARE(ids(store.match({QString::fromUtf8(q)}, false, 10)), std::vector<qint64>{strasse});
    QCOMPARE(ids(store.match({QStringLiteral("CAFÉ"), QStringLiteral("noël")}, true, 10)),
             std::vector<qint64>{cafe});
}

void TestPhotoTextStore::matchPrefixPhraseAndCoverage()
{
    QTemporaryDir dir;
    Catalog catalog(dir.path());
    PhotoTextStore store(catalog);
    const qint64 both = addPhoto(catalog, QStringLiteral("/p/1.jpg"), QStringLiteral("1"));
    const qint64 one = addPhoto(catalog, QStringLiteral("/p/2.jpg"), QStringLiteral("2"));
    const qint64 reversed = addPhoto(catalog, QStringLiteral("/p/3.jpg"), QStringLiteral("3"));
    store.put(one, QStringLiteral("2"), readText(QStringLiteral("wifi password on the fridge")));
    store.put(both, QStringLiteral("1"), readText(QStringLiteral("guest wifi password hunter2")));
    store.put(reversed, QStringLiteral("3"), readText(QStringLiteral("password guest wifi")));
    // Prefix: "pass" finds "password"; a prefix shorter than kMinPrefixLength does not.
    QCOMPARE(store.match({QStringLiteral("pass")}, false, 10).size(), size_t(3));
    QVERIFY(store.match({QStringLiteral("pa")}, false, 10).empty());
    // Coverage first: the photos with both words before the one with one.
    const auto m = store.match({QStringLiteral("guest"), QStringLiteral("hunter2")}, false, 10);
    QCOMPARE(m.size(), size_t(2));
    QCOMPARE(m[0].photoId, both);
    QCOMPARE(m[0].coverage, 1.0);
    QCOMPARE(m[1].photoId, reversed);
    QCOMPARE(m[1].coverage, 0.5);
    // A phrase is the exact sequence.
    QCOMPARE(ids(store.match({QStringLiteral("guest"), QStringLiteral("wifi"), QStringLiteral("password")}, true, 10)),
             std::vector<qint64>{both});
    QCOMPARE(store.match({QStringLiteral("wifi")}, false, 2).size(), size_t(2)); // limit
}

void TestPhotoTextStore::matchIgnoresSyntaxAndEmptyWords()
{
    QTemporaryDir dir;
    Catalog catalog(dir.path());
    PhotoTextStore store(catalog);
    const qint64 id = addPhoto(catalog, QStringLiteral("/p/1.jpg"), QStringLiteral("1"));
    store.put(id, QStringLiteral("1"), readText(QStringLiteral("NEAR the AND gate \"quoted\" wi-fi")));
    QVERIFY(store.match({}, false, 10).empty());
    QVERIFY(store.match({QStringLiteral("!!!"), QStringLiteral("  ")}, false, 10).empty());
    for (const char* q : {"NEAR", "AND", "\"quoted", "wi-fi", "gate*", "gate:", "^gate"})
        QCOMPARE(ids(store.match({QString::fromUtf8(q)}, false, 10)), std::vector<qint64>{id});
    QCOMPARE(ids(store.match({QStringLiteral("wi"), QStringLiteral("fi")}, true, 10)), std::vector<qint64>{id});
}

void TestPhotoTextStore::staleRowsAreInvisibleAndReRead()
{
    QTemporaryDir dir;
    Catalog catalog(dir.path());
    PhotoTextStore store(catalog);
    const qint64 id = addPhoto(catalog, QStringLiteral("/p/1.jpg"), QStringLiteral("old"));
    store.put(id, QStringLiteral("old"), readText(QStringLiteral("Quokka")));
    QVERIFY(store.photosToRead(QStringLiteral("eng"), false).empty());
    PhotoRecord changed = *catalog.photo(id);
    changed.contentHash = QStringLiteral("new"); // the file was edited
    catalog.updatePhoto(changed);
    QVERIFY(!store.text(id));
    QVERIFY(store.match({QStringLiteral("quokka")}, false, 10).empty());
    QCOMPARE(store.photosToRead(QStringLiteral("eng"), false), std::vector<qint64>{id});
    QCOMPARE(store.counts().unread, qint64(1));
}

void TestPhotoTextStore::movedPhotoKeepsItsText()
{
    QTemporaryDir dir;
    Catalog catalog(dir.path());
    PhotoTextStore store(catalog);
    const qint64 id = addPhoto(catalog, QStringLiteral("/p/1.jpg"), QStringLiteral("h"));
    store.put(id, QStringLiteral("h"), readText(QStringLiteral("Quokka")));
    PhotoRecord moved = *catalog.photo(id);
    moved.path = QStringLiteral("/elsewhere/renamed.jpg");
    catalog.updatePhoto(moved);
    QCOMPARE(store.text(id)->text, QStringLiteral("Quokka"));
    QCOMPARE(ids(store.match({QStringLiteral("quokka")}, false, 10)), std::vector<qint64>{id});
    QVERIFY(store.photosToRead(QStringLiteral("eng"), false).empty());
}

void TestPhotoTextStore::removedPhotoLeavesTheIndex()
{
    QTemporaryDir dir;
    Catalog catalog(dir.path());
    PhotoTextStore store(catalog);
    const qint64 gone = addPhoto(catalog, QStringLiteral("/p/1.jpg"), QStringLiteral("1"));
    const qint64 kept = addPhoto(catalog, QStringLiteral("/p/2.jpg"), QStringLiteral("2"));
    store.put(gone, QStringLiteral("1"), readText(QStringLiteral("Quokka receipt")));
    store.put(kept, QStringLiteral("2"), readText(QStringLiteral("receipt")));
    QCOMPARE(ftsRows(catalog), qint64(2));
    catalog.removePhoto(gone);
    QCOMPARE(ftsRows(catalog), qint64(1));
    Statement s = catalog.connection().statement(
        "SELECT count(*) FROM photo_text_fts WHERE photo_text_fts MATCH 'quokka'");
    QVERIFY(s.next());
    QCOMPARE(s.int64(0), qint64(0)); // not only hidden by the join: gone from the index
    QCOMPARE(ids(store.match({QStringLiteral("receipt")}, false, 10)), std::vector<qint64>{kept});
}

void TestPhotoTextStore::skippedAndFailedAreNotMatched()
{
    QTemporaryDir dir;
    Catalog catalog(dir.path());
    PhotoTextStore store(catalog);
    const qint64 skipped = addPhoto(catalog, QStringLiteral("/p/1.jpg"), QStringLiteral("1"));
    const qint64 failed = addPhoto(catalog, QStringLiteral("/p/2.jpg"), QStringLiteral("2"));
    PhotoText s = readText(QStringLiteral("Quokka"));
    s.status = PhotoTextStatus::Skipped;
    store.put(skipped, QStringLiteral("1"), s);
    PhotoText f;
    f.status = PhotoTextStatus::Failed;
    f.error = QStringLiteral("Tesseract failed");
    f.languages = QStringLiteral("eng");
    store.put(failed, QStringLiteral("2"), f);
    QVERIFY(store.match({QStringLiteral("quokka")}, false, 10).empty());
    QCOMPARE(store.text(failed)->error, QStringLiteral("Tesseract failed"));
    const PhotoTextCounts c = store.counts();
    QCOMPARE(c.skipped, qint64(1));
    QCOMPARE(c.failed, qint64(1));
    QVERIFY(store.photosToRead(QStringLiteral("eng"), false).empty());
    QCOMPARE(store.photosToRead(QStringLiteral("eng"), true), (std::vector<qint64>{skipped, failed}));
}

void TestPhotoTextStore::languagesChangeMeansReRead()
{
    QTemporaryDir dir;
    Catalog catalog(dir.path());
    PhotoTextStore store(catalog);
    const qint64 id = addPhoto(catalog, QStringLiteral("/p/1.jpg"), QStringLiteral("1"));
    store.put(id, QStringLiteral("1"), readText(QStringLiteral("Quokka")));
    QVERIFY(store.photosToRead(QStringLiteral("eng"), false).empty());
    QCOMPARE(store.photosToRead(QStringLiteral("eng+deu"), false), std::vector<qint64>{id});
}

void TestPhotoTextStore::rebuildIndexRestoresMatches()
{
    QTemporaryDir dir;
    Catalog catalog(dir.path());
    PhotoTextStore store(catalog);
    const qint64 id = addPhoto(catalog, QStringLiteral("/p/1.jpg"), QStringLiteral("1"));
    store.put(id, QStringLiteral("1"), readText(QStringLiteral("Quokka")));
    catalog.connection().exec("DELETE FROM photo_text_fts");
    QVERIFY(store.match({QStringLiteral("quokka")}, false, 10).empty());
    store.rebuildIndex();
    QCOMPARE(ids(store.match({QStringLiteral("quokka")}, false, 10)), std::vector<qint64>{id});
    QCOMPARE(ftsRows(catalog), qint64(1));
}

void TestPhotoTextStore::version3CatalogIsUpgraded()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("catalog.sqlite"));
    {
        // A catalog written by a version-3 build: its steps only.
        const SqliteConnection db(file);
        std::vector<SchemaStep> v3(catalogSchemaSteps().begin(), catalogSchemaSteps().begin() + 3);
        QCOMPARE(v3.back().toVersion, 3);
        upgradeCatalogSchema(db, v3, SchemaBackup::Skip);
        db.exec("INSERT INTO photos(id, path, content_hash) VALUES (5, '/p/old.jpg', 'h5')");
    }
    Catalog catalog(dir.path());
    QCOMPARE(Catalog::kSchemaVersion, 4);
    Statement version = catalog.connection().statement("PRAGMA user_version");
    QVERIFY(version.next());
    QCOMPARE(version.int64(0), qint64(4));
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("catalog.before-v3.sqlite"))));
    PhotoTextStore store(catalog);
    QCOMPARE(store.photosToRead(QStringLiteral("eng"), false), std::vector<qint64>{5});
    store.put(5, QStringLiteral("h5"), readText(QStringLiteral("Quokka")));
    QCOMPARE(ids(store.match({QStringLiteral("quokka")}, false, 10)), std::vector<qint64>{5});
}

QTEST_MAIN(TestPhotoTextStore)
#include "test_photo_text_store.moc"
