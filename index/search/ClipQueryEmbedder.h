#pragma once
// QueryEmbedder over CLIP encoders (LibTorch), each asked for only when a
// query needs it: the CLI loads only the tower a query needs.

#include "QueryEmbedder.h"

#include <functional>

namespace photosearch {

class ClipEncoder;

// What a query needs the model for: embedding a text or an image.
enum class EncoderUse { Text, Image };
// Gives the encoder for a use, loading it on the first call if it must.
// May throw clip::ModelError.
using EncoderSource = std::function<const ClipEncoder&(EncoderUse)>;

class ClipQueryEmbedder final : public QueryEmbedder {
public:
    explicit ClipQueryEmbedder(EncoderSource encoders);
    std::vector<float> embedText(const QString& text) override;
    std::vector<float> embedImage(const QString& path) override;

private:
    EncoderSource encoders_;
};

} // namespace photosearch
