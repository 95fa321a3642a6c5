#include "sparsity_probe/tau_sparsity.hpp"

#include <algorithm>
#include <cmath>

#include "sparsity_probe/portable_math.hpp"
#include "task_pool.hpp"

namespace sparsity_probe {

double log_sum_exp(const std::vector<double>& x, double scale) {
    if (x.empty()) return -HUGE_VAL;
    double largest = -HUGE_VAL;
    for (const double v : x) largest = std::max(largest, scale * v);
    double sum = 0.0;
    for (const double v : x) sum += portable_exp(scale * v - largest);
    return largest + portable_log(sum);
}

TauCurve tau_sparsity(const std::vector<double>& log_norms, std::size_t trees, const Settings& settings, unsigned threads) {
    TauCurve curve;
    const std::size_t points = tau_grid_size(settings);
    curve.tau.resize(points);
    curve.log_n_tau.resize(points);
    const double log_trees = portable_log(static_cast<double>(trees));
    run_tasks(points, threads, [&](std::size_t k) {
        const double tau = tau_at(settings, k);
        curve.tau[k] = tau;
        curve.log_n_tau[k] = -log_trees + log_sum_exp(log_norms, tau) / tau;
    });
    return curve;
}

}  // namespace sparsity_probe
