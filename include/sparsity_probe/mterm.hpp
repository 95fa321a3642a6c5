#pragma once
// The second estimator (SPEC §2.8; Elisha & Dekel 2016): M-term approximation. The forest's
// wavelets (each 1/J·ψ_Ω) are ordered by norm, largest first; f_M is the mean of the trees' root
// values plus the M largest; e(M) = (1/n)·Σ_i ‖Y_i − f_M(x_i)‖² over all n samples. On log–log axes
// e(M) falls roughly like M^{−r}; the least-squares slope r is reported as alpha_mterm.
#include <vector>

#include "sparsity_probe/normalization.hpp"
#include "sparsity_probe/targets.hpp"
#include "sparsity_probe/tree.hpp"
#include "sparsity_probe/wavelets.hpp"

namespace sparsity_probe {

struct MTermCurve {
    std::vector<double> m;      // numbers of wavelets kept, log-spaced from 1 to all of them
    std::vector<double> error;  // e(M)
    double error_at_zero = 0.0; // e(0): the root means alone
    bool determined = false;    // false when fewer than two points have a positive error
    double rate = 0.0;          // r, from the fit of log e(M) = c − r·log M
};

// The M values at which e(M) is reported: `points` log-spaced integers in [1, count], deduplicated.
std::vector<std::size_t> mterm_grid(std::size_t count, int points);

// `threads` (as in Settings) route the samples down the trees; the residuals are summed on one.
MTermCurve mterm_approximation(const std::vector<Tree>& forest, const std::vector<Wavelet>& wavelets,
                               const NormalizedLayer& layer, const OneHotTargets& targets, int points,
                               unsigned threads = 1);

}  // namespace sparsity_probe
