// OCR cost and the text pass's selection, on photos rendered here
// (tests/text/TextPhotos.h): seconds per photo at 12 MP and for a
// screenshot, and on a mixed synthetic library how many photos the
// selection (index/text/TextSelection.h) skips and which text photos it
// misses. Run on purpose: bench_ocr [text-photos] [plain-photos]
#include "TextPhotos.h"
#include "TextRecognizer.h"
#include "TextSelection.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QGuiApplication>

#include <cstdio>

using namespace photosearch;
using namespace photosearch::testimages;

namespace {

bool found(const RecognizedText& text, const QString& word)
{
    for (const auto& w : text.words)
        if (w.first.contains(word, Qt::CaseInsensitive))
            return true;
    return false;
}

void timeOne(TextRecognizer& ocr, const char* name, const QImage& image, const QString& word, int repeats)
{
    ocr.recognize(image); // warm-up (model pages, caches)
    QElapsedTimer t;
    t.start();
    RecognizedText r;
    for (int i = 0; i < repeats; ++i)
        r = ocr.recognize(image);
    const double s = double(t.elapsed()) / 1000.0 / repeats;
    std::printf("%-28s %5dx%-5d %.2f s/photo  words=%zu  '%s' %s\n", name, image.width(), image.height(), s,
                r.words.size(), qPrintable(word), found(r, word) ? "found" : "MISSED");
}

// Letters only: a digit in the word would make O/0 confusions count as misses.
QString distinctiveWord(int i)
{
    static const char* const stems[] = {"Zephyr", "Quokka", "Marmot", "Walrus", "Bisque", "Tundra"};
    static const char* const ends[] = {"", "ine", "ado", "ville"};
    return QString::fromLatin1(stems[i % 6]) + QString::fromLatin1(ends[(i / 6) % 4]);
}

TextPhotoSpec mixedSpec(int i)
{
    const TextKind kinds[] = {TextKind::Receipt, TextKind::Sign, TextKind::Screenshot, TextKind::Page};
    TextPhotoSpec s;
    s.kind = kinds[i % 4];
    const QString word = distinctiveWord(i);
    s.lines = s.kind == TextKind::Receipt ? receiptLines(QStringLiteral("HARDWARE DEPOT"), word, quint32(i))
        : s.kind == TextKind::Sign         ? QStringList{word, QStringLiteral("Street")}
                                           : QStringList{QStringLiteral("Password for the guest network"), word,
                                                         QStringLiteral("Valid until Friday")};
    s.size = s.kind == TextKind::Screenshot ? QSize(1280, 800) : QSize(1600, 1200);
    s.angleDegrees = (i % 7) - 3;
    s.blurRadius = (i % 3) * 0.8;
    s.jpegQuality = 60 + (i % 4) * 10;
    s.seed = quint32(100 + i);
    return s;
}

} // namespace

int main(int argc, char** argv)
{
    QGuiApplication app(argc, argv); // fonts for QPainter text
    const int textPhotos = argc > 1 ? std::atoi(argv[1]) : 24;
    const int plainPhotos = argc > 2 ? std::atoi(argv[2]) : 48;
    // A third argument "selection": the mixed library's signal only, no OCR.
    const bool selectionOnly = argc > 3 && QByteArray(argv[3]) == "selection";
    TextRecognizer ocr;

    TextPhotoSpec receipt{TextKind::Receipt, receiptLines(QStringLiteral("HARDWARE DEPOT"),
                                                         QStringLiteral("Quokka"), 7),
                          QSize(4032, 3024), 2, 1.5, 85, 3};
    if (!selectionOnly) {
    timeOne(ocr, "receipt 12 MP (capped)", renderTextPhoto(receipt), QStringLiteral("Quokka"), 3);
    receipt.size = QSize(2400, 1800);
    timeOne(ocr, "receipt 4.3 MP", renderTextPhoto(receipt), QStringLiteral("Quokka"), 3);
    receipt.size = QSize(1600, 1200);
    timeOne(ocr, "receipt 1.9 MP", renderTextPhoto(receipt), QStringLiteral("Quokka"), 3);
    TextPhotoSpec screen{TextKind::Screenshot, {QStringLiteral("Network name: Quokka"),
                                                QStringLiteral("Password: hunter2")},
                         QSize(1920, 1080), 0, 0, 0, 1};
    timeOne(ocr, "screenshot 1920x1080", renderTextPhoto(screen), QStringLiteral("Quokka"), 3);
    timeOne(ocr, "plain photo 12 MP", renderPlainPhoto(QSize(4032, 3024), 5, false), QStringLiteral("-"), 2);
    }

    // The selection on a mixed library.
    QElapsedTimer signalTime;
    qint64 signalMs = 0;
    int textSkipped = 0, textMissedByOcr = 0, plainSkipped = 0;
    QStringList missed;
    for (int i = 0; i < textPhotos; ++i) {
        const TextPhotoSpec s = mixedSpec(i);
        const QImage image = renderTextPhoto(s);
        signalTime.start();
        const float p = textLikelihood(image);
        signalMs += signalTime.elapsed();
        const bool ocrFinds = selectionOnly || found(ocr.recognize(image), distinctiveWord(i));
        textMissedByOcr += !ocrFinds;
        if (p < kTextLikelihoodThreshold) {
            ++textSkipped;
            missed << QStringLiteral("#%1 kind %2 p=%3 ocr %4").arg(i).arg(int(s.kind)).arg(p, 0, 'f', 2).arg(ocrFinds ? "would find it" : "would miss it too");
        }
        std::printf("text  #%-3d kind %d angle %+.0f blur %.1f q%d  p=%.2f  ocr %s\n", i, int(s.kind), s.angleDegrees,
                    s.blurRadius, s.jpegQuality, p, ocrFinds ? "found" : "missed");
    }
    for (int i = 0; i < plainPhotos; ++i) {
        const QImage image = renderPlainPhoto(QSize(1600, 1200), quint32(500 + i), i % 2 == 1);
        signalTime.start();
        const float p = textLikelihood(image);
        signalMs += signalTime.elapsed();
        plainSkipped += p < kTextLikelihoodThreshold;
        std::printf("plain #%-3d %s p=%.2f\n", i, i % 2 ? "texture" : "scene  ", p);
    }
    std::printf("\nselection (threshold %.2f): skipped %d of %d plain photos, %d of %d text photos; "
                "signal %.1f ms/photo (1600x1200 in memory)\n",
                kTextLikelihoodThreshold, plainSkipped, plainPhotos, textSkipped, textPhotos,
                double(signalMs) / (textPhotos + plainPhotos));
    std::printf("OCR alone misses the distinctive word in %d of %d text photos\n", textMissedByOcr, textPhotos);
    for (const QString& m : missed)
        std::printf("  skipped text photo: %s\n", qPrintable(m));
    return 0;
}
