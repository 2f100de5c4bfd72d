// A damaged catalog is never lost silently (issue 16): a copy is taken
// before every schema upgrade (and the upgrade refused when it cannot be
// written), a damaged file gives one sentence that names it and the way out,
// and `photosearch-cli repair` keeps the damaged file aside and restores the
// last good copy or salvages what can still be read. Old-version catalogs
// are made with the real schema steps cut short (catalogSchemaSteps()).

// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoder.h"

#include "Catalog.h"
#include "CatalogBackup.h"
#include "CatalogFiles.h"
#include "CatalogRepair.h"
#include "CatalogSchema.h"
#include "CatalogUseLock.h"
#include "CliRun.h"
#include "GeneratedLibrary.h"
#include "RawCatalogFile.h"
#include "SqliteConnection.h"
#include "TestImages.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <csignal>
#include <functional>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using photosearch::Catalog;
using photosearch::CatalogError;
using photosearch::PhotoRecord;
using photosearch::SchemaStep;
using photosearch::SqliteConnection;
using photosearch::testcli::Run;
using photosearch::testcli::runCli;
using photosearch::testcli::runCliWithFileLimit;
namespace ti = photosearch::testimages;
using photosearch::rawfile::rawInteger;
using photosearch::rawfile::integrity;
using photosearch::rawfile::fileBytes;
using photosearch::rawfile::writeBytes;

namespace {

QString errorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const CatalogError& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

// A catalog at schema `version` (the real steps up to it) with two photos.
void makeOldCatalog(const QString& dir, int version)
{
    const QString file = QDir(dir).filePath(QStringLiteral("catalog.sqlite"));
    const SqliteConnection db(file);
    const std::vector<SchemaStep>& all = photosearch::catalogSchemaSteps();
    photosearch::upgradeCatalogSchema(db, std::vector<SchemaStep>(all.begin(), all.begin() + version));
    db.exec("INSERT INTO photos(id, path, content_hash) VALUES (7, '/p/beach.jpg', 'h7'), (8, '/p/dog.jpg', 'h8')");
    db.exec("INSERT INTO settings VALUES ('model', 'clip-old')");
}

} // namespace

class TestCatalogRepair : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString model_;
    QString photos_;
    QString library_; // photos_ indexed with model_: a catalog, its last good copy, a vector file
    int copies_ = 0;

    QString path(const QString& name) const { return temp_.filePath(name); }
    static QString catalogOf(const QString& library)
    {
        return QDir(library).filePath(QStringLiteral("catalog.sqlite"));
    }

    // A private copy of the indexed library.
    QString freshLibrary()
    {
        const QString dir = path(QStringLiteral("library-%1").arg(++copies_));
        if (!QDir().mkpath(dir))
            return {};
        for (const QString& name : QDir(library_).entryList(QDir::Files))
            if (!name.endsWith(QLatin1String("-shm")) && !name.endsWith(QLatin1String("-wal")))
                QFile::copy(QDir(library_).filePath(name), QDir(dir).filePath(name));
        return dir;
    }

    Run cli(const QString& command, const QString& library, const QStringList& more = {})
    {
        return runCli(QStringList{command, QStringLiteral("--library"), library} + more, 120000);
    }

    // The page holding the first rows of `table` (its root when it has one page).
    static qint64 pageOf(const QString& catalog, const char* table, bool middleLeaf)
    {
        const QByteArray sql = middleLeaf
            ? QByteArray("SELECT pageno FROM dbstat WHERE name = '") + table
                  + "' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET (SELECT count(*) / 2 FROM dbstat WHERE "
                    "name = '" + table + "' AND pagetype = 'leaf')"
            : QByteArray("SELECT rootpage FROM sqlite_schema WHERE name = '") + table + "'";
        return rawInteger(catalog, sql.constData());
    }

    static bool overwritePage(const QString& catalog, qint64 page)
    {
        const qint64 size = rawInteger(catalog, "PRAGMA page_size");
        return page > 1 && size > 0 && writeBytes(catalog, (page - 1) * size, QByteArray(int(size), '\xa5'));
    }

    // The damaged catalog's sentence: one line naming the file and `repair`.
    void expectRepairSentence(const QString& library, const QString& command, const QStringList& more = {})
    {
        const Run r = cli(command, library, more);
        QVERIFY2(r.exitCode == 1, qPrintable(command + QStringLiteral(": ") + QString::fromUtf8(r.err)));
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.contains(catalogOf(library).toUtf8()), r.err.constData());
        QVERIFY2(r.err.contains("is not a PhotoSearch catalog or is damaged; run photosearch-cli repair --library"),
                 r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    // After a repair the library indexes again and answers a search.
    void expectUsable(const QString& library, int photos)
    {
        const Run index = cli(QStringLiteral("index"), library, {QStringLiteral("--model"), model_, photos_});
        QVERIFY2(index.exitCode == 0, index.err.constData());
        const Run search = cli(QStringLiteral("search"), library,
                               {QStringLiteral("--all"), QStringLiteral("-k"), QStringLiteral("10"),
                                QStringLiteral("a red car")});
        QVERIFY2(search.exitCode == 0, search.err.constData());
        QCOMPARE(search.lines().size(), photos);
        QCOMPARE(integrity(catalogOf(library)), QStringLiteral("ok"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("PHOTOSEARCH_MODEL");
        qunsetenv("PHOTOSEARCH_READ_ONLY");
        model_ = photosearch::testlib::tinyClipDir();
        if (model_.isEmpty())
            QFAIL("could not write a tiny CLIP model for the tests (see the warning above)");
        photos_ = path(QStringLiteral("photos"));
        QVERIFY(QDir().mkpath(photos_));
        for (int i = 0; i < 4; ++i)
            QVERIFY(ti::writeImage(ti::makePicture(320, 240, 300 + i),
                                   QDir(photos_).filePath(QStringLiteral("p%1.jpg").arg(i)),
                                   photosearch::ImageFormat::Jpeg));
        library_ = path(QStringLiteral("library"));
        const Run r = cli(QStringLiteral("index"), library_, {QStringLiteral("--model"), model_, photos_});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        // A successful run leaves a last good copy that passes its check.
        const QString lastGood = photosearch::catalogLastGoodPath(catalogOf(library_));
        QCOMPARE(rawInteger(lastGood, "SELECT count(*) FROM photos"), qint64(4));
        QCOMPARE(QFileInfo::exists(lastGood + QStringLiteral("-wal")), false);
    }

    void cleanupTestCase() { photosearch::testlib::removeTree(temp_.path()); }

    // The copy holds the old version's rows and schema; the catalog moved on.
    void backupTakenBeforeUpgrade()
    {
        QTemporaryDir dir;
        makeOldCatalog(dir.path(), 2);
        const QString file = catalogOf(dir.path());
        { Catalog catalog(dir.path()); }
        const QString copy = photosearch::catalogUpgradeBackupPath(file, 2);
        QCOMPARE(copy, QDir(dir.path()).filePath(QStringLiteral("catalog.before-v2.sqlite")));
        QCOMPARE(rawInteger(copy, "PRAGMA user_version"), qint64(2));
        QCOMPARE(rawInteger(copy, "SELECT count(*) FROM photos WHERE id IN (7, 8)"), qint64(2));
        QCOMPARE(rawInteger(copy, "SELECT count(*) FROM pragma_table_info('photos') WHERE name = 'phash'"), qint64(0));
        QCOMPARE(integrity(copy), QStringLiteral("ok"));
        QCOMPARE(rawInteger(file, "PRAGMA user_version"), qint64(Catalog::kSchemaVersion));
        // Whole or absent: no temporary file is left.
        QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("*.tmp-*")}, QDir::Files), QStringList());

        // A new catalog has nothing to keep; an up-to-date one is not copied again.
        QTemporaryDir fresh;
        { Catalog catalog(fresh.path()); }
        { Catalog catalog(fresh.path()); }
        QCOMPARE(photosearch::catalogBackups(catalogOf(fresh.path())), QStringList());
    }

    // Something in the way of the copy (a folder by its name; permissions do
    // not stop root): the upgrade is refused with one sentence and the file
    // stays at its version.
    void upgradeRefusedWhenBackupCannotBeWritten()
    {
        QTemporaryDir dir;
        makeOldCatalog(dir.path(), 1);
        const QString file = catalogOf(dir.path());
        const QString copy = photosearch::catalogUpgradeBackupPath(file, 1);
        QVERIFY(QDir().mkpath(QDir(copy).filePath(QStringLiteral("inside"))));
        const QString error = errorOf([&] { Catalog catalog(dir.path()); });
        QVERIFY2(error.startsWith(file + QStringLiteral(" was not upgraded from catalog schema 1 because a copy of it "
                                                        "could not be written to ")
                                  + copy),
                 qPrintable(error));
        // One sentence, its advice chosen by the cause (not "free disk space").
        QCOMPARE(error.count(QStringLiteral("try again")), 1);
        QVERIFY2(error.contains(QStringLiteral("move it away")), qPrintable(error));
        QCOMPARE(rawInteger(file, "PRAGMA user_version"), qint64(1));
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM photos"), qint64(2));
        QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("*.tmp-*")}, QDir::Files), QStringList());
        QVERIFY(QDir(copy).removeRecursively());
        { Catalog catalog(dir.path()); } // with the way clear it upgrades
        QCOMPARE(rawInteger(file, "PRAGMA user_version"), qint64(Catalog::kSchemaVersion));
    }

    // A file-size limit (like a full disk) stops the copy half-way, in a
    // child process: the upgrade is refused, the catalog unchanged.
    void upgradeRefusedWhenTheCopyRunsOutOfRoom()
    {
        QTemporaryDir dir;
        makeOldCatalog(dir.path(), 1);
        const QString file = catalogOf(dir.path());
        {
            const SqliteConnection db(file); // grow the file well past the limit below
            db.exec("CREATE TABLE padding (b BLOB); INSERT INTO padding VALUES (zeroblob(400000));");
        }
        const qint64 before = QFileInfo(file).size();
        QVERIFY(before > 400000);
        // photosearch-cli stats opens (and so upgrades) the catalog under the
        // limit: no Qt or SQLite code runs in a fork of this threaded process.
        // Above the -shm (32 KiB), below the copy.
        const Run r = runCliWithFileLimit({QStringLiteral("stats"), QStringLiteral("--library"), dir.path()}, 200000,
                                          120000);
        const QByteArray& err = r.err;
        QVERIFY2(r.exitCode == 1, err.constData());
        QByteArray error; // the CLI's sentence, without "photosearch-cli: "
        for (const QByteArray& line : err.split('\n'))
            if (line.startsWith("photosearch-cli: "))
                error = line.mid(int(qstrlen("photosearch-cli: ")));
        QVERIFY2(error.startsWith(file.toUtf8() + " was not upgraded from catalog schema 1"), error.constData());
        QVERIFY2(error.contains("the disk is full") && error.count("try again") == 1, error.constData());
        QCOMPARE(rawInteger(file, "PRAGMA user_version"), qint64(1));
        QCOMPARE(QFileInfo::exists(photosearch::catalogUpgradeBackupPath(file, 1)), false);
        QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("*.tmp-*")}, QDir::Files), QStringList());
    }

    // Garbage, a cut-off file and an overwritten page: stats and search say
    // which file and what to run, in one line.
    void corruptCatalogGivesTheRepairSentence()
    {
        const QString garbage = freshLibrary();
        const QString file = catalogOf(garbage);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QByteArray(64 * 1024, '\x5a'));
        f.close();
        expectRepairSentence(garbage, QStringLiteral("stats"));
        expectRepairSentence(garbage, QStringLiteral("search"), {QStringLiteral("a red car")});

        const QString cut = freshLibrary();
        QVERIFY(QFile::resize(catalogOf(cut), QFileInfo(catalogOf(cut)).size() / 3));
        expectRepairSentence(cut, QStringLiteral("stats"));

        const QString page = freshLibrary();
        QVERIFY(overwritePage(catalogOf(page), pageOf(catalogOf(page), "photos", false)));
        expectRepairSentence(page, QStringLiteral("stats"));
        expectRepairSentence(page, QStringLiteral("search"), {QStringLiteral("a red car")});
    }

    // A WAL of garbage is ignored by SQLite (its header checksum fails): the
    // catalog reads as it is, and repair finds nothing to do.
    void garbageWalIsIgnored()
    {
        const QString library = freshLibrary();
        QFile wal(catalogOf(library) + QStringLiteral("-wal"));
        QVERIFY(wal.open(QIODevice::WriteOnly));
        wal.write(QByteArray(40000, '\x33'));
        wal.close();
        const Run stats = cli(QStringLiteral("stats"), library);
        QVERIFY2(stats.exitCode == 0, stats.err.constData());
        QCOMPARE(stats.lines().value(0).value(QStringLiteral("photos")).toInt(), 4);
        const Run repair = cli(QStringLiteral("repair"), library);
        QVERIFY2(repair.exitCode == 0, repair.err.constData());
        QCOMPARE(repair.lines().value(0).value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    }

    void repairOfAHealthyCatalogChangesNothing()
    {
        const QString library = freshLibrary();
        QMap<QString, QByteArray> before;
        for (const QString& name : QDir(library).entryList(QDir::Files))
            before.insert(name, QCryptographicHash::hash(fileBytes(QDir(library).filePath(name)),
                                                         QCryptographicHash::Sha256));
        const Run r = cli(QStringLiteral("repair"), library);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject summary = r.lines().value(0);
        QCOMPARE(summary.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(summary.value(QStringLiteral("photos")).toInt(), 4);
        QCOMPARE(r.err.count('\n'), 1);
        // SQLite's shared-memory index and an empty WAL are no data.
        QMap<QString, QByteArray> after;
        for (const QFileInfo& f : QDir(library).entryInfoList(QDir::Files)) {
            if (f.fileName().endsWith(QLatin1String("-shm"))
                || (f.fileName().endsWith(QLatin1String("-wal")) && f.size() == 0))
                continue;
            after.insert(f.fileName(), QCryptographicHash::hash(fileBytes(f.filePath()), QCryptographicHash::Sha256));
        }
        QCOMPARE(after, before);
    }

    // Nothing readable: the last good copy comes back, the garbage is kept.
    void repairRestoresFromTheLastGoodCopy()
    {
        const QString library = freshLibrary();
        const QString file = catalogOf(library);
        const QByteArray garbage = QByteArray(64 * 1024, '\x5a');
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(garbage);
        f.close();
        const Run r = cli(QStringLiteral("repair"), library);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject summary = r.lines().value(0);
        QCOMPARE(summary.value(QStringLiteral("status")).toString(), QStringLiteral("restored"));
        QCOMPARE(summary.value(QStringLiteral("photos")).toInt(), 4);
        QCOMPARE(summary.value(QStringLiteral("backup")).toString(), photosearch::catalogLastGoodPath(file));
        QCOMPARE(summary.value(QStringLiteral("caches_removed")).toArray().size(), 1);
        const QString aside = summary.value(QStringLiteral("moved_aside")).toString();
        QVERIFY2(QFileInfo(aside).fileName().startsWith(QLatin1String("catalog.damaged-")), qPrintable(aside));
        QCOMPARE(fileBytes(aside), garbage); // kept, byte for byte
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.contains("photosearch-cli index --library"), r.err.constData());
        QCOMPARE(rawInteger(file, "PRAGMA user_version"), qint64(Catalog::kSchemaVersion));
        expectUsable(library, 4);
        // Repaired and indexed: sound again.
        const Run again = cli(QStringLiteral("repair"), library);
        QCOMPARE(again.lines().value(0).value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    }

    // No copy: what reads survives (photos, embeddings, a person's album,
    // tag correction and settings); the damaged table is named.
    void repairSalvagesWithoutACopy()
    {
        const QString library = freshLibrary();
        const QString file = catalogOf(library);
        QVERIFY(QFile::remove(photosearch::catalogLastGoodPath(file)));
        const QString photo = QDir(photos_).filePath(QStringLiteral("p1.jpg"));
        QVERIFY(runCli({QStringLiteral("album"), QStringLiteral("add"), QStringLiteral("--library"), library,
                        QStringLiteral("kept"), photo})
                    .exitCode
                == 0);
        QVERIFY(runCli({QStringLiteral("tags"), QStringLiteral("--library"), library, QStringLiteral("--confirm"),
                        QStringLiteral("sunset"), photo})
                    .exitCode
                == 0);
        const qint64 labels = rawInteger(file, "SELECT count(*) FROM label_embeddings");
        QVERIFY(labels > 0);
        QVERIFY(overwritePage(file, pageOf(file, "label_embeddings", false)));

        const Run r = cli(QStringLiteral("repair"), library);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject summary = r.lines().value(0);
        QCOMPARE(summary.value(QStringLiteral("status")).toString(), QStringLiteral("salvaged"));
        QCOMPARE(summary.value(QStringLiteral("photos")).toInt(), 4);
        QCOMPARE(summary.value(QStringLiteral("backup")).toString(), QString());
        QVERIFY2(summary.value(QStringLiteral("unreadable")).toArray().first().toString().startsWith(
                     QLatin1String("label_embeddings: ")),
                 r.out.constData());
        QVERIFY(QFileInfo::exists(summary.value(QStringLiteral("moved_aside")).toString()));
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM embeddings"), qint64(4));
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM album_photos JOIN albums ON id = album_id WHERE name = 'kept'"),
                 qint64(1));
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM tag_corrections WHERE tag = 'sunset' AND verdict = 1"),
                 qint64(1));
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM settings WHERE key = 'library.roots'"), qint64(1));
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM label_embeddings"), qint64(0));
        // Photo ids are never handed out again (they are ids in the vector files).
        QCOMPARE(rawInteger(file, "SELECT seq FROM sqlite_sequence WHERE name = 'photos'"), qint64(4));
        expectUsable(library, 4);
        // The lost label cache is made again by tagging.
        const Run tag = cli(QStringLiteral("tag"), library);
        QVERIFY2(tag.exitCode == 0, tag.err.constData());
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM label_embeddings"), labels);
    }

    // --rebuild leaves the copy out; --from-backup without one refuses and moves nothing.
    void repairModes()
    {
        const QString library = freshLibrary();
        const QString file = catalogOf(library);
        QVERIFY(overwritePage(file, pageOf(file, "label_embeddings", false)));
        const Run rebuild = cli(QStringLiteral("repair"), library, {QStringLiteral("--rebuild")});
        QVERIFY2(rebuild.exitCode == 0, rebuild.err.constData());
        QCOMPARE(rebuild.lines().value(0).value(QStringLiteral("status")).toString(), QStringLiteral("salvaged"));
        QCOMPARE(rebuild.lines().value(0).value(QStringLiteral("rows_from_backup")).toInt(), 0);

        const QString bare = freshLibrary();
        QVERIFY(QFile::remove(photosearch::catalogLastGoodPath(catalogOf(bare))));
        QVERIFY(overwritePage(catalogOf(bare), pageOf(catalogOf(bare), "photos", false)));
        const QByteArray damaged = fileBytes(catalogOf(bare));
        const Run refused = cli(QStringLiteral("repair"), bare, {QStringLiteral("--from-backup")});
        QCOMPARE(refused.exitCode, 1);
        QCOMPARE(refused.err.count('\n'), 1);
        QVERIFY2(refused.err.contains("repair --rebuild"), refused.err.constData());
        QCOMPARE(fileBytes(catalogOf(bare)), damaged);
        QCOMPARE(QDir(bare).entryList({QStringLiteral("catalog.damaged-*")}), QStringList());
        const Run both =
            cli(QStringLiteral("repair"), bare, {QStringLiteral("--rebuild"), QStringLiteral("--from-backup")});
        QCOMPARE(both.exitCode, 2);
    }

    // A damaged page in the middle of a long table loses its own rows only:
    // the salvage reads on past it.
    void salvageReadsPastADamagedPage()
    {
        QTemporaryDir dir;
        const QString file = catalogOf(dir.path());
        {
            Catalog catalog(dir.path());
            Catalog::Transaction t(catalog);
            for (int i = 1; i <= 3000; ++i) {
                PhotoRecord r;
                r.path = QStringLiteral("/photos/a-rather-long-folder-name/with-more/photo-%1.jpg")
                             .arg(i, 5, 10, QLatin1Char('0'));
                r.contentHash = QStringLiteral("hash-%1").arg(i);
                catalog.insertPhoto(r);
            }
            t.commit();
        }
        const qint64 page = pageOf(file, "photos", true);
        QVERIFY(page > 2);
        const QByteArray cells = "SELECT ncell FROM dbstat WHERE pageno = " + QByteArray::number(page);
        const qint64 onPage = rawInteger(file, cells.constData());
        QVERIFY(onPage > 0);
        QVERIFY(overwritePage(file, page));
        QCOMPARE(photosearch::catalogBackups(file), QStringList()); // nothing to restore: salvage alone
        const photosearch::RepairReport report = photosearch::repairCatalog(dir.path(), photosearch::RepairMode::Auto);
        QCOMPARE(report.outcome, photosearch::RepairReport::Outcome::Salvaged);
        // Exactly the damaged page's rows are lost: not the first row after it.
        QCOMPARE(report.photos, 3000 - onPage);
        QVERIFY2(report.fromDamaged.unreadable.value(0).startsWith(QLatin1String("photos: ")),
                 qPrintable(report.fromDamaged.unreadable.join(QLatin1Char('|'))));
        QCOMPARE(rawInteger(file, "SELECT max(id) FROM photos"), qint64(3000)); // rows after the damage survive
        QCOMPARE(rawInteger(file, "SELECT min(id) FROM photos"), qint64(1));
        QCOMPARE(integrity(file), QStringLiteral("ok"));
    }

    // A catalog open elsewhere (here a Catalog of this process; repair runs as
    // another) makes repair refuse and move nothing; closed, repair works. A
    // repair holding the file keeps new Catalogs out.
    void repairRefusedWhileTheCatalogIsOpen()
    {
        const QString library = freshLibrary();
        const QString file = catalogOf(library);
        QVERIFY(overwritePage(file, pageOf(file, "label_embeddings", false)));
        {
            Catalog open(library);
            const QByteArray damaged = fileBytes(file);
            const Run refused = cli(QStringLiteral("repair"), library);
            QCOMPARE(refused.exitCode, 1);
            QCOMPARE(refused.err.count('\n'), 1);
            QVERIFY2(refused.err.contains(file.toUtf8() + " is in use by PhotoSearch or another photosearch-cli "
                                                          "command; close them and run repair again."),
                     refused.err.constData());
            QCOMPARE(fileBytes(file), damaged);
            QCOMPARE(QDir(library).entryList({QStringLiteral("catalog.damaged-*"),
                                              QStringLiteral("catalog.repairing*")}),
                     QStringList());
            QCOMPARE(open.photos().size(), size_t(4)); // still the file it opened
        }
        const Run r = cli(QStringLiteral("repair"), library);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.lines().value(0).value(QStringLiteral("status")).toString(), QStringLiteral("restored"));

        const photosearch::CatalogUseLock repairing = photosearch::CatalogUseLock::exclusive(file);
        const QString error = errorOf([&] { Catalog catalog(library); });
        QVERIFY2(error.contains(QStringLiteral("is being repaired by photosearch-cli repair")), qPrintable(error));
    }

    // The swap undoes itself when a rename fails (a folder where the damaged
    // file's -shm would go, or no repaired file): every file is where it was.
    void failedSwapLosesNothing()
    {
        QTemporaryDir dir;
        const QString file = catalogOf(dir.path());
        const QString repaired = QDir(dir.path()).filePath(QStringLiteral("catalog.repairing.sqlite"));
        const QString aside = QDir(dir.path()).filePath(QStringLiteral("catalog.damaged-1.sqlite"));
        const QMap<QString, QByteArray> before{{file, "old"},
                                               {file + QStringLiteral("-wal"), "old wal"},
                                               {file + QStringLiteral("-shm"), "old shm"},
                                               {repaired, "new"}};
        for (auto it = before.begin(); it != before.end(); ++it)
            QVERIFY(writeBytes(it.key(), 0, it.value()));
        const auto unchanged = [&] {
            for (auto it = before.begin(); it != before.end(); ++it)
                if (fileBytes(it.key()) != it.value())
                    return false;
            return !QFileInfo::exists(aside) && !QFileInfo::exists(aside + QStringLiteral("-wal"));
        };
        QVERIFY(QDir().mkpath(aside + QStringLiteral("-shm/inside")));
        QString error = errorOf([&] { photosearch::replaceKeepingAside(repaired, file, aside); });
        QVERIFY2(error.contains(QStringLiteral("could not be renamed")), qPrintable(error));
        QVERIFY(unchanged());
        QVERIFY(QDir(aside + QStringLiteral("-shm")).removeRecursively());

        error = errorOf([&] { photosearch::replaceKeepingAside(repaired + QStringLiteral("-gone"), file, aside); });
        QVERIFY2(error.contains(QStringLiteral("could not be renamed")), qPrintable(error));
        QVERIFY(unchanged());
        QVERIFY(!QFileInfo::exists(aside + QStringLiteral("-shm")));

        photosearch::replaceKeepingAside(repaired, file, aside);
        QCOMPARE(fileBytes(file), QByteArray("new"));
        QCOMPARE(fileBytes(aside), QByteArray("old"));
        QCOMPARE(fileBytes(aside + QStringLiteral("-wal")), QByteArray("old wal"));
        QCOMPARE(fileBytes(aside + QStringLiteral("-shm")), QByteArray("old shm"));
        QVERIFY(!QFileInfo::exists(repaired));
        QVERIFY(!QFileInfo::exists(file + QStringLiteral("-wal")));
    }

    // A repair stopped between moving the damaged file aside and putting the
    // repaired one in place (folders without hard links): the next command
    // finishes it instead of starting an empty catalog. A repairing file
    // that fails its check is left alone.
    void interruptedSwapIsFinished()
    {
        const QString library = freshLibrary();
        const QString file = catalogOf(library);
        const QString repaired = QDir(library).filePath(QStringLiteral("catalog.repairing.sqlite"));
        QVERIFY(QFile::rename(file, QDir(library).filePath(QStringLiteral("catalog.damaged-1.sqlite"))));
        QVERIFY(QFile::copy(photosearch::catalogLastGoodPath(file), repaired));
        { const SqliteConnection wal(repaired); } // a WAL-mode file, as repair builds it
        QVERIFY(!QFileInfo::exists(repaired + QStringLiteral("-wal")));
        const Run stats = cli(QStringLiteral("stats"), library);
        QVERIFY2(stats.exitCode == 0, stats.err.constData());
        QCOMPARE(stats.lines().value(0).value(QStringLiteral("photos")).toInt(), 4);
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM photos"), qint64(4));
        QCOMPARE(QDir(library).entryList({QStringLiteral("catalog.repairing*")}), QStringList());

        QVERIFY(QFile::rename(file, repaired));
        QVERIFY(writeBytes(repaired, 0, QByteArray(4096, '\x5a')));
        const QByteArray garbage = fileBytes(repaired);
        const Run refused = cli(QStringLiteral("stats"), library);
        QCOMPARE(refused.exitCode, 1);
        QCOMPARE(fileBytes(repaired), garbage);
        QVERIFY(!QFileInfo::exists(file));
    }

    // The command named to the user pastes into a shell as one argument.
    void repairCommandIsQuoted()
    {
        QCOMPARE(photosearch::repairCommandLine(QStringLiteral("/home/ann/lib")),
                 QStringLiteral("photosearch-cli repair --library /home/ann/lib"));
        QCOMPARE(photosearch::repairCommandLine(QStringLiteral("/home/ann/My Photos")),
                 QStringLiteral("photosearch-cli repair --library '/home/ann/My Photos'"));
        QCOMPARE(photosearch::shellQuoted(QStringLiteral("Ann's $HOME")), QStringLiteral("'Ann'\\''s $HOME'"));
        QCOMPARE(photosearch::shellQuoted(QString()), QStringLiteral("''"));

        // The sentence of a damaged catalog in such a folder names it quoted.
        QTemporaryDir dir;
        const QString library = QDir(dir.path()).filePath(QStringLiteral("my library"));
        QVERIFY(QDir().mkpath(library));
        QVERIFY(writeBytes(catalogOf(library), 0, QByteArray(64 * 1024, '\x5a')));
        const Run r = cli(QStringLiteral("stats"), library);
        QVERIFY2(r.err.contains(QStringLiteral("run photosearch-cli repair --library '%1'").arg(library).toUtf8()),
                 r.err.constData());
    }

    // Auto takes from the copy only what the damaged file cannot read: an
    // album and a tag correction removed since the copy stay removed, and
    // the rows of the damaged table come back from the copy.
    void autoRepairKeepsDeletionsAndRefillsTheDamagedTable()
    {
        const QString library = freshLibrary();
        const QString file = catalogOf(library);
        const QString photo = QDir(photos_).filePath(QStringLiteral("p2.jpg"));
        QCOMPARE(runCli({QStringLiteral("album"), QStringLiteral("add"), QStringLiteral("--library"), library,
                         QStringLiteral("gone"), photo})
                     .exitCode,
                 0);
        QCOMPARE(runCli({QStringLiteral("tags"), QStringLiteral("--library"), library, QStringLiteral("--confirm"),
                         QStringLiteral("sunset"), photo})
                     .exitCode,
                 0);
        {
            const SqliteConnection db(file);
            QVERIFY(photosearch::refreshLastGoodCopy(db, 0));
        }
        {
            const SqliteConnection db(file);
            db.exec("DELETE FROM albums WHERE name = 'gone'; DELETE FROM tag_corrections WHERE tag = 'sunset';");
        }
        const QString lastGood = photosearch::catalogLastGoodPath(file);
        QCOMPARE(rawInteger(lastGood, "SELECT count(*) FROM albums WHERE name = 'gone'"), qint64(1));
        QCOMPARE(rawInteger(lastGood, "SELECT count(*) FROM album_photos"), qint64(1));
        QCOMPARE(rawInteger(lastGood, "SELECT count(*) FROM tag_corrections WHERE tag = 'sunset'"), qint64(1));
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM album_photos"), qint64(0));
        const qint64 labels = rawInteger(file, "SELECT count(*) FROM label_embeddings");
        QVERIFY(labels > 0);
        QVERIFY(overwritePage(file, pageOf(file, "label_embeddings", false)));

        const Run r = cli(QStringLiteral("repair"), library);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject summary = r.lines().value(0);
        QCOMPARE(summary.value(QStringLiteral("status")).toString(), QStringLiteral("restored"));
        QCOMPARE(summary.value(QStringLiteral("backup")).toString(), lastGood);
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM albums WHERE name = 'gone'"), qint64(0));
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM album_photos"), qint64(0));
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM tag_corrections"), qint64(0));
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM photos"), qint64(4));
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM label_embeddings"), labels);
        // The summary says which table's rows came from the copy.
        const QJsonObject byTable = summary.value(QStringLiteral("rows_from_backup_by_table")).toObject();
        QCOMPARE(byTable.keys(), QStringList{QStringLiteral("label_embeddings")});
        QCOMPARE(qint64(byTable.value(QStringLiteral("label_embeddings")).toInt()), labels);
        QCOMPARE(qint64(summary.value(QStringLiteral("rows_from_backup")).toInt()), labels);
        QCOMPARE(integrity(file), QStringLiteral("ok"));
    }

    // A process that read version N before another upgraded the file and
    // committed would copy the upgraded file: the copy is checked, and the
    // real before-vN copy is kept as it is.
    void staleCopyNeverReplacesTheBeforeUpgradeCopy()
    {
        QTemporaryDir dir;
        makeOldCatalog(dir.path(), 2);
        const QString file = catalogOf(dir.path());
        { Catalog catalog(dir.path()); }
        const QString copy = photosearch::catalogUpgradeBackupPath(file, 2);
        const QByteArray before = fileBytes(copy);
        QCOMPARE(rawInteger(copy, "PRAGMA user_version"), qint64(2));
        const SqliteConnection db(file);
        const QString error = errorOf([&] { photosearch::backupBeforeUpgrade(db, 2); });
        QVERIFY2(error.startsWith(file + QStringLiteral(" was not upgraded")), qPrintable(error));
        QCOMPARE(fileBytes(copy), before);
        QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("*.tmp-*")}, QDir::Files), QStringList());
    }

    // An older before-vN copy used by repair is first brought up to this
    // schema on a scratch copy (removed afterwards), not read raw.
    void repairUpgradesAnOlderCopyBeforeUsingIt()
    {
        QTemporaryDir dir;
        makeOldCatalog(dir.path(), 2);
        const QString file = catalogOf(dir.path());
        { Catalog catalog(dir.path()); }
        QVERIFY(writeBytes(file, 0, QByteArray(64 * 1024, '\x5a')));
        QFile::remove(file + QStringLiteral("-wal"));
        QFile::remove(file + QStringLiteral("-shm"));
        const photosearch::RepairReport report = photosearch::repairCatalog(dir.path(), photosearch::RepairMode::Auto);
        QCOMPARE(report.outcome, photosearch::RepairReport::Outcome::Restored);
        QCOMPARE(report.backup, photosearch::catalogUpgradeBackupPath(file, 2));
        QCOMPARE(report.photos, qint64(2));
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM settings WHERE key = 'model'"), qint64(1));
        QCOMPARE(rawInteger(file, "PRAGMA user_version"), qint64(Catalog::kSchemaVersion));
        QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("catalog.repair-source*")}, QDir::Files), QStringList());
        QCOMPARE(integrity(file), QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestCatalogRepair)
#include "test_catalog_repair.moc"
