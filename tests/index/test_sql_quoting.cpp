// Privacy/robustness: SQL only with bound parameters. Names that look like
// SQL — a folder and a photo named `it's'; DROP TABLE photos;--`, '%' and
// '_' (LIKE wildcards), an album named with both kinds of quotes, a query
// with quotes — go through photosearch-cli's index, search (with a folder
// filter), album and tags commands as plain data: everything is found,
// nothing else is matched, and the tables are still there afterwards.
#include "CliRun.h"
#include "TestImages.h"
#include "TinyModel.h"

#include <QDir>
#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using photosearch::testcli::Run;
using photosearch::testcli::runCli;
namespace ti = photosearch::testimages;

namespace {

const QString kFolder = QStringLiteral("it's \"q\"; DROP TABLE photos;--");
const QString kPhoto = QStringLiteral("it's'; DROP TABLE photos;--.jpg");
const QString kAlbum = QStringLiteral("Bob's \"best\"'); DROP TABLE albums;--");

QSet<QString> paths(const Run& r)
{
    QSet<QString> set;
    for (const QJsonObject& line : r.lines())
        set.insert(line.value(QLatin1String("path")).toString());
    return set;
}

} // namespace

class TestSqlQuoting : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString model_;
    QString library_;
    QString root_;     // the photo root
    QString quoted_;   // root_/kFolder
    QSet<QString> all_; // every photo written

    QStringList lib(QStringList args) const
    {
        args.insert(1, QStringLiteral("--library"));
        args.insert(2, library_);
        return args;
    }

    // `album SUB --library DIR ARGS...`: the subcommand comes first.
    QStringList album(const QString& sub, const QStringList& args) const
    {
        return QStringList{QStringLiteral("album"), sub, QStringLiteral("--library"), library_} + args;
    }

    void writePhoto(const QString& dir, const QString& name, int seed)
    {
        QDir().mkpath(dir);
        const QString file = QDir(dir).filePath(name);
        QVERIFY(ti::writeImage(ti::makePicture(64, 48, seed), file, photosearch::ImageFormat::Jpeg));
        all_.insert(file);
    }

    Run search(const QStringList& extra, const QString& query) const
    {
        QStringList args = {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("-k"), QStringLiteral("100")};
        args << extra << query;
        return runCli(lib(args));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(temp_.isValid());
        model_ = temp_.filePath(QStringLiteral("model"));
        library_ = temp_.filePath(QStringLiteral("library"));
        root_ = temp_.filePath(QStringLiteral("photos"));
        quoted_ = QDir(root_).filePath(kFolder);
        QString error;
        QVERIFY2(photosearch::testmodel::writeTinyClipModel(model_, &error), qPrintable(error));
        writePhoto(quoted_, kPhoto, 1);
        writePhoto(quoted_, QStringLiteral("50%_off \"sale\".jpg"), 2);
        writePhoto(quoted_, QStringLiteral("plain.jpg"), 3);
        // A sibling whose name starts with the quoted folder's: a folder
        // filter spliced into LIKE or compared as text would match it too.
        writePhoto(quoted_ + QStringLiteral("x"), QStringLiteral("other.jpg"), 4);
        writePhoto(root_, QStringLiteral("top.jpg"), 5);

        const Run r = runCli(lib({QStringLiteral("index"), QStringLiteral("--model"), model_, root_}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject summary = r.lines().value(0);
        QCOMPARE(summary.value(QLatin1String("added")).toInt(), int(all_.size()));
        QCOMPARE(summary.value(QLatin1String("failed")).toInt(), 0);
    }

    void everyPhotoIsFoundByItsOwnPath()
    {
        const Run r = search({}, QStringLiteral("x"));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(paths(r), all_);
    }

    void folderFilterMatchesOnlyThatFolder()
    {
        const Run r = search({QStringLiteral("--folder"), quoted_}, QStringLiteral("x"));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QSet<QString> expected;
        for (const QString& p : all_)
            if (p.startsWith(quoted_ + QLatin1Char('/')))
                expected.insert(p);
        QCOMPARE(expected.size(), 3);
        QCOMPARE(paths(r), expected);
    }

    void queriesWithQuotesAreText()
    {
        for (const QString& query : {QStringLiteral("it's a dog's \"beach\""), QStringLiteral("'; DROP TABLE photos;--"),
                                     QStringLiteral("x' OR '1'='1"), QStringLiteral("\"unclosed ' quote")}) {
            const Run r = search({}, query);
            QVERIFY2(r.exitCode == 0, qPrintable(query + QLatin1String(": ") + QString::fromUtf8(r.err)));
        }
        // Queried twice: the second answer comes from the query cache, keyed by the text.
        QCOMPARE(paths(search({}, QStringLiteral("x' OR '1'='1"))), all_);
        QCOMPARE(paths(search({}, QStringLiteral("x"))), all_); // photos table intact
    }

    void albumWithQuotes()
    {
        const QString photo = QDir(quoted_).filePath(kPhoto);
        Run r = runCli(album(QStringLiteral("add"), {kAlbum, photo}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = runCli(lib({QStringLiteral("albums")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        bool found = false;
        for (const QJsonObject& line : r.lines())
            if (line.value(QLatin1String("name")).toString() == kAlbum) {
                found = true;
                QCOMPARE(line.value(QLatin1String("count")).toInt(), 1);
            }
        QVERIFY2(found, r.out.constData());
        r = runCli(album(QStringLiteral("show"), {kAlbum}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(paths(r), QSet<QString>{photo});
        // A name differing only after the quote is another album.
        r = runCli(album(QStringLiteral("show"), {QStringLiteral("Bob's")}));
        QVERIFY(r.exitCode != 0);
        r = runCli(album(QStringLiteral("delete"), {kAlbum}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!runCli(lib({QStringLiteral("albums")})).out.contains("Bob's"));
    }

    void tagsOfAQuotedPath()
    {
        const QString photo = QDir(quoted_).filePath(kPhoto);
        Run r = runCli(lib({QStringLiteral("tag")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = runCli(lib({QStringLiteral("tags"), photo}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.lines().value(0).value(QLatin1String("path")).toString(), photo);
        QVERIFY(r.lines().value(0).value(QLatin1String("tags")).isArray());
    }
};

QTEST_GUILESS_MAIN(TestSqlQuoting)
#include "test_sql_quoting.moc"
