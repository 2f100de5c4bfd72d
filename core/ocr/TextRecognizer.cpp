#include "TextRecognizer.h"

#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include <QDir>
#include <QFileInfo>

#include <cstdio>
#include <memory>

namespace photosearch {

// bench_ocr (2 cores, Tesseract 5.3): a receipt read in 0.60 s at 1.9 MP,
// 0.71 s at 4.3 MP and 1.0 s from 12 MP capped to this side, finding the
// same words each time; text worth searching stays 20+ px high at 2400 px.
// (The uncapped 12 MP time was not measured.)
const int TextRecognizer::kMaxLongSide = 2400;
// Below this the LSTM's word is usually a texture (foliage, brick, noise read
// as "ii", "==" or "Sf"); real words in the test set read at 80+.
const float TextRecognizer::kMinWordConfidence = 50.0f;

namespace {

QString tessdataOrDefault(const QString& dir)
{
    return dir.isEmpty() ? TextRecognizer::defaultTessdataDir() : dir;
}

// A word worth keeping: some letter or digit, not a lone punctuation run.
bool isWord(const QString& word)
{
    for (const QChar c : word)
        if (c.isLetterOrNumber())
            return true;
    return false;
}

// The image Tesseract reads: 8-bit grey, long side at most kMaxLongSide.
QImage greyForOcr(const QImage& image)
{
    QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
    const int longSide = std::max(grey.width(), grey.height());
    if (longSide > TextRecognizer::kMaxLongSide)
        grey = grey.scaled(grey.size() * (double(TextRecognizer::kMaxLongSide) / longSide), Qt::KeepAspectRatio,
                           Qt::SmoothTransformation);
    return grey;
}

// Walks Tesseract's result word by word; a new text line starts a new line.
void collectWords(tesseract::TessBaseAPI& api, RecognizedText* out)
{
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    if (!it)
        return;
    QString line;
    double confidenceSum = 0;
    const auto endLine = [&] {
        if (!line.isEmpty())
            out->text += (out->text.isEmpty() ? QString() : QStringLiteral("\n")) + line;
        line.clear();
    };
    do {
        if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE))
            endLine();
        const std::unique_ptr<char[]> raw(it->GetUTF8Text(tesseract::RIL_WORD));
        if (!raw)
            continue;
        const QString word = QString::fromUtf8(raw.get()).trimmed();
        const float confidence = it->Confidence(tesseract::RIL_WORD);
        if (word.isEmpty() || !isWord(word) || confidence < TextRecognizer::kMinWordConfidence)
            continue;
        out->words.emplace_back(word, confidence);
        confidenceSum += confidence;
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
    } while (it->Next(tesseract::RIL_WORD));
    endLine();
    if (!out->words.empty())
        out->confidence = float(confidenceSum / double(out->words.size()));
}

// Tesseract's cancel callback: `data` is the recognizer's cancel check.
bool askCancel(void* data, int /*words*/)
{
    return (*static_cast<const std::function<bool()>*>(data))();
}

RecognizedText readGrey(tesseract::TessBaseAPI& api, const QImage& grey, tesseract::PageSegMode mode,
                        const std::function<bool()>& cancelled)
{
    RecognizedText out;
    api.SetPageSegMode(mode);
    api.SetImage(grey.constBits(), grey.width(), grey.height(), 1, int(grey.bytesPerLine()));
    api.SetSourceResolution(300);
    tesseract::ETEXT_DESC monitor;
    if (cancelled) {
        monitor.cancel = &askCancel;
        monitor.cancel_this = const_cast<std::function<bool()>*>(&cancelled);
    }
    const int status = api.Recognize(cancelled ? &monitor : nullptr);
    // A cancelled read may still return 0 with part of the words: never
    // taken for the photo's text.
    out.cancelled = cancelled && cancelled();
    if (out.cancelled)
        out.error = QStringLiteral("reading the text was cancelled");
    else if (status != 0)
        out.error = QStringLiteral("Tesseract could not read the image");
    else
        collectWords(api, &out);
    api.Clear();
    return out;
}

} // namespace

QString TextRecognizer::defaultTessdataDir()
{
    const QByteArray prefix = qgetenv("TESSDATA_PREFIX");
    if (!prefix.isEmpty())
        return QString::fromLocal8Bit(prefix);
    return QStringLiteral("/usr/share/tesseract-ocr/5/tessdata");
}

QString TextRecognizer::normalizedLanguages(const QString& languages)
{
    QStringList parts;
    for (const QString& part : languages.split(QLatin1Char('+'), Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            parts << part.trimmed();
    return parts.isEmpty() ? QStringLiteral("eng") : parts.join(QLatin1Char('+'));
}

QStringList TextRecognizer::installedLanguages(const QString& tessdataDir)
{
    QStringList languages;
    const QDir dir(tessdataOrDefault(tessdataDir));
    for (const QFileInfo& file : dir.entryInfoList({QStringLiteral("*.traineddata")}, QDir::Files, QDir::Name)) {
        if (file.completeBaseName() != QLatin1String("osd"))
            languages << file.completeBaseName();
    }
    return languages;
}

TextRecognizer::TextRecognizer(const QString& languages, const QString& tessdataDir)
    : languages_(normalizedLanguages(languages))
{
    const QString dir = tessdataOrDefault(tessdataDir);
    const QStringList installed = installedLanguages(dir);
    for (const QString& language : languages_.split(QLatin1Char('+'), Qt::SkipEmptyParts)) {
        if (!installed.contains(language))
            throw OcrError(QStringLiteral("The OCR language pack \"%1\" is not installed in %2; install it with "
                                          "`apt install tesseract-ocr-%1` or choose another language.")
                               .arg(language, dir)
                               .toStdString());
    }
    api_ = std::make_unique<tesseract::TessBaseAPI>();
    // Tesseract's own chatter ("Estimating resolution...") is not ours to print.
    api_->SetVariable("debug_file", "/dev/null");
    if (api_->Init(dir.toLocal8Bit().constData(), languages_.toUtf8().constData(), tesseract::OEM_LSTM_ONLY) != 0)
        throw OcrError(QStringLiteral("Tesseract could not load the language packs \"%1\" from %2; reinstall them "
                                      "with `apt install --reinstall tesseract-ocr-eng` (and the others named).")
                           .arg(languages_, dir)
                           .toStdString());
    // Photos carry no trustworthy DPI; this also stops the resolution warning.
    api_->SetVariable("user_defined_dpi", "300");
}

TextRecognizer::~TextRecognizer()
{
    if (api_)
        api_->End();
}

RecognizedText TextRecognizer::recognize(const QImage& image)
{
    RecognizedText out;
    if (image.isNull() || image.width() < 8 || image.height() < 8) {
        out.error = QStringLiteral("the image is empty or too small to read text from");
        return out;
    }
    try {
        const QImage grey = greyForOcr(image);
        out = readGrey(*api_, grey, tesseract::PSM_AUTO, cancelled_);
        // Page layout finds no block in many scenes with a sign in them
        // (light letters on a dark panel over a busy background); sparse-text
        // mode reads them (measured on the tests' signs: nothing vs. every word).
        if (out.ok() && out.words.empty())
            out = readGrey(*api_, grey, tesseract::PSM_SPARSE_TEXT, cancelled_);
    } catch (const std::exception& e) {
        out = RecognizedText();
        out.error = QStringLiteral("Tesseract failed: %1").arg(QString::fromUtf8(e.what()));
    }
    api_->Clear();
    return out;
}

} // namespace photosearch
