#pragma once
// L2-regularised logistic regression on unit CLIP embeddings: the linear
// probe of the CLIP paper (Radford et al. 2021, §3.2), here trained from the
// handful of photos a person marks for a few-shot album.
//
//   minimise  Σ c_i · logloss(σ(w·x_i + b), y_i)  +  λ/2 · |w|²,   Σ c_i = 1
//
// c_i are the caller's example weights (class balance, trust in an example),
// normalised to sum to one so that λ means the same for 10 or 2,000
// examples. The bias is not regularised. Solved by Newton's method with
// conjugate gradients (Hessian-vector products only, never a D×D matrix)
// and a backtracking line search: the problem is small (D ≤ 1024, a few
// thousand examples) and strictly convex, so a few Newton steps reach the
// optimum to ~1e-8 in milliseconds, with no learning rate to tune.
//
// Pure arithmetic in a fixed order: the same examples give the same weights.
// Thread rule: none (no shared state).

#include <vector>

namespace photosearch {

struct ProbeExample {
    const std::vector<float>* embedding = nullptr; // must outlive train()
    bool positive = false;
    double weight = 1;                              // > 0
};

class LinearProbe {
public:
    LinearProbe() = default;
    LinearProbe(std::vector<float> weights, double bias);

    // Needs at least one positive and one negative example, all of one
    // dimension; throws std::invalid_argument otherwise (a probe with one
    // class has no boundary to learn). `l2` is λ above.
    static LinearProbe train(const std::vector<ProbeExample>& examples, double l2);

    double logit(const std::vector<float>& embedding) const;
    double probability(const std::vector<float>& embedding) const;

    const std::vector<float>& weights() const { return weights_; }
    double bias() const { return bias_; }
    bool isValid() const { return !weights_.empty(); }

private:
    std::vector<float> weights_;
    double bias_ = 0;
};

} // namespace photosearch
