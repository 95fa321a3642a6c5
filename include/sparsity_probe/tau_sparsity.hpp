#pragma once
// Step 5: τ-sparsity of the forest on a grid of τ (paper eq. 3.7),
//   N_τ = (1/J) · (Σ_j Σ_{Ω ≠ root} ‖ψ_Ω‖^τ)^{1/τ},
// evaluated as log N_τ = −log J + (1/τ)·logsumexp_Ω(τ·log‖ψ_Ω‖): for small τ and many wavelets
// the plain sum overflows a double long before the answer does.
#include <cstddef>
#include <vector>

#include "sparsity_probe/settings.hpp"

namespace sparsity_probe {

struct TauCurve {
    std::vector<double> tau;
    std::vector<double> log_n_tau;  // natural log of N_τ; exp() may overflow, the log never does
};

// `log_norms`: log‖ψ‖ of every non-zero wavelet of a forest of `trees` trees. The points of the
// grid are independent; `threads` as in Settings, the result does not depend on it.
TauCurve tau_sparsity(const std::vector<double>& log_norms, std::size_t trees, const Settings& settings,
                      unsigned threads = 1);

// log Σ_i exp(x_i), stable for any magnitudes. Summed in index order, so it is reproducible.
double log_sum_exp(const std::vector<double>& x, double scale);

}  // namespace sparsity_probe
