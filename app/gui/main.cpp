// photosearch: the desktop app. `--library DIR` (or $PHOTOSEARCH_LIBRARY)
// picks the library; otherwise the per-user default is used.

#include "LibraryLocation.h"
#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("photosearch"));
    QApplication::setApplicationDisplayName(QStringLiteral("PhotoSearch"));
    QApplication::setApplicationVersion(QStringLiteral(PHOTOSEARCH_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Search your photos by describing them."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption libraryOption(QStringLiteral("library"), QStringLiteral("Library folder."),
                                           QStringLiteral("DIR"));
    parser.addOption(libraryOption);
    parser.process(app);

    const QString library = photosearch::LibraryLocation::resolve(parser.value(libraryOption));
    QString error;
    if (!photosearch::LibraryLocation::ensureWritable(library, &error)) {
        QMessageBox::critical(nullptr, QStringLiteral("PhotoSearch"), error);
        return 1;
    }
    // Closing the window (or File ▸ Quit) during an index run cancels it and
    // closes the window only once both library threads have stopped, so
    // exec() returns (last window closed) with nothing left running and the
    // window's destructor has nothing to wait for.
    photosearch::MainWindow window(library);
    window.show();
    return app.exec();
}
