#include "GeneratedLibrary.h"

#include "FolderScanner.h"
#include "TestImages.h"
#include "TinyModel.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <ftw.h>
#include <unistd.h>

namespace photosearch::testlib {

using namespace testimages;

namespace {

void mustWrite(bool ok, const QString& path, const QString& error = {})
{
    if (!ok)
        qFatal("cannot write test image %s: %s", qPrintable(path), qPrintable(error));
}

} // namespace

void removeTree(const QString& root)
{
    const auto remove = [](const char* path, const struct stat*, int, struct FTW*) { return ::remove(path); };
    ::nftw(QFile::encodeName(root).constData(), remove, 16, FTW_DEPTH | FTW_PHYS);
}

QString tinyClipDir()
{
    const QString shared = QStringLiteral(PHOTOSEARCH_TEST_SHARED_DIR "/fixtures/tiny-clip");
    if (QFile::exists(shared + QStringLiteral("/model.safetensors")))
        return shared;
    // Written once per process and kept until it exits, so that it outlives
    // every CLI child a test starts with it.
    static const QString written = [] {
        static QTemporaryDir temp;
        const QString dir = temp.filePath(QStringLiteral("tiny-clip"));
        QString error = temp.errorString();
        if (temp.isValid() && testmodel::writeTinyClipModel(dir, &error))
            return dir;
        qWarning("cannot write the tiny CLIP model: %s", qPrintable(error));
        return QString();
    }();
    return written;
}

GeneratedLibrary generateLibrary(const QString& root, int photoCount)
{
    GeneratedLibrary lib;
    lib.root = root;
    const QDir dir(root);
    for (const char* sub : {"jpeg/2020", "formats", "exif", ".hidden", "bad", "deep/a/b/c"})
        dir.mkpath(QString::fromLatin1(sub));
    int seed = 0;
    static const QSize sizes[] = {{320, 240}, {240, 320}, {500, 375}, {97, 61}, {800, 600}};

    for (int i = 0; i < photoCount; ++i) {
        const QString path = dir.filePath(QStringLiteral("jpeg/%1/photo%2.jpg").arg(i % 2 ? "2020" : ".").arg(i, 4, 10, QLatin1Char('0')));
        const QString clean = QDir::cleanPath(path);
        mustWrite(writeImage(makePicture(sizes[i % 5].width(), sizes[i % 5].height(), seed++), clean, ImageFormat::Jpeg), clean);
        lib.good << clean;
    }
    const struct {
        ImageFormat format;
        const char* name;
        int count;
    } formats[] = {{ImageFormat::Png, "png", 6}, {ImageFormat::Webp, "webp", 4}, {ImageFormat::Gif, "gif", 3},
                   {ImageFormat::Bmp, "bmp", 3}, {ImageFormat::Tiff, "tiff", 3}, {ImageFormat::Heif, "heic", 2},
                   {ImageFormat::Avif, "avif", 2}};
    for (const auto& f : formats) {
        for (int i = 0; i < f.count; ++i) {
            const QString path = dir.filePath(QStringLiteral("formats/%1-%2.%1").arg(QLatin1String(f.name)).arg(i));
            QString error;
            if (!writeImage(makePicture(160 + 16 * i, 120, seed++), path, f.format, &error)) {
                if (!lib.unavailableFormats.contains(QLatin1String(f.name)))
                    lib.unavailableFormats << QLatin1String(f.name);
                continue;
            }
            lib.good << path;
        }
    }
    // Found by content: a PNG named .jpg and a JPEG without an extension.
    mustWrite(writeImage(makePicture(200, 150, seed++), dir.filePath(QStringLiteral("formats/png-named.jpg")), ImageFormat::Png), "png-named.jpg");
    lib.good << dir.filePath(QStringLiteral("formats/png-named.jpg"));
    mustWrite(writeImage(makePicture(200, 150, seed++), dir.filePath(QStringLiteral("formats/no-extension")), ImageFormat::Jpeg), "no-extension");
    lib.good << dir.filePath(QStringLiteral("formats/no-extension"));
    mustWrite(writeImage(makePicture(64, 64, seed++), dir.filePath(QStringLiteral("deep/a/b/c/deep.png")), ImageFormat::Png), "deep.png");
    lib.good << dir.filePath(QStringLiteral("deep/a/b/c/deep.png"));

    // EXIF: all eight orientations, and dated photos for the filters.
    for (int o = 1; o <= 8; ++o) {
        ExifFields exif;
        exif.orientation = o;
        const QString path = dir.filePath(QStringLiteral("exif/orientation%1.jpg").arg(o));
        QString error;
        mustWrite(writeJpegWithExif(makePicture(400, 300, seed++), path, exif, &error), path, error);
        lib.good << path;
        if (o == 6)
            lib.orientedPortrait = path;
    }
    int year = 2019;
    for (const char* name : {"2019.jpg", "2021.jpg", "2023.jpg"}) {
        ExifFields exif;
        exif.takenAt = QDateTime(QDate(year, 6, 1), QTime(12, 0));
        exif.make = QStringLiteral("Canon");
        exif.model = QStringLiteral("Canon EOS 5D");
        exif.hasGps = true;
        exif.latitude = 48.8584;
        exif.longitude = 2.2945;
        const QString path = dir.filePath(QStringLiteral("exif/taken-%1").arg(QLatin1String(name)));
        QString error;
        mustWrite(writeJpegWithExif(makePicture(300, 200, seed++), path, exif, &error), path, error);
        lib.good << path;
        lib.dated << path;
        year += 2;
    }

    // Hidden: skipped. A symlink loop: followed once, never twice.
    mustWrite(writeImage(makePicture(100, 100, seed++), dir.filePath(QStringLiteral(".hidden/secret.jpg")), ImageFormat::Jpeg), "secret");
    lib.skipped << dir.filePath(QStringLiteral(".hidden/secret.jpg"));
    QFile::link(root, dir.filePath(QStringLiteral("deep/a/loop")));

    // Bad input.
    const QString bad = dir.filePath(QStringLiteral("bad"));
    QFile(bad + QStringLiteral("/empty.jpg")).open(QIODevice::WriteOnly);
    lib.bad << bad + QStringLiteral("/empty.jpg");
    {
        QFile f(bad + QStringLiteral("/notes.jpg"));
        f.open(QIODevice::WriteOnly);
        f.write("These are my holiday notes, not a picture.\n");
    }
    lib.bad << bad + QStringLiteral("/notes.jpg");
    mustWrite(writePngClaimingSize(bad + QStringLiteral("/huge.png"), 30000, 30000), "huge.png");
    lib.bad << bad + QStringLiteral("/huge.png");
    // Not UTF-8: the name cannot be represented, so it is reported.
    {
        const QByteArray raw = QFile::encodeName(bad) + "/caf\xe9.jpg";
        const int fd = ::open(raw.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const QByteArray bytes = [&] {
            const QString tmp = bad + QStringLiteral("/tmp-source.jpg");
            mustWrite(writeImage(makePicture(120, 90, seed++), tmp, ImageFormat::Jpeg), tmp);
            QFile f(tmp);
            f.open(QIODevice::ReadOnly);
            const QByteArray b = f.readAll();
            QFile::remove(tmp);
            return b;
        }();
        if (fd >= 0) {
            (void)::write(fd, bytes.constData(), size_t(bytes.size()));
            ::close(fd);
            lib.bad << bad + QLatin1Char('/') + fileSystemName("caf\xe9.jpg"); // as the catalog names it
        }
    }
    // Unreadable (root can read anything, so only when not root).
    if (::geteuid() != 0) {
        const QString path = bad + QStringLiteral("/locked.jpg");
        mustWrite(writeImage(makePicture(120, 90, seed++), path, ImageFormat::Jpeg), path);
        QFile::setPermissions(path, QFileDevice::Permissions());
        lib.bad << path;
    }
    // Truncated: decoders may recover part of the image or refuse it.
    const QString whole = bad + QStringLiteral("/whole.tmp");
    mustWrite(writeImage(makePicture(640, 480, seed++), whole, ImageFormat::Jpeg), whole);
    mustWrite(writeTruncatedCopy(whole, bad + QStringLiteral("/truncated.jpg"), QFileInfo(whole).size() / 3), "truncated.jpg");
    lib.maybe << bad + QStringLiteral("/truncated.jpg");
    mustWrite(writeImage(makePicture(640, 480, seed++), whole, ImageFormat::Png), whole);
    mustWrite(writeTruncatedCopy(whole, bad + QStringLiteral("/truncated.png"), 200), "truncated.png");
    lib.maybe << bad + QStringLiteral("/truncated.png");
    QFile::remove(whole);
    return lib;
}

} // namespace photosearch::testlib
