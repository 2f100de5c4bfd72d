#pragma once
// Where and in which precision the CLIP towers run, and how work is cut for
// them: the one place that decides device, precision, threads and batch
// sizes (the towers, the indexer's pipeline and the CLI follow it).
//
// Precision: CUDA runs fp16 (weights and activations). The CPU runs bf16
// matrix products where the CPU has bf16 units (AVX512_BF16 or AMX; 2.0× the
// fp32 tower here), fp32 elsewhere: without them LibTorch emulates bf16,
// slower than fp32. In bf16 only the image tower's products (inputs and
// weights) are bf16; the text tower, the residual stream, layer norms and
// embeddings stay fp32 (a bf16 layer norm is 14× slower in LibTorch 1.13 and
// costs accuracy). int8 is not used: its Linear layers measured slower than
// fp32 on the CPU this was tuned on.

#include <torch/types.h>

#include <string>

namespace clip {

struct ComputeOptions {
    torch::Device device = torch::kCPU;
    // The matrix products' weights and inputs: also what identifies the
    // precision of the embeddings they make (vectors of different precision
    // are kept apart in a library).
    torch::ScalarType dtype = torch::kFloat32;

    // The residual stream, layer norms and embedding tables.
    torch::ScalarType residualDtype() const { return device.is_cpu() ? torch::kFloat32 : dtype; }
    // The text tower's products. fp32 on the CPU whatever `dtype` says: a
    // query or a label is a few tokens (9 tokens: 25 ms fp32, 14 ms bf16), its
    // weights then stay in the file's mapping (a fast first search), and
    // fp32 results do not depend on what else shares the batch (bf16 ones
    // move by ~1e-3 with the batch's padding, which made cached and fresh
    // label embeddings disagree). The one exception is the tag vocabulary,
    // thousands of texts embedded once per library: it takes a bf16 copy
    // of the text tower (LabelPrecision::Fast in PromptEnsemble.h).
    torch::ScalarType textDtype() const { return device.is_cpu() ? torch::kFloat32 : dtype; }
    // Images per pass through the vision tower: on the CPU throughput peaks
    // at about 8 (bench_clip: 27 images/s at 8, 20 at 128 on 2 cores) because
    // larger activations fall out of cache; 0 means no limit.
    int64_t imagesPerPass() const { return device.is_cpu() ? 8 : 0; }
    // Images an indexing run hands the encoder at once.
    int64_t indexBatch() const { return device.is_cpu() ? 8 : 64; }
    // Decoding threads that keep the encoder fed on `cores` cores: on the
    // CPU the encoder itself uses every core and two decoders keep it fed
    // without taking much from it (bench_index). Each holds a whole file
    // and a decoded image: capped at 8.
    int decodeWorkers(int cores) const;
};

enum class DevicePreference { Auto, Cpu, Cuda };

// Parses "auto", "cpu" or "cuda"; throws std::invalid_argument otherwise.
DevicePreference parseDevicePreference(const std::string& text);

// Parses "fp32", "fp16" or "bf16"; throws std::invalid_argument otherwise.
torch::ScalarType parseDtype(const std::string& text);
std::string dtypeName(torch::ScalarType dtype);

// Whether `dtype` runs at full speed on `device` here: fp32 everywhere, fp16
// and bf16 on CUDA, bf16 on CPUs with bf16 units.
bool runsNatively(const torch::Device& device, torch::ScalarType dtype);

// Auto picks CUDA when present. Asking for CUDA on a machine without it
// throws std::runtime_error with a sentence for the user. The precision:
// `dtypeOverride` when given (fp16 on the CPU is refused: LibTorch has no
// fast CPU kernels for it; bf16 on a CPU without bf16 units is allowed, for
// comparisons, and slow); else `preferred` when it runs natively (a library
// keeps the precision its vectors have); else the device's best (fp16 on
// CUDA, bf16 or fp32 on the CPU as above).
ComputeOptions chooseCompute(DevicePreference preference,
                             torch::ScalarType dtypeOverride = torch::ScalarType::Undefined,
                             torch::ScalarType preferred = torch::ScalarType::Undefined);

// LibTorch starts with one intra-op thread on some builds; use every core
// unless PHOTOSEARCH_THREADS says otherwise. Returns the thread count set.
int configureCpuThreads();

std::string describe(const ComputeOptions& compute);

} // namespace clip
