// Writes a few photos with text in them (TextPhotos.h) into a folder, for
// the README's pictures (packaging/screenshots.sh) and for trying the text
// pass by hand:  make_text_photos DIR

#include "TextPhotos.h"

#include <QDir>
#include <QGuiApplication>

#include <cstdio>

using namespace photosearch::testimages;

int main(int argc, char** argv)
{
    // Fonts need a platform; no display is needed to draw into an image.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    if (argc != 2 || argv[1][0] == '-') {
        std::fprintf(stderr, "usage: make_text_photos DIR\n");
        return 2;
    }
    const QDir dir(QString::fromLocal8Bit(argv[1]));
    if (!QDir().mkpath(dir.path())) {
        std::fprintf(stderr, "make_text_photos: cannot create %s\n", argv[1]);
        return 1;
    }
    TextPhotoSpec receipt;
    receipt.lines = receiptLines(QStringLiteral("HARDWARE STORE"), QStringLiteral("Hammer"), 3);
    receipt.angleDegrees = 2;
    receipt.jpegQuality = 88;
    TextPhotoSpec sign;
    sign.kind = TextKind::Sign;
    sign.lines = {QStringLiteral("FREE WIFI"), QStringLiteral("password: lisboa2024")};
    sign.angleDegrees = -3;
    sign.jpegQuality = 85;
    sign.seed = 5;
    TextPhotoSpec page;
    page.kind = TextKind::Page;
    page.lines = {QStringLiteral("Meeting notes"), QStringLiteral("Budget review on Friday"),
                  QStringLiteral("Send the draft to Ana")};
    page.jpegQuality = 90;
    page.seed = 9;
    const bool ok = renderTextPhoto(receipt).save(dir.filePath(QStringLiteral("receipt.jpg")), "JPEG", 92)
                    && renderTextPhoto(sign).save(dir.filePath(QStringLiteral("wifi-sign.jpg")), "JPEG", 92)
                    && renderTextPhoto(page).save(dir.filePath(QStringLiteral("notes.jpg")), "JPEG", 92);
    if (!ok)
        std::fprintf(stderr, "make_text_photos: cannot write into %s\n", argv[1]);
    return ok ? 0 : 1;
}
