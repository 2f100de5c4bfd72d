#pragma once
// Text written in a photo, read by Tesseract (LSTM engine, the language packs
// Debian installs as tesseract-ocr-XXX). One TessBaseAPI per object: Tesseract
// is not thread-safe, so a worker thread owns its own recognizer.
//
// Qt-only (QtGui for QImage); no LibTorch, no SQLite: the library side
// (index/text) decides which photos to read and stores what comes back.

#include <QImage>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

namespace tesseract {
class TessBaseAPI;
}

namespace photosearch {

// A language pack is missing or Tesseract cannot start. One sentence naming
// the pack and the package that installs it.
class OcrError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct RecognizedText {
    QString text;                                   // lines joined by '\n'
    std::vector<std::pair<QString, float>> words;   // (word, confidence 0..100)
    float confidence = 0;                           // mean word confidence, 0..100
    QString error;                                  // non-empty: the image could not be read
    bool cancelled = false;                         // the cancel check stopped it (error set too)
    bool ok() const { return error.isEmpty(); }
};

class TextRecognizer {
public:
    // `languages`: Tesseract's "eng+deu" form. `tessdataDir` empty: the
    // system's (TESSDATA_PREFIX, else Debian's /usr/share/tesseract-ocr/5/tessdata).
    // Throws OcrError when a pack is missing.
    explicit TextRecognizer(const QString& languages = QStringLiteral("eng"),
                            const QString& tessdataDir = {});
    ~TextRecognizer();
    TextRecognizer(const TextRecognizer&) = delete;
    TextRecognizer& operator=(const TextRecognizer&) = delete;

    // Never throws for a bad image: an empty/null image or a Tesseract failure
    // comes back with `error` set. Huge images are downscaled first
    // (kMaxLongSide) and converted to grey.
    RecognizedText recognize(const QImage& image);

    const QString& languages() const { return languages_; }
    // Asked between words while Tesseract reads (it takes seconds on a busy
    // photo): true stops the read, which then comes back `cancelled`. The
    // check runs on the thread calling recognize(); it must be thread-safe
    // if another thread sets what it reads (e.g. an atomic flag).
    void setCancelCheck(std::function<bool()> cancelled) { cancelled_ = std::move(cancelled); }

    // Long side cap before OCR (see TextRecognizer.cpp for the measurement).
    static const int kMaxLongSide;
    // Words below this confidence are dropped (noise read in textures).
    static const float kMinWordConfidence;

    // `languages` as the recognizer uses and stores it: parts trimmed, empty
    // ones dropped ("eng+", " eng"), "eng" when nothing is left. Compare runs
    // with this form, or every photo looks read in other languages.
    static QString normalizedLanguages(const QString& languages);

    // Language packs found in the tessdata folder ("eng", "deu", ...), sorted;
    // "osd" (orientation detection, not a language) is left out.
    static QStringList installedLanguages(const QString& tessdataDir = {});
    // The folder used when none is given.
    static QString defaultTessdataDir();

private:
    QString languages_;
    std::unique_ptr<tesseract::TessBaseAPI> api_;
    std::function<bool()> cancelled_;
};

} // namespace photosearch
