#pragma once
// What a decode worker does with one planned file: read it once, hash it,
// and from the hash decide whether it needs decoding at all — the same
// bytes as indexed (only the mtime changed), a photo that moved here, a copy
// of a photo that already has a vector — before decoding and preprocessing
// the rest for the encoder.

#include <torch/types.h> // before Qt: PhotoOutcome carries a tensor

#include "IndexPlan.h"
#include "PhotoOutcome.h"

namespace photosearch {

class ContentMatcher;
class ImagePreprocessor;
struct PhotoFile;

class JobProcessor {
public:
    // The matcher is shared by all workers (claims are thread-safe).
    JobProcessor(ContentMatcher& matcher, const ImagePreprocessor& preprocessor, bool reducedDecode);

    // Never throws: an unexpected failure is recorded against the file.
    PhotoOutcome process(const IndexJob& job) const;

private:
    PhotoOutcome triage(const IndexJob& job) const;
    static PhotoOutcome touched(const IndexJob& job, const PhotoFile& file, PhotoOutcome r);
    PhotoOutcome moved(PhotoRecord missingRecord, bool embedded, const PhotoFile& file, PhotoOutcome r) const;
    void decode(const PhotoFile& file, PhotoOutcome& r) const;

    ContentMatcher& matcher_;
    const ImagePreprocessor& preprocessor_;
    bool reducedDecode_;
};

} // namespace photosearch
