// ThumbnailLoader with the freedesktop thumbnail cache: thumbnails land at
// $XDG_CACHE_HOME/thumbnails/<flavor>/md5(URI).png with the standard's keys
// and modes, another program's current thumbnail is shown instead of a
// decode, stale ones are remade, failures are recorded in fail/ and
// honoured, the cache can be turned off, and the cache never feeds on its
// own folder. XDG_CACHE_HOME points into a temporary folder.

#include "FreedesktopThumbnails.h"
#include "ThumbnailLoader.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <sys/stat.h>

using namespace photosearch;

namespace {

constexpr qint64 kPhotoMTime = 1'600'000'000;

int modeOf(const QString& path)
{
    struct stat st {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 0777) : -1;
}

// The URI as the standard spells it, built without QUrl::fromLocalFile.
QByteArray specUri(const QString& path)
{
    return "file://" + QUrl::toPercentEncoding(QFileInfo(path).absoluteFilePath(), "/");
}

QString specName(const QString& path)
{
    return QString::fromLatin1(QCryptographicHash::hash(specUri(path), QCryptographicHash::Md5).toHex()) + ".png";
}

bool isColour(const QImage& image, QColor colour)
{
    const QColor c = image.pixelColor(image.width() / 2, image.height() / 2);
    return std::abs(c.red() - colour.red()) < 20 && std::abs(c.green() - colour.green()) < 20
        && std::abs(c.blue() - colour.blue()) < 20;
}

void setMTime(const QString& path, qint64 seconds)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite)
        || !file.setFileTime(QDateTime::fromSecsSinceEpoch(seconds), QFileDevice::FileModificationTime))
        qFatal("cannot set the time of %s", qPrintable(path));
}

} // namespace

class TestThumbnails : public QObject {
    Q_OBJECT

    QTemporaryDir cacheHome_;
    QTemporaryDir photos_;

    QString root() const { return cacheHome_.path() + QStringLiteral("/thumbnails"); }

    QString writePhoto(const QString& relative, QColor colour, QSize size = QSize(300, 200)) const
    {
        const QString path = photos_.filePath(relative);
        QDir().mkpath(QFileInfo(path).path());
        QImage image(size, QImage::Format_RGB32);
        image.fill(colour);
        if (!image.save(path, "PNG"))
            qFatal("cannot write %s", qPrintable(path));
        setMTime(path, kPhotoMTime);
        return path;
    }

    // Waits for the loader to deliver `path`; its pixmap as an image.
    static QImage load(ThumbnailLoader& loader, const QString& path)
    {
        QSignalSpy ready(&loader, &ThumbnailLoader::thumbnailReady);
        loader.request({path});
        while (!loader.failed(path) && loader.thumbnail(path).isNull()) {
            if (!ready.wait(20000))
                return {};
        }
        return loader.thumbnail(path).toImage();
    }

    // A thumbnail written the way another program would.
    static void writeForeignThumbnail(const QString& file, const QString& photo, QColor colour, qint64 mtime)
    {
        QDir().mkpath(QFileInfo(file).path());
        QImage thumb(128, 128, QImage::Format_RGB32);
        thumb.fill(colour);
        thumb.setText(QStringLiteral("Thumb::URI"), QString::fromLatin1(specUri(photo)));
        thumb.setText(QStringLiteral("Thumb::MTime"), QString::number(mtime));
        thumb.setText(QStringLiteral("Software"), QStringLiteral("Some File Manager"));
        QVERIFY(thumb.save(file, "PNG"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(cacheHome_.isValid() && photos_.isValid());
        qputenv("XDG_CACHE_HOME", QFile::encodeName(cacheHome_.path()));
        qunsetenv("PHOTOSEARCH_NO_THUMBNAIL_CACHE");
        QCOMPARE(FreedesktopThumbnails::defaultRoot(), root());
    }

    void writesSharedThumbnail()
    {
        // A space and non-ASCII letters: the URI is percent-encoded UTF-8.
        const QString photo = writePhoto(QStringLiteral("Ferien 2024/été à la plage.png"), Qt::red);
        QVERIFY(specUri(photo).contains("Ferien%202024/%C3%A9t%C3%A9%20%C3%A0%20la%20plage.png"));
        ThumbnailLoader loader(QSize(96, 96));
        const QImage shown = load(loader, photo);
        // Fitted from the 128x85 disk thumbnail, as later views will be.
        QCOMPARE(shown.size(), QSize(96, 63));
        QVERIFY(isColour(shown, Qt::red));

        const QString file = root() + QStringLiteral("/normal/") + specName(photo);
        QVERIFY2(QFileInfo::exists(file), qPrintable(file));
        QCOMPARE(modeOf(file), 0600);
        QCOMPARE(modeOf(root()), 0700);
        QCOMPARE(modeOf(root() + QStringLiteral("/normal")), 0700);
        QCOMPARE(QDir(root() + QStringLiteral("/normal")).entryList(QDir::Files | QDir::Hidden).size(), 1);

        const QImage thumb(file);
        QCOMPARE(thumb.size(), QSize(128, 85));
        QCOMPARE(thumb.text(QStringLiteral("Thumb::URI")).toLatin1(), specUri(photo));
        QCOMPARE(thumb.text(QStringLiteral("Thumb::MTime")), QString::number(kPhotoMTime));
        QCOMPARE(thumb.text(QStringLiteral("Thumb::Size")), QString::number(QFileInfo(photo).size()));
        QCOMPARE(thumb.text(QStringLiteral("Thumb::Image::Width")), QStringLiteral("300"));
        QCOMPARE(thumb.text(QStringLiteral("Thumb::Image::Height")), QStringLiteral("200"));
        QCOMPARE(thumb.text(QStringLiteral("Software")), QStringLiteral("PhotoSearch"));
    }

    void largeFlavorForBigCells()
    {
        const QString photo = writePhoto(QStringLiteral("big.png"), Qt::green, QSize(600, 400));
        ThumbnailLoader loader(QSize(200, 200));
        QCOMPARE(load(loader, photo).size(), QSize(200, 132));
        const QImage thumb(root() + QStringLiteral("/large/") + specName(photo));
        QCOMPARE(thumb.size(), QSize(256, 170));
        QVERIFY(!QFileInfo::exists(root() + QStringLiteral("/normal/") + specName(photo)));
    }

    void readsAnotherProgramsThumbnail()
    {
        const QString photo = writePhoto(QStringLiteral("theirs.png"), Qt::red);
        const QString file = root() + QStringLiteral("/normal/") + specName(photo);
        writeForeignThumbnail(file, photo, Qt::blue, kPhotoMTime);
        QFile original(file);
        QVERIFY(original.open(QIODevice::ReadOnly));
        const QByteArray bytes = original.readAll();

        ThumbnailLoader loader(QSize(96, 96));
        const QImage shown = load(loader, photo);
        QVERIFY(!shown.isNull());
        QVERIFY2(isColour(shown, Qt::blue), "the photo was decoded instead of the cached thumbnail used");
        QFile after(file);
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), bytes);
    }

    void staleThumbnailRemade()
    {
        const QString photo = writePhoto(QStringLiteral("changed.png"), Qt::red);
        const QString file = root() + QStringLiteral("/normal/") + specName(photo);
        writeForeignThumbnail(file, photo, Qt::blue, kPhotoMTime - 100);
        ThumbnailLoader loader(QSize(96, 96));
        QVERIFY(isColour(load(loader, photo), Qt::red));
        const QImage thumb(file);
        QVERIFY(isColour(thumb, Qt::red));
        QCOMPARE(thumb.text(QStringLiteral("Thumb::MTime")), QString::number(kPhotoMTime));
    }

    void failureRecorded()
    {
        const QString photo = photos_.filePath(QStringLiteral("broken photo.jpg"));
        QFile file(photo);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is no JPEG at all");
        file.close();
        setMTime(photo, kPhotoMTime);

        ThumbnailLoader loader(QSize(96, 96));
        QVERIFY(load(loader, photo).isNull());
        QVERIFY(loader.failed(photo));
        const QStringList apps = QDir(root() + QStringLiteral("/fail")).entryList({QStringLiteral("photosearch-*")});
        QCOMPARE(apps.size(), 1);
        const QString entry = root() + QStringLiteral("/fail/") + apps.first() + QLatin1Char('/') + specName(photo);
        const QImage failure(entry);
        QVERIFY2(!failure.isNull(), qPrintable(entry));
        QCOMPARE(failure.text(QStringLiteral("Thumb::URI")).toLatin1(), specUri(photo));
        QCOMPARE(failure.text(QStringLiteral("Thumb::MTime")), QString::number(kPhotoMTime));
        QCOMPARE(modeOf(entry), 0600);
        QVERIFY(!QFileInfo::exists(root() + QStringLiteral("/normal/") + specName(photo)));
    }

    void failureHonouredUntilTheFileChanges()
    {
        const QString photo = writePhoto(QStringLiteral("failed once.png"), Qt::red);
        const FreedesktopThumbnails cache(root());
        QVERIFY(cache.storeFailure(ThumbnailStamp::of(photo)));
        {
            ThumbnailLoader loader(QSize(96, 96));
            QVERIFY(load(loader, photo).isNull());
            QVERIFY(loader.failed(photo));
            QVERIFY(!QFileInfo::exists(root() + QStringLiteral("/normal/") + specName(photo)));
        }
        setMTime(photo, kPhotoMTime + 60);
        ThumbnailLoader loader(QSize(96, 96));
        QVERIFY(isColour(load(loader, photo), Qt::red));
        QVERIFY(QFileInfo::exists(root() + QStringLiteral("/normal/") + specName(photo)));
    }

    void diskCacheCanBeTurnedOff()
    {
        const QString photo = writePhoto(QStringLiteral("private.png"), Qt::red);
        ThumbnailLoader loader(QSize(96, 96));
        QVERIFY(loader.diskCacheEnabled());
        loader.setDiskCacheEnabled(false);
        QVERIFY(isColour(load(loader, photo), Qt::red));
        QVERIFY(!QFileInfo::exists(root() + QStringLiteral("/normal/") + specName(photo)));

        const QString other = writePhoto(QStringLiteral("private too.png"), Qt::red);
        qputenv("PHOTOSEARCH_NO_THUMBNAIL_CACHE", "1");
        ThumbnailLoader quiet(QSize(96, 96));
        qunsetenv("PHOTOSEARCH_NO_THUMBNAIL_CACHE");
        QVERIFY(!quiet.diskCacheEnabled());
        QVERIFY(isColour(load(quiet, other), Qt::red));
        QVERIFY(!QFileInfo::exists(root() + QStringLiteral("/normal/") + specName(other)));
    }

    void cacheFolderIsNotThumbnailed()
    {
        const QString photo = root() + QStringLiteral("/pictures/inside.png");
        QDir().mkpath(QFileInfo(photo).path());
        QImage image(300, 200, QImage::Format_RGB32);
        image.fill(Qt::red);
        QVERIFY(image.save(photo, "PNG"));
        ThumbnailLoader loader(QSize(96, 96));
        QVERIFY(isColour(load(loader, photo), Qt::red));
        QVERIFY(!QFileInfo::exists(root() + QStringLiteral("/normal/") + specName(photo)));
    }

    void flavors()
    {
        QCOMPARE(FreedesktopThumbnails::flavorFor(QSize(96, 96)), ThumbnailFlavor::Normal);
        QCOMPARE(FreedesktopThumbnails::flavorFor(QSize(128, 128)), ThumbnailFlavor::Normal);
        QCOMPARE(FreedesktopThumbnails::flavorFor(QSize(160, 160)), ThumbnailFlavor::Large);
        QCOMPARE(FreedesktopThumbnails::flavorFor(QSize(400, 300)), ThumbnailFlavor::XLarge);
        QCOMPARE(FreedesktopThumbnails::flavorFor(QSize(1000, 1000)), ThumbnailFlavor::XXLarge);
    }
};

QTEST_MAIN(TestThumbnails)
#include "test_thumbnails.moc"
