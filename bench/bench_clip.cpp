// CLIP tower throughput: vision images/s per batch size and text-query
// latency, on ViT-B/32-shaped random weights (speed does not depend on the
// values) or on a real model directory. Needs only LibTorch.
//
//   bench_clip [--device auto|cpu|cuda] [--dtype fp32|fp16|bf16]
//              [--batches 1,8,32,128] [--seconds 3] [--model DIR]

#include "ClipModel.h"
#include "Compute.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

using namespace clip;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

// Runs fn until `budget` seconds have passed (at least `minRuns` times)
// after one warm-up run; returns the per-run times.
template<typename Fn>
std::vector<double> timeRuns(Fn fn, double budget, int minRuns)
{
    fn();
    std::vector<double> runs;
    const auto start = Clock::now();
    while (int(runs.size()) < minRuns || seconds(start, Clock::now()) < budget) {
        const auto t0 = Clock::now();
        fn();
        runs.push_back(seconds(t0, Clock::now()));
    }
    return runs;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Multiply-adds x2 of one image through the vision tower as ClipModel runs it
// (the last block computes only the class token).
double visionFlops(const VisionConfig& c)
{
    const double t = double(c.tokens()), d = double(c.hidden), i = double(c.intermediate);
    const double patch = 2.0 * (t - 1) * double(c.channels * c.patchSize * c.patchSize) * d;
    const double full = 2.0 * (t * 3 * d * d + 2 * t * t * d + t * d * d + 2 * t * d * i);
    const double last = 2.0 * (t * 2 * d * d + d * d + 2 * t * d + d * d + 2 * d * i);
    return patch + double(c.layers - 1) * full + last;
}

// What this machine's GEMM reaches on the vision MLP's shape at batch 8: the
// bound an fp32 implementation can approach.
double matmulGflops(const VisionConfig& c, const clip::ComputeOptions& compute, double budget)
{
    const auto opts = torch::TensorOptions().device(compute.device).dtype(compute.dtype);
    const torch::Tensor a = torch::randn({8 * c.tokens(), c.hidden}, opts);
    const torch::Tensor w = torch::randn({c.intermediate, c.hidden}, opts);
    const auto runs = timeRuns([&] { torch::linear(a, w).sum().item<float>(); }, budget, 5);
    return 2.0 * double(a.size(0)) * double(c.hidden) * double(c.intermediate) / median(runs) / 1e9;
}

} // namespace

int main(int argc, char** argv)
{
    std::string device = "auto", dtype, modelDir;
    std::vector<int64_t> batches = {1, 8, 32, 128};
    double budget = 3.0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--device")
            device = next();
        else if (a == "--dtype")
            dtype = next();
        else if (a == "--model")
            modelDir = next();
        else if (a == "--seconds")
            budget = std::stod(next());
        else if (a == "--batches") {
            batches.clear();
            std::stringstream ss(next());
            std::string item;
            while (std::getline(ss, item, ','))
                batches.push_back(std::stoll(item));
        } else {
            std::fprintf(stderr, "usage: bench_clip [--device auto|cpu|cuda] [--dtype fp32|fp16|bf16] "
                                 "[--batches 1,8,32,128] [--seconds S] [--model DIR]\n");
            return 2;
        }
    }
    try {
        const ComputeOptions compute = chooseCompute(parseDevicePreference(device),
                                                     dtype.empty() ? torch::ScalarType::Undefined : parseDtype(dtype));
        const ClipModel model = modelDir.empty() ? ClipModel::random(ClipConfig::vitB32(), compute)
                                                 : ClipModel::load(modelDir, compute);
        const auto& vc = model.config().vision;
        std::printf("# bench_clip: %s, %s, libtorch %s, %d CPU threads, vision %lldx%lld patch %lld width %lld depth %lld\n",
                    modelDir.empty() ? "ViT-B/32 random weights" : modelDir.c_str(), describe(compute).c_str(),
                    TORCH_VERSION, torch::get_num_threads(), (long long)vc.imageSize, (long long)vc.imageSize,
                    (long long)vc.patchSize, (long long)vc.hidden, (long long)vc.layers);
        const double bound = matmulGflops(vc, compute, budget);
        const double flops = visionFlops(vc);
        std::printf("# GEMM bound (vision MLP shape, batch 8): %.1f GFLOP/s; vision tower %.2f GFLOP/image\n", bound,
                    flops / 1e9);
        std::printf("%-28s %10s %12s %12s %14s\n", "case", "batch", "ms/batch", "items/s", "% of GEMM bound");
        for (int64_t b : batches) {
            const torch::Tensor pixels = torch::randn({b, vc.channels, vc.imageSize, vc.imageSize});
            const auto runs = timeRuns([&] { model.encodeImages(pixels); }, budget, 2);
            const double t = median(runs);
            std::printf("%-28s %10lld %12.2f %12.2f %14.1f\n", "vision", (long long)b, t * 1e3, double(b) / t,
                        100.0 * double(b) * flops / t / 1e9 / bound);
        }
        // A typical query ("a photo of a dog on the beach" = 9 ids with start
        // and end) run to its end token, against the 77 padded tokens that
        // implementations without that shortcut compute.
        const int64_t eos = model.config().text.eosTokenId;
        const std::vector<int64_t> query = {model.config().text.bosTokenId, 320, 1125, 539, 320, 1929, 525, 518, eos};
        std::vector<int64_t> full77(size_t(model.config().text.maxPositions), 320);
        full77.back() = eos;
        for (const auto& [name, ids] : {std::pair<const char*, std::vector<int64_t>>{"text query (9 tokens)", query},
                                        {"text query (77 tokens)", full77}}) {
            const auto runs = timeRuns([&] { model.encodeTokens({ids}); }, budget, 5);
            const double t = median(runs);
            std::printf("%-28s %10d %12.2f %12.2f\n", name, 1, t * 1e3, 1.0 / t);
        }
        
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_clip: %s\n", e.what());
        return 1;
    }
    return 0;
}
