#pragma once
// What the pipeline learned about one planned file, on its way from a decode
// worker (through the encoder when it needs a vector) to the catalog writer.

#include <torch/types.h>

#include "PhotoRecord.h"

#include <vector>

namespace photosearch {

struct PhotoOutcome {
    enum class Kind {
        Encode,  // decoded: needs this model's vector
        Moved,   // a missing photo's content at a new path, vector kept
        Copied,  // same content as a photo with a vector: reuse it
        Touched, // same bytes as indexed, new mtime: nothing to encode
        Failed,  // recorded with its reason, never stops the run
        Vanished // deleted between the scan and the read
    };
    Kind kind = Kind::Failed;
    PhotoRecord record;          // the row to write (id 0 = new)
    qint64 sourceId = 0;         // Copied: whose embedding to reuse
    bool moved = false;          // the row of a photo missing from its old path
    torch::Tensor pixels;        // Encode: until encoded
    std::vector<float> embedding; // Encode: filled by the encoder
};

} // namespace photosearch
