// TextPass and the `ocr`/`text` commands on a small library of photos
// rendered here: text photos are read and found by a distinctive word, plain
// photos are skipped by the selection (read with `all`), a second run reads
// nothing, a changed photo is read again, a moved one keeps its text, a
// Tesseract failure on one photo is recorded and the run goes on, cancel
// stops between photos and the next run finishes the rest.
#include "Catalog.h"
#include "CatalogBackup.h"
#include "CliRun.h"
#include "IndexControl.h"
#include "PhotoTextStore.h"
#include "TextPass.h"
#include "TextPhotos.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace photosearch;
using namespace photosearch::testimages;

namespace {

struct Library {
    QTemporaryDir photos;
    QTemporaryDir library;
    std::vector<qint64> textIds;  // receipt (Quokka), sign (LISBOA), screenshot (Xylophone)
    std::vector<qint64> plainIds; // a scene, a texture
};

const QStringList kWords{QStringLiteral("Quokka"), QStringLiteral("LISBOA"), QStringLiteral("Xylophone")};

qint64 addFile(Catalog& catalog, const QString& path, const QImage& image, const QString& hash)
{
    if (!image.save(path, "JPEG", 85))
        return 0;
    PhotoRecord r;
    r.path = path;
    r.contentHash = hash;
    r.size = QFileInfo(path).size();
    r.format = QStringLiteral("jpeg");
    r.width = image.width();
    r.height = image.height();
    return catalog.insertPhoto(r);
}

TextPhotoSpec textSpec(int i)
{
    TextPhotoSpec s;
    s.kind = i == 0 ? TextKind::Receipt : i == 1 ? TextKind::Sign : TextKind::Screenshot;
    s.lines = i == 0 ? receiptLines(QStringLiteral("HARDWARE DEPOT"), kWords[0], 3)
        : i == 1     ? QStringList{kWords[1], QStringLiteral("Centro")}
                     : QStringList{QStringLiteral("Network settings"), kWords[2], QStringLiteral("Password")};
    s.size = i == 2 ? QSize(1280, 800) : QSize(1600, 1200);
    s.angleDegrees = i == 0 ? 2 : i == 1 ? -3 : 0;
    s.blurRadius = i == 0 ? 1.0 : 0;
    s.seed = quint32(20 + i);
    return s;
}

void makeLibrary(Library* lib)
{
    Catalog catalog(lib->library.path());
    for (int i = 0; i < 3; ++i)
        lib->textIds.push_back(addFile(catalog, lib->photos.filePath(QStringLiteral("text%1.jpg").arg(i)),
                                       renderTextPhoto(textSpec(i)), QStringLiteral("t%1").arg(i)));
    for (int i = 0; i < 2; ++i)
        lib->plainIds.push_back(addFile(catalog, lib->photos.filePath(QStringLiteral("plain%1.jpg").arg(i)),
                                        renderPlainPhoto(QSize(1600, 1200), quint32(40 + i), i == 1),
                                        QStringLiteral("p%1").arg(i)));
}

TextPassOptions oneThread()
{
    TextPassOptions o;
    o.threads = 1; // two cores shared with other suites
    return o;
}

qint64 firstMatch(const QString& libraryDir, const QString& word)
{
    Catalog catalog(libraryDir, Catalog::Access::ReadOnly);
    const auto m = PhotoTextStore(catalog).match({word}, false, 5);
    return m.empty() ? -1 : m.front().photoId;
}

} // namespace

class TestTextPass : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void readsTextPhotosAndSkipsPlainOnes();
    void secondRunReadsNothing();
    void changedPhotoIsReadAgainMovedOneKeepsText();
    void allReadsSkippedPhotos();
    void failureOnOnePhotoIsRecorded();
    void cancelStopsAndNextRunFinishes();
    void cancelDuringAReadIsNoFailure();
    void cliOcrAndText();
    void cliOcrUsesTheLibrarysLanguages();
    void cliOcrRefusesReadOnlyLibrary();

private:
    Library lib_;
    TextPassSummary first_;
};

void TestTextPass::initTestCase()
{
    makeLibrary(&lib_);
    for (qint64 id : lib_.textIds)
        QVERIFY(id > 0);
    first_ = TextPass(lib_.library.path()).run(oneThread(), nullptr, {});
}

void TestTextPass::readsTextPhotosAndSkipsPlainOnes()
{
    QCOMPARE(first_.examined, qint64(5));
    // The selection reads every text photo and skips the plain scene; the
    // fine texture may pass it (bench_ocr measures how often).
    QCOMPARE(first_.read + first_.skipped, qint64(5));
    QVERIFY(first_.read >= 3);
    QCOMPARE(first_.failed, qint64(0));
    QVERIFY(first_.withText >= 3);
    {
        Catalog catalog(lib_.library.path(), Catalog::Access::ReadOnly);
        QCOMPARE(PhotoTextStore(catalog).text(lib_.plainIds[0])->status, PhotoTextStatus::Skipped);
    }
    QVERIFY(!first_.cancelled);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(firstMatch(lib_.library.path(), kWords[i].toLower()), lib_.textIds[size_t(i)]);
}

void TestTextPass::secondRunReadsNothing()
{
    const TextPassSummary again = TextPass(lib_.library.path()).run(oneThread(), nullptr, {});
    QCOMPARE(again.examined, qint64(0));
    QCOMPARE(again.read, qint64(0));
    // The same languages written otherwise ("", "eng+", " eng ") are the same
    // languages: nothing is read again.
    for (const char* languages : {"", "eng+", " eng "}) {
        TextPassOptions o = oneThread();
        o.languages = QString::fromLatin1(languages);
        QCOMPARE(TextPass(lib_.library.path()).run(o, nullptr, {}).examined, qint64(0));
    }
}

void TestTextPass::changedPhotoIsReadAgainMovedOneKeepsText()
{
    {
        Catalog catalog(lib_.library.path());
        // The receipt is moved (same content, new path) ...
        PhotoRecord moved = *catalog.photo(lib_.textIds[0]);
        const QString newPath = lib_.photos.filePath(QStringLiteral("moved-receipt.jpg"));
        QVERIFY(QFile::rename(moved.path, newPath));
        moved.path = newPath;
        catalog.updatePhoto(moved);
        // ... and the sign is edited: it now says something else.
        PhotoRecord edited = *catalog.photo(lib_.textIds[1]);
        TextPhotoSpec spec = textSpec(1);
        spec.lines = {QStringLiteral("PORTOBELLO")};
        QVERIFY(renderTextPhoto(spec).save(edited.path, "JPEG", 85));
        edited.contentHash = QStringLiteral("t1-edited");
        catalog.updatePhoto(edited);
    }
    const TextPassSummary s = TextPass(lib_.library.path()).run(oneThread(), nullptr, {});
    QCOMPARE(s.examined, qint64(1)); // only the edited one
    QCOMPARE(s.read, qint64(1));
    QCOMPARE(firstMatch(lib_.library.path(), QStringLiteral("quokka")), lib_.textIds[0]);
    QCOMPARE(firstMatch(lib_.library.path(), QStringLiteral("portobello")), lib_.textIds[1]);
    QCOMPARE(firstMatch(lib_.library.path(), QStringLiteral("lisboa")), qint64(-1));
}

void TestTextPass::allReadsSkippedPhotos()
{
    TextPassOptions o = oneThread();
    o.all = true;
    const TextPassSummary s = TextPass(lib_.library.path()).run(o, nullptr, {});
    QCOMPARE(s.examined, first_.skipped); // the skipped plain photos, read now
    QCOMPARE(s.skipped, qint64(0));
    Catalog catalog(lib_.library.path(), Catalog::Access::ReadOnly);
    const PhotoTextCounts c = PhotoTextStore(catalog).counts();
    QCOMPARE(c.skipped, qint64(0));
    QCOMPARE(c.read, qint64(5));
    QCOMPARE(TextPass(lib_.library.path()).run(o, nullptr, {}).examined, qint64(0)); // `all` is incremental too
}

void TestTextPass::failureOnOnePhotoIsRecorded()
{
    Library lib;
    makeLibrary(&lib);
    TextPass pass(lib.library.path());
    const QString poisoned = QStringLiteral("text1.jpg");
    pass.setRecognizeFunction([&](TextRecognizer& r, const QImage& image, const QString& path) {
        if (path.endsWith(poisoned)) {
            RecognizedText failed;
            failed.error = QStringLiteral("Tesseract failed: simulated");
            return failed;
        }
        return r.recognize(image);
    });
    // A file that no longer decodes (truncated after indexing) fails as well.
    {
        QFile f(lib.photos.filePath(QStringLiteral("text2.jpg")));
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.resize(200));
    }
    const TextPassSummary s = pass.run(oneThread(), nullptr, {});
    QCOMPARE(s.examined, qint64(5));
    QCOMPARE(s.failed, qint64(2));
    QVERIFY(s.read >= 1);
    Catalog catalog(lib.library.path(), Catalog::Access::ReadOnly);
    PhotoTextStore store(catalog);
    QCOMPARE(store.text(lib.textIds[1])->status, PhotoTextStatus::Failed);
    QCOMPARE(store.text(lib.textIds[1])->error, QStringLiteral("Tesseract failed: simulated"));
    QCOMPARE(store.text(lib.textIds[2])->status, PhotoTextStatus::Failed);
    QVERIFY(!store.text(lib.textIds[2])->error.isEmpty());
    QCOMPARE(firstMatch(lib.library.path(), QStringLiteral("quokka")), lib.textIds[0]);
}

void TestTextPass::cancelStopsAndNextRunFinishes()
{
    Library lib;
    makeLibrary(&lib);
    IndexControl control;
    std::vector<TextPassProgress> seen;
    const TextPassSummary s = TextPass(lib.library.path()).run(oneThread(), &control,
                                                              [&](const TextPassProgress& p) {
                                                                  seen.push_back(p);
                                                                  control.cancel();
                                                              });
    QVERIFY(s.cancelled);
    QVERIFY(s.examined >= 1);
    QVERIFY(s.examined < 5);
    QCOMPARE(seen.front().total, qint64(5));
    QVERIFY(!seen.front().currentPath.isEmpty());
    const TextPassSummary rest = TextPass(lib.library.path()).run(oneThread(), nullptr, {});
    QCOMPARE(rest.examined, 5 - s.examined);
    QVERIFY(!rest.cancelled);
}

void TestTextPass::cancelDuringAReadIsNoFailure()
{
    Library lib;
    makeLibrary(&lib);
    IndexControl control;
    TextPass pass(lib.library.path());
    // The cancel comes while Tesseract reads the first photo.
    pass.setRecognizeFunction([&control](TextRecognizer& r, const QImage& image, const QString&) {
        control.cancel();
        return r.recognize(image);
    });
    TextPassOptions all = oneThread();
    all.all = true;
    const TextPassSummary s = pass.run(all, &control, {});
    QVERIFY(s.cancelled);
    QCOMPARE(s.failed, qint64(0)); // the stopped read is not recorded as the photo's failure
    QCOMPARE(s.examined, qint64(0));
    Catalog catalog(lib.library.path(), Catalog::Access::ReadOnly);
    QCOMPARE(PhotoTextStore(catalog).counts().unread, qint64(5)); // the next run reads it
}

void TestTextPass::cliOcrUsesTheLibrarysLanguages()
{
    Library lib;
    makeLibrary(&lib);
    TextPass(lib.library.path()).run(oneThread(), nullptr, {});
    {
        Catalog catalog(lib.library.path(), Catalog::Access::ReadOnly);
        QCOMPARE(catalog.setting(QString::fromLatin1(kTextLanguagesSetting)), QStringLiteral("eng"));
    }
    using photosearch::testcli::runCli;
    // Nothing new: the CLI's default is the library's languages, so nothing is read again.
    const auto again = runCli({QStringLiteral("ocr"), QStringLiteral("--library"), lib.library.path()});
    QVERIFY2(again.exitCode == 0, again.err.constData());
    QCOMPARE(again.lines().front().value(QStringLiteral("examined")).toInt(), 0);
    // A library last read in other languages: `ocr` without --languages uses them.
    Catalog(lib.library.path()).setSetting(QString::fromLatin1(kTextLanguagesSetting), QStringLiteral("qqq"));
    const auto other = runCli({QStringLiteral("ocr"), QStringLiteral("--library"), lib.library.path()});
    QVERIFY2(other.exitCode == 1, other.out.constData());
    QVERIFY2(other.err.contains("tesseract-ocr-qqq"), other.err.constData());
}

void TestTextPass::cliOcrAndText()
{
    Library lib;
    makeLibrary(&lib);
    using photosearch::testcli::runCli;
    const auto ocr = runCli({QStringLiteral("ocr"), QStringLiteral("--library"), lib.library.path()});
    QVERIFY2(ocr.exitCode == 0, ocr.err.constData());
    QCOMPARE(ocr.lines().size(), 1);
    const QJsonObject summary = ocr.lines().front();
    QCOMPARE(summary.value(QStringLiteral("read")).toInt() + summary.value(QStringLiteral("skipped")).toInt(), 5);
    QVERIFY(summary.value(QStringLiteral("skipped")).toInt() >= 1);
    QVERIFY(summary.contains(QStringLiteral("seconds")));
    // The pass's work is in the spare copy that `repair` restores from.
    {
        const QString copy = catalogLastGoodPath(QDir(lib.library.path()).filePath(QStringLiteral("catalog.sqlite")));
        QTemporaryDir restored;
        QVERIFY(QFile::copy(copy, restored.filePath(QStringLiteral("catalog.sqlite"))));
        Catalog spare(restored.path(), Catalog::Access::ReadOnly);
        QVERIFY(PhotoTextStore(spare).counts().withText >= 1);
    }

    const QString receipt = lib.photos.filePath(QStringLiteral("text0.jpg"));
    const QString plain = lib.photos.filePath(QStringLiteral("plain0.jpg"));
    const QString stranger = lib.photos.filePath(QStringLiteral("not-indexed.jpg"));
    const auto text = runCli({QStringLiteral("text"), QStringLiteral("--library"), lib.library.path(), receipt, stranger,
                              plain});
    QCOMPARE(text.exitCode, 1); // one path is not in the library
    const auto lines = text.lines();
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0].value(QStringLiteral("path")).toString(), receipt);
    QVERIFY(lines[0].value(QStringLiteral("text")).toString().contains(kWords[0]));
    QVERIFY(lines[1].contains(QStringLiteral("error")));
    QVERIFY(text.err.contains("not in the library"));
    QCOMPARE(lines[2].value(QStringLiteral("text")).toString(), QString());

    const auto badLanguage = runCli({QStringLiteral("ocr"), QStringLiteral("--library"), lib.library.path(),
                                     QStringLiteral("--all"), QStringLiteral("--languages"), QStringLiteral("qqq")});
    QCOMPARE(badLanguage.exitCode, 1);
    QVERIFY(badLanguage.err.contains("apt install tesseract-ocr-qqq"));
    QCOMPARE(badLanguage.err.count('\n'), 1);
}

void TestTextPass::cliOcrRefusesReadOnlyLibrary()
{
    using photosearch::testcli::Run;
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PHOTOSEARCH_READ_ONLY"), QStringLiteral("1"));
    p.setProcessEnvironment(env);
    const Run ocr = photosearch::testcli::finishCli(p, {QStringLiteral("ocr"), QStringLiteral("--library"),
                                                        lib_.library.path()}, 60000);
    QVERIFY(ocr.exitCode != 0);
    QVERIFY(ocr.out.isEmpty());
    QCOMPARE(ocr.err.count('\n'), 1);
    QProcess q;
    q.setProcessEnvironment(env);
    const Run text = photosearch::testcli::finishCli(q, {QStringLiteral("text"), QStringLiteral("--library"),
                                                         lib_.library.path(),
                                                         lib_.photos.filePath(QStringLiteral("moved-receipt.jpg"))},
                                                     60000);
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.lines().front().value(QStringLiteral("text")).toString().contains(kWords[0]));
}

QTEST_MAIN(TestTextPass)
#include "test_text_pass.moc"
