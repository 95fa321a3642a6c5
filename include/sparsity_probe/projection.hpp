#pragma once
// A 2-D view of a layer (the paper's Figure 2): its first two principal components, on the
// normalised layer, by subspace iteration — O(n·d) per step, no d×d covariance, so it works for
// layers with thousands of features. Written with plain loops in a fixed order, so the numbers are
// the same natively and in WebAssembly.
#include <cstdint>
#include <vector>

#include "sparsity_probe/layer.hpp"

namespace sparsity_probe {

struct Projection {
    std::vector<double> coordinates;         // samples x 2
    std::vector<double> components;          // 2 x features, unit length, orthogonal
    double explained_variance_ratio[2] = {0.0, 0.0};
};

Projection principal_components(const Layer& layer, std::uint64_t seed = 0, int iterations = 12);

}  // namespace sparsity_probe
