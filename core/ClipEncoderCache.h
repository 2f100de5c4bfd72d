#pragma once
// One loaded CLIP model per directory for the whole process, so that the
// app's indexing and search threads share the weights instead of holding a
// copy each (ViT-B/32: 151 M parameters, 605 MB in fp32; ViT-L/14: 428 M,
// 1.7 GB). Sharing is safe: ClipEncoder's methods are const and keep no
// unguarded state (the tokenizer's word cache has its own mutex).

#include "ClipEncoder.h"

#include <QString>

#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace photosearch {

class ClipEncoderCache {
public:
    // The device is chosen on the first acquire, off the caller's GUI thread
    // (probing CUDA can take seconds).
    explicit ClipEncoderCache(clip::DevicePreference device = clip::DevicePreference::Auto);

    // The encoder for this directory: the one still held by another user,
    // else a new one (loaded while holding the cache: a second thread asking
    // meanwhile waits for it instead of loading a copy). `identity` says
    // which files the caller means (the model id, ModelIdentity.h): weights
    // replaced on disk since the last load give a new id and a fresh load,
    // so embeddings are never stored under an id whose weights they did not
    // come from. A model is freed when its last holder lets go. Throws
    // clip::ModelError like ClipEncoder. `preferred`: the precision of the
    // vectors the caller works with (clip::chooseCompute), one encoder per
    // precision chosen. `towers` = Text (a search's query) gives the whole
    // model when one is loaded already, else loads the text tower alone
    // (ViT-B/32: 63 of its 151 M parameters): a first search then starts in a
    // fraction of the whole model's load.
    std::shared_ptr<const ClipEncoder> acquire(const QString& modelDir, const QString& identity,
                                               torch::ScalarType preferred = torch::ScalarType::Undefined,
                                               clip::Towers towers = clip::Towers::Both);
    // Where and in which precision acquire(…, preferred) computes, without
    // loading anything: what an index run needs to know before it knows
    // whether it will need the weights.
    clip::ComputeOptions compute(torch::ScalarType preferred = torch::ScalarType::Undefined);

private:
    clip::ComputeOptions computeLocked(torch::ScalarType preferred);

    clip::DevicePreference device_;
    std::map<torch::ScalarType, clip::ComputeOptions> compute_; // by `preferred`
    std::mutex mutex_;
    std::map<QString, std::weak_ptr<const ClipEncoder>> loaded_;
};

} // namespace photosearch
