// The detail pane, the large preview and the filter bar (ui/detail) against
// a tiny real library: a few generated JPEGs with EXIF and a PNG, indexed
// with a random tiny CLIP and tagged with it (every photo's best tags
// assigned), so that what the pane shows can be checked against what the
// catalog holds, and the filters against what the catalog returns.

// LibTorch before Qt (Qt's keywords break LibTorch headers).
#include "ClipEncoder.h"
#include "LabelEmbeddings.h"

#include "Catalog.h"
#include "ElidedLabel.h"
#include "FilterBar.h"
#include "ImageView.h"
#include "Indexer.h"
#include "LibraryTags.h"
#include "ModelIdentity.h"
#include "PhotoDetailPane.h"
#include "PreviewDialog.h"
#include "TagCorrections.h"
#include "TagQueries.h"
#include "Tagger.h"
#include "TestImages.h"
#include "TinyModel.h"

#include <QAction>
#include <QDir>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <set>

using namespace photosearch;
namespace ti = photosearch::testimages;

namespace {

const QDateTime kTakenA(QDate(2026, 3, 14), QTime(16, 2, 0), Qt::LocalTime);
const QDateTime kTakenB(QDate(2025, 7, 1), QTime(9, 30, 0), Qt::LocalTime);

QStringList tagNames(const std::vector<PhotoTag>& tags)
{
    QStringList names;
    for (const PhotoTag& t : tags)
        names << t.tag;
    return names;
}

std::set<QString> pathsOf(const Catalog& catalog, const std::vector<qint64>& ids)
{
    std::set<QString> paths;
    for (qint64 id : ids)
        paths.insert(catalog.photo(id)->path);
    return paths;
}

} // namespace

class TestDetailPane : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString library_;
    QString modelId_;
    QString trip_; // a.jpg, b.jpg
    QString home_; // c.png, d.jpg
    QString a_, b_, c_, d_;

    void writeJpeg(const QString& path, int w, int h, int seed, const ti::ExifFields& exif)
    {
        QString error;
        QVERIFY2(ti::writeJpegWithExif(ti::makePicture(w, h, seed), path, exif, &error), qPrintable(error));
    }

    qint64 idOf(const Catalog& catalog, const QString& path) { return catalog.photoByPath(path)->id; }

    QWidget* tagRow(PhotoDetailPane& pane, const QString& tag)
    {
        return pane.findChild<QWidget*>(QStringLiteral("tag:") + tag);
    }

    // Shows `path` and waits for its facts and image.
    void showPhoto(PhotoDetailPane& pane, const QString& path)
    {
        QSignalSpy details(&pane, &PhotoDetailPane::detailsShown);
        QSignalSpy image(&pane, &PhotoDetailPane::imageShown);
        pane.setPhoto(path);
        QVERIFY(details.wait(10000));
        QCOMPARE(details.last().at(0).toString(), path);
        QVERIFY(image.count() > 0 || image.wait(10000));
    }

    // Clicks `button` of the tag's row and waits for the pane to reload.
    void clickTagButton(PhotoDetailPane& pane, const QString& tag, const char* button)
    {
        QWidget* row = tagRow(pane, tag);
        QVERIFY(row);
        auto* b = row->findChild<QToolButton*>(QString::fromLatin1(button));
        QVERIFY2(b, button);
        QSignalSpy changed(&pane, &PhotoDetailPane::tagsChanged);
        QSignalSpy details(&pane, &PhotoDetailPane::detailsShown);
        QTest::mouseClick(b, Qt::LeftButton);
        QVERIFY(changed.wait(10000));
        QCOMPARE(changed.first().at(0).toString(), pane.photo());
        QVERIFY(details.count() > 0 || details.wait(10000));
    }

    static PhotoFilter nextFilter(FilterBar& bar, const std::function<void()>& change)
    {
        QSignalSpy spy(&bar, &FilterBar::filterChanged);
        change();
        if (!spy.wait(5000))
            qFatal("the filter bar did not emit filterChanged");
        return spy.last().at(0).value<PhotoFilter>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("PHOTOSEARCH_MODEL");
        qRegisterMetaType<PhotoFilter>();
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
        const QString model = temp_.filePath(QStringLiteral("model"));
        QString error;
        QVERIFY2(testmodel::writeTinyClipModel(model, &error), qPrintable(error));

        trip_ = temp_.filePath(QStringLiteral("photos/trip"));
        home_ = temp_.filePath(QStringLiteral("photos/home"));
        QVERIFY(QDir().mkpath(trip_) && QDir().mkpath(home_));
        a_ = trip_ + QStringLiteral("/a.jpg");
        b_ = trip_ + QStringLiteral("/b.jpg");
        c_ = home_ + QStringLiteral("/c.png");
        d_ = home_ + QStringLiteral("/d.jpg");
        ti::ExifFields exifA;
        exifA.takenAt = kTakenA;
        exifA.make = QStringLiteral("Canon");
        exifA.model = QStringLiteral("Canon EOS R5");
        exifA.lens = QStringLiteral("RF 24-105mm F4 L IS USM");
        exifA.hasGps = true;
        exifA.latitude = 48.8584;
        exifA.longitude = 2.2945;
        writeJpeg(a_, 1200, 900, 1, exifA);
        ti::ExifFields exifB;
        exifB.takenAt = kTakenB;
        writeJpeg(b_, 640, 480, 2, exifB);
        QVERIFY2(ti::writeImage(ti::makePicture(600, 400, 3), c_, ImageFormat::Png, &error), qPrintable(error));
        writeJpeg(d_, 500, 500, 4, ti::ExifFields{});

        const ClipEncoder encoder(model, clip::chooseCompute(clip::DevicePreference::Cpu));
        modelId_ = modelIdForDirectory(model);
        library_ = temp_.filePath(QStringLiteral("library"));
        Indexer indexer(library_, encoder.model(), encoder.preprocessor(), modelId_);
        IndexOptions options;
        options.roots = {temp_.filePath(QStringLiteral("photos"))};
        options.workers = 1;
        options.modelDir = model;
        const IndexSummary s = indexer.run(options);
        QCOMPARE(s.added, 4);
        QCOMPARE(s.failed, 0);

        // Tag with the tiny model; a random model's scores mean nothing, so
        // every photo is given its best tags (the rule's thresholds off).
        Catalog catalog(library_);
        setLibraryVocabulary(catalog, {QStringLiteral("dog"), QStringLiteral("cat"), QStringLiteral("beach"),
                                       QStringLiteral("car"), QStringLiteral("sunset"), QStringLiteral("snow")});
        CatalogLabelEmbedder labels(catalog, modelId_, [&encoder]() -> const ClipEncoder& { return encoder; });
        TagRule rule;
        rule.minZ = -1e9;
        rule.minMargin = -1e9;
        rule.maxTagsPerPhoto = 4;
        rule.storedPerPhoto = 4;
        tagLibrary(catalog, modelId_, labels, rule);
        QCOMPARE(photoTags(catalog, modelId_, idOf(catalog, a_)).size(), size_t(4));
    }

    void emptyStateFirst()
    {
        PhotoDetailPane pane(library_);
        pane.resize(420, 760);
        pane.show();
        auto* empty = pane.findChild<QLabel*>(QStringLiteral("emptyState"));
        QVERIFY(empty && empty->isVisible());
        QCOMPARE(empty->text(), QStringLiteral("Select a photo to see its details."));
        QCOMPARE(pane.objectName(), QStringLiteral("detailPane"));
    }

    void showsWhatTheCatalogHas()
    {
        const Catalog catalog(library_);
        const PhotoRecord r = *catalog.photoByPath(a_);
        QCOMPARE(r.takenAt, kTakenA);

        PhotoDetailPane pane(library_);
        pane.resize(420, 760);
        pane.show();
        showPhoto(pane, a_);
        QVERIFY(!pane.findChild<QLabel*>(QStringLiteral("emptyState"))->isVisible());
        auto* name = pane.findChild<ElidedLabel*>(QStringLiteral("fileName"));
        QCOMPARE(name->fullText(), QStringLiteral("a.jpg"));
        QVERIFY(name->toolTip().endsWith(QStringLiteral("a.jpg")));

        const QString size = pane.findChild<QLabel*>(QStringLiteral("size"))->text();
        QVERIFY2(size.startsWith(QStringLiteral("%1 × %2 · ").arg(r.width).arg(r.height)), qPrintable(size));
        QCOMPARE(r.width, 1200);
        QVERIFY2(size.contains(QLocale().formattedDataSize(r.size, 1, QLocale::DataSizeSIFormat)), qPrintable(size));
        QVERIFY2(size.endsWith(QStringLiteral(" · JPEG")), qPrintable(size));

        const QString date = pane.findChild<QLabel*>(QStringLiteral("date"))->text();
        QVERIFY2(date.contains(QStringLiteral("Saturday")) && date.contains(QStringLiteral("14 March 2026"))
                     && date.endsWith(QStringLiteral("16:02")),
                 qPrintable(date));
        const QString camera = pane.findChild<QLabel*>(QStringLiteral("camera"))->text();
        QVERIFY(!r.camera.isEmpty() && !r.lens.isEmpty());
        QCOMPARE(camera, r.camera + QStringLiteral(" · ") + r.lens);
        QVERIFY(r.hasGps);
        QCOMPARE(pane.findChild<QLabel*>(QStringLiteral("place"))->text(), QStringLiteral("48.8584° N, 2.2945° E"));
    }

    void unknownFactsSayUnknown()
    {
        PhotoDetailPane pane(library_);
        pane.resize(420, 760);
        pane.show();
        showPhoto(pane, d_);
        QCOMPARE(pane.findChild<QLabel*>(QStringLiteral("date"))->text(), QStringLiteral("Unknown"));
        QCOMPARE(pane.findChild<QLabel*>(QStringLiteral("place"))->text(), QStringLiteral("Unknown"));
        showPhoto(pane, c_);
        QVERIFY(pane.findChild<QLabel*>(QStringLiteral("size"))->text().endsWith(QStringLiteral(" · PNG")));
    }

    void theLargeImageArrivesAndFits()
    {
        PhotoDetailPane pane(library_);
        pane.resize(420, 760);
        pane.show();
        showPhoto(pane, a_);
        auto* view = pane.findChild<ImageView*>(QStringLiteral("largeImage"));
        const QPixmap pixmap = view->pixmap();
        QVERIFY(!pixmap.isNull());
        const QSizeF shown = pixmap.deviceIndependentSize();
        const QSize room = view->contentsRect().size();
        QVERIFY2(shown.width() <= room.width() + 0.5 && shown.height() <= room.height() + 0.5,
                 qPrintable(QStringLiteral("%1x%2 in %3x%4").arg(shown.width()).arg(shown.height())
                                .arg(room.width()).arg(room.height())));
        // A 1200-wide photo fills the width (it is not a thumbnail).
        QVERIFY(shown.width() >= room.width() - 1);
        QCOMPARE(pixmap.devicePixelRatio(), view->devicePixelRatioF());
    }

    void aPhotoOutsideTheLibrarySaysSo()
    {
        PhotoDetailPane pane(library_);
        pane.resize(420, 760);
        pane.show();
        QSignalSpy details(&pane, &PhotoDetailPane::detailsShown);
        QSignalSpy image(&pane, &PhotoDetailPane::imageShown);
        const QString missing = temp_.filePath(QStringLiteral("elsewhere/none.jpg"));
        pane.setPhoto(missing);
        QVERIFY(details.wait(10000));
        auto* message = pane.findChild<QLabel*>(QStringLiteral("message"));
        QVERIFY(message->isVisible());
        QVERIFY(message->text().contains(QStringLiteral("not in the library")));
        QVERIFY(image.count() > 0 || image.wait(10000));
        QVERIFY(pane.findChild<ImageView*>(QStringLiteral("largeImage"))->pixmap().isNull());
    }

    void tagsAreListedWithScores()
    {
        const Catalog catalog(library_);
        const std::vector<PhotoTag> tags = photoTags(catalog, modelId_, idOf(catalog, a_));
        PhotoDetailPane pane(library_);
        pane.resize(420, 760);
        pane.show();
        showPhoto(pane, a_);
        for (const PhotoTag& t : tags) {
            QWidget* row = tagRow(pane, t.tag);
            QVERIFY2(row, qPrintable(t.tag));
            QVERIFY(row->findChild<QLabel*>(QStringLiteral("name"))->text().endsWith(t.tag));
            bool ok = false;
            const double shown = QLocale().toDouble(row->findChild<QLabel*>(QStringLiteral("score"))->text(), &ok);
            QVERIFY(ok && t.score);
            QVERIFY2(std::abs(shown - *t.score) <= 0.05, qPrintable(t.tag));
        }
        QCOMPARE(pane.findChildren<QWidget*>(QRegularExpression(QStringLiteral("^tag:"))).size(), qsizetype(tags.size()));
    }

    void removingATagIsStored()
    {
        const Catalog catalog(library_);
        const qint64 id = idOf(catalog, b_);
        const QStringList before = tagNames(photoTags(catalog, modelId_, id));
        QVERIFY(before.size() >= 2);
        const QString gone = before.at(1);

        PhotoDetailPane pane(library_);
        pane.resize(420, 760);
        pane.show();
        showPhoto(pane, b_);
        clickTagButton(pane, gone, "remove");
        QVERIFY(!tagRow(pane, gone));
        QVERIFY(tagRow(pane, before.at(0)));

        const Catalog reread(library_);
        QVERIFY(!tagNames(photoTags(reread, modelId_, id)).contains(gone));
        const std::vector<TagCorrection> corrections = tagCorrections(reread, id);
        QCOMPARE(corrections.size(), size_t(1));
        QCOMPARE(corrections.front().tag, gone);
        QCOMPARE(corrections.front().verdict, TagVerdict::Removed);

        // A new pane (a restart) reads it from the library.
        PhotoDetailPane again(library_);
        again.resize(420, 760);
        again.show();
        showPhoto(again, b_);
        QVERIFY(!tagRow(again, gone));
        QVERIFY(tagRow(again, before.at(0)));
    }

    void confirmingATagMarksIt()
    {
        const Catalog catalog(library_);
        const qint64 id = idOf(catalog, d_);
        const std::vector<PhotoTag> before = photoTags(catalog, modelId_, id);
        QVERIFY(before.size() >= 3);
        const QString sure = before.back().tag; // the weakest: confirming moves it first
        QVERIFY(!before.back().confirmed);

        PhotoDetailPane pane(library_);
        pane.resize(420, 760);
        pane.show();
        showPhoto(pane, d_);
        QVERIFY(tagRow(pane, sure)->findChild<QToolButton*>(QStringLiteral("confirm")));
        clickTagButton(pane, sure, "confirm");
        QWidget* row = tagRow(pane, sure);
        QVERIFY(row);
        QVERIFY(!row->findChild<QToolButton*>(QStringLiteral("confirm")));
        QVERIFY(row->findChild<QToolButton*>(QStringLiteral("remove")));
        QVERIFY(row->findChild<QLabel*>(QStringLiteral("name"))->text().startsWith(QStringLiteral("✓")));

        const std::vector<PhotoTag> after = photoTags(Catalog(library_), modelId_, id);
        QCOMPARE(after.front().tag, sure);
        QVERIFY(after.front().confirmed);
    }

    void buttonsEmitThePath()
    {
        PhotoDetailPane pane(library_);
        pane.resize(420, 760);
        pane.show();
        showPhoto(pane, a_);
        QSignalSpy similar(&pane, &PhotoDetailPane::findSimilarRequested);
        QSignalSpy open(&pane, &PhotoDetailPane::openRequested);
        QSignalSpy folder(&pane, &PhotoDetailPane::showInFolderRequested);
        QTest::mouseClick(pane.findChild<QPushButton*>(QStringLiteral("findSimilar")), Qt::LeftButton);
        QTest::mouseClick(pane.findChild<QPushButton*>(QStringLiteral("open")), Qt::LeftButton);
        QTest::mouseClick(pane.findChild<QPushButton*>(QStringLiteral("showInFolder")), Qt::LeftButton);
        QCOMPARE(similar.count(), 1);
        QCOMPARE(similar.first().at(0).toString(), a_);
        QCOMPARE(open.first().at(0).toString(), a_);
        QCOMPARE(folder.first().at(0).toString(), a_);

        pane.clear();
        QVERIFY(pane.findChild<QLabel*>(QStringLiteral("emptyState"))->isVisible());
    }

    void dateRangeIncludesTheLastDay()
    {
        FilterBar bar;
        bar.show();
        const PhotoFilter f = nextFilter(bar, [&] { bar.setDateRange(QDate(2026, 3, 1), QDate(2026, 3, 14)); });
        QCOMPARE(f.after, QDateTime(QDate(2026, 3, 1), QTime(0, 0)));
        QCOMPARE(f.before, QDateTime(QDate(2026, 3, 15), QTime(0, 0)));
        QVERIFY(f.folders.isEmpty() && f.formats.isEmpty());
        // a.jpg was taken on the 14th at 16:02: "To 14 March" keeps it.
        const Catalog catalog(library_);
        QCOMPARE(pathsOf(catalog, catalog.photoIds(f)).count(a_), size_t(1));
        QCOMPARE(pathsOf(catalog, catalog.photoIds(f)).count(b_), size_t(0));
    }

    void relativeDatesFollowToday()
    {
        FilterBar bar;
        bar.setToday(QDate(2026, 3, 20));
        PhotoFilter f = nextFilter(bar, [&] { bar.setDateChoice(FilterBar::ThisYear); });
        QCOMPARE(f.after, QDateTime(QDate(2026, 1, 1), QTime(0, 0)));
        QVERIFY(!f.before.isValid());
        f = nextFilter(bar, [&] { bar.setDateChoice(FilterBar::Last30Days); });
        QCOMPARE(f.after, QDateTime(QDate(2026, 2, 19), QTime(0, 0)));
    }

    void aFolderKeepsItsPhotos()
    {
        FilterBar bar;
        bar.setFolders({trip_, home_});
        PhotoFilter f = nextFilter(bar, [&] { bar.setFolder(trip_); });
        // The spellings are worked out off the GUI thread; until then the
        // filter holds the plain path, and it is sent again once they arrive.
        if (f.folders != folderSpellings(trip_))
            f = nextFilter(bar, [] {});
        QCOMPARE(f.folders, folderSpellings(trip_));
        const Catalog catalog(library_);
        QCOMPARE(pathsOf(catalog, catalog.photoIds(f)), (std::set<QString>{catalog.photoByPath(a_)->path,
                                                                             catalog.photoByPath(b_)->path}));
    }

    void jpegMeansWhatTheCatalogStores()
    {
        FilterBar bar;
        auto* jpeg = bar.findChild<QAction*>(QStringLiteral("format:jpeg"));
        QVERIFY(jpeg);
        QCOMPARE(jpeg->text(), QStringLiteral("JPEG"));
        const PhotoFilter f = nextFilter(bar, [&] { jpeg->trigger(); });
        const Catalog catalog(library_);
        QCOMPARE(f.formats, QStringList{catalog.photoByPath(a_)->format});
        const std::set<QString> found = pathsOf(catalog, catalog.photoIds(f));
        QCOMPARE(found, (std::set<QString>{a_, b_, d_}));
        QCOMPARE(bar.findChild<QPushButton*>(QStringLiteral("formats"))->text(), QStringLiteral("JPEG"));
    }

    void clearEmptiesTheFilter()
    {
        FilterBar bar;
        bar.show();
        bar.setFolders({trip_, home_});
        auto* clear = bar.findChild<QToolButton*>(QStringLiteral("clearFilters"));
        QVERIFY(!clear->isVisible());
        nextFilter(bar, [&] {
            bar.setFolder(home_);
            bar.setFormatChecked(QStringLiteral("png"), true);
        });
        QVERIFY(clear->isVisible());
        const PhotoFilter f = nextFilter(bar, [&] { QTest::mouseClick(clear, Qt::LeftButton); });
        QVERIFY(f.isEmpty());
        QVERIFY(!clear->isVisible());
    }

    void previewStepsThroughTheList()
    {
        PreviewDialog preview;
        QCOMPARE(preview.objectName(), QStringLiteral("largePreview"));
        QSignalSpy shown(&preview, &PreviewDialog::imageShown);
        preview.showPreview({a_, b_, c_}, 0);
        QCOMPARE(preview.currentPath(), a_);
        QTest::keyClick(&preview, Qt::Key_Right);
        QCOMPARE(preview.currentPath(), b_);
        QVERIFY(shown.wait(10000));
        QCOMPARE(shown.last().at(0).toString(), b_);
        QVERIFY(!preview.findChild<ImageView*>(QStringLiteral("previewImage"))->pixmap().isNull());
        QTest::keyClick(&preview, Qt::Key_Right);
        QTest::keyClick(&preview, Qt::Key_Right); // past the end: stays on the last
        QCOMPARE(preview.currentPath(), c_);
        QTest::keyClick(&preview, Qt::Key_Left);
        QCOMPARE(preview.currentPath(), b_);
        QTest::keyClick(&preview, Qt::Key_Space);
        QVERIFY(!preview.isVisible());
    }

    void renderForALook()
    {
        PhotoDetailPane pane(library_);
        pane.resize(380, 720);
        pane.show();
        showPhoto(pane, a_);
        QVERIFY(pane.grab().save(QStringLiteral("/tmp/detail_pane.png")));
        // A dark palette, as a dark desktop theme gives: nothing keeps light colours.
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(40, 40, 40));
        dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
        dark.setColor(QPalette::Button, QColor(55, 55, 55));
        dark.setColor(QPalette::ButtonText, QColor(230, 230, 230));
        dark.setColor(QPalette::Disabled, QPalette::WindowText, QColor(140, 140, 140));
        dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(140, 140, 140));
        pane.setPalette(dark);
        QVERIFY(pane.grab().save(QStringLiteral("/tmp/detail_pane_dark.png")));
        FilterBar bar;
        bar.setFolders({trip_, home_});
        bar.setDateRange(QDate(2026, 3, 1), QDate(2026, 3, 14));
        bar.setFormatChecked(QStringLiteral("jpeg"), true);
        bar.resize(bar.sizeHint().width() + 40, bar.sizeHint().height());
        bar.show();
        QVERIFY(bar.grab().save(QStringLiteral("/tmp/filter_bar.png")));
        PreviewDialog preview;
        QSignalSpy shown(&preview, &PreviewDialog::imageShown);
        preview.showPreview({a_, b_}, 0);
        QVERIFY(shown.wait(10000));
        QVERIFY(preview.grab().scaled(800, 600, Qt::KeepAspectRatio).save(QStringLiteral("/tmp/preview.png")));
    }
};

QTEST_MAIN(TestDetailPane)
#include "test_detail_pane.moc"
