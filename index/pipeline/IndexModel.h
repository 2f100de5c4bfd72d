#pragma once
// The model an index run encodes with, as the run needs it. Before the scan
// the run needs the vectors' dimension, the device and precision (pipeline
// sizing) and the preprocessing: all from the model's small files. The
// weights (ViT-B/32: 605 MB, 0.5-3.5 s to load on the 2-core VM, 1.2 GB
// resident; docs/BENCHMARKS.md, rescan section) are asked for only when the
// scan finds files to read (new, changed, or lacking this model's vector),
// so a rescan that finds nothing new never loads them.
//
// The model id (ModelIdentity.h) is computed before the scan and reads the
// weights' header, size and samples: a missing or replaced model.safetensors
// is still found then. A broken config.json or preprocessor_config.json is
// reported by fromDirectory, before the scan. Only damage the id cannot see
// (a broken vocab.json or merges.txt, bytes between the id's samples) waits
// for a run that needs the weights.
//
// Thread rule: one thread (the run's).

#include "Compute.h"
#include "ImagePreprocessor.h"

#include <QString>

#include <functional>

namespace clip {
class TowerEngine;
}

namespace photosearch {

class IndexModel {
public:
    // Must return the towers of the folder this was made from, computing
    // with its ComputeOptions, living until the run ends. What it throws
    // (clip::ModelError for a broken file) stops the run.
    using Loader = std::function<const clip::TowerEngine&()>;

    // A model already loaded (tests, benchmarks, a caller that holds one).
    IndexModel(const clip::TowerEngine& towers, const ImagePreprocessor& preprocessor);

    // The model in `modelDir`: reads config.json and the preprocessing now
    // (clip::ModelError names a missing or malformed file); `load` is called
    // the first time towers() is.
    static IndexModel fromDirectory(const QString& modelDir, const clip::ComputeOptions& compute, Loader load);

    int dimension() const { return dimension_; }
    const clip::ComputeOptions& compute() const { return compute_; }
    const ImagePreprocessor& preprocessor() const { return preprocessor_; }

    // The towers, loaded on the first call. Throws what the loader throws
    // (and asks it again on the next call), or clip::ModelError when the
    // weights loaded do not match the config.json read before (the files
    // were replaced meanwhile).
    const clip::TowerEngine& towers();
    bool loaded() const { return towers_ != nullptr; }

private:
    IndexModel(int dimension, const clip::ComputeOptions& compute, const ImagePreprocessor& preprocessor, Loader load);

    int dimension_;
    clip::ComputeOptions compute_;
    ImagePreprocessor preprocessor_; // stateless but for its config: a copy is the same
    Loader load_;
    const clip::TowerEngine* towers_ = nullptr;
};

} // namespace photosearch
