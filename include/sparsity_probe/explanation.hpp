#pragma once
// For teaching (the Learn view): the first seed's forest of a probe run, kept so that its trees
// can be drawn as partitions of the plane and its M-term approximations f_M evaluated on a grid.
// It is the very forest whose τ-curve `analyze` reports first (same seed, same trees).
#include <cstdint>
#include <limits>
#include <vector>

#include "sparsity_probe/layer.hpp"
#include "sparsity_probe/settings.hpp"
#include "sparsity_probe/tree.hpp"

namespace sparsity_probe {

class ForestExplanation {
public:
    // Throws InputError like analyze() does.
    ForestExplanation(const Layer& layer, const std::vector<std::int64_t>& labels, const Settings& settings);

    std::size_t trees() const { return forest_.size(); }
    std::size_t classes() const { return classes_; }
    std::size_t features() const { return minimum_.size(); }
    std::size_t wavelets() const { return wavelet_count_; }
    const Tree& tree(std::size_t t) const { return forest_[t]; }
    double minimum(std::size_t feature) const { return minimum_[feature]; }
    double maximum(std::size_t feature) const { return maximum_[feature]; }

    // Position of a node's wavelet in the order of decreasing norm (0 = largest), or -1 when its
    // norm is zero; log ‖ψ‖ of the node (−∞ for the root and zero norms).
    std::int64_t rank(std::size_t tree, std::size_t node) const { return rank_[tree][node]; }
    double log_norm(std::size_t tree, std::size_t node) const { return log_norm_[tree][node]; }

    // The node's box in normalised coordinates [0,1]^d: low and high per feature.
    void box(std::size_t tree, std::size_t node, std::vector<double>& low, std::vector<double>& high) const;

    // f_M at the centres of a grid × grid lattice over the normalised square of features 0 and 1
    // (row-major, y outer), `classes()` values per cell. Needs a 2-feature layer.
    std::vector<float> approximation_grid(std::size_t m, std::size_t grid) const;

private:
    std::vector<Tree> forest_;
    std::vector<std::vector<std::int64_t>> rank_;
    std::vector<std::vector<double>> log_norm_;
    std::vector<double> root_mean_;                     // mean over trees of E_root, per class
    std::vector<std::vector<double>> step_;             // per tree: (E_node − E_parent)/J, nodes x classes
    std::vector<double> minimum_, maximum_;
    std::size_t classes_ = 0, wavelet_count_ = 0;
};

}  // namespace sparsity_probe
