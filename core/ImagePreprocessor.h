#pragma once
// Image file → CLIP pixel tensor, matching transformers' CLIPImageProcessor
// (its torchvision implementation, bit for bit given the same decoded pixels):
// RGB, shortest side resized with antialiased bicubic (see Resample.h), centre
// crop, /255, per-channel mean/std.

// LibTorch before Qt: Qt's `slots` macro (defined by any Qt header, even
// <QString>) breaks LibTorch headers included after it.
#include <torch/types.h>

#include "ImageFormat.h"

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QString>

#include <array>
#include <stdexcept>

namespace photosearch {

// A file that cannot be turned into pixels. The message is one sentence
// naming the file; callers show it to the user as is.
class ImageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct PreprocessConfig {
    int shortestEdge = 224;
    int cropSize = 224;
    std::array<float, 3> mean{0.48145466f, 0.4578275f, 0.40821073f};
    // Named like the Hugging Face field; inside member functions of this
    // struct the standard namespace must therefore be written ::std.
    std::array<float, 3> std{0.26862954f, 0.26130258f, 0.27577711f};

    // Reads preprocessor_config.json of a Hugging Face model directory when
    // present ("size": {"shortest_edge": N} or N, "crop_size":
    // {"height": N, "width": N} or N, "image_mean", "image_std"); fields it
    // lacks, or a missing file, give the defaults above with shortestEdge and
    // cropSize = imageSize (the vision tower's image_size). Throws
    // clip::ModelError naming the file when it is unreadable or malformed.
    static PreprocessConfig fromModelDirectory(const QString& dir, int imageSize);
};

struct DecodedImage {
    QImage image;       // Format_RGB888, orientation applied, maybe DCT-reduced
    QSize fullSize;     // as displayed (orientation applied), before any reduction
    ImageFormat format = ImageFormat::Unknown;
};

// Stateless apart from its config, so one instance may serve many threads.
class ImagePreprocessor {
public:
    // Images with more pixels than this are refused before decoding.
    static constexpr qint64 maxPixels = 200'000'000;
    // Image files larger than this are refused before being read.
    static constexpr qint64 maxFileBytes = qint64(1) << 30;

    // A whole image file, for decode(bytes, ...). Throws ImageError naming
    // the file when it cannot be opened or read, or is larger than
    // maxFileBytes. An empty file gives an empty array (decode() then
    // refuses it).
    static QByteArray readImageFile(const QString& path);

    explicit ImagePreprocessor(PreprocessConfig config = {});

    // Decodes with the EXIF orientation applied, as Format_RGB888 (grey
    // expanded, alpha dropped without blending, like PIL's convert("RGB")).
    // With reducedDecode a JPEG at least twice as large as needed is decoded
    // at libjpeg's 1/2, 1/4 or 1/8 DCT scale: the smallest that keeps the
    // shortest side >= shortestEdge and divides both sides exactly (else Qt
    // would resample libjpeg's output once more). Throws ImageError for
    // missing, unreadable, corrupt or oversized (> maxPixels, judged from the
    // header) files. A truncated JPEG is not an error: Qt decodes what is
    // there and libjpeg fills the rest with grey.
    QImage decode(const QString& path, bool reducedDecode = true) const;

    // The same from a file already read into memory (the indexer reads each
    // file once, to hash and decode it). `path` only names the file in
    // errors. Also decodes HEIF/HEIC and AVIF (libheif). The format is taken
    // from the bytes, never from the name. Throws ImageError.
    DecodedImage decode(const QByteArray& bytes, const QString& path, bool reducedDecode = true) const;

    // Float32 CPU tensor [3, cropSize, cropSize]; any QImage format.
    torch::Tensor toTensor(const QImage& image) const;

    torch::Tensor load(const QString& path, bool reducedDecode = true) const
    {
        return toTensor(decode(path, reducedDecode));
    }

    const PreprocessConfig& config() const { return config_; }

private:
    PreprocessConfig config_;
};

} // namespace photosearch
