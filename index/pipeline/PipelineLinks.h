#pragma once
// What the concurrent stages share: the queues between them and the run's
// control. Everything else a stage needs is handed to it alone, so what one
// stage can see of another is exactly this.

#include "BoundedQueue.h"
#include "IndexControl.h"
#include "PhotoOutcome.h"

#include <cstddef>

namespace photosearch {

struct PipelineLinks {
    PipelineLinks(size_t encoderCapacity, IndexControl& control)
        : toEncoder(encoderCapacity)
        , control(control)
    {
    }

    // Decoded photos; bounded so that decoded pixels cannot pile up in
    // memory when the encoder is the slower stage.
    BoundedQueue<PhotoOutcome> toEncoder;
    // Everything bound for the catalog. Results without pixels are small,
    // and the writer is rarely the slow stage: a roomy queue keeps workers
    // from stalling behind a transaction or a FAISS save.
    BoundedQueue<PhotoOutcome> toWriter{4096};
    IndexControl& control;

    // Stops the run where it stands: every stage's waits return, and what
    // is still queued is dropped by the writer that is no longer there.
    void abort()
    {
        control.cancel();
        toEncoder.close();
        toWriter.close();
    }
};

} // namespace photosearch
