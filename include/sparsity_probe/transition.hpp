#pragma once
// Step 6: the transition index (paper §3.3). The derivative N'_τ is taken by central differences
// (one-sided at the ends), θ_k = arctan N'_τ(τ_k), and τ* is the mean of the τ_k whose angle lies
// in [−π/2 + ε_low, −π/2 + ε_high] — the steep part where N_τ stops being finite. α* = 1/τ* − 1/2.
#include <cstddef>
#include <string>
#include <vector>

#include "sparsity_probe/settings.hpp"
#include "sparsity_probe/tau_sparsity.hpp"

namespace sparsity_probe {

struct Transition {
    std::vector<double> angle;   // θ_k in radians, whatever eps_unit says
    std::size_t in_band = 0;     // |S|
    bool determined = false;
    double tau_star = 0.0;
    double alpha = 0.0;
    std::string reason;          // when not determined: why, and what to try
};

// N'_τ at every grid point, computed from log N_τ without overflow: a difference of two values
// beyond the double range becomes ±infinity, whose arctangent is exactly ∓π/2.
std::vector<double> tau_derivative(const TauCurve& curve);

Transition transition_index(const TauCurve& curve, const Settings& settings);

}  // namespace sparsity_probe
