// The folder scanner never leaves the photo tree for the kernel's pseudo file
// systems: a link to /proc/self once walked /proc/self/root, the whole file
// system. Links to /proc, /sys and procfs magic links are skipped; ordinary
// links to folders outside the tree are still followed, and loops still end.

#include "FolderScanner.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using photosearch::scanFolders;

class TestScanPseudoLinks : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;

    QString path(const QString& name) const { return temp_.filePath(name); }

    // Files named .jpg are candidates by name; the scanner does not decode them.
    void touch(const QString& name)
    {
        QDir().mkpath(QFileInfo(path(name)).path());
        QFile f(path(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("photo");
    }

    void link(const QString& target, const QString& name)
    {
        QVERIFY2(QFile::link(target, path(name)), qPrintable(name));
    }


private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(temp_.isValid());
        touch(QStringLiteral("tree/a.jpg"));
        touch(QStringLiteral("tree/sub/b.jpg"));
        touch(QStringLiteral("outside/c.jpg"));      // reached by an ordinary link
        touch(QStringLiteral("cwd/not-mine.jpg"));   // reached only through /proc/self/cwd
        // The process's working folder is what /proc/self/cwd points at.
        QVERIFY(QDir::setCurrent(path(QStringLiteral("cwd"))));
    }

    void linksIntoProcAndSysAreNotFollowed()
    {
        link(QStringLiteral("/proc/self"), QStringLiteral("tree/proc-self"));
        link(QStringLiteral("/proc"), QStringLiteral("tree/proc"));
        link(QStringLiteral("/sys"), QStringLiteral("tree/sys"));
        link(QStringLiteral("/proc/self/root"), QStringLiteral("tree/root"));  // a magic link to /
        link(QStringLiteral("/proc/self/cwd"), QStringLiteral("tree/cwd"));    // a magic link to cwd/
        link(QStringLiteral("/proc/self/environ"), QStringLiteral("tree/environ.jpg"));
        link(path(QStringLiteral("outside")), QStringLiteral("tree/outside"));
        link(QStringLiteral(".."), QStringLiteral("tree/sub/loop"));

        const auto result = scanFolders({path(QStringLiteral("tree"))});
        QVERIFY(!result.cancelled);
        QSet<QString> names;
        for (const auto& f : result.files)
            names << QDir(path(QString())).relativeFilePath(f.path);
        const QSet<QString> expected = {QStringLiteral("tree/a.jpg"), QStringLiteral("tree/sub/b.jpg"),
                                        QStringLiteral("tree/outside/c.jpg")};
        QCOMPARE(names, expected);
    }

    void aRootInProcIsNotWalked()
    {
        QVERIFY(scanFolders({QStringLiteral("/proc/self")}).files.empty());
        QVERIFY(scanFolders({QStringLiteral("/sys")}).files.empty());
    }
};

QTEST_GUILESS_MAIN(TestScanPseudoLinks)
#include "test_scan_pseudo_links.moc"
