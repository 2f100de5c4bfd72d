// Text in photos in the window, against tiny real libraries indexed with a
// random tiny CLIP: images with large printed words (drawn here) and plain
// pictures. The text pass is the real one (Tesseract, index/text/TextPass);
// only the pane's states that the pass cannot be made to produce on demand
// (failed, stale) are stored directly through PhotoTextStore.

// LibTorch before Qt (Qt's keywords break LibTorch headers).
#include "ClipEncoder.h"

#include "AppSettings.h"
#include "Catalog.h"
#include "Indexer.h"
#include "LibraryController.h"
#include "MainWindow.h"
#include "ModelIdentity.h"
#include "PhotoDetailPane.h"
#include "PhotoTextStore.h"
#include "PhotoTextView.h"
#include "SettingsDialog.h"
#include "TestImages.h"
#include "TextController.h"
#include "TextLanguageList.h"
#include "TextProgressBar.h"
#include "TinyModel.h"

#include <QAction>
#include <QClipboard>
#include <QDir>
#include <QGuiApplication>
#include <QCheckBox>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace photosearch;
namespace ti = photosearch::testimages;

namespace {

constexpr int kPassMs = 240'000; // a real OCR pass on a loaded CI machine

// Black words on white, large: what Tesseract reads without doubt.
QImage printedPage(const QStringList& lines)
{
    QImage image(1100, 160 + 110 * int(lines.size()), QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(64);
    font.setBold(true);
    painter.setFont(font);
    painter.setPen(Qt::black);
    for (int i = 0; i < lines.size(); ++i)
        painter.drawText(70, 130 + 110 * i, lines[i]);
    return image;
}

// Indexes `photos` into `library` with the tiny model (recorded as the library's).
bool indexInto(const QString& library, const QString& photos, const QString& model)
{
    const ClipEncoder encoder(model, clip::chooseCompute(clip::DevicePreference::Cpu));
    Indexer indexer(library, encoder.model(), encoder.preprocessor(), modelIdForDirectory(model));
    IndexOptions options;
    options.roots = {photos};
    options.workers = 1;
    options.modelDir = model;
    const IndexSummary s = indexer.run(options);
    return s.failed == 0 && s.added > 0;
}

// Starts a pass and waits for its end; the summary, or nullopt when it failed.
std::optional<TextPassSummary> runPass(TextController& text, bool pauseFirst = false, bool cancelFirst = false)
{
    QSignalSpy finished(&text, &TextController::finished);
    QSignalSpy failed(&text, &TextController::failed);
    if (!text.start())
        return std::nullopt;
    if (pauseFirst)
        text.pause();
    if (cancelFirst)
        text.cancel();
    else if (pauseFirst)
        text.resume();
    if (!QTest::qWaitFor([&] { return finished.count() + failed.count() > 0; }, kPassMs))
        return std::nullopt;
    if (!failed.isEmpty()) {
        qWarning("the pass failed: %s", qPrintable(failed.first().first().toString()));
        return std::nullopt;
    }
    return finished.first().first().value<TextPassSummary>();
}

} // namespace

class TestTextWindow : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString model_;
    QString library_;  // note.png (printed words), pic.jpg, shot.jpg
    QString note_, pic_, shot_;
    QString library2_; // five printed pages, for pause / cancel / resume

    QString path(const QString& name) const { return temp_.filePath(name); }

    qint64 idOf(const QString& library, const QString& photo)
    {
        const Catalog catalog(library);
        return catalog.photoByPath(photo)->id;
    }

    void put(const QString& photo, const PhotoText& text, const QString& hash = {})
    {
        Catalog catalog(library_);
        const PhotoRecord r = *catalog.photoByPath(photo);
        PhotoTextStore(catalog).put(r.id, hash.isEmpty() ? r.contentHash : hash, text);
    }

    // Shows `photo` in `pane` and waits for its facts.
    static void showPhoto(PhotoDetailPane& pane, const QString& photo)
    {
        QSignalSpy details(&pane, &PhotoDetailPane::detailsShown);
        if (pane.photo() == photo)
            pane.reload();
        else
            pane.setPhoto(photo);
        QVERIFY(details.wait(10000));
    }

    static QPlainTextEdit* box(PhotoDetailPane& pane)
    {
        return pane.findChild<QPlainTextEdit*>(QStringLiteral("writtenText"));
    }
    static QLabel* stateLine(PhotoDetailPane& pane)
    {
        return pane.findChild<QLabel*>(QStringLiteral("writtenTextState"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(temp_.isValid());
        qunsetenv("PHOTOSEARCH_MODEL");
        qunsetenv("PHOTOSEARCH_READ_ONLY");
        const QString config = path(QStringLiteral("config"));
        QVERIFY(QDir().mkpath(config));
        qputenv("XDG_CONFIG_HOME", config.toUtf8());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, config);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, config);

        model_ = path(QStringLiteral("model"));
        QString error;
        QVERIFY2(testmodel::writeTinyClipModel(model_, &error), qPrintable(error));

        const QString photos = path(QStringLiteral("photos"));
        QVERIFY(QDir().mkpath(photos));
        note_ = photos + QStringLiteral("/note.png");
        pic_ = photos + QStringLiteral("/pic.jpg");
        shot_ = photos + QStringLiteral("/shot.jpg");
        QVERIFY(printedPage({QStringLiteral("HARDWARE STORE"), QStringLiteral("TOTAL 42.50")}).save(note_));
        QVERIFY(ti::makePicture(640, 480, 1).save(pic_, "JPEG", 90));
        QVERIFY(ti::makePicture(500, 400, 2).save(shot_, "JPEG", 90));
        library_ = path(QStringLiteral("library"));
        QVERIFY(indexInto(library_, photos, model_));

        const QString pages = path(QStringLiteral("pages"));
        QVERIFY(QDir().mkpath(pages));
        for (int i = 0; i < 5; ++i)
            QVERIFY(printedPage({QStringLiteral("INVOICE %1").arg(1001 + i)})
                        .save(QStringLiteral("%1/page%2.png").arg(pages).arg(i)));
        library2_ = path(QStringLiteral("library2"));
        QVERIFY(indexInto(library2_, pages, model_));
    }

    void paneSaysTextNotReadYet()
    {
        PhotoDetailPane pane(library_);
        pane.resize(420, 900);
        pane.show();
        showPhoto(pane, shot_);
        QVERIFY(!box(pane)->isVisible());
        QVERIFY(stateLine(pane)->isVisible());
        QCOMPARE(stateLine(pane)->text(), QStringLiteral("Text not read yet."));
        QVERIFY(!stateLine(pane)->isEnabled()); // greyed
    }

    void paneShowsTextSelectableAndCopyable()
    {
        PhotoText text;
        text.text = QStringLiteral("Rua Augusta 24\nLisboa");
        text.words = {{QStringLiteral("Rua"), 91.f}, {QStringLiteral("Augusta"), 93.f},
                      {QStringLiteral("24"), 88.f}, {QStringLiteral("Lisboa"), 90.f}};
        text.confidence = 90.5f;
        text.languages = QStringLiteral("eng");
        put(shot_, text);

        PhotoDetailPane pane(library_);
        pane.resize(420, 900);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        showPhoto(pane, shot_);
        QPlainTextEdit* edit = box(pane);
        QVERIFY(edit->isVisible());
        QVERIFY(!stateLine(pane)->isVisible());
        QCOMPARE(edit->toPlainText(), text.text);
        QVERIFY(edit->isReadOnly());
        QVERIFY(edit->textInteractionFlags() & Qt::TextSelectableByMouse);
        QVERIFY(edit->textInteractionFlags() & Qt::TextSelectableByKeyboard);

        // The Copy button copies the whole text.
        QGuiApplication::clipboard()->clear();
        auto* copy = pane.findChild<QToolButton*>(QStringLiteral("copyWrittenText"));
        QVERIFY(copy && copy->isVisible());
        QTest::mouseClick(copy, Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), text.text);

        // So do the keyboard's select-all and copy; and typing changes nothing.
        QGuiApplication::clipboard()->clear();
        edit->setFocus();
        QTest::keySequence(edit, QKeySequence::SelectAll);
        QTest::keySequence(edit, QKeySequence::Copy);
        QCOMPARE(QGuiApplication::clipboard()->text(), text.text);
        QTest::keyClicks(edit, QStringLiteral("xyz"));
        QCOMPARE(edit->toPlainText(), text.text);
    }

    void paneSaysWhyThereIsNoText()
    {
        PhotoDetailPane pane(library_);
        pane.resize(420, 900);
        pane.show();
        PhotoText none;
        none.languages = QStringLiteral("eng");
        put(shot_, none);
        showPhoto(pane, shot_);
        QVERIFY(!box(pane)->isVisible());
        QCOMPARE(stateLine(pane)->text(), QStringLiteral("No text found."));

        PhotoText skipped;
        skipped.status = PhotoTextStatus::Skipped;
        put(shot_, skipped);
        showPhoto(pane, shot_);
        PhotoWrittenText skippedInfo;
        skippedInfo.state = PhotoWrittenText::State::Skipped;
        QCOMPARE(stateLine(pane)->text(), PhotoTextView::stateSentence(skippedInfo));
        QVERIFY(stateLine(pane)->text().startsWith(QStringLiteral("Not read")));

        PhotoText failed;
        failed.status = PhotoTextStatus::Failed;
        failed.error = QStringLiteral("the decoder gave up");
        put(shot_, failed);
        showPhoto(pane, shot_);
        QCOMPARE(stateLine(pane)->text(), QStringLiteral("The text in this photo could not be read."));
        QCOMPARE(stateLine(pane)->toolTip(), failed.error);

        // A row made for other content (the photo changed since) is not shown.
        PhotoText stale;
        stale.text = QStringLiteral("OLD WORDS");
        stale.words = {{QStringLiteral("OLD"), 90.f}, {QStringLiteral("WORDS"), 90.f}};
        put(shot_, stale, QStringLiteral("0123456789abcdef"));
        showPhoto(pane, shot_);
        QVERIFY(!box(pane)->isVisible());
        QCOMPARE(stateLine(pane)->text(), QStringLiteral("Text not read yet."));
    }

    void controllerReadsTheTextAndIsIncremental()
    {
        TextController text(library_);
        TextPassOptions options;
        options.all = true; // the selection is the pass's business, not this suite's
        text.setOptions(options);
        const std::optional<TextPassSummary> first = runPass(text);
        QVERIFY(first);
        QVERIFY(!first->cancelled);
        QVERIFY2(first->examined >= 3, qPrintable(QString::number(first->examined)));
        QCOMPARE(first->read + first->failed + first->skipped, first->examined);
        QVERIFY(first->withText >= 1);
        QVERIFY(!text.isRunning());

        const Catalog catalog(library_);
        const std::optional<PhotoText> stored = PhotoTextStore(catalog).text(idOf(library_, note_));
        QVERIFY(stored && stored->status == PhotoTextStatus::Read);
        QVERIFY2(stored->text.contains(QStringLiteral("HARDWARE"), Qt::CaseInsensitive), qPrintable(stored->text));

        // Nothing left to read: the second pass looks at nothing.
        QSignalSpy sentences(&text, &TextController::finished);
        const std::optional<TextPassSummary> second = runPass(text);
        QVERIFY(second);
        QCOMPARE(second->examined, qint64(0));
        QCOMPARE(sentences.first().at(1).toString(), QStringLiteral("Text in photos: every photo is up to date."));

        // And the pane shows what was read.
        PhotoDetailPane pane(library_);
        pane.resize(420, 900);
        pane.show();
        showPhoto(pane, note_);
        QVERIFY(box(pane)->isVisible());
        QVERIFY(box(pane)->toPlainText().contains(QStringLiteral("HARDWARE"), Qt::CaseInsensitive));
    }

    void pauseCancelAndResume()
    {
        TextController text(library2_);
        TextPassOptions options;
        options.all = true;
        options.threads = 1;
        text.setOptions(options);

        // Paused before its first photo, then cancelled: cancel wakes it, nothing more is read.
        QSignalSpy paused(&text, &TextController::pausedChanged);
        const std::optional<TextPassSummary> cancelled = runPass(text, true, true);
        QVERIFY(cancelled);
        QVERIFY(cancelled->cancelled);
        QCOMPARE(paused.count(), 1);
        QCOMPARE(paused.first().first().toBool(), true);
        qint64 unread = 0;
        {
            const Catalog catalog(library2_);
            unread = PhotoTextStore(catalog).counts().unread;
        }
        QVERIFY2(unread > 0, "a pass cancelled while paused read every photo");

        // Paused and resumed: it reads the rest; what was read stays.
        const std::optional<TextPassSummary> rest = runPass(text, true, false);
        QVERIFY(rest);
        QVERIFY(!rest->cancelled);
        QCOMPARE(rest->examined, unread);
        const Catalog catalog(library2_);
        const PhotoTextCounts counts = PhotoTextStore(catalog).counts();
        QCOMPARE(counts.unread, qint64(0));
        QCOMPARE(counts.read, qint64(5));
        QCOMPARE(counts.withText, qint64(5));
    }

    void startWhileRunningRunsOnceMore()
    {
        // A second start() during a pass (an index run added photos) is one
        // more pass afterwards, not a second concurrent one.
        TextController text(library2_);
        QSignalSpy started(&text, &TextController::started);
        QSignalSpy finished(&text, &TextController::finished);
        QVERIFY(text.start());
        QVERIFY(!text.start());
        QVERIFY(QTest::qWaitFor([&] { return finished.count() == 2; }, kPassMs));
        QCOMPARE(started.count(), 2);
        QVERIFY(!text.isRunning());
    }

    void readOnlyLibraryRefuses()
    {
        qputenv("PHOTOSEARCH_READ_ONLY", "1");
        TextController text(library2_);
        QSignalSpy refused(&text, &TextController::refused);
        QSignalSpy started(&text, &TextController::started);
        const bool ran = text.start();
        qunsetenv("PHOTOSEARCH_READ_ONLY");
        QVERIFY(!ran);
        QCOMPARE(refused.count(), 1);
        QVERIFY(refused.first().first().toString().contains(QStringLiteral("read-only")));
        QCOMPARE(started.count(), 0);
        QVERIFY(!text.isRunning());
    }

    void windowReadsAfterIndexAndFromItsMenu()
    {
        // Settings say: every photo (a plain picture is read too).
        AppSettings settings = AppSettings::load();
        settings.readTextInEveryPhoto = true;
        settings.save();
        const QString photos = path(QStringLiteral("window-photos"));
        QVERIFY(QDir().mkpath(photos));
        const QString receipt = photos + QStringLiteral("/receipt.png");
        QVERIFY(printedPage({QStringLiteral("PAPERCLIP 3.99")}).save(receipt));
        QVERIFY(ti::makePicture(400, 300, 9).save(photos + QStringLiteral("/cat.jpg"), "JPEG", 90));

        MainWindow w(path(QStringLiteral("window-library")));
        w.resize(1200, 760);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCOMPARE(w.textController()->options().all, true);
        QSignalSpy modelChanged(w.controller(), &LibraryController::modelChanged);
        QVERIFY(w.chooseModel(model_));
        QVERIFY(!modelChanged.isEmpty() || modelChanged.wait(60000));

        auto* progress = w.findChild<TextProgressBar*>(QStringLiteral("textProgress"));
        QVERIFY(progress && !progress->isVisible());
        bool progressShown = false;
        connect(w.textController(), &TextController::started, &w, [&] { progressShown = progress->isVisible(); });
        QSignalSpy indexed(w.controller(), &LibraryController::indexingFinished);
        QSignalSpy finished(w.textController(), &TextController::finished);
        w.addFolder(photos);
        QVERIFY(QTest::qWaitFor([&] { return !finished.isEmpty(); }, kPassMs));
        QCOMPARE(indexed.count(), 1);
        QVERIFY(progressShown);
        QVERIFY(!progress->isVisible());
        const TextPassSummary summary = finished.first().first().value<TextPassSummary>();
        QCOMPARE(summary.examined, qint64(2)); // both photos: "every photo"
        QCOMPARE(summary.skipped, qint64(0));
        {
            const Catalog catalog(path(QStringLiteral("window-library")));
            const auto record = catalog.photoByPath(receipt);
            QVERIFY(record);
            const std::optional<PhotoText> stored = PhotoTextStore(catalog).text(record->id);
            QVERIFY(stored && stored->text.contains(QStringLiteral("PAPERCLIP"), Qt::CaseInsensitive));
        }

        // File ▸ Read Text in Photos, with its shortcut: nothing new to read.
        auto* action = w.findChild<QAction*>(QStringLiteral("readTextAction"));
        QVERIFY(action && action->isEnabled());
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
        action->trigger();
        QVERIFY(QTest::qWaitFor([&] { return finished.count() == 2; }, kPassMs));
        QCOMPARE(finished.last().first().value<TextPassSummary>().examined, qint64(0));

        settings.readTextInEveryPhoto = false;
        settings.save();
    }

    void settingsKeepTheTextOptions()
    {
        QSettings().remove(QStringLiteral("text"));
        const AppSettings defaults = AppSettings::load();
        QCOMPARE(defaults.textLanguages, QStringLiteral("eng"));
        QCOMPARE(defaults.readTextInEveryPhoto, false);

        SettingsDialog dialog(library_, model_);
        auto* languages = dialog.findChild<TextLanguageList*>(QStringLiteral("textLanguages"));
        auto* every = dialog.findChild<QCheckBox*>(QStringLiteral("readTextInEveryPhoto"));
        QVERIFY(languages && every);
        QVERIFY(!every->isChecked());
        QList<QListWidgetItem*> eng;
        for (int i = 0; i < languages->count(); ++i) {
            if (languages->item(i)->data(Qt::UserRole).toString() == QStringLiteral("eng"))
                eng << languages->item(i);
        }
        QCOMPARE(eng.size(), 1); // tesseract-ocr-eng is installed (packaging/deps.sh)
        QCOMPARE(eng.first()->checkState(), Qt::Checked);
        QCOMPARE(eng.first()->text(), QStringLiteral("English (eng)"));
        // The last checked pack cannot be unchecked: text needs a language.
        eng.first()->setCheckState(Qt::Unchecked);
        QCOMPARE(eng.first()->checkState(), Qt::Checked);
        QCOMPARE(languages->languages(), QStringLiteral("eng"));

        every->setChecked(true);
        QSignalSpy changed(&dialog, &SettingsDialog::settingsChanged);
        static_cast<QDialog&>(dialog).accept(); // OK (SettingsDialog::accept is private)
        QCOMPARE(changed.count(), 1);
        const AppSettings saved = AppSettings::load();
        QCOMPARE(saved.readTextInEveryPhoto, true);
        QCOMPARE(saved.textLanguages, QStringLiteral("eng"));

        // A hand-edited value that is no language list falls back to English.
        QSettings().setValue(QStringLiteral("text/languages"), QStringLiteral("eng; rm -rf"));
        QCOMPARE(AppSettings::load().textLanguages, QStringLiteral("eng"));
        QSettings().remove(QStringLiteral("text"));
    }
};

QTEST_MAIN(TestTextWindow)
#include "test_text_window.moc"
