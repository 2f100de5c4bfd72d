#include "Compute.h"

#include <torch/cuda.h>
#include <torch/utils.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#ifdef __linux__
#include <sched.h>
#endif

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

namespace {

// Cores this process may run on: a container or `taskset` may allow fewer
// than the machine has, and hardware_concurrency() does not know that.
int usableCores()
{
#ifdef __linux__
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0)
        return CPU_COUNT(&set);
#endif
    return int(std::thread::hardware_concurrency());
}

int positiveEnv(const char* name)
{
    const char* value = std::getenv(name);
    return value ? std::max(0, std::atoi(value)) : 0;
}

} // namespace

int configureCpuThreads()
{
    int n = positiveEnv("PHOTOSEARCH_THREADS");
    if (n == 0)
        n = positiveEnv("OMP_NUM_THREADS");
    if (n == 0)
        n = std::max(1, usableCores());
    if (torch::get_num_threads() != n)
        torch::set_num_threads(n);
    return n;
}

std::string describe(const ComputeOptions& compute)
{
    return compute.device.str() + " " + dtypeName(compute.dtype);
}

} // namespace clip
