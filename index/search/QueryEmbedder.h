#pragma once
// What a search needs from the model: the embedding of a query's text or
// image. An interface so that SearchEngine does not link LibTorch: the CLI
// answers a query whose embedding the catalog has cached without loading
// LibTorch at all (QuickSearch.h); ClipQueryEmbedder.h is the CLIP one.

#include <QString>

#include <vector>

namespace photosearch {

class QueryEmbedder {
public:
    virtual ~QueryEmbedder() = default;
    // Unit length, of the model's projection size. May throw
    // clip::ModelError for the model, ImageError for an unreadable image.
    virtual std::vector<float> embedText(const QString& text) = 0;
    virtual std::vector<float> embedImage(const QString& path) = 0;
};

} // namespace photosearch
