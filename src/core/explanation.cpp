#include "sparsity_probe/explanation.hpp"

#include <algorithm>
#include <cmath>

#include "sparsity_probe/binning.hpp"
#include "sparsity_probe/error.hpp"
#include "sparsity_probe/forest.hpp"
#include "sparsity_probe/normalization.hpp"
#include "sparsity_probe/targets.hpp"
#include "sparsity_probe/wavelets.hpp"
#include "task_pool.hpp"

namespace sparsity_probe {

ForestExplanation::ForestExplanation(const Layer& layer, const std::vector<std::int64_t>& labels,
                                     const Settings& settings) {
    validate(settings);
    if (labels.size() != layer.samples)
        throw InputError("layer " + layer.name + ": " + std::to_string(layer.samples) + " samples but " +
                         std::to_string(labels.size()) + " labels (expected one label per sample)");
    const NormalizedLayer normalized(layer);
    const OneHotTargets targets = one_hot(labels, "layer " + layer.name + ": labels");
    const BinnedFeatures bins = bin_features(normalized, settings.max_bins, settings.threads);
    const TrainingSet data{normalized, bins, targets};
    classes_ = targets.classes();
    for (std::size_t f = 0; f < layer.features; ++f) {
        minimum_.push_back(normalized.min(f));
        maximum_.push_back(normalized.max(f));
    }

    const auto trees = static_cast<std::size_t>(settings.trees);
    forest_.resize(trees);
    run_tasks(trees, settings.threads, [&](std::size_t t) {
        forest_[t] = grow_tree(data, settings, tree_seed(settings.seed, 0, static_cast<int>(t)));
    });

    // Ranks in the M-term order: decreasing norm, ties by (tree, node), as mterm_approximation.
    std::vector<Wavelet> order = wavelet_decomposition(forest_, settings.measure);
    wavelet_count_ = order.size();
    std::sort(order.begin(), order.end(), [](const Wavelet& a, const Wavelet& b) {
        if (a.log_norm != b.log_norm) return a.log_norm > b.log_norm;
        if (a.tree != b.tree) return a.tree < b.tree;
        return a.node < b.node;
    });
    rank_.resize(trees);
    log_norm_.resize(trees);
    step_.resize(trees);
    for (std::size_t t = 0; t < trees; ++t) {
        rank_[t].assign(forest_[t].size(), -1);
        log_norm_[t].assign(forest_[t].size(), -HUGE_VAL);
    }
    for (std::size_t r = 0; r < order.size(); ++r) {
        rank_[order[r].tree][order[r].node] = static_cast<std::int64_t>(r);
        log_norm_[order[r].tree][order[r].node] = order[r].log_norm;
    }

    root_mean_.assign(classes_, 0.0);
    const double j = static_cast<double>(trees);
    std::vector<double> mean(classes_);
    for (std::size_t t = 0; t < trees; ++t) {
        const Tree& tree = forest_[t];
        std::vector<double> means(tree.size() * classes_, 0.0);
        for (std::size_t node = 0; node < tree.size(); ++node) {
            const double w = static_cast<double>(tree.nodes[node].weight);
            for (const ClassCount* c = tree.counts_begin(node); c != tree.counts_end(node); ++c)
                means[node * classes_ + c->label] = static_cast<double>(c->weight) / w;
        }
        for (std::size_t k = 0; k < classes_; ++k) root_mean_[k] += means[k] / j;
        step_[t].assign(tree.size() * classes_, 0.0);
        for (std::size_t node = 1; node < tree.size(); ++node) {
            const std::size_t parent = tree.nodes[node].parent;
            for (std::size_t k = 0; k < classes_; ++k)
                step_[t][node * classes_ + k] = (means[node * classes_ + k] - means[parent * classes_ + k]) / j;
        }
    }
}

void ForestExplanation::box(std::size_t t, std::size_t node, std::vector<double>& low, std::vector<double>& high) const {
    low.assign(features(), 0.0);
    high.assign(features(), 1.0);
    // Walk up from the node: each ancestor's split bounds the box on one side.
    const Tree& tree = forest_[t];
    std::size_t child = node;
    while (child != 0) {
        const std::size_t parent = tree.nodes[child].parent;
        const TreeNode& split = tree.nodes[parent];
        const auto f = static_cast<std::size_t>(split.feature);
        if (split.left == child)
            high[f] = std::min(high[f], split.threshold);
        else
            low[f] = std::max(low[f], split.threshold);
        child = parent;
    }
}

std::vector<float> ForestExplanation::approximation_grid(std::size_t m, std::size_t grid) const {
    if (features() != 2)
        throw InputError("the approximation map needs a 2-feature layer, found " + std::to_string(features()) +
                         " features");
    if (grid < 1 || grid > 1024) throw InputError("grid size " + std::to_string(grid) + ": expected 1 to 1024");
    std::vector<float> out(grid * grid * classes_);
    std::vector<double> value(classes_);
    for (std::size_t row = 0; row < grid; ++row) {
        const double y = (static_cast<double>(row) + 0.5) / static_cast<double>(grid);
        for (std::size_t column = 0; column < grid; ++column) {
            const double x = (static_cast<double>(column) + 0.5) / static_cast<double>(grid);
            value = root_mean_;
            for (std::size_t t = 0; t < forest_.size(); ++t) {
                const Tree& tree = forest_[t];
                std::uint32_t id = 0;
                while (!tree.nodes[id].is_leaf()) {
                    const TreeNode& node = tree.nodes[id];
                    id = (node.feature == 0 ? x : y) <= node.threshold ? node.left : node.right;
                    const std::int64_t r = rank_[t][id];
                    if (r >= 0 && static_cast<std::size_t>(r) < m)
                        for (std::size_t k = 0; k < classes_; ++k) value[k] += step_[t][id * classes_ + k];
                }
            }
            float* cell = &out[(row * grid + column) * classes_];
            for (std::size_t k = 0; k < classes_; ++k) cell[k] = static_cast<float>(value[k]);
        }
    }
    return out;
}

}  // namespace sparsity_probe
