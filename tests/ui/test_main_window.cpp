// The main window opens (offscreen) and shows the library it was given; the
// library location follows --library, then $PHOTOSEARCH_LIBRARY.

#include "LibraryLocation.h"
#include "MainWindow.h"

#include <QFile>
#include <QLineEdit>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensAndShowsLibrary()
    {
        QTemporaryDir dir;
        photosearch::MainWindow w(dir.path());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* search = w.findChild<QLineEdit*>(QStringLiteral("searchField"));
        QVERIFY(search);
        QVERIFY(w.statusBar()->currentMessage().contains(dir.path()));
    }

    void libraryLocationPrecedence()
    {
        QTemporaryDir dir;
        qputenv("PHOTOSEARCH_LIBRARY", dir.filePath(QStringLiteral("from-env")).toUtf8());
        QCOMPARE(photosearch::LibraryLocation::resolve(), dir.filePath(QStringLiteral("from-env")));
        QCOMPARE(photosearch::LibraryLocation::resolve(dir.filePath(QStringLiteral("explicit"))),
                 dir.filePath(QStringLiteral("explicit")));
        qunsetenv("PHOTOSEARCH_LIBRARY");
        QVERIFY(photosearch::LibraryLocation::resolve().endsWith(QStringLiteral("/library")));
    }

    void unwritableLocationsAreReported()
    {
        QTemporaryDir dir;
        QString error;
        QVERIFY(photosearch::LibraryLocation::ensureWritable(dir.filePath(QStringLiteral("a/b")), &error));
        QFile file(dir.filePath(QStringLiteral("plain-file")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QVERIFY(!photosearch::LibraryLocation::ensureWritable(file.fileName(), &error));
        QVERIFY(error.contains(QStringLiteral("is a file")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
