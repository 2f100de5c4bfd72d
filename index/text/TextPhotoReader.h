#pragma once
// One photo through the text pass: decode a small copy, decide with the
// selection's signal, decode it whole and run OCR. Never throws: what goes
// wrong becomes a Failed PhotoText with the reason.
//
// Thread rule: one per worker thread (it owns that thread's TextRecognizer).

#include "PhotoTextStore.h"
#include "TextRecognizer.h"

#include <functional>

namespace photosearch {

// Runs OCR on a decoded image; the default calls recognizer.recognize. A
// seam for tests (a Tesseract failure on one photo) and benchmarks.
using RecognizeFunction = std::function<RecognizedText(TextRecognizer& recognizer, const QImage& image,
                                                       const QString& path)>;

class TextPhotoReader {
public:
    TextPhotoReader(const QString& languages, RecognizeFunction recognize);

    // `all`: read it whatever the selection says.
    PhotoText read(qint64 photoId, const QString& path, bool all);
    // Stops a read in progress (TextRecognizer::setCancelCheck); the photo
    // then comes back Failed, which the pass does not store.
    const QString& languages() const { return recognizer_.languages(); }
    void setCancelCheck(std::function<bool()> cancelled) { recognizer_.setCancelCheck(std::move(cancelled)); }

private:
    TextRecognizer recognizer_;
    RecognizeFunction recognize_;
};

} // namespace photosearch
