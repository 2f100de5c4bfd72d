// The sidebar room against a real library (offscreen): a folder of distinct
// scenes, plus a byte copy and a resized, re-compressed copy of one of them
// in a subfolder, indexed with the tiny random CLIP. Checked through the
// browse thread as the window uses it: the folder and its count, a manual
// album made, filled, shrunk, renamed and deleted (files stay), a few-shot
// album from photos marked in and out, the near-duplicate group, the grid's
// album menu and Delete key, and a rendering of the sidebar.

// LibTorch (via ClipEncoder.h) before Qt.
#include "ClipEncoder.h"

#include "AlbumActions.h"
#include "Catalog.h"
#include "Indexer.h"
#include "LibraryBrowser.h"
#include "LibraryModel.h"
#include "LibrarySidebar.h"
#include "ModelIdentity.h"
#include "PhotoScenes.h"
#include "TagAlbums.h"
#include "TagCorrections.h"
#include "TinyModel.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMenu>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <algorithm>
#include <set>

using namespace photosearch;
namespace ti = photosearch::testimages;
using Kind = CollectionRequest::Kind;

namespace {

constexpr int kScenes = 12;
constexpr int kWaitMs = 30'000;

std::set<QString> pathsOf(const SearchResults& r)
{
    std::set<QString> out;
    for (const SearchHit& h : r.hits)
        out.insert(h.path);
    return out;
}

QStringList orderOf(const SearchResults& r)
{
    QStringList out;
    for (const SearchHit& h : r.hits)
        out << h.path;
    return out;
}

} // namespace

class TestSidebar : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString root_;
    QString library_;
    QStringList scenes_;  // distinct photos, in the root
    QStringList copies_;  // scenes_[0], its byte copy, its resized re-compressed copy
    std::unique_ptr<LibraryBrowser> browser_;
    std::unique_ptr<LibrarySidebar> sidebar_;

    QString text(const CollectionRequest& r, int role) const
    {
        return sidebar_->indexFor(r).data(role).toString();
    }

    // Selects `request` in the sidebar and waits for its photos.
    SearchResults open(const CollectionRequest& request)
    {
        QSignalSpy ready(browser_.get(), &LibraryBrowser::collectionReady);
        sidebar_->clearChoice();
        sidebar_->select(request);
        if (!ready.wait(kWaitMs) && ready.isEmpty())
            qWarning("no collection for %s", qPrintable(request.key));
        return ready.isEmpty() ? SearchResults{} : ready.last().first().value<SearchResults>();
    }

    // Waits until the browser reports the edit's status sentence; false when
    // it reported an error instead.
    static bool edited(QSignalSpy& status, QSignalSpy& errors, int count = 1)
    {
        if (!QTest::qWaitFor([&] { return status.count() >= count || !errors.isEmpty(); }, kWaitMs))
            qWarning("no answer to the edit within %d ms", kWaitMs);
        if (!errors.isEmpty())
            qWarning("edit failed: %s", qPrintable(errors.first().first().toString()));
        return errors.isEmpty() && status.count() >= count;
    }

    void writeLibraryPhotos()
    {
        root_ = temp_.filePath(QStringLiteral("photos"));
        QDir().mkpath(root_ + QStringLiteral("/copies"));
        for (int i = 0; i < kScenes; ++i) {
            const QString path = QStringLiteral("%1/scene%2.jpg").arg(root_).arg(i, 2, 10, QLatin1Char('0'));
            QVERIFY(ti::renderScene(640, 480, {quint32(i), quint32(i + 1000), 0}).save(path, "JPEG", 92));
            scenes_ << path;
        }
        const QString copy = root_ + QStringLiteral("/copies/scene00 copy.jpg");
        const QString smaller = root_ + QStringLiteral("/copies/scene00 small.jpg");
        QVERIFY(QFile::copy(scenes_[0], copy));
        QVERIFY(ti::recompressedCopy(ti::resizedCopy(QImage(scenes_[0]), 0.5), 60).save(smaller, "JPEG", 60));
        copies_ = QStringList{scenes_[0], copy, smaller};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(temp_.isValid());
        writeLibraryPhotos();
        const QString model = temp_.filePath(QStringLiteral("model"));
        QString error;
        QVERIFY2(testmodel::writeTinyClipModel(model, &error), qPrintable(error));
        library_ = temp_.filePath(QStringLiteral("library"));
        {
            const ClipEncoder encoder(model, clip::chooseCompute(clip::DevicePreference::Cpu));
            Indexer indexer(library_, encoder.model(), encoder.preprocessor(), modelIdForDirectory(model));
            IndexOptions options;
            options.roots = {root_};
            options.workers = 2;
            options.modelDir = model;
            const IndexSummary s = indexer.run(options);
            QCOMPARE(s.failed, qint64(0));
            QCOMPARE(s.added, qint64(kScenes + 2));
        }
        {
            // A person's word makes a tag album whatever the random model says.
            Catalog catalog(library_);
            for (const QString& path : scenes_.mid(0, kMinTagAlbumPhotos))
                confirmTag(catalog, catalog.photoByPath(path)->id, QStringLiteral("sunset"));
        }
        browser_ = std::make_unique<LibraryBrowser>(library_);
        QSignalSpy ready(browser_.get(), &LibraryBrowser::sidebarReady);
        sidebar_ = std::make_unique<LibrarySidebar>(browser_.get());
        sidebar_->resize(280, 560);
        QVERIFY(ready.wait(kWaitMs));
    }

    void cleanupTestCase()
    {
        sidebar_.reset();
        browser_.reset();
    }

    void foldersListTheRootWithItsCount()
    {
        // The copies' subfolder is below the root: one folder, every photo.
        const CollectionRequest folder{Kind::Folder, root_};
        QVERIFY2(sidebar_->indexFor(folder).isValid(), qPrintable(root_));
        QCOMPARE(text(folder, LibrarySidebar::CountRole), QString::number(kScenes + 2));
        QCOMPARE(browser_->contents().folders.size(), size_t(1));
        const SearchResults photos = open(folder);
        QCOMPARE(int(photos.hits.size()), kScenes + 2);
        QVERIFY(photos.description.contains(QStringLiteral("photos")));
    }

    void tagAlbumsAreTheCliAlbums()
    {
        const Catalog catalog(library_);
        const std::vector<TagAlbum> expected = tagAlbums(catalog, libraryModelId(catalog));
        QCOMPARE(browser_->contents().tagAlbums.size(), expected.size());
        for (const TagAlbum& t : expected) {
            QVERIFY(t.count >= kMinTagAlbumPhotos);
            QCOMPARE(text({Kind::Tag, t.name}, LibrarySidebar::CountRole), QString::number(t.count));
        }
        const CollectionRequest sunset{Kind::Tag, QStringLiteral("sunset")};
        QVERIFY(sidebar_->indexFor(sunset).isValid());
        const QStringList order = orderOf(open(sunset));
        const QStringList confirmed = scenes_.mid(0, kMinTagAlbumPhotos);
        QVERIFY2(order.size() >= confirmed.size(), qPrintable(order.join(' ')));
        QCOMPARE(std::set<QString>(order.begin(), order.begin() + confirmed.size()),
                 std::set<QString>(confirmed.begin(), confirmed.end())); // confirmed first
    }

    void manualAlbumIsMadeEditedAndDeleted()
    {
        QSignalSpy status(browser_.get(), &LibraryBrowser::statusMessage);
        QSignalSpy errors(browser_.get(), &LibraryBrowser::errorOccurred);
        const CollectionRequest trip{Kind::Album, QStringLiteral("Trip")};
        browser_->createAlbum(QStringLiteral("Trip"), AlbumKind::Manual);
        browser_->addToAlbum(QStringLiteral("Trip"), {scenes_[3], scenes_[5]});
        QVERIFY(edited(status, errors, 2));
        QTRY_COMPARE_WITH_TIMEOUT(text(trip, LibrarySidebar::CountRole), QStringLiteral("2"), kWaitMs);
        QCOMPARE(sidebar_->indexFor(trip).data(LibrarySidebar::AlbumKindRole).toInt(), int(AlbumKind::Manual));
        const SearchResults two = open(trip);
        QCOMPARE(pathsOf(two), (std::set<QString>{scenes_[3], scenes_[5]}));
        QVERIFY2(two.description.contains(QStringLiteral("Trip")), qPrintable(two.description));

        // The shown album is read again after the edit: the grid follows.
        QSignalSpy reloaded(browser_.get(), &LibraryBrowser::collectionReady);
        browser_->removeFromAlbum(QStringLiteral("Trip"), {scenes_[3]});
        QVERIFY(edited(status, errors, 3));
        QTRY_COMPARE_WITH_TIMEOUT(text(trip, LibrarySidebar::CountRole), QStringLiteral("1"), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!reloaded.isEmpty(), kWaitMs);
        QCOMPARE(pathsOf(reloaded.last().first().value<SearchResults>()), std::set<QString>{scenes_[5]});

        const CollectionRequest holiday{Kind::Album, QStringLiteral("Holiday")};
        browser_->renameAlbum(QStringLiteral("Trip"), QStringLiteral("Holiday"));
        QVERIFY(edited(status, errors, 4));
        QTRY_VERIFY_WITH_TIMEOUT(sidebar_->indexFor(holiday).isValid(), kWaitMs);
        QVERIFY(!sidebar_->indexFor(trip).isValid());
        QCOMPARE(browser_->shownCollection(), holiday); // still shown, under its new name
        QCOMPARE(sidebar_->view()->currentIndex(), sidebar_->indexFor(holiday));

        browser_->deleteAlbum(QStringLiteral("Holiday"));
        QVERIFY(edited(status, errors, 5));
        QTRY_VERIFY_WITH_TIMEOUT(!sidebar_->indexFor(holiday).isValid(), kWaitMs);
        QVERIFY(status.last().first().toString().contains(QStringLiteral("stay")));
        QVERIFY(QFileInfo::exists(scenes_[3]) && QFileInfo::exists(scenes_[5]));
        const Catalog catalog(library_);
        QVERIFY(catalog.photoByPath(scenes_[5]).has_value());
    }

    void editErrorsAreOneSentence()
    {
        QSignalSpy errors(browser_.get(), &LibraryBrowser::errorOccurred);
        browser_->addToAlbum(QStringLiteral("Nowhere"), {temp_.filePath(QStringLiteral("not-a-photo.jpg"))});
        QVERIFY(errors.wait(kWaitMs));
        const QString sentence = errors.first().first().toString();
        QVERIFY2(sentence.endsWith(QLatin1Char('.')) && sentence.contains(QStringLiteral("not-a-photo")),
                 qPrintable(sentence));
        QVERIFY(!sidebar_->indexFor({Kind::Album, QStringLiteral("Nowhere")}).isValid()
                || text({Kind::Album, QStringLiteral("Nowhere")}, LibrarySidebar::CountRole) == QStringLiteral("0"));
    }

    void fewShotAlbumRanksMarkedPhotos()
    {
        QSignalSpy status(browser_.get(), &LibraryBrowser::statusMessage);
        QSignalSpy errors(browser_.get(), &LibraryBrowser::errorOccurred);
        const QString name = QStringLiteral("Evenings");
        const QStringList in{scenes_[1], scenes_[2], scenes_[4], scenes_[6]};
        const QStringList out{scenes_[7], scenes_[8]};
        browser_->markForAlbum(name, in, true, false);
        browser_->markForAlbum(name, out, false, false);
        browser_->trainAlbum(name);
        QVERIFY(edited(status, errors, 3));
        QVERIFY2(status.last().first().toString().contains(QStringLiteral("4 photos marked in")),
                 qPrintable(status.last().first().toString()));
        const CollectionRequest album{Kind::Album, name};
        QTRY_VERIFY_WITH_TIMEOUT(sidebar_->indexFor(album).isValid(), kWaitMs);
        QCOMPARE(sidebar_->indexFor(album).data(LibrarySidebar::AlbumKindRole).toInt(), int(AlbumKind::FewShot));
        QVERIFY(text(album, LibrarySidebar::CountRole).startsWith(QStringLiteral("few-shot")));

        const SearchResults r = open(album);
        const QStringList order = orderOf(r);
        QVERIFY2(order.size() >= in.size(), qPrintable(order.join(' ')));
        // Every photo marked in comes before every photo marked out (which
        // are left out of the album altogether).
        QCOMPARE(std::set<QString>(order.begin(), order.begin() + in.size()), std::set<QString>(in.begin(), in.end()));
        for (const QString& p : out)
            QVERIFY2(!order.contains(p) || order.indexOf(p) >= in.size(), qPrintable(p));
        QVERIFY(r.description.contains(name));
        for (const SearchHit& h : r.hits)
            QVERIFY(h.score <= 1.0f && h.score >= 0.0f);
    }

    void copiesAreOneDuplicateGroup()
    {
        QCOMPARE(browser_->contents().duplicateGroups.size(), size_t(1));
        const QModelIndex all = sidebar_->indexFor({Kind::AllDuplicates, {}});
        QVERIFY(all.isValid());
        QCOMPARE(all.data().toString(), QStringLiteral("1 group"));
        const DuplicateGroupEntry group = browser_->contents().duplicateGroups.front();
        QCOMPARE(group.size, 3);
        const SearchResults r = open({Kind::DuplicateGroup, group.firstPath});
        QCOMPARE(pathsOf(r), std::set<QString>(copies_.begin(), copies_.end()));
        QCOMPARE(pathsOf(open({Kind::AllDuplicates, {}})), std::set<QString>(copies_.begin(), copies_.end()));
    }

    void gridMenuAddsAndDeleteKeyRemoves()
    {
        QSignalSpy status(browser_.get(), &LibraryBrowser::statusMessage);
        QSignalSpy errors(browser_.get(), &LibraryBrowser::errorOccurred);
        browser_->createAlbum(QStringLiteral("Picks & Keeps"), AlbumKind::Manual);
        QVERIFY(edited(status, errors));
        const CollectionRequest picks{Kind::Album, QStringLiteral("Picks & Keeps")};
        QTRY_VERIFY_WITH_TIMEOUT(sidebar_->indexFor(picks).isValid(), kWaitMs);

        AlbumActions actions(browser_.get(), sidebar_.get());
        const QStringList chosen{scenes_[9], scenes_[10]};
        std::unique_ptr<QMenu> menu(actions.menuFor(chosen, {}));
        QVERIFY(!menu->findChild<QAction*>(QStringLiteral("removeFromShownAlbum"))); // search results: no album
        auto* add = menu->findChild<QMenu*>(QStringLiteral("addToAlbumMenu"));
        QVERIFY(add);
        QAction* target = nullptr;
        for (QAction* a : add->actions())
            target = a->text() == QStringLiteral("Picks && Keeps") ? a : target;
        QVERIFY(target);
        auto* markIn = menu->findChild<QMenu*>(QStringLiteral("markInMenu"));
        QVERIFY(markIn);
        const QList<QAction*> fewShot = markIn->actions();
        QVERIFY(std::any_of(fewShot.begin(), fewShot.end(),
                            [](QAction* a) { return a->text() == QStringLiteral("Evenings"); }));
        target->trigger();
        QVERIFY(edited(status, errors, 2));
        QTRY_COMPARE_WITH_TIMEOUT(text(picks, LibrarySidebar::CountRole), QStringLiteral("2"), kWaitMs);

        QCOMPARE(pathsOf(open(picks)), std::set<QString>(chosen.begin(), chosen.end()));
        std::unique_ptr<QMenu> inAlbum(actions.menuFor({scenes_[9]}, browser_->shownCollection()));
        QVERIFY(inAlbum->findChild<QAction*>(QStringLiteral("removeFromShownAlbum")));
        QVERIFY(actions.removeSelectionFromShownAlbum({scenes_[9]}));
        QVERIFY(edited(status, errors, 3));
        QTRY_COMPARE_WITH_TIMEOUT(text(picks, LibrarySidebar::CountRole), QStringLiteral("1"), kWaitMs);
        QVERIFY(QFileInfo::exists(scenes_[9]));

        sidebar_->clearChoice(); // the grid shows a search: Delete removes nothing
        QVERIFY(!actions.removeSelectionFromShownAlbum({scenes_[10]}));
    }

    void contextMenuOffersAlbumEdits()
    {
        const QModelIndex album = sidebar_->indexFor({Kind::Album, QStringLiteral("Evenings")});
        QVERIFY(album.isValid());
        std::unique_ptr<QMenu> menu(sidebar_->contextMenuFor(album));
        QStringList texts;
        for (QAction* a : menu->actions())
            texts << a->text();
        QVERIFY2(texts.contains(QStringLiteral("Rename…")) && texts.contains(QStringLiteral("Delete…"))
                     && texts.contains(QStringLiteral("New Album…")),
                 qPrintable(texts.join('|')));
        std::unique_ptr<QMenu> folderMenu(sidebar_->contextMenuFor(sidebar_->indexFor({Kind::Folder, root_})));
        QVERIFY(!folderMenu->actions().contains(nullptr));
        for (QAction* a : folderMenu->actions())
            QVERIFY(a->text() != QStringLiteral("Delete…"));
    }

    void keyboardChoosesEntries()
    {
        QSignalSpy requested(sidebar_.get(), &LibrarySidebar::collectionRequested);
        QSignalSpy ready(browser_.get(), &LibraryBrowser::collectionReady);
        sidebar_->clearChoice();
        sidebar_->view()->setCurrentIndex(sidebar_->indexFor({Kind::Folder, root_}));
        QCOMPARE(requested.count(), 1);
        // Down passes the "Albums" title (not an entry) and reaches the tag album.
        QTest::keyClick(sidebar_->view(), Qt::Key_Down);
        QTest::keyClick(sidebar_->view(), Qt::Key_Down);
        QCOMPARE(requested.count(), 2);
        QCOMPARE(requested.last().first().value<CollectionRequest>(),
                 (CollectionRequest{Kind::Tag, QStringLiteral("sunset")}));
        // Only the latest choice is answered.
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), kWaitMs);
        QTest::qWait(0);
        QCOMPARE(ready.count(), 1);
        QVERIFY(ready.last().first().value<SearchResults>().description.contains(QStringLiteral("sunset")));
    }

    void rendersInLightAndDark()
    {
        sidebar_->view()->expandAll();
        sidebar_->select({Kind::Album, QStringLiteral("Evenings")});
        const QString light = QDir::temp().filePath(QStringLiteral("photosearch-sidebar.png"));
        QVERIFY(sidebar_->grab().save(light));
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
        dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
        sidebar_->setPalette(dark);
        const QString darkPath = QDir::temp().filePath(QStringLiteral("photosearch-sidebar-dark.png"));
        QVERIFY(sidebar_->grab().save(darkPath));
        qInfo("sidebar renderings: %s %s", qPrintable(light), qPrintable(darkPath));
    }
};

QTEST_MAIN(TestSidebar)
#include "test_sidebar.moc"
