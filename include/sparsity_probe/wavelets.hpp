#pragma once
// Step 4: the geometric wavelet decomposition of the forest (paper eq. 3.2). Every non-root node Ω'
// with parent Ω carries ψ_Ω' = 1_Ω'·(E_Ω' − E_Ω), of norm ‖E_Ω' − E_Ω‖₂·|Ω'|^{1/2}. Norms are kept
// as logarithms: a depth-15 box in 1,000 dimensions has a volume far below the smallest double.
#include <cstdint>
#include <vector>

#include "sparsity_probe/settings.hpp"
#include "sparsity_probe/tree.hpp"

namespace sparsity_probe {

struct Wavelet {
    std::uint32_t tree;
    std::uint32_t node;
    double log_norm;  // log ‖ψ_node‖
};

// log |Ω| of a node under the chosen measure.
double log_measure(const Tree& tree, std::size_t node, Measure measure);

// All wavelets of the forest with a non-zero norm, tree by tree in preorder. Zero norms (a child
// with the same mean as its parent) are left out, as N_τ skips them.
std::vector<Wavelet> wavelet_decomposition(const std::vector<Tree>& forest, Measure measure);

}  // namespace sparsity_probe
