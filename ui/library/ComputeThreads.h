#pragma once
// LibTorch's CPU thread count as the window's compute settings ask for it.
// Called on a worker thread right after a model is loaded: loading a model
// with a new ClipEncoderCache sets the automatic count (clip::chooseCompute),
// so a chosen count must be applied after it. The count is process-wide.

namespace photosearch {

// `threads` > 0: that many intra-op threads; 0: the automatic count
// (clip::configureCpuThreads: $PHOTOSEARCH_THREADS, else every usable core).
void applyCpuThreads(int threads);

} // namespace photosearch
