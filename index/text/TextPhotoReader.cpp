#include "TextPhotoReader.h"

#include "ImageDecoder.h"
#include "TextSelection.h"

namespace photosearch {

TextPhotoReader::TextPhotoReader(const QString& languages, RecognizeFunction recognize)
    : recognizer_(languages)
    , recognize_(std::move(recognize))
{
    if (!recognize_)
        recognize_ = [](TextRecognizer& r, const QImage& image, const QString&) { return r.recognize(image); };
}

PhotoText TextPhotoReader::read(qint64 photoId, const QString& path, bool all)
{
    PhotoText out;
    out.photoId = photoId;
    out.languages = recognizer_.languages();
    try {
        // A JPEG decodes at a reduced DCT scale for the signal: a few ms.
        DecodeTarget signal = DecodeTarget::fitInto(QSize(kTextSignalSide, kTextSignalSide));
        signal.overWhite = true; // text on a transparent PNG is read as a person sees it
        const DecodedImage small = ImageDecoder::decodeFile(path, signal);
        out.likelihood = textLikelihood(small.image);
        if (!all && out.likelihood < kTextLikelihoodThreshold) {
            out.status = PhotoTextStatus::Skipped;
            return out;
        }
        const QSize cap(TextRecognizer::kMaxLongSide, TextRecognizer::kMaxLongSide);
        DecodeTarget target = DecodeTarget::fitInto(cap);
        target.overWhite = true;
        const DecodedImage whole = ImageDecoder::decodeFile(path, target);
        const RecognizedText text = recognize_(recognizer_, whole.image, path);
        if (!text.ok()) {
            out.status = PhotoTextStatus::Failed;
            out.error = text.error;
            return out;
        }
        out.status = PhotoTextStatus::Read;
        out.text = text.text;
        out.words = text.words;
        out.confidence = text.confidence;
    } catch (const std::exception& e) {
        out.status = PhotoTextStatus::Failed;
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}

} // namespace photosearch
