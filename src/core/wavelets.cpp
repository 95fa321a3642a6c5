#include "sparsity_probe/wavelets.hpp"

#include <cmath>

#include "sparsity_probe/portable_math.hpp"

namespace sparsity_probe {

double log_measure(const Tree& tree, std::size_t node, Measure measure) {
    if (measure == Measure::volume) return tree.nodes[node].log_volume;
    return portable_log(static_cast<double>(tree.nodes[node].weight)) - portable_log(static_cast<double>(tree.nodes[0].weight));
}

std::vector<Wavelet> wavelet_decomposition(const std::vector<Tree>& forest, Measure measure) {
    std::vector<Wavelet> wavelets;
    for (std::size_t t = 0; t < forest.size(); ++t) {
        const Tree& tree = forest[t];
        for (std::size_t node = 1; node < tree.size(); ++node) {
            const double difference = tree.mean_difference_squared(node);
            if (!(difference > 0.0)) continue;
            const double log_norm = 0.5 * (portable_log(difference) + log_measure(tree, node, measure));
            if (!std::isfinite(log_norm)) continue;  // a box of volume 0 (cannot happen for midpoints)
            wavelets.push_back({static_cast<std::uint32_t>(t), static_cast<std::uint32_t>(node), log_norm});
        }
    }
    return wavelets;
}

}  // namespace sparsity_probe
