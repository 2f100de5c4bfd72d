// Search with text written in photos (issue 17): one ranking of written text
// and CLIP, through SearchEngine and `photosearch-cli search`. The library is
// indexed with the tiny random model (so CLIP knows nothing about the words
// asked for: what finds a photo here is its written text), and text rows are
// put straight through PhotoTextStore::put, as the OCR pass stores them (no
// Tesseract needed). Checked: a distinctive written word finds its photo
// first; quoted and `text:` queries return written-text matches only, as a
// phrase or as words; `-` written-text terms exclude; filters, -k, --all and
// --sort date apply to the merged list; accents and case are folded; a row
// left stale by a changed photo is not matched; a query for written text in
// a library with nothing read says so.

// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoder.h"

#include "Catalog.h"
#include "CliRun.h"
#include "GeneratedLibrary.h"
#include "Indexer.h"
#include "ModelIdentity.h"
#include "PhotoTextStore.h"
#include "SearchEngine.h"
#include "TestImages.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace photosearch;
using photosearch::testcli::Run;
using photosearch::testcli::runCli;

namespace {

constexpr int kPhotos = 24; // 12 in a/, 12 in b/ (the last 4 of b/ PNG)

QDate photoDate(int i)
{
    return QDate(2020, 1, 15).addDays(30 * i);
}

} // namespace

class TestTextSearch : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString model_;
    QString library_;
    QStringList photos_;
    std::unique_ptr<ClipEncoder> encoder_;
    std::unique_ptr<SearchEngine> engine_;
    QSet<QString> withText_; // photos given a text row that can match

    QString photo(int i) const { return photos_.at(i); }

    // One catalog connection at a time in this process: closing a second one
    // would drop the POSIX locks SQLite holds for the engine's (see the
    // report of issue 17), and the CLI runs of the suite would then remove
    // the engine's -wal under it.
    void index()
    {
        engine_.reset();
        Indexer indexer(library_, encoder_->model(), encoder_->preprocessor(), modelIdForDirectory(model_));
        IndexOptions options;
        options.roots = {temp_.filePath(QStringLiteral("photos"))};
        options.modelDir = model_;
        const IndexSummary summary = indexer.run(options);
        QCOMPARE(summary.failed, qint64(0));
        engine_ = std::make_unique<SearchEngine>(library_, *encoder_, modelIdForDirectory(model_));
    }

    void putText(int i, const QString& text, PhotoTextStatus status = PhotoTextStatus::Read)
    {
        Catalog& catalog = engine_->catalog();
        const std::optional<PhotoRecord> p = catalog.photoByPath(photo(i));
        QVERIFY(p);
        PhotoText t;
        t.photoId = p->id;
        t.status = status;
        t.text = text;
        t.languages = QStringLiteral("eng");
        t.confidence = 90;
        PhotoTextStore(catalog).put(p->id, p->contentHash, t);
        if (status == PhotoTextStatus::Read)
            withText_.insert(photo(i));
    }

    QueryResults search(const QString& query, int k = 20, bool all = false, const PhotoFilter& filter = {},
                        SortOrder sort = SortOrder::Relevance)
    {
        SearchRequest r;
        r.query = query;
        r.k = k;
        r.all = all;
        r.filter = filter;
        r.sort = sort;
        return engine_->search(r);
    }

    static QSet<QString> setOf(const QStringList& list) { return QSet<QString>(list.begin(), list.end()); }

    static QStringList paths(const QueryResults& r)
    {
        QStringList out;
        for (const SearchHit& h : r.hits)
            out << h.path;
        return out;
    }

    Run cli(QStringList args) const
    {
        args.insert(1, QStringLiteral("--library"));
        args.insert(2, library_);
        return runCli(args);
    }

    static QStringList cliPaths(const Run& r)
    {
        QStringList out;
        for (const QJsonObject& o : r.lines())
            out << o.value(QStringLiteral("path")).toString();
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("PHOTOSEARCH_MODEL");
        model_ = testlib::tinyClipDir();
        if (model_.isEmpty())
            QFAIL("could not write a tiny CLIP model for the tests (see the warning above)");
        encoder_ = std::make_unique<ClipEncoder>(model_, clip::chooseCompute(clip::DevicePreference::Cpu));
        library_ = temp_.filePath(QStringLiteral("library"));
        for (int i = 0; i < kPhotos; ++i) {
            const bool b = i >= kPhotos / 2;
            const bool png = i >= kPhotos - 4;
            const QString dir = temp_.filePath(QStringLiteral("photos/") + (b ? "b" : "a"));
            QVERIFY(QDir().mkpath(dir));
            const QString path = QStringLiteral("%1/p%2.%3").arg(dir).arg(i, 2, 10, QLatin1Char('0')).arg(png ? "png" : "jpg");
            QString error;
            QVERIFY2(testimages::writeImage(testimages::makePicture(96, 72, 100 + i), path,
                                            png ? ImageFormat::Png : ImageFormat::Jpeg, &error),
                     qPrintable(error));
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.setFileTime(photoDate(i).startOfDay().addSecs(12 * 3600), QFileDevice::FileModificationTime));
            photos_ << QDir::cleanPath(QFileInfo(path).absoluteFilePath());
        }
        index();
    }

    // Before any text is read, a query for written text finds nothing and
    // says why; a picture query works as before (no text matched).
    void nothingReadYet()
    {
        const QueryResults written = search(QStringLiteral("\"wifi password\""));
        QVERIFY(written.error.isEmpty());
        QVERIFY(written.hits.empty());
        QVERIFY2(written.notice.contains(QStringLiteral("photosearch-cli ocr")), qPrintable(written.notice));
        const QueryResults picture = search(QStringLiteral("wifi password"), 5, true);
        QCOMPARE(int(picture.hits.size()), 5);
        QCOMPARE(picture.textMatches, 0);
        QVERIFY(picture.notice.isEmpty());
    }

    void putTextRows()
    {
        putText(0, QStringLiteral("ZANZIBAR ferry ticket\nadult 1"));
        putText(1, QString::fromUtf8("Caf\xC3\xA9 Z\xC3\xBCrich\nSpeisekarte"));
        putText(2, QStringLiteral("ACE HARDWARE STORE\nreceipt TOTAL 12.50"));
        putText(3, QStringLiteral("WiFi password: hunter2"));
        putText(4, QStringLiteral("store hours 9-5"));
        putText(5, QStringLiteral("Lighthouse tours"));
        putText(17, QStringLiteral("lighthouse keeper"));
        putText(22, QStringLiteral("lighthouse museum")); // a PNG in b/
        putText(20, QStringLiteral("password draft"));
        // A photo the selection skipped has no words to match.
        putText(8, QString(), PhotoTextStatus::Skipped);
    }

    // The word is written in one photo and means nothing to the random
    // model: only the merge can put that photo first, above the cut.
    void distinctiveWordFindsItsPhotoFirst()
    {
        for (const QString& query : {QStringLiteral("zanzibar"), QStringLiteral("a ticket for the ferry to Zanzibar"),
                                     QStringLiteral("ZANZIBAR")}) {
            const QueryResults r = search(query);
            QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
            QVERIFY2(!r.hits.empty(), qPrintable(query));
            QCOMPARE(r.hits.front().path, photo(0));
            QVERIFY(r.goodMatches >= 1);
            QVERIFY(r.textMatches >= 1);
            QVERIFY(r.hits.front().score >= r.cutScore);
        }
        // Two words, both written in one photo: that one, before a photo with one of them.
        const QueryResults both = search(QStringLiteral("wifi password"), kPhotos, true);
        QCOMPARE(both.hits.front().path, photo(3));
        QVERIFY(paths(both).indexOf(photo(20)) > 0);
        // A word as the start of a written one ("hard" for HARDWARE).
        QCOMPARE(search(QStringLiteral("hardware receipt")).hits.front().path, photo(2));
    }

    void cliSearchMergesWrittenText()
    {
        const Run r = cli({QStringLiteral("search"), QStringLiteral("wifi password")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QStringList found = cliPaths(r);
        QVERIFY2(!found.isEmpty(), r.err.constData());
        QCOMPARE(found.front(), photo(3));
        QVERIFY2(r.err.contains("written in"), r.err.constData());
        // --all -k: the k best of the merged list, the written match among them.
        const Run all = cli({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("-k"),
                             QStringLiteral("3"), QStringLiteral("zanzibar")});
        QVERIFY2(all.exitCode == 0, all.err.constData());
        QCOMPARE(cliPaths(all).size(), 3);
        QCOMPARE(cliPaths(all).front(), photo(0));
        // Written text only, in the CLI's quoting.
        const Run quoted = cli({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("-k"),
                                QStringLiteral("20"), QStringLiteral("text:lighthouse")});
        QVERIFY2(quoted.exitCode == 0, quoted.err.constData());
        QCOMPARE(setOf(cliPaths(quoted)),
                 (QSet<QString>{photo(5), photo(17), photo(22)}));
        QVERIFY2(quoted.err.contains("Searching for: text:lighthouse"), quoted.err.constData());
    }

    void writtenTextOnlyQueries()
    {
        // Exact phrase: only the photo with those words in that order.
        QCOMPARE(paths(search(QStringLiteral("\"wifi password\""), kPhotos, true)), QStringList{photo(3)});
        QVERIFY(search(QStringLiteral("\"password wifi\""), kPhotos, true).hits.empty());
        // `text:` words: each anywhere, all required.
        QCOMPARE(paths(search(QStringLiteral("text:password wifi"), kPhotos, true)), QStringList{photo(3)});
        QCOMPARE(setOf(paths(search(QStringLiteral("text:password"), kPhotos, true))),
                 (QSet<QString>{photo(3), photo(20)}));
        // Nothing unwritten ever comes back, whatever the cut or --all.
        for (const QString& query : {QStringLiteral("text:store"), QStringLiteral("\"store\""),
                                     QStringLiteral("text:nowhere"), QStringLiteral("\"lighthouse\"")}) {
            for (bool all : {false, true}) {
                const QueryResults r = search(query, kPhotos, all);
                QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
                for (const QString& p : paths(r))
                    QVERIFY2(withText_.contains(p), qPrintable(query + QStringLiteral(": ") + p));
                QCOMPARE(r.textMatches, int(r.hits.size()));
                QCOMPARE(r.goodMatches, int(r.hits.size()));
            }
        }
        QCOMPARE(setOf(paths(search(QStringLiteral("text:store")))),
                 (QSet<QString>{photo(2), photo(4)}));
        // A picture query, minus what is written: the ferry ticket is gone.
        const QueryResults minus = search(QStringLiteral("zanzibar - text:ferry"), kPhotos, true);
        QVERIFY(!minus.hits.empty());
        QVERIFY(!paths(minus).contains(photo(0)));
        QCOMPARE(minus.textMatches, 0);
        // A picture query that must have written text: only those photos, ranked.
        const QueryResults required = search(QStringLiteral("ticket + \"lighthouse\""), kPhotos, true);
        QCOMPARE(setOf(paths(required)),
                 (QSet<QString>{photo(5), photo(17), photo(22)}));
    }

    void filtersKAllAndDateOrderApply()
    {
        // Folder filter: the written matches outside it are gone.
        PhotoFilter inB;
        inB.folders = {temp_.filePath(QStringLiteral("photos/b"))};
        const QStringList b = paths(search(QStringLiteral("lighthouse"), kPhotos, true, inB));
        QCOMPARE(b.size(), kPhotos / 2);
        QVERIFY(!b.contains(photo(5)));
        QCOMPARE(setOf(b.mid(0, 2)), (QSet<QString>{photo(17), photo(22)}));
        // Format filter on a written-text query.
        PhotoFilter pngs;
        pngs.formats = {QStringLiteral("png")};
        QCOMPARE(paths(search(QStringLiteral("text:lighthouse"), kPhotos, false, pngs)), QStringList{photo(22)});
        // Date filters, from the CLI and from a phrase in the query.
        PhotoFilter after;
        after.after = photoDate(10).startOfDay();
        QCOMPARE(setOf(paths(search(QStringLiteral("\"lighthouse\""), kPhotos, false, after))),
                 (QSet<QString>{photo(17), photo(22)}));
        const QString year = QString::number(photoDate(5).year());
        QCOMPARE(paths(search(QStringLiteral("text:lighthouse ") + year, kPhotos, true)), QStringList{photo(5)});
        // -k with the cut: at most k, and goodMatches counts them all.
        const QueryResults one = search(QStringLiteral("text:lighthouse"), 1);
        QCOMPARE(int(one.hits.size()), 1);
        QCOMPARE(one.goodMatches, 3);
        // --sort date: the same photos, newest first.
        const QueryResults byDate =
            search(QStringLiteral("\"lighthouse\""), kPhotos, false, {}, SortOrder::Date);
        QCOMPARE(paths(byDate), (QStringList{photo(22), photo(17), photo(5)}));
        const QueryResults merged = search(QStringLiteral("lighthouse"), kPhotos, false, {}, SortOrder::Date);
        const QueryResults mergedRelevance = search(QStringLiteral("lighthouse"), kPhotos, false);
        QCOMPARE(setOf(paths(merged)),
                 setOf(paths(mergedRelevance)));
        for (size_t i = 1; i < merged.hits.size(); ++i)
            QVERIFY(merged.hits[i - 1].time >= merged.hits[i].time);
    }

    void accentsAndCaseAreFolded()
    {
        for (const QString& query :
             {QStringLiteral("cafe zurich"), QString::fromUtf8("CAF\xC3\x89 Z\xC3\x9CRICH"), QStringLiteral("Zurich"),
              QStringLiteral("\"cafe zurich\""), QString::fromUtf8("text:z\xC3\xBCrich"), QStringLiteral("speisekarte")}) {
            const QueryResults r = search(query);
            QVERIFY2(!r.hits.empty(), qPrintable(query));
            QCOMPARE(r.hits.front().path, photo(1));
        }
    }

    // A changed photo's text row is stale until it is read again: it matches
    // nothing, neither alone nor in the merge.
    void staleTextIsNotMatched()
    {
        putText(11, QStringLiteral("obsolete timetable"));
        QCOMPARE(paths(search(QStringLiteral("text:obsolete"))), QStringList{photo(11)});
        QString error;
        QVERIFY2(testimages::writeImage(testimages::makePicture(96, 72, 999), photo(11), ImageFormat::Jpeg, &error),
                 qPrintable(error));
        index();
        QVERIFY(search(QStringLiteral("text:obsolete")).hits.empty());
        const QueryResults merged = search(QStringLiteral("obsolete timetable"), kPhotos, true);
        QCOMPARE(merged.textMatches, 0);
        // Put again for the new content, it matches again.
        putText(11, QStringLiteral("obsolete timetable"));
        QCOMPARE(paths(search(QStringLiteral("text:obsolete"))), QStringList{photo(11)});
    }
};

QTEST_GUILESS_MAIN(TestTextSearch)
#include "test_text_search.moc"
