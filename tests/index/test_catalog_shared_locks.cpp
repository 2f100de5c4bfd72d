// On Linux, closing any descriptor of a file drops every POSIX lock the
// process holds on it, SQLite's included. CatalogUseLock once opened and
// closed a descriptor per Catalog: closing a second Catalog on a library
// dropped the first one's SQLite locks, and the next photosearch-cli command
// to close the catalog believed it was the last user and deleted the -wal
// and -shm under the live connection (its later reads went stale, commits
// could be lost). Found while testing the text search of issue 17.

#include "Catalog.h"
#include "CatalogUseLock.h"
#include "CliRun.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using photosearch::Catalog;
using photosearch::testcli::runCli;

class TestCatalogSharedLocks : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void secondCatalogClosingKeepsTheFirstOnesLocks()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Catalog first(dir.path());
        first.setSetting(QStringLiteral("before"), QStringLiteral("1"));
        const QString wal = first.filePath() + QStringLiteral("-wal");
        QVERIFY(QFile::exists(wal));
        for (int i = 0; i < 3; ++i) {
            Catalog second(dir.path());
            QCOMPARE(second.setting(QStringLiteral("before")), QStringLiteral("1"));
        }
        // Another process opens and closes the library while `first` is open:
        // it must see a user left and keep the WAL.
        const auto run = runCli({QStringLiteral("stats"), QStringLiteral("--library"), dir.path()});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err.constData()));
        QVERIFY2(QFile::exists(wal), "the other process deleted the -wal under an open connection");
        first.setSetting(QStringLiteral("after"), QStringLiteral("2"));
        const auto again = runCli({QStringLiteral("stats"), QStringLiteral("--library"), dir.path()});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err.constData()));
        Catalog reader(dir.path());
        QCOMPARE(reader.setting(QStringLiteral("before")), QStringLiteral("1"));
        QCOMPARE(reader.setting(QStringLiteral("after")), QStringLiteral("2"));
    }

    void repairRefusesAFileThisProcessHasOpen()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Catalog open(dir.path());
        QVERIFY_THROWS_EXCEPTION(photosearch::CatalogError, photosearch::CatalogUseLock::exclusive(open.filePath()));
    }

    void lastCatalogClosedLetsRepairIn()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QString file;
        {
            Catalog a(dir.path());
            Catalog b(dir.path());
            file = a.filePath();
        }
        const photosearch::CatalogUseLock repair = photosearch::CatalogUseLock::exclusive(file);
        QVERIFY_THROWS_EXCEPTION(photosearch::CatalogError, Catalog(dir.path()));
    }
};

QTEST_GUILESS_MAIN(TestCatalogSharedLocks)
#include "test_catalog_shared_locks.moc"
