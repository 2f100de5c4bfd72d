// PhotoTextStore and schema 4: stored text, FTS5 matching with accents and
// case folded, prefixes and phrases, the staleness key (a moved photo keeps
// its text, a changed one loses it), a removed photo leaving the index, the
// index rebuilt, and a version-3 catalog upgraded.
#include "Catalog.h"
#include "PhotoTextStore.h"
#include "CatalogSchema.h"
#include "SqliteConnection.h"
#include "TextRanking.h"

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
    void coverageRanksEveryMatchNotOnlyBm25sBest();
    void coverageHonoursTheSelectionBeyondTheLimit();
    void phraseKeepsRepeatedWords();
    void wholeWordsRankBeforePrefixes();
    void hyphenatedWordsMatchJoined();
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

void TestPhotoTextStore::coverageRanksEveryMatchNotOnlyBm25sBest()
{
    // 1200 short texts hold one of the two words; one long text holds both,
    // which bm25 ranks last (length normalisation). Coverage must still put it
    // first: the store may not cut bm25's order before counting words.
    QTemporaryDir dir;
    Catalog catalog(dir.path());
    PhotoTextStore store(catalog);
    {
        Catalog::Transaction t(catalog);
        for (int i = 0; i < 1200; ++i) {
            const QString hash = QString::number(i);
            const qint64 id = addPhoto(catalog, QStringLiteral("/p/%1.jpg").arg(i), hash);
            store.put(id, hash, readText(i % 2 ? QStringLiteral("hardware") : QStringLiteral("receipt")));
        }
        t.commit();
    }
    QStringList longText{QStringLiteral("receipt"), QStringLiteral("hardware")};
    for (int i = 0; i < 300; ++i)
        longText << QStringLiteral("item%1").arg(i);
    const qint64 both = addPhoto(catalog, QStringLiteral("/p/long.jpg"), QStringLiteral("long"));
    store.put(both, QStringLiteral("long"), readText(longText.join(QLatin1Char(' '))));
    const auto m = store.match({QStringLiteral("hardware"), QStringLiteral("receipt")}, false, 10);
    QCOMPARE(m.size(), size_t(10));
    QCOMPARE(m.front().photoId, both);
    QCOMPARE(m.front().coverage, 1.0);
    QCOMPARE(m[1].coverage, 0.5);
}

void TestPhotoTextStore::coverageHonoursTheSelectionBeyondTheLimit()
{
    // Twenty photos with "receipt"; a filter allows only the one that bm25
    // ranks last. With a limit of 3 it must still be found.
    QTemporaryDir dir;
    Catalog catalog(dir.path());
    PhotoTextStore store(catalog);
    qint64 last = 0;
    for (int i = 0; i < 20; ++i) {
        const QString hash = QString::number(i);
        last = addPhoto(catalog, QStringLiteral("/p/%1.jpg").arg(i), hash);
        store.put(last, hash,
                  readText(i == 19 ? QStringLiteral("receipt with a very long list of other words here")
                                   : QStringLiteral("receipt")));
    }
    PhotoSelection selection;
    selection.only = std::unordered_set<qint64>{last};
    const auto found = TextMatcher(catalog).coverage({QStringLiteral("receipt")}, 3, selection);
    QCOMPARE(found.size(), size_t(1));
    QVERIFY(found.count(last));
    // Without a filter the limit holds.
    QCOMPARE(TextMatcher(catalog).coverage({QStringLiteral("receipt")}, 3, PhotoSelection()).size(), size_t(3));
}

void TestPhotoTextStore::phraseKeepsRepeatedWords()
{
    // A phrase is matched as written: dropping its repeats made "the cat and
    // the hat" look for "the cat and hat", and "mammoth mammoth" for "mammoth".
    QTemporaryDir dir;
    Catalog catalog(dir.path());
    PhotoTextStore store(catalog);
    const qint64 hat = addPhoto(catalog, QStringLiteral("/p/hat.jpg"), QStringLiteral("h"));
    const qint64 once = addPhoto(catalog, QStringLiteral("/p/once.jpg"), QStringLiteral("o"));
    store.put(hat, QStringLiteral("h"), readText(QStringLiteral("The Cat and the Hat")));
    store.put(once, QStringLiteral("o"), readText(QStringLiteral("Gigantic Mammoth")));
    const QStringList phrase{QStringLiteral("the"), QStringLiteral("cat"), QStringLiteral("and"),
                             QStringLiteral("the"), QStringLiteral("hat")};
    QCOMPARE(ids(store.match(phrase, true, 10)), std::vector<qint64>{hat});
    QVERIFY(store.match({QStringLiteral("mammoth"), QStringLiteral("mammoth")}, true, 10).empty());
    QCOMPARE(ids(store.match({QStringLiteral("mammoth")}, true, 10)), std::vector<qint64>{once});
}

void TestPhotoTextStore::wholeWordsRankBeforePrefixes()
{
    // Each word is also a prefix, and bm25 weighs a prefix match like the
    // word itself: the photo with "cafe" (or "word1") must still come before
    // those with "cafeteria" ("word10".."word19"), whatever the insertion order.
    QTemporaryDir dir;
    Catalog catalog(dir.path());
    PhotoTextStore store(catalog);
    for (int i = 10; i < 20; ++i) {
        const QString hash = QString::number(i);
        store.put(addPhoto(catalog, QStringLiteral("/p/%1.jpg").arg(i), hash), hash,
                  readText(QStringLiteral("cafeteria word%1").arg(i)));
    }
    const qint64 exact = addPhoto(catalog, QStringLiteral("/p/exact.jpg"), QStringLiteral("e"));
    store.put(exact, QStringLiteral("e"), readText(QStringLiteral("cafe word1 and a few more words")));
    for (const char* q : {"cafe", "word1"}) {
        const auto m = store.match({QString::fromLatin1(q)}, false, 20);
        QCOMPARE(m.size(), size_t(11));
        QCOMPARE(m.front().photoId, exact);
    }
    // Coverage still comes first: both words as prefixes beat one whole word.
    const auto both = store.match({QStringLiteral("cafe"), QStringLiteral("word15")}, false, 20);
    QCOMPARE(both.front().coverage, 1.0);
    QVERIFY(both.front().photoId != exact);
}

// People type "wifi" for a sign that says "Wi-Fi": the FTS tokenizer splits
// at the hyphen, so the store indexes the joined form too (and still the
// words as written, for phrases); the displayed text stays as read.
void TestPhotoTextStore::hyphenatedWordsMatchJoined()
{
    QTemporaryDir dir;
    Catalog catalog(dir.path());
    const qint64 sign = addPhoto(catalog, QStringLiteral("/p/sign.jpg"), QStringLiteral("h1"));
    const qint64 other = addPhoto(catalog, QStringLiteral("/p/other.jpg"), QStringLiteral("h2"));
    PhotoTextStore store(catalog);
    store.put(sign, QStringLiteral("h1"), readText(QStringLiteral("Free Wi-Fi\nSend us an e-mail, don\u2019t call")));
    store.put(other, QStringLiteral("h2"), readText(QStringLiteral("Wide field of view")));
    QCOMPARE(ids(store.match({QStringLiteral("wifi")}, false, 10)), std::vector<qint64>{sign});
    QCOMPARE(ids(store.match({QStringLiteral("email")}, false, 10)), std::vector<qint64>{sign});
    QCOMPARE(ids(store.match({QStringLiteral("dont")}, false, 10)), std::vector<qint64>{sign});
    QCOMPARE(ids(store.match({QStringLiteral("wi"), QStringLiteral("fi")}, true, 10)), std::vector<qint64>{sign});
    QCOMPARE(ids(store.match({QStringLiteral("free"), QStringLiteral("wi"), QStringLiteral("fi")}, true, 10)),
             std::vector<qint64>{sign});
    QCOMPARE(store.text(sign)->text, QStringLiteral("Free Wi-Fi\nSend us an e-mail, don\u2019t call"));
    // A rebuilt index keeps the joined forms.
    store.rebuildIndex();
    QCOMPARE(ids(store.match({QStringLiteral("wifi")}, false, 10)), std::vector<qint64>{sign});
}

QTEST_MAIN(TestPhotoTextStore)
#include "test_photo_text_store.moc"
