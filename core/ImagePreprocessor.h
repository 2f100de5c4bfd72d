#pragma once
// Image file → CLIP pixel tensor, matching transformers' CLIPImageProcessor
// (its torchvision implementation, bit for bit given the same decoded pixels):
// RGB, shortest side resized with antialiased bicubic (see Resample.h), centre
// crop, /255, per-channel mean/std.

// LibTorch before Qt: Qt's `slots` macro (defined by any Qt header, even
// <QString>) breaks LibTorch headers included after it.
#include <torch/types.h>

#include "ImageDecoder.h" // ImageError, DecodedImage: decoding is Qt-only, in core/image

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QString>

#include <array>

namespace photosearch {

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

// Stateless apart from its config, so one instance may serve many threads.
class ImagePreprocessor {
public:
    // The decoder's caps (see ImageDecoder.h), under their old names.
    static constexpr qint64 maxPixels = ImageDecoder::maxPixels;
    static constexpr qint64 maxFileBytes = ImageDecoder::maxFileBytes;

    // ImageDecoder::readFile: the whole file, for decode(bytes, ...).
    static QByteArray readImageFile(const QString& path) { return ImageDecoder::readFile(path); }

    explicit ImagePreprocessor(PreprocessConfig config = {});

    // ImageDecoder::decodeFile: EXIF orientation applied, Format_RGB888.
    // With reducedDecode a JPEG at least twice as large as needed is decoded
    // at libjpeg's 1/2, 1/4 or 1/8 DCT scale: the smallest that keeps the
    // shortest side >= shortestEdge and divides both sides exactly. Throws
    // ImageError for missing, unreadable, corrupt or oversized files.
    QImage decode(const QString& path, bool reducedDecode = true) const;

    // The same from a file already read into memory (the indexer reads each
    // file once, to hash and decode it); see ImageDecoder::decode. Throws
    // ImageError.
    DecodedImage decode(const QByteArray& bytes, const QString& path, bool reducedDecode = true) const;

    // Float32 CPU tensor [3, cropSize, cropSize]; any QImage format.
    torch::Tensor toTensor(const QImage& image) const;

    torch::Tensor load(const QString& path, bool reducedDecode = true) const
    {
        return toTensor(decode(path, reducedDecode));
    }

    const PreprocessConfig& config() const { return config_; }

private:
    DecodeTarget decodeTarget(bool reducedDecode) const;

    PreprocessConfig config_;
};

} // namespace photosearch
