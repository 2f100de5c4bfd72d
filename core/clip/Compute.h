#pragma once
// Where and in which precision the CLIP towers run. CUDA runs half precision
// (weights and activations); the CPU runs fp32 on all cores.

#include <torch/types.h>

#include <string>

namespace clip {

struct ComputeOptions {
    torch::Device device = torch::kCPU;
    torch::ScalarType dtype = torch::kFloat32;
};

enum class DevicePreference { Auto, Cpu, Cuda };

// Parses "auto", "cpu" or "cuda"; throws std::invalid_argument otherwise.
DevicePreference parseDevicePreference(const std::string& text);

// Parses "fp32", "fp16" or "bf16"; throws std::invalid_argument otherwise.
torch::ScalarType parseDtype(const std::string& text);
std::string dtypeName(torch::ScalarType dtype);

// Auto picks CUDA when present. Asking for CUDA on a machine without it
// throws std::runtime_error with a sentence for the user. `dtypeOverride`
// of Undefined means the default for the device (fp16 on CUDA, fp32 on CPU);
// half precision on the CPU is refused because it is slower there, not faster.
ComputeOptions chooseCompute(DevicePreference preference,
                             torch::ScalarType dtypeOverride = torch::ScalarType::Undefined);

// LibTorch starts with one intra-op thread on some builds; use every core
// unless PHOTOSEARCH_THREADS says otherwise. Returns the thread count set.
int configureCpuThreads();

std::string describe(const ComputeOptions& compute);

} // namespace clip
