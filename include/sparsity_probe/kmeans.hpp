#pragma once
// KMeans on the normalised layer (Lloyd's iterations from k-means++ seeds, best of several
// restarts), the clustering the paper's Table 2 scores against the labels.
#include <cstdint>
#include <vector>

#include "sparsity_probe/normalization.hpp"

namespace sparsity_probe {

struct KMeansResult {
    std::vector<std::int64_t> assignment;  // cluster of each sample
    std::vector<double> centres;           // k x d
    double inertia = 0.0;                  // Σ_i ‖x_i − centre(x_i)‖²
    int iterations = 0;                    // of the best restart
};

// Throws InputError when k < 1 or k > n. Deterministic for a seed.
KMeansResult kmeans(const NormalizedLayer& layer, std::size_t k, std::uint64_t seed, int restarts = 3,
                    int max_iterations = 100);

}  // namespace sparsity_probe
