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

} // namespace testsupport
