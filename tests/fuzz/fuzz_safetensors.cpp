// libFuzzer target: the safetensors reader (header checks, then every
// floating tensor loaded as F32, as the model loader does).
#include <torch/types.h>

#include "FuzzFile.h"
#include "ModelError.h"
#include "SafeTensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const FuzzFile file(data, size);
    try {
        const clip::SafeTensorsFile st(file.path());
        for (const auto& [name, info] : st.tensors()) {
            try {
                const torch::Tensor t = st.load(name, info.shape);
                (void)t.sum().item<float>(); // reads every element
            } catch (const clip::ModelError&) {
            }
        }
    } catch (const clip::ModelError&) {
    }
    return 0;
}
