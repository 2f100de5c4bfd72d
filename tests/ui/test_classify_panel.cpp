// The Classify panel (ui/classify) and drag and drop: images of known
// colours (tests/support/ShapesWorld.h) dropped on the panel are classified
// with the shapes CLIP (which knows colours), an unreadable file gets its
// own row, editing the labels re-runs, "Put into Albums by Label" files
// library photos into manual albums; the grid drags out file URLs and
// localImagePaths keeps local image files only.

// LibTorch before Qt (Qt's keywords break LibTorch headers).
#include "ClipEncoderCache.h"

#include "AlbumLibrary.h"
#include "Catalog.h"
#include "ClassifyPanel.h"
#include "ClassifyService.h"
#include "ClassifyTableModel.h"
#include "ImageDrops.h"
#include "Indexer.h"
#include "LibraryModel.h"
#include "ModelIdentity.h"
#include "ResultsModel.h"
#include "ResultsView.h"
#include "ShapesWorld.h"
#include "SqliteConnection.h"
#include "TestImages.h"

#include <QDir>
#include <QDragEnterEvent>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <cmath>
#include <memory>
#include <set>

using namespace photosearch;
namespace sh = photosearch::shapes;

namespace {

constexpr int kWaitMs = 120000; // a loaded CI machine; the model itself takes well under a second

QString canonical(const QString& path)
{
    return QFileInfo(path).canonicalFilePath();
}

// Drags `paths` as file URLs onto `target` and drops them, as a file manager
// does; returns whether the drop was accepted.
bool dropFiles(QWidget* target, const QStringList& paths)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString& p : paths)
        urls << QUrl::fromLocalFile(p);
    mime.setUrls(urls);
    const QPoint pos = target->rect().center();
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    if (!enter.isAccepted())
        return false;
    QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &drop);
    return drop.isAccepted();
}

} // namespace

class TestClassifyPanel : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString modelDir_;
    QString modelId_;
    std::shared_ptr<ClipEncoderCache> encoders_;
    std::map<QString, QString> colourOf_; // path → colour name
    QString photosDir_, outsideDir_, libraryDir_, broken_;

    QString photo(const QString& dir, const QString& colour) const
    {
        return QDir(dir).filePath(colour + QStringLiteral(".jpg"));
    }

    // A panel on its own service, labelled and classified with `paths`.
    struct Fixture {
        std::unique_ptr<ClassifyService> service;
        std::unique_ptr<ClassifyPanel> panel;
    };
    Fixture classified(const QString& libraryDir, const QStringList& paths, const QString& labels)
    {
        Fixture f;
        f.service = std::make_unique<ClassifyService>(libraryDir, encoders_);
        f.panel = std::make_unique<ClassifyPanel>(f.service.get());
        f.panel->resize(900, 480);
        f.panel->setModelDir(modelDir_);
        f.panel->setLabelsText(labels);
        QSignalSpy done(f.panel.get(), &ClassifyPanel::classificationFinished);
        if (!dropFiles(f.panel.get(), paths))
            qWarning("the panel refused the drop");
        else if (!done.wait(kWaitMs))
            qWarning("no classification finished");
        return f;
    }

    // Every answered row: best label is the picture's colour and the
    // probabilities sum to 1.
    void checkAnswers(const ClassifyTableModel& model, const QStringList& labels)
    {
        for (int row = 0; row < model.rowCount(); ++row) {
            const auto& r = model.result(row);
            QVERIFY2(r, qPrintable(model.paths()[row] + QStringLiteral(" has no answer")));
            if (!r->ok())
                continue;
            QCOMPARE(r->labels, labels);
            QCOMPARE(r->probs.size(), labels.size());
            double sum = 0;
            for (double p : r->probs)
                sum += p;
            QVERIFY2(std::abs(sum - 1.0) < 1e-4, qPrintable(QString::number(sum)));
            const QString truth = colourOf_.at(r->path);
            if (labels.contains(truth))
                QCOMPARE(r->label, truth);
        }
    }

private Q_SLOTS:
    void initTestCase();
    void dropClassifiesByColour();
    void unreadableFileGetsItsOwnRow();
    void editingLabelsReruns();
    void putIntoAlbumsByLabel();
    void cancelLeavesRowsPending();
    void noModelSaysSo();
    void gridDragsFileUrls();
    void localImagePathsKeepsLocalImages();
};

void TestClassifyPanel::initTestCase()
{
    modelDir_ = qEnvironmentVariable("PHOTOSEARCH_SHAPES_CLIP_DIR", QStringLiteral(PHOTOSEARCH_SHAPES_CLIP_DIR));
    if (!QFileInfo::exists(modelDir_ + QStringLiteral("/model.safetensors")))
        QFAIL("the shapes_clip fixture did not produce a model");
    modelId_ = modelIdForDirectory(modelDir_);
    encoders_ = std::make_shared<ClipEncoderCache>(clip::DevicePreference::Cpu);

    photosDir_ = temp_.filePath(QStringLiteral("photos"));
    outsideDir_ = temp_.filePath(QStringLiteral("outside"));
    libraryDir_ = temp_.filePath(QStringLiteral("library"));
    QVERIFY(QDir().mkpath(photosDir_) && QDir().mkpath(outsideDir_));
    // The first scenes of each colour, then a second red one outside the library.
    std::map<sh::Colour, int> written;
    for (const sh::Scene& scene : sh::scenes(20240611, 400)) {
        const int n = written[scene.colour];
        if (n >= 2 || (scene.colour != sh::Colour::Red && n >= 1))
            continue;
        const QString name = sh::colourName(scene.colour);
        const QString path = photo(n == 0 ? photosDir_ : outsideDir_, name);
        QVERIFY(sh::writeSceneJpeg(scene, path));
        colourOf_[path] = name;
        ++written[scene.colour];
    }
    QCOMPARE(int(written.size()), int(sh::allColours().size()));
    broken_ = QDir(outsideDir_).filePath(QStringLiteral("broken.jpg"));
    QFile f(broken_);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is not a JPEG, only its name says so");
    f.close();

    // The library holds photos/ only, indexed with the same model.
    const std::shared_ptr<const ClipEncoder> encoder = encoders_->acquire(modelDir_, modelId_);
    Indexer indexer(libraryDir_, encoder->model(), encoder->preprocessor(), modelId_);
    IndexOptions options;
    options.roots = {photosDir_};
    QCOMPARE(indexer.run(options).added, qint64(sh::allColours().size()));
}

void TestClassifyPanel::dropClassifiesByColour()
{
    const QStringList paths{photo(photosDir_, QStringLiteral("red")), photo(photosDir_, QStringLiteral("green")),
                            photo(photosDir_, QStringLiteral("blue"))};
    Fixture f = classified(temp_.filePath(QStringLiteral("no-library")), paths, QStringLiteral("red, green, blue"));
    const ClassifyTableModel& model = *f.panel->tableModel();
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.paths(), paths);
    QCOMPARE(model.columnCount(), ClassifyTableModel::FirstLabelColumn + 3);
    checkAnswers(model, {QStringLiteral("red"), QStringLiteral("green"), QStringLiteral("blue")});
    for (int row = 0; row < 3; ++row) {
        // The table shows the best label, bold, and its percentage bold.
        const QString best = model.result(row)->label;
        QCOMPARE(model.index(row, ClassifyTableModel::BestColumn).data().toString(), best);
        QVERIFY(model.index(row, ClassifyTableModel::BestColumn).data(Qt::FontRole).value<QFont>().bold());
        const int bestColumn = ClassifyTableModel::FirstLabelColumn + int(model.labels().indexOf(best));
        QVERIFY(model.index(row, bestColumn).data().toString().endsWith(QStringLiteral("%")));
        QVERIFY(model.index(row, bestColumn).data(Qt::FontRole).value<QFont>().bold());
    }
    QCOMPARE(f.panel->statusText(), QStringLiteral("3 images classified."));
    QVERIFY(f.panel->findChild<QTableView*>(QStringLiteral("classifyTable")));
    QVERIFY(f.panel->findChild<QPushButton*>(QStringLiteral("putIntoAlbums"))->isEnabled());
}

void TestClassifyPanel::unreadableFileGetsItsOwnRow()
{
    const QStringList paths{photo(photosDir_, QStringLiteral("blue")), broken_,
                            photo(photosDir_, QStringLiteral("yellow"))};
    Fixture f = classified(temp_.filePath(QStringLiteral("no-library")), paths,
                           QStringLiteral("blue, yellow, purple"));
    const ClassifyTableModel& model = *f.panel->tableModel();
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(model.result(1));
    QVERIFY(!model.result(1)->ok());
    QVERIFY2(model.result(1)->error.contains(QStringLiteral("broken.jpg")), qPrintable(model.result(1)->error));
    QVERIFY(model.result(1)->label.isEmpty());
    QCOMPARE(model.index(1, ClassifyTableModel::BestColumn).data(Qt::ToolTipRole).toString(), model.result(1)->error);
    QVERIFY(model.result(0)->ok() && model.result(2)->ok());
    colourOf_[broken_] = QString();
    checkAnswers(model, {QStringLiteral("blue"), QStringLiteral("yellow"), QStringLiteral("purple")});
    // The status line tells which file failed in one sentence.
    QCOMPARE(f.panel->statusText(), QStringLiteral("2 images classified. ") + model.result(1)->error);
    f.panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(f.panel.get()));
    QTRY_VERIFY(model.index(0, 0).data(Qt::DecorationRole).value<QPixmap>().width() > 0);
    QVERIFY(f.panel->grab().save(QStringLiteral("/tmp/classify_panel_error.png")));
}

void TestClassifyPanel::editingLabelsReruns()
{
    const QStringList paths{photo(photosDir_, QStringLiteral("red")), photo(photosDir_, QStringLiteral("green")),
                            photo(photosDir_, QStringLiteral("orange"))};
    Fixture f = classified(temp_.filePath(QStringLiteral("no-library")), paths, QStringLiteral("red, green, blue"));
    const ClassifyTableModel& model = *f.panel->tableModel();
    checkAnswers(model, {QStringLiteral("red"), QStringLiteral("green"), QStringLiteral("blue")});

    // Typed as a person types (the debounce, not setLabelsText).
    auto* field = f.panel->findChild<QLineEdit*>(QStringLiteral("classifyLabels"));
    QVERIFY(field);
    QSignalSpy done(f.panel.get(), &ClassifyPanel::classificationFinished);
    field->clear();
    QTest::keyClicks(field, QStringLiteral("orange, green , red, orange"));
    QVERIFY(done.wait(kWaitMs));
    const QStringList labels{QStringLiteral("orange"), QStringLiteral("green"), QStringLiteral("red")};
    QCOMPARE(model.labels(), labels);
    QCOMPARE(model.columnCount(), ClassifyTableModel::FirstLabelColumn + 3);
    QCOMPARE(model.headerData(ClassifyTableModel::FirstLabelColumn, Qt::Horizontal, Qt::DisplayRole).toString(),
             QStringLiteral("orange"));
    checkAnswers(model, labels);
    QCOMPARE(model.result(2)->label, QStringLiteral("orange")); // had no right label before
    QCOMPARE(done.count(), 1); // one run for the whole typing

    // Rendered for a person to look at (the report names the file).
    const QString png = QStringLiteral("/tmp/classify_panel.png");
    f.panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(f.panel.get()));
    QTRY_VERIFY(model.index(0, 0).data(Qt::DecorationRole).value<QPixmap>().width() > 0);
    QVERIFY(f.panel->grab().save(png));
}

void TestClassifyPanel::putIntoAlbumsByLabel()
{
    const QStringList paths{photo(photosDir_, QStringLiteral("red")), photo(photosDir_, QStringLiteral("green")),
                            photo(photosDir_, QStringLiteral("blue")), photo(outsideDir_, QStringLiteral("red")),
                            photo(photosDir_, QStringLiteral("white"))};
    Fixture f = classified(libraryDir_, paths, QStringLiteral("red, green, blue, white"));
    checkAnswers(*f.panel->tableModel(),
                 {QStringLiteral("red"), QStringLiteral("green"), QStringLiteral("blue"), QStringLiteral("white")});
    f.panel->findChild<QSpinBox*>(QStringLiteral("classifyThreshold"))->setValue(0);
    QSignalSpy filed(f.panel.get(), &ClassifyPanel::albumsFiled);
    f.panel->findChild<QPushButton*>(QStringLiteral("putIntoAlbums"))->click();
    QVERIFY(filed.wait(kWaitMs));
    const QString message = filed.at(0).at(1).toString();
    QVERIFY2(message.contains(QStringLiteral("1 image is not in the library; add its folder first.")),
             qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("Added 4 images")), qPrintable(message));

    Catalog catalog(libraryDir_);
    AlbumLibrary albums(catalog, libraryModelId(catalog));
    for (const QString& colour : {QStringLiteral("red"), QStringLiteral("green"), QStringLiteral("blue"),
                                  QStringLiteral("white")}) {
        const AlbumSummary s = albums.summary(colour);
        QCOMPARE(s.kind, AlbumKind::Manual);
        const std::vector<AlbumPhoto> in = albums.show(colour);
        QCOMPARE(int(in.size()), 1); // the red one outside the library is not there
        QCOMPARE(canonical(in[0].path), canonical(photo(photosDir_, colour)));
    }
    // The label embeddings went into the library's catalog (the CLI's store).
    Statement s = catalog.connection().statement("SELECT count(*) FROM label_embeddings WHERE model_id = ?1");
    s.bind(1, modelId_);
    QVERIFY(s.next());
    QVERIFY(s.int64(0) >= 4);

    // A threshold nothing reaches files nothing and says why.
    f.panel->findChild<QSpinBox*>(QStringLiteral("classifyThreshold"))->setValue(100);
    f.panel->findChild<QPushButton*>(QStringLiteral("putIntoAlbums"))->click();
    QVERIFY2(f.panel->statusText().contains(QStringLiteral("below the 100 % threshold")),
             qPrintable(f.panel->statusText()));
}

void TestClassifyPanel::cancelLeavesRowsPending()
{
    ClassifyService service(temp_.filePath(QStringLiteral("no-library")), encoders_);
    ClassifyPanel panel(&service);
    panel.setModelDir(modelDir_);
    panel.setLabelsText(QStringLiteral("red, blue"));
    QSignalSpy added(&panel, &ClassifyPanel::imagesAdded);
    const QStringList paths{photo(photosDir_, QStringLiteral("red")), photo(photosDir_, QStringLiteral("blue")),
                            photo(photosDir_, QStringLiteral("green"))};
    QVERIFY(dropFiles(&panel, paths));
    QVERIFY(added.wait(kWaitMs));
    QVERIFY(panel.isBusy()); // the run starts as the images arrive
    panel.findChild<QPushButton*>(QStringLiteral("classifyCancel"))->click();
    QVERIFY(!panel.isBusy());
    QVERIFY2(panel.statusText().startsWith(QStringLiteral("Cancelled after 0 of 3 images")),
             qPrintable(panel.statusText()));
    // The worker answers in order: once a later request is done, whatever the
    // cancelled one still sent has arrived, and the panel took none of it.
    QSignalSpy finished(&service, &ClassifyService::finished);
    const int later = service.classify({paths[0]}, {QStringLiteral("red")}, modelDir_);
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() && finished.last().at(0).toInt() == later, kWaitMs);
    QCOMPARE(panel.tableModel()->pendingPaths(), paths);

    // Going on: new labels classify every row.
    QSignalSpy done(&panel, &ClassifyPanel::classificationFinished);
    panel.setLabelsText(QStringLiteral("red, blue, green"));
    QVERIFY(done.wait(kWaitMs));
    QVERIFY(panel.tableModel()->pendingPaths().isEmpty());
    checkAnswers(*panel.tableModel(), {QStringLiteral("red"), QStringLiteral("blue"), QStringLiteral("green")});
}

void TestClassifyPanel::noModelSaysSo()
{
    ClassifyService service(libraryDir_, encoders_);
    ClassifyPanel panel(&service);
    auto* notice = panel.findChild<QLabel*>(QStringLiteral("classifyNoModel"));
    QVERIFY(notice);
    QVERIFY(!notice->isHidden());
    QVERIFY(notice->text().contains(QStringLiteral("No CLIP model")));
    panel.setModelDir(modelDir_);
    QVERIFY(notice->isHidden());
}

void TestClassifyPanel::gridDragsFileUrls()
{
    ResultsModel model;
    ResultsView view;
    view.setResultsModel(&model);
    std::vector<SearchHit> hits;
    for (const QString& colour : {QStringLiteral("red"), QStringLiteral("green"), QStringLiteral("blue")})
        hits.push_back(SearchHit{0, photo(photosDir_, colour), 0.5f, {}});
    model.setHits(hits);
    QVERIFY(view.dragEnabled());
    QCOMPARE(view.selectionMode(), QAbstractItemView::ExtendedSelection);
    QVERIFY(model.flags(model.index(0)) & Qt::ItemIsDragEnabled);
    view.selectionModel()->select(model.index(0), QItemSelectionModel::Select);
    view.selectionModel()->select(model.index(2), QItemSelectionModel::Select);
    std::unique_ptr<QMimeData> mime(model.mimeData(view.selectionModel()->selectedIndexes()));
    QVERIFY(mime);
    QVERIFY(mime->hasUrls());
    QCOMPARE(mime->urls(), (QList<QUrl>{QUrl::fromLocalFile(hits[0].path), QUrl::fromLocalFile(hits[2].path)}));
    QVERIFY(mime->urls()[0].isLocalFile());
    QCOMPARE(mime->text(), hits[0].path + QLatin1Char('\n') + hits[2].path);
    QVERIFY(model.mimeTypes().contains(QStringLiteral("text/uri-list")));
    // What a drop target of the app itself reads back.
    QCOMPARE(localImagePaths(mime.get()), (QStringList{hits[0].path, hits[2].path}));
}

void TestClassifyPanel::localImagePathsKeepsLocalImages()
{
    const QString notes = QDir(outsideDir_).filePath(QStringLiteral("notes.txt"));
    QFile f(notes);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("not an image");
    f.close();
    const QString red = photo(photosDir_, QStringLiteral("red"));
    QMimeData mime;
    mime.setUrls({QUrl(QStringLiteral("https://example.com/cat.jpg")), QUrl::fromLocalFile(notes),
                  QUrl::fromLocalFile(red), QUrl::fromLocalFile(outsideDir_)});
    QCOMPARE(localImagePaths(&mime), QStringList{red});
    QVERIFY(hasLocalImages(&mime));
    // Expanded, the folder brings its images (sorted), not notes.txt, and the
    // unreadable broken.jpg stays (it gets an error row where dropped).
    const QStringList expanded = localImagePaths(&mime, DroppedFolders::Expand);
    QCOMPARE(expanded, (QStringList{red, broken_, photo(outsideDir_, QStringLiteral("red"))}));

    QMimeData none;
    none.setUrls({QUrl(QStringLiteral("https://example.com/cat.jpg")), QUrl::fromLocalFile(notes)});
    none.setText(red); // a path as text is not a file drop
    QVERIFY(!hasLocalImages(&none));
    QVERIFY(localImagePaths(&none).isEmpty());
    QMimeData folderOnly;
    folderOnly.setUrls({QUrl::fromLocalFile(outsideDir_)});
    QVERIFY(!hasLocalImages(&folderOnly));
    QVERIFY(hasLocalImages(&folderOnly, DroppedFolders::Expand));
    // An image without an extension counts when expanded (by content).
    const QString bare = temp_.filePath(QStringLiteral("IMG_0001"));
    QVERIFY(QFile::copy(red, bare));
    const ImageExpansion e = expandImagePaths({bare, notes});
    QCOMPARE(e.images, QStringList{bare});
    QCOMPARE(e.notImages, 1);
    const ImageExpansion capped = expandImagePaths({outsideDir_}, 1);
    QCOMPARE(capped.images.size(), 1);
    QCOMPARE(capped.leftOut, 1);
}

QTEST_MAIN(TestClassifyPanel)
#include "test_classify_panel.moc"
