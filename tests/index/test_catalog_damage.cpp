// Damage the first version of `photosearch-cli repair` missed (issue 16, QA
// pass): each case loses nothing, names the way out in one sentence, and is
// repaired by `repair`.

// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoder.h"

#include "Catalog.h"
#include "CatalogBackup.h"
#include "CatalogSchema.h"
#include "CliRun.h"
#include "GeneratedLibrary.h"
#include "RawCatalogFile.h"
#include "SqliteConnection.h"
#include "TestImages.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <csignal>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using photosearch::Catalog;
using photosearch::CatalogError;
using photosearch::SchemaStep;
using photosearch::SqliteConnection;
using photosearch::testcli::Run;
using photosearch::testcli::runCli;
using photosearch::testcli::runCliWithFileLimit;
namespace ti = photosearch::testimages;
using photosearch::rawfile::rawInteger;
using photosearch::rawfile::rawExec;
using photosearch::rawfile::fileBytes;
using photosearch::rawfile::writeBytes;

namespace {

bool setAge(const QString& path, int days)
{
    QFile f(path);
    return f.open(QIODevice::ReadWrite)
        && f.setFileTime(QDateTime::currentDateTime().addDays(-days), QFileDevice::FileModificationTime);
}

} // namespace

class TestCatalogDamage : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString model_;
    QString photos_;
    QString library_; // photos_ indexed with model_, with an album
    int copies_ = 0;

    QString path(const QString& name) const { return temp_.filePath(name); }
    static QString catalogOf(const QString& library)
    {
        return QDir(library).filePath(QStringLiteral("catalog.sqlite"));
    }

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

    Run cli(const QString& command, const QString& library, const QStringList& more = {}, int timeoutMs = 120000)
    {
        return runCli(QStringList{command, QStringLiteral("--library"), library} + more, timeoutMs);
    }

    // A command refused with one line naming `text`, printing nothing on stdout.
    void expectRefused(const Run& r, const char* text)
    {
        QVERIFY2(r.exitCode == 1, r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.contains(text), r.err.constData());
        QVERIFY(r.out.isEmpty());
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
            QVERIFY(ti::writeImage(ti::makePicture(320, 240, 500 + i),
                                   QDir(photos_).filePath(QStringLiteral("p%1.jpg").arg(i)),
                                   photosearch::ImageFormat::Jpeg));
        library_ = path(QStringLiteral("library"));
        const Run r = cli(QStringLiteral("index"), library_, {QStringLiteral("--model"), model_, photos_});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const Run album = runCli({QStringLiteral("album"), QStringLiteral("add"), QStringLiteral("--library"),
                                  library_, QStringLiteral("kept"), QDir(photos_).filePath(QStringLiteral("p1.jpg"))});
        QVERIFY2(album.exitCode == 0, album.err.constData());
        QCOMPARE(rawInteger(catalogOf(library_), "SELECT count(*) FROM albums"), qint64(1));
    }

    void cleanupTestCase() { photosearch::testlib::removeTree(temp_.path()); }

    // Another database's -wal beside the catalog: a read command refuses and
    // leaves catalog.sqlite byte for byte (closing used to checkpoint the
    // foreign -wal into it); repair keeps both aside and the catalog's rows.
    void foreignWalNeverOverwritesTheCatalog()
    {
        const QString library = freshLibrary();
        const QString file = catalogOf(library);
        const QString other = path(QStringLiteral("other.sqlite"));
        QVERIFY(rawExec(other, "PRAGMA journal_mode=WAL; CREATE TABLE notes(x); INSERT INTO notes VALUES (1)", true));
        QVERIFY(QFileInfo(other + QStringLiteral("-wal")).size() > 0);
        QVERIFY(QFile::copy(other + QStringLiteral("-wal"), file + QStringLiteral("-wal")));
        const QByteArray before = fileBytes(file);
        for (const QString& command : {QStringLiteral("stats"), QStringLiteral("index")}) {
            const QStringList more = command == QLatin1String("index") ? QStringList{QStringLiteral("--model"), model_, photos_}
                                                                         : QStringList{};
            expectRefused(cli(command, library, more), "is an SQLite database but not a PhotoSearch catalog; run "
                                                       "photosearch-cli repair --library");
            QVERIFY2(fileBytes(file) == before, qPrintable(command));
        }
        const Run r = cli(QStringLiteral("repair"), library, {QStringLiteral("--rebuild")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject summary = r.lines().value(0);
        QCOMPARE(summary.value(QStringLiteral("status")).toString(), QStringLiteral("salvaged"));
        QCOMPARE(summary.value(QStringLiteral("problem")).toString(), QStringLiteral("its -wal holds another database"));
        QCOMPARE(summary.value(QStringLiteral("photos")).toInt(), 4);
        QCOMPARE(summary.value(QStringLiteral("albums")).toInt(), 1);
        const QString aside = summary.value(QStringLiteral("moved_aside")).toString();
        QCOMPARE(fileBytes(aside), before);
        QVERIFY(QFileInfo::exists(aside + QStringLiteral("-wal")));
        QCOMPARE(cli(QStringLiteral("stats"), library).exitCode, 0);
    }

    // A 0-byte catalog (a crash on ext4) beside its copies: writing commands
    // refuse instead of starting an empty catalog, repair restores the copy.
    void emptyCatalogBesideACopyIsRestored()
    {
        const QString library = freshLibrary();
        const QString file = catalogOf(library);
        const QString lastGood = photosearch::catalogLastGoodPath(file);
        QFile::remove(lastGood);
        QVERIFY(QFile::copy(file, lastGood));
        QVERIFY(setAge(lastGood, 2));
        QVERIFY(QFile::resize(file, 0));
        expectRefused(cli(QStringLiteral("index"), library, {QStringLiteral("--model"), model_, photos_}),
                      "is empty although copies of it are kept beside it");
        QCOMPARE(QFileInfo(file).size(), qint64(0));
        QCOMPARE(rawInteger(lastGood, "SELECT count(*) FROM albums"), qint64(1)); // not refreshed with nothing
        const Run r = cli(QStringLiteral("repair"), library);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject summary = r.lines().value(0);
        QCOMPARE(summary.value(QStringLiteral("status")).toString(), QStringLiteral("restored"));
        QCOMPARE(summary.value(QStringLiteral("problem")).toString(), QStringLiteral("it is empty"));
        QCOMPARE(summary.value(QStringLiteral("albums")).toInt(), 1);
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM photos"), qint64(4));
    }

    // A missing catalog beside its copies: the same, and read commands name
    // repair too; a library folder with no catalog and no copy is new.
    void missingCatalogBesideACopyIsRestored()
    {
        const QString library = freshLibrary();
        const QString file = catalogOf(library);
        QVERIFY(QFile::remove(file));
        expectRefused(cli(QStringLiteral("index"), library, {QStringLiteral("--model"), model_, photos_}),
                      "is missing although copies of it are kept beside it");
        expectRefused(cli(QStringLiteral("stats"), library), "photosearch-cli repair --library");
        QVERIFY(!QFileInfo::exists(file));
        const Run r = cli(QStringLiteral("repair"), library);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.lines().value(0).value(QStringLiteral("status")).toString(), QStringLiteral("restored"));
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM photos"), qint64(4));
        QCOMPARE(cli(QStringLiteral("stats"), library).exitCode, 0);

        const QString fresh = path(QStringLiteral("new-library"));
        const Run index = cli(QStringLiteral("index"), fresh, {QStringLiteral("--model"), model_, photos_});
        QVERIFY2(index.exitCode == 0, index.err.constData());
    }

    // The last good copy is never replaced by a catalog without photos.
    void lastGoodCopyWithPhotosIsKept()
    {
        QTemporaryDir dir;
        const Catalog catalog(dir.path());
        const QString copy = photosearch::catalogLastGoodPath(catalog.filePath());
        QVERIFY(QFile::copy(catalogOf(library_), copy));
        QVERIFY(setAge(copy, 2));
        QVERIFY(!photosearch::refreshLastGoodCopy(catalog.connection(), 0));
        QCOMPARE(rawInteger(copy, "SELECT count(*) FROM photos"), qint64(4));
    }

    // A FIFO, a folder or a device in the catalog's place: one sentence each,
    // from repair too, and nothing hangs.
    void specialFilesAreNamed()
    {
        struct Case {
            const char* name;
            const char* sentence;
        };
        for (const Case& c : {Case{"fifo", "is a FIFO, not a catalog file"},
                              Case{"folder", "is a folder, not a catalog file"},
                              Case{"device", "is a device, not a catalog file"}}) {
            const QString library = freshLibrary();
            const QString file = catalogOf(library);
            QVERIFY(QFile::remove(file));
            const QByteArray native = QFile::encodeName(file);
            if (qstrcmp(c.name, "fifo") == 0)
                QCOMPARE(::mkfifo(native.constData(), 0644), 0);
            else if (qstrcmp(c.name, "folder") == 0)
                QVERIFY(QDir().mkdir(file));
            else
                QCOMPARE(::symlink("/dev/zero", native.constData()), 0);
            for (const QString& command : {QStringLiteral("repair"), QStringLiteral("stats")}) {
                const Run r = cli(command, library, {}, 30000);
                QVERIFY2(r.exitCode == 1, qPrintable(QString::fromLatin1(c.name) + QLatin1Char(' ') + command + QStringLiteral(": ") + QString::fromUtf8(r.err)));
                QVERIFY2(r.err.contains(c.sentence), r.err.constData());
                QVERIFY2(r.err.contains(native), r.err.constData());
            }
        }
    }

    // An index whose root page is past the end makes the schema unparseable;
    // the tables still read with writable_schema on, and repair keeps them.
    void salvageReadsTablesPastAnUnparseableSchema()
    {
        const QString library = freshLibrary();
        const QString file = catalogOf(library);
        QVERIFY(rawExec(file, "PRAGMA writable_schema=ON; UPDATE sqlite_schema SET rootpage = 999999 WHERE "
                              "type = 'index' AND tbl_name = 'photos' AND sql IS NULL"));
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM photos"), qint64(-1)); // SQLite refuses the schema
        const Run r = cli(QStringLiteral("repair"), library, {QStringLiteral("--rebuild")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject summary = r.lines().value(0);
        QCOMPARE(summary.value(QStringLiteral("status")).toString(), QStringLiteral("salvaged"));
        QVERIFY2(summary.value(QStringLiteral("rows_from_damaged")).toInt() > 8, r.out.constData());
        QCOMPARE(summary.value(QStringLiteral("photos")).toInt(), 4);
        QCOMPARE(summary.value(QStringLiteral("albums")).toInt(), 1);
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM embeddings"), qint64(4));
    }

    // Header bytes 16-23 (page size, format versions) damaged: SQLite calls
    // the file no database, yet every page is whole and repair keeps them.
    void salvageReadsPastADamagedHeader()
    {
        const QString library = freshLibrary();
        const QString file = catalogOf(library);
        QVERIFY(QFile::remove(photosearch::catalogLastGoodPath(file)));
        QVERIFY(writeBytes(file, 16, QByteArray(8, '\xa5')));
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM photos"), qint64(-1)); // SQLite refuses the header
        const Run r = cli(QStringLiteral("repair"), library);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject summary = r.lines().value(0);
        QCOMPARE(summary.value(QStringLiteral("status")).toString(), QStringLiteral("salvaged"));
        QCOMPARE(summary.value(QStringLiteral("photos")).toInt(), 4);
        QCOMPARE(summary.value(QStringLiteral("albums")).toInt(), 1);
        QCOMPARE(summary.value(QStringLiteral("unreadable")).toArray().size(), 0);
        QCOMPARE(rawInteger(file, "SELECT count(*) FROM embeddings"), qint64(4));
        QVERIFY(!QFileInfo::exists(QDir(library).filePath(QStringLiteral("catalog.repair-header.sqlite"))));
    }

    // A temporary copy left by a killed upgrade is removed by the next one;
    // one of a live process is not.
    void staleTemporaryCopiesAreRemoved()
    {
        QTemporaryDir dir;
        const QString file = catalogOf(dir.path());
        {
            const SqliteConnection db(file);
            const std::vector<SchemaStep>& all = photosearch::catalogSchemaSteps();
            photosearch::upgradeCatalogSchema(db, std::vector<SchemaStep>(all.begin(), all.begin() + 1));
            db.exec("INSERT INTO photos(id, path, content_hash) VALUES (7, '/p/beach.jpg', 'h7')");
        }
        const pid_t child = ::fork();
        if (child == 0)
            ::_exit(0);
        QVERIFY(child > 0);
        QCOMPARE(::waitpid(child, nullptr, 0), child);
        const QString backup = photosearch::catalogUpgradeBackupPath(file, 1);
        const QString stale = backup + QStringLiteral(".tmp-%1-1").arg(child);
        const QString live = backup + QStringLiteral(".tmp-%1-999").arg(::getpid());
        for (const QString& name : {stale, stale + QStringLiteral("-journal"), live}) {
            QFile f(name);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("partial");
        }
        const Catalog catalog(dir.path());
        QVERIFY(QFileInfo::exists(backup));
        QVERIFY(!QFileInfo::exists(stale));
        QVERIFY(!QFileInfo::exists(stale + QStringLiteral("-journal")));
        QVERIFY(QFileInfo::exists(live));
    }

    // A damaged catalog whose header claims a newer schema: repair names
    // --rebuild, and --rebuild keeps what reads.
    void rebuildSalvagesANewerDamagedCatalog()
    {
        const QString library = freshLibrary();
        const QString file = catalogOf(library);
        const qint64 pageSize = rawInteger(file, "PRAGMA page_size");
        const qint64 page = rawInteger(file, "SELECT rootpage FROM sqlite_schema WHERE name = 'label_embeddings'");
        QVERIFY(page > 1 && pageSize > 0);
        QVERIFY(writeBytes(file, (page - 1) * pageSize, QByteArray(int(pageSize), '\xa5')));
        QVERIFY(writeBytes(file, 60, QByteArray("\x00\x00\x00\x63", 4))); // user_version 99
        const Run refused = cli(QStringLiteral("repair"), library);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("--rebuild"), refused.err.constData());
        const Run r = cli(QStringLiteral("repair"), library, {QStringLiteral("--rebuild")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.lines().value(0).value(QStringLiteral("photos")).toInt(), 4);
        QCOMPARE(rawInteger(file, "PRAGMA user_version"), qint64(Catalog::kSchemaVersion));
    }

    // A repair that runs out of room (a file-size limit) names the full disk
    // whichever file it was writing, and leaves the catalog as it was.
    void repairOutOfRoomNamesTheFullDisk()
    {
        const QString library = freshLibrary();
        const QString file = catalogOf(library);
        QVERIFY(QFile::remove(photosearch::catalogLastGoodPath(file)));
        const qint64 pageSize = rawInteger(file, "PRAGMA page_size");
        const qint64 page = rawInteger(file, "SELECT rootpage FROM sqlite_schema WHERE name = 'label_embeddings'");
        QVERIFY(writeBytes(file, (page - 1) * pageSize, QByteArray(int(pageSize), '\xa5')));
        const QByteArray before = fileBytes(file);
        for (const rlim_t limit : {rlim_t(8 * 1024), rlim_t(40 * 1024), rlim_t(100 * 1024)}) {
            const Run r = runCliWithFileLimit({QStringLiteral("repair"), QStringLiteral("--library"), library},
                                              qint64(limit), 120000);
            const QByteArray& err = r.err;
            QVERIFY2(r.exitCode == 1, err.constData());
            QVERIFY2(err.contains("full"), qPrintable(QString::number(limit) + QStringLiteral(": ") + QString::fromUtf8(err)));
            QVERIFY2(!err.contains("disk I/O error"), err.constData());
            QCOMPARE(fileBytes(file), before);
            QVERIFY(!QFileInfo::exists(QDir(library).filePath(QStringLiteral("catalog.repairing.sqlite"))));
        }
    }

    // PHOTOSEARCH_READ_ONLY refuses repair with a sentence that names it.
    void readOnlyRefusalNamesRepair()
    {
        const QString library = freshLibrary();
        qputenv("PHOTOSEARCH_READ_ONLY", "1");
        const Run r = cli(QStringLiteral("repair"), library);
        qunsetenv("PHOTOSEARCH_READ_ONLY");
        expectRefused(r, "unset PHOTOSEARCH_READ_ONLY to index, tag, edit albums or repair it");
    }
};

QTEST_GUILESS_MAIN(TestCatalogDamage)
#include "test_catalog_damage.moc"
