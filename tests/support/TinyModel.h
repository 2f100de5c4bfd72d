#pragma once
// A tiny random CLIP model the tests write themselves, so that the library
// tests need no downloaded or shared fixture: a complete Hugging Face model
// directory (config.json, model.safetensors, vocab.json, merges.txt,
// preprocessor_config.json) that ClipEncoder loads.
//
// Shape: both towers 32 wide, 2 layers, 2 heads, MLP 128, quick_gelu;
// 64x64 images in 16x16 patches; 16-dim projections; 77 text positions.
// The vocabulary is CLIP's 512 byte symbols plus a few merges (enough to make
// "a dog on a beach" one token a word) and the two special tokens last.
// Weights are drawn as transformers initialises a fresh CLIPModel, which
// keeps the embeddings of different images clearly apart.

#include <QString>

#include <cstdint>

namespace photosearch::testmodel {

// Writes the model into `dir` (created when missing; existing files
// replaced). The same seed gives byte-identical files: the random numbers
// come from a fixed generator, not from LibTorch's or the standard library's
// distributions (only the maths library's log/cos could differ in a last bit
// on another platform). Returns false with `error` set when a file cannot be
// written.
bool writeTinyClipModel(const QString& dir, QString* error = nullptr, uint64_t seed = 0);

} // namespace photosearch::testmodel
