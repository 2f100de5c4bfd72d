#pragma once
// ||got - want|| / ||want|| in double precision: the agreement measure the
// golden fixture states (1e-4 for fp32).

#include <torch/torch.h>

namespace testsupport {

inline double relativeL2(const torch::Tensor& got, const torch::Tensor& want)
{
    const torch::Tensor w = want.flatten().to(torch::kDouble);
    return (got.flatten().to(torch::kDouble) - w).norm().item<double>() / w.norm().item<double>();
}

// The smallest cosine similarity between matching rows of two [N, D]
// tensors: the measure issue 15 sets for reduced precision (>= 0.999).
inline double minRowCosine(const torch::Tensor& got, const torch::Tensor& want)
{
    const torch::Tensor g = got.reshape({-1, got.size(-1)}).to(torch::kDouble);
    const torch::Tensor w = want.reshape({-1, want.size(-1)}).to(torch::kDouble);
    return torch::cosine_similarity(g, w, 1).min().item<double>();
}

} // namespace testsupport
