// The folder scanner: what counts as a photo (content or name), hidden and
// system folders, symbolic link loops, names that are not UTF-8, folders
// that cannot be listed.

#include "FolderScanner.h"
#include "GeneratedLibrary.h"
#include "TestImages.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace photosearch;
namespace ti = photosearch::testimages;

class TestScanner : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;

    QString write(const QString& relative, ImageFormat format = ImageFormat::Png)
    {
        const QString path = temp_.filePath(relative);
        QDir().mkpath(QFileInfo(path).path());
        if (!ti::writeImage(ti::makePicture(16, 16, 1), path, format))
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    static QStringList paths(const ScanResult& r)
    {
        QStringList out;
        for (const ScannedFile& f : r.files)
            out << f.path;
        return out;
    }

private Q_SLOTS:
    void cleanupTestCase() { testlib::removeTree(temp_.path()); }

    void findsPhotosByContentAndByName()
    {
        const QString root = temp_.filePath(QStringLiteral("content"));
        const QString plain = write(QStringLiteral("content/a.png"));
        const QString noExtension = write(QStringLiteral("content/sub/scan0001"), ImageFormat::Jpeg);
        const QString misnamed = write(QStringLiteral("content/b.txt"), ImageFormat::Webp);
        {
            QFile f(temp_.filePath(QStringLiteral("content/notes.txt")));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("not a photo");
            QFile g(temp_.filePath(QStringLiteral("content/broken.jpg")));
            QVERIFY(g.open(QIODevice::WriteOnly));
            g.write("not a photo either, but named like one");
        }
        const ScanResult r = scanFolders({root});
        QStringList expected = {plain, misnamed, temp_.filePath(QStringLiteral("content/broken.jpg")), noExtension};
        QCOMPARE(paths(r), expected); // path order within each folder, files before subfolders
        for (const ScannedFile& f : r.files) {
            QVERIFY(f.size > 0);
            QVERIFY(f.mtimeMs > 0);
            QVERIFY(f.problem.isEmpty());
        }
        QVERIFY(r.missingRoots.isEmpty());
    }

    void skipsHiddenAndSystemFolders()
    {
        const QString root = temp_.filePath(QStringLiteral("hidden"));
        const QString visible = write(QStringLiteral("hidden/a.png"));
        const QString dotFile = write(QStringLiteral("hidden/.thumb.png"));
        const QString inDotFolder = write(QStringLiteral("hidden/.cache/b.png"));
        write(QStringLiteral("hidden/@eaDir/c.png"));
        write(QStringLiteral("hidden/$Recycle.Bin/d.png"));
        write(QStringLiteral("hidden/.Trash-1000/e.png"));
        QCOMPARE(paths(scanFolders({root})), QStringList{visible});

        ScanOptions withHidden;
        withHidden.includeHidden = true;
        const QStringList all = paths(scanFolders({root}, withHidden));
        QVERIFY(all.contains(dotFile));
        QVERIFY(all.contains(inDotFolder));
        // System folders stay out even then.
        QVERIFY(!all.contains(temp_.filePath(QStringLiteral("hidden/@eaDir/c.png"))));
    }

    void followsLinksWithoutLooping()
    {
        const QString root = temp_.filePath(QStringLiteral("links"));
        const QString a = write(QStringLiteral("links/a.png"));
        const QString outside = write(QStringLiteral("elsewhere/b.png"));
        QVERIFY(QFile::link(root, root + QStringLiteral("/loop")));
        QVERIFY(QFile::link(temp_.filePath(QStringLiteral("elsewhere")), root + QStringLiteral("/elsewhere")));
        QVERIFY(QFile::link(a, root + QStringLiteral("/z-link.png")));
        QVERIFY(QFile::link(temp_.filePath(QStringLiteral("nowhere")), root + QStringLiteral("/dangling.png")));
        const ScanResult r = scanFolders({root, root + QStringLiteral("/elsewhere")});
        // a.png once (not again through the loop or the file link), b.png once
        // through the folder link, although it is also listed as a root.
        QCOMPARE(paths(r), (QStringList{a, root + QStringLiteral("/elsewhere/b.png")}));
        Q_UNUSED(outside);
    }

    void reportsNamesThatAreNotUtf8()
    {
        const QString root = temp_.filePath(QStringLiteral("names"));
        QDir().mkpath(root);
        const QByteArray raw = QFile::encodeName(root) + "/caf\xe9.png";
        const int fd = ::open(raw.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        QVERIFY(fd >= 0);
        QVERIFY(::write(fd, "\x89PNG\r\n\x1a\n", 8) == 8);
        ::close(fd);
        const ScanResult r = scanFolders({root});
        QCOMPARE(r.files.size(), size_t(1));
        QVERIFY(r.files.front().problem.contains(QLatin1String("file name is not valid UTF-8")));

        // A good name in a folder whose name is not UTF-8: the folder is named
        // as the culprit.
        const QByteArray folder = QFile::encodeName(root) + "/d\xe9j\xe0";
        QVERIFY(::mkdir(folder.constData(), 0755) == 0);
        const int inner = ::open((folder + "/ok.png").constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        QVERIFY(inner >= 0);
        QVERIFY(::write(inner, "\x89PNG\r\n\x1a\n", 8) == 8);
        ::close(inner);
        const ScanResult nested = scanFolders({root});
        QCOMPARE(nested.files.size(), size_t(2));
        int inFolder = 0;
        for (const ScannedFile& f : nested.files) {
            if (f.path.endsWith(QLatin1String("/ok.png"))) {
                ++inFolder;
                QVERIFY2(f.problem.contains(QLatin1String("folder above this file")), qPrintable(f.problem));
            }
        }
        QCOMPARE(inFolder, 1);
    }

    void missingRootsAndUnreadableFolders()
    {
        const ScanResult missing = scanFolders({temp_.filePath(QStringLiteral("no-such-folder"))});
        QCOMPARE(missing.missingRoots, QStringList{temp_.filePath(QStringLiteral("no-such-folder"))});
        if (::geteuid() == 0)
            QSKIP("root can list any folder; the unreadable case needs an ordinary user");
        const QString root = temp_.filePath(QStringLiteral("locked"));
        write(QStringLiteral("locked/open/a.png"));
        write(QStringLiteral("locked/shut/b.png"));
        QVERIFY(QFile::setPermissions(root + QStringLiteral("/shut"), QFileDevice::Permissions()));
        const ScanResult r = scanFolders({root});
        QFile::setPermissions(root + QStringLiteral("/shut"), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QCOMPARE(r.files.size(), size_t(1));
        QCOMPARE(r.unreadableFolders, QStringList{root + QStringLiteral("/shut")});
    }

    void cancels()
    {
        const std::atomic_bool cancel{true};
        ScanOptions options;
        options.cancel = &cancel;
        const ScanResult r = scanFolders({temp_.filePath(QStringLiteral("content"))}, options);
        QVERIFY(r.cancelled);
        QVERIFY(r.files.empty());
    }
};

QTEST_GUILESS_MAIN(TestScanner)
#include "test_scanner.moc"
