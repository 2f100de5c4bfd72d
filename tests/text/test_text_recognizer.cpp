// TextRecognizer on photos rendered here: a distinctive word is read from a
// receipt, a sign, a screenshot and a page, at an angle, blurred and through
// JPEG; bad input never throws; a missing language pack is one sentence.
#include "TextPhotos.h"
#include "TextPhotoReader.h"
#include "TextRecognizer.h"

#include <QPainter>
#include <QTemporaryDir>
#include <QTest>

using namespace photosearch;
using namespace photosearch::testimages;

namespace {

bool hasWord(const RecognizedText& text, const QString& word)
{
    for (const auto& w : text.words)
        if (w.first.compare(word, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

} // namespace

class TestTextRecognizer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsDistinctiveWords_data();
    void readsDistinctiveWords();
    void plainPhotoGivesLittleText();
    void hugeImageIsDownscaledAndRead();
    void badImagesReturnAnError();
    void missingLanguageIsOneSentence();
    void installedLanguagesListsEnglish();
    void languagesAreNormalized();
    void cancelCheckStopsARead();
    void textOnATransparentPngIsRead();
};

void TestTextRecognizer::readsDistinctiveWords_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("angle");
    QTest::addColumn<double>("blur");
    QTest::addColumn<int>("quality");
    QTest::addColumn<QString>("word");
    QTest::newRow("receipt straight") << int(TextKind::Receipt) << 0.0 << 0.0 << 0 << QStringLiteral("Quokka");
    QTest::newRow("receipt tilted, blurred, jpeg") << int(TextKind::Receipt) << 3.0 << 1.5 << 60
                                                   << QStringLiteral("Marmalade");
    QTest::newRow("sign tilted, jpeg") << int(TextKind::Sign) << -4.0 << 1.0 << 55 << QStringLiteral("LISBOA");
    QTest::newRow("screenshot jpeg") << int(TextKind::Screenshot) << 0.0 << 0.0 << 70 << QStringLiteral("Xylophone");
    QTest::newRow("page tilted, blurred") << int(TextKind::Page) << 2.0 << 1.0 << 75 << QStringLiteral("Heliotrope");
}

void TestTextRecognizer::readsDistinctiveWords()
{
    QFETCH(int, kind);
    QFETCH(double, angle);
    QFETCH(double, blur);
    QFETCH(int, quality);
    QFETCH(QString, word);
    TextPhotoSpec spec;
    spec.kind = TextKind(kind);
    spec.lines = spec.kind == TextKind::Receipt ? receiptLines(QStringLiteral("CORNER SHOP"), word, 11)
        : spec.kind == TextKind::Sign           ? QStringList{word, QStringLiteral("Centro")}
                                                : QStringList{QStringLiteral("The quick brown fox"), word,
                                                              QStringLiteral("jumps over the lazy dog")};
    spec.size = spec.kind == TextKind::Screenshot ? QSize(1280, 800) : QSize(1600, 1200);
    spec.angleDegrees = angle;
    spec.blurRadius = blur;
    spec.jpegQuality = quality;
    TextRecognizer ocr;
    const RecognizedText text = ocr.recognize(renderTextPhoto(spec));
    QVERIFY2(text.ok(), qPrintable(text.error));
    QVERIFY2(hasWord(text, word), qPrintable(QStringLiteral("read: ") + text.text));
    QVERIFY(text.text.contains(word, Qt::CaseInsensitive));
    QVERIFY(text.text.contains(QLatin1Char('\n'))); // lines kept
    for (const auto& w : text.words)
        QVERIFY(w.second >= TextRecognizer::kMinWordConfidence && w.second <= 100.0f);
    QVERIFY(text.confidence >= TextRecognizer::kMinWordConfidence);
}

void TestTextRecognizer::plainPhotoGivesLittleText()
{
    TextRecognizer ocr;
    const RecognizedText text = ocr.recognize(renderPlainPhoto(QSize(1200, 900), 4, false));
    QVERIFY(text.ok());
    QVERIFY2(text.words.size() <= 2, qPrintable(text.text)); // a stray shape may read as a letter
}

void TestTextRecognizer::hugeImageIsDownscaledAndRead()
{
    TextPhotoSpec spec;
    spec.kind = TextKind::Sign;
    spec.lines = {QStringLiteral("PORTOBELLO")};
    spec.size = QSize(6000, 4000); // 24 MP: capped at kMaxLongSide before OCR
    TextRecognizer ocr;
    const RecognizedText text = ocr.recognize(renderTextPhoto(spec));
    QVERIFY2(hasWord(text, QStringLiteral("PORTOBELLO")), qPrintable(text.text));
}

void TestTextRecognizer::badImagesReturnAnError()
{
    TextRecognizer ocr;
    QVERIFY(!ocr.recognize(QImage()).ok());
    QVERIFY(!ocr.recognize(QImage(3, 3, QImage::Format_RGB888)).ok());
    QImage flat(400, 300, QImage::Format_RGB888);
    flat.fill(Qt::white);
    const RecognizedText blank = ocr.recognize(flat);
    QVERIFY(blank.ok());
    QVERIFY(blank.words.empty());
    QVERIFY(blank.text.isEmpty());
    QImage alpha(200, 100, QImage::Format_ARGB32); // any format is converted
    alpha.fill(Qt::transparent);
    QVERIFY(ocr.recognize(alpha).ok());
}

void TestTextRecognizer::missingLanguageIsOneSentence()
{
    try {
        TextRecognizer ocr(QStringLiteral("eng+qqq"));
        QFAIL("a missing pack was accepted");
    } catch (const OcrError& e) {
        const QString message = QString::fromUtf8(e.what());
        QVERIFY(message.contains(QStringLiteral("\"qqq\"")));
        QVERIFY(message.contains(QStringLiteral("apt install tesseract-ocr-qqq")));
        QVERIFY(!message.contains(QLatin1Char('\n')));
    }
    QTemporaryDir empty;
    QVERIFY_THROWS_EXCEPTION(OcrError, TextRecognizer(QStringLiteral("eng"), empty.path()));
}

void TestTextRecognizer::installedLanguagesListsEnglish()
{
    const QStringList languages = TextRecognizer::installedLanguages();
    QVERIFY(languages.contains(QStringLiteral("eng")));
    QVERIFY(!languages.contains(QStringLiteral("osd")));
    QTemporaryDir empty;
    QVERIFY(TextRecognizer::installedLanguages(empty.path()).isEmpty());
}

void TestTextRecognizer::cancelCheckStopsARead()
{
    TextPhotoSpec spec;
    spec.kind = TextKind::Screenshot;
    spec.lines = {QStringLiteral("Network settings"), QStringLiteral("Xylophone"), QStringLiteral("Password")};
    spec.size = QSize(1280, 800);
    const QImage image = renderTextPhoto(spec);
    TextRecognizer ocr;
    int asked = 0;
    ocr.setCancelCheck([&asked] {
        ++asked;
        return true;
    });
    const RecognizedText stopped = ocr.recognize(image);
    QVERIFY(stopped.cancelled);
    QVERIFY(!stopped.ok());
    QVERIFY(stopped.words.empty()); // never a part of the text taken for all of it
    QVERIFY(stopped.text.isEmpty());
    QVERIFY2(asked >= 2, "Tesseract never asked the cancel check while reading");
    // The same recognizer reads again once the check says go on.
    ocr.setCancelCheck([] { return false; });
    const RecognizedText read = ocr.recognize(image);
    QVERIFY(!read.cancelled);
    QVERIFY2(hasWord(read, QStringLiteral("Xylophone")), qPrintable(read.text));
}

void TestTextRecognizer::languagesAreNormalized()
{
    QCOMPARE(TextRecognizer::normalizedLanguages(QString()), QStringLiteral("eng"));
    QCOMPARE(TextRecognizer::normalizedLanguages(QStringLiteral(" + ")), QStringLiteral("eng"));
    QCOMPARE(TextRecognizer::normalizedLanguages(QStringLiteral(" eng+")), QStringLiteral("eng"));
    QCOMPARE(TextRecognizer::normalizedLanguages(QStringLiteral("eng ++ deu")), QStringLiteral("eng+deu"));
    QCOMPARE(TextRecognizer(QStringLiteral("eng+")).languages(), QStringLiteral("eng"));
}

// Exported graphics and stickers are often black text on a transparent
// background, whose hidden colour is black: decoded as CLIP does (PIL's
// convert("RGB")) it is black on black. The text pass lays it over white.
void TestTextRecognizer::textOnATransparentPngIsRead()
{
    QImage image(1200, 400, QImage::Format_ARGB32);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(96);
    font.setBold(true);
    painter.setFont(font);
    painter.setPen(Qt::black);
    painter.drawText(image.rect(), Qt::AlignCenter, QStringLiteral("PELICAN"));
    painter.end();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sticker.png"));
    QVERIFY(image.save(path, "PNG"));
    TextPhotoReader reader(QStringLiteral("eng"), [](TextRecognizer& r, const QImage& i, const QString&) {
        return r.recognize(i);
    });
    const PhotoText text = reader.read(1, path, true);
    QCOMPARE(text.status, PhotoTextStatus::Read);
    QVERIFY2(text.text.contains(QStringLiteral("PELICAN"), Qt::CaseInsensitive), qPrintable(text.text));
}

QTEST_MAIN(TestTextRecognizer)
#include "test_text_recognizer.moc"
