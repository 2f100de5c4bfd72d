#pragma once
// Which device and precision a command computes in, from its options.

#include "CliArgs.h"
#include "Compute.h"

namespace photosearch::cli {

// `--device` and `--dtype`; without `--dtype`, `preferred` (the precision of
// the library's vectors, VectorSetDtype.h) where the device runs it
// natively, else the device's best (clip::chooseCompute). UsageError for bad
// values.
clip::ComputeOptions computeFromArgs(const CliArgs& args, torch::ScalarType preferred = torch::ScalarType::Undefined);

} // namespace photosearch::cli
