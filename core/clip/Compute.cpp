#include "Compute.h"

#include "CpuFeatures.h"

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

bool runsNatively(const torch::Device& device, torch::ScalarType dtype)
{
    if (dtype == torch::kFloat32)
        return true;
    if (device.is_cuda())
        return dtype == torch::kFloat16 || dtype == torch::kBFloat16;
    return dtype == torch::kBFloat16 && cpuFeatures().fastBf16();
}

ComputeOptions chooseCompute(DevicePreference preference, torch::ScalarType dtypeOverride, torch::ScalarType preferred)
{
    const bool cuda = preference != DevicePreference::Cpu && torch::cuda::is_available();
    if (preference == DevicePreference::Cuda && !cuda)
        throw std::runtime_error("CUDA was requested but no usable CUDA device was found; use --device cpu.");
    ComputeOptions c;
    c.device = cuda ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    if (!cuda && dtypeOverride == torch::kFloat16)
        throw std::runtime_error("fp16 is only supported on CUDA; use fp32 or bf16 on the CPU.");
    if (dtypeOverride != torch::ScalarType::Undefined)
        c.dtype = dtypeOverride;
    else if (preferred != torch::ScalarType::Undefined && runsNatively(c.device, preferred))
        c.dtype = preferred;
    else if (cuda)
        c.dtype = torch::kFloat16;
    else
        c.dtype = runsNatively(c.device, torch::kBFloat16) ? torch::kBFloat16 : torch::kFloat32;
    if (!cuda)
        configureCpuThreads();
    return c;
}

int ComputeOptions::decodeWorkers(int cores) const
{
    cores = std::max(1, cores);
    return std::min(8, device.is_cuda() ? std::max(2, cores - 1) : std::max(2, cores / 2));
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
