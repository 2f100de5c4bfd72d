#include "LinearProbe.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace photosearch {

namespace {

// Stops when the gradient's norm is this small: far below what changes a
// ranking of probabilities, and reached in 5–15 Newton steps.
constexpr double kGradientTolerance = 1e-8;
constexpr int kMaxNewtonSteps = 60;
constexpr int kMaxCgSteps = 200;
// The bias is unregularised; this keeps its Hessian row positive when every
// probability saturates.
constexpr double kBiasDamping = 1e-10;

double softplus(double z)
{
    return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
}

double sigmoid(double z)
{
    return z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z));
}

double dot(const std::vector<double>& a, const std::vector<double>& b)
{
    double s = 0;
    for (size_t i = 0; i < a.size(); ++i)
        s += a[i] * b[i];
    return s;
}

// The objective over θ = (w, b), with w in θ[0..D) and b in θ[D].
class Objective {
public:
    Objective(const std::vector<ProbeExample>& examples, double l2)
        : l2_(l2)
        , dim_(examples.front().embedding->size())
    {
        double total = 0;
        for (const ProbeExample& e : examples)
            total += e.weight;
        for (const ProbeExample& e : examples) {
            x_.emplace_back(e.embedding->begin(), e.embedding->end());
            y_.push_back(e.positive ? 1.0 : 0.0);
            c_.push_back(e.weight / total);
        }
    }

    size_t size() const { return dim_ + 1; }

    double z(const std::vector<double>& theta, size_t i) const
    {
        double s = theta[dim_];
        for (size_t d = 0; d < dim_; ++d)
            s += theta[d] * x_[i][d];
        return s;
    }

    double value(const std::vector<double>& theta) const
    {
        double f = 0;
        for (size_t i = 0; i < x_.size(); ++i) {
            const double zi = z(theta, i);
            f += c_[i] * (softplus(zi) - y_[i] * zi);
        }
        double w2 = 0;
        for (size_t d = 0; d < dim_; ++d)
            w2 += theta[d] * theta[d];
        return f + 0.5 * l2_ * w2;
    }

    // The gradient, and the per-example curvature c_i p_i (1 - p_i) the
    // Hessian-vector products of this point need.
    std::vector<double> gradient(const std::vector<double>& theta, std::vector<double>* curvature) const
    {
        std::vector<double> g(size(), 0.0);
        curvature->assign(x_.size(), 0.0);
        for (size_t i = 0; i < x_.size(); ++i) {
            const double p = sigmoid(z(theta, i));
            const double r = c_[i] * (p - y_[i]);
            for (size_t d = 0; d < dim_; ++d)
                g[d] += r * x_[i][d];
            g[dim_] += r;
            (*curvature)[i] = c_[i] * p * (1 - p);
        }
        for (size_t d = 0; d < dim_; ++d)
            g[d] += l2_ * theta[d];
        return g;
    }

    std::vector<double> hessianTimes(const std::vector<double>& curvature, const std::vector<double>& v) const
    {
        std::vector<double> out(size(), 0.0);
        for (size_t i = 0; i < x_.size(); ++i) {
            const double u = curvature[i] * z(v, i);
            for (size_t d = 0; d < dim_; ++d)
                out[d] += u * x_[i][d];
            out[dim_] += u;
        }
        for (size_t d = 0; d < dim_; ++d)
            out[d] += l2_ * v[d];
        out[dim_] += kBiasDamping * v[dim_];
        return out;
    }

private:
    double l2_;
    size_t dim_;
    std::vector<std::vector<double>> x_;
    std::vector<double> y_;
    std::vector<double> c_;
};

// Solves H·step = -g approximately (truncated CG, Eisenstat–Walker forcing).
std::vector<double> newtonStep(const Objective& f, const std::vector<double>& curvature, const std::vector<double>& g)
{
    const double gNorm = std::sqrt(dot(g, g));
    const double tolerance = std::min(0.5, std::sqrt(gNorm)) * gNorm;
    std::vector<double> step(g.size(), 0.0);
    std::vector<double> r(g.size());
    for (size_t i = 0; i < g.size(); ++i)
        r[i] = -g[i];
    std::vector<double> p = r;
    double rr = dot(r, r);
    for (int k = 0; k < kMaxCgSteps && std::sqrt(rr) > tolerance; ++k) {
        const std::vector<double> hp = f.hessianTimes(curvature, p);
        const double php = dot(p, hp);
        if (php <= 0)
            break;
        const double alpha = rr / php;
        for (size_t i = 0; i < step.size(); ++i) {
            step[i] += alpha * p[i];
            r[i] -= alpha * hp[i];
        }
        const double rrNext = dot(r, r);
        for (size_t i = 0; i < p.size(); ++i)
            p[i] = r[i] + (rrNext / rr) * p[i];
        rr = rrNext;
    }
    return step;
}

} // namespace

LinearProbe::LinearProbe(std::vector<float> weights, double bias)
    : weights_(std::move(weights))
    , bias_(bias)
{
}

LinearProbe LinearProbe::train(const std::vector<ProbeExample>& examples, double l2)
{
    bool hasPositive = false;
    bool hasNegative = false;
    for (const ProbeExample& e : examples) {
        if (!e.embedding || e.embedding->empty() || e.embedding->size() != examples.front().embedding->size()
            || !(e.weight > 0))
            throw std::invalid_argument("probe examples need embeddings of one dimension and positive weights");
        (e.positive ? hasPositive : hasNegative) = true;
    }
    if (!hasPositive || !hasNegative)
        throw std::invalid_argument("a probe needs positive and negative examples");

    const Objective f(examples, l2);
    std::vector<double> theta(f.size(), 0.0);
    double value = f.value(theta);
    std::vector<double> curvature;
    for (int step = 0; step < kMaxNewtonSteps; ++step) {
        const std::vector<double> g = f.gradient(theta, &curvature);
        if (std::sqrt(dot(g, g)) < kGradientTolerance)
            break;
        const std::vector<double> direction = newtonStep(f, curvature, g);
        const double slope = dot(g, direction);
        if (!(slope < 0))
            break;
        // Armijo backtracking: a full Newton step is taken near the optimum.
        double t = 1;
        std::vector<double> next(theta.size());
        bool moved = false;
        for (int halvings = 0; halvings < 40; ++halvings, t *= 0.5) {
            for (size_t i = 0; i < theta.size(); ++i)
                next[i] = theta[i] + t * direction[i];
            const double nextValue = f.value(next);
            if (nextValue <= value + 1e-4 * t * slope) {
                theta.swap(next);
                value = nextValue;
                moved = true;
                break;
            }
        }
        if (!moved)
            break;
    }
    std::vector<float> weights(theta.begin(), theta.end() - 1);
    return LinearProbe(std::move(weights), theta.back());
}

double LinearProbe::logit(const std::vector<float>& embedding) const
{
    if (embedding.size() != weights_.size())
        throw std::invalid_argument("embedding and probe dimensions differ");
    double s = bias_;
    for (size_t d = 0; d < weights_.size(); ++d)
        s += double(weights_[d]) * embedding[d];
    return s;
}

double LinearProbe::probability(const std::vector<float>& embedding) const
{
    return sigmoid(logit(embedding));
}

} // namespace photosearch
