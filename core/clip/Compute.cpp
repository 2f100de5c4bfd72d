#include "Compute.h"

#include <torch/cuda.h>
#include <torch/utils.h>

#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace clip {

DevicePreference parseDevicePreference(const std::string& text)
{
    if (text == "auto")
        return DevicePreference::Auto;
    if (text == "cpu")
        return DevicePreference::Cpu;
    if (text == "cuda")
        return DevicePreference::Cuda;
    throw std::invalid_argument("Unknown device '" + text + "': use auto, cpu or cuda.");
}

torch::ScalarType parseDtype(const std::string& text)
{
    if (text == "fp32")
        return torch::kFloat32;
    if (text == "fp16")
        return torch::kFloat16;
    if (text == "bf16")
        return torch::kBFloat16;
    throw std::invalid_argument("Unknown precision '" + text + "': use fp32, fp16 or bf16.");
}

std::string dtypeName(torch::ScalarType dtype)
{
    switch (dtype) {
    case torch::kFloat32: return "fp32";
    case torch::kFloat16: return "fp16";
    case torch::kBFloat16: return "bf16";
    default: return "other";
    }
}

ComputeOptions chooseCompute(DevicePreference preference, torch::ScalarType dtypeOverride)
{
    const bool cuda = torch::cuda::is_available();
    if (preference == DevicePreference::Cuda && !cuda)
        throw std::runtime_error("CUDA was requested but no usable CUDA device was found; use --device cpu.");
    ComputeOptions c;
    if (cuda && preference != DevicePreference::Cpu) {
        c.device = torch::Device(torch::kCUDA, 0);
        c.dtype = dtypeOverride == torch::ScalarType::Undefined ? torch::kFloat16 : dtypeOverride;
    } else {
        c.device = torch::kCPU;
        if (dtypeOverride != torch::ScalarType::Undefined && dtypeOverride != torch::kFloat32)
            throw std::runtime_error("Half precision is only supported on CUDA; use fp32 on the CPU.");
        c.dtype = torch::kFloat32;
        configureCpuThreads();
    }
    return c;
}

int configureCpuThreads()
{
    int n = int(std::thread::hardware_concurrency());
    if (const char* env = std::getenv("PHOTOSEARCH_THREADS")) {
        const int v = std::atoi(env);
        if (v > 0)
            n = v;
    }
    if (n <= 0)
        n = 1;
    if (torch::get_num_threads() != n)
        torch::set_num_threads(n);
    return n;
}

std::string describe(const ComputeOptions& compute)
{
    return compute.device.str() + " " + dtypeName(compute.dtype);
}

} // namespace clip
