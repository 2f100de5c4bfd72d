#pragma once
// The text-in-photos pass over a library: reads the written text of the
// photos where text is likely (TextSelection decides per photo from a cheap
// signal) or of every photo (`all`), and stores it through PhotoTextStore.
//
// Incremental: a photo is looked at again only when its content changed (the
// staleness key) or the languages changed; Skipped photos stay skipped until
// a run with `all`. Each photo's result is committed in a small transaction,
// so a search or index run never waits long. A failure on one photo is
// recorded (status Failed) and the run goes on.
//
// Thread rule: run() blocks; call it on a worker thread. It opens its own
// Catalog (and one TextRecognizer per worker thread). IndexControl pauses or
// cancels it between photos from any thread.

#include "TextPhotoReader.h"

#include <QString>

#include <functional>

namespace photosearch {

class IndexControl;

// The catalog setting that holds the languages of the library's last pass
// (written by run()): `photosearch-cli ocr` without --languages uses them, so
// that it does not read again every photo a pass in other languages read.
inline const char* const kTextLanguagesSetting = "text_languages";

struct TextPassOptions {
    QString languages = QStringLiteral("eng");
    bool all = false; // read every photo, ignoring the selection
    int threads = 0;  // OCR worker threads; 0: chosen from the CPU count
};

struct TextPassProgress {
    qint64 done = 0;
    qint64 total = 0;
    QString currentPath;
};

struct TextPassSummary {
    qint64 examined = 0; // photos looked at this run
    qint64 read = 0;     // OCR run and stored
    qint64 skipped = 0;  // left out by the selection
    qint64 failed = 0;   // could not be decoded or read (recorded)
    qint64 withText = 0; // read photos in which words were found
    double seconds = 0;
    bool cancelled = false;
};

class TextPass {
public:
    explicit TextPass(const QString& libraryDir);

    // Throws OcrError (missing language pack) or CatalogError before any work;
    // per-photo problems are recorded, never thrown.
    TextPassSummary run(const TextPassOptions& options, IndexControl* control,
                        const std::function<void(const TextPassProgress&)>& progress);

    // Replaces the OCR call (tests: a Tesseract failure on one photo).
    void setRecognizeFunction(RecognizeFunction recognize) { recognize_ = std::move(recognize); }

private:
    QString libraryDir_;
    RecognizeFunction recognize_;
};

} // namespace photosearch
