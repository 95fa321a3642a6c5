#include "sparsity_probe/tree.hpp"

namespace sparsity_probe {

std::uint32_t Tree::leaf_of(const NormalizedLayer& layer, std::size_t sample) const {
    std::uint32_t id = 0;
    while (!nodes[id].is_leaf()) {
        const TreeNode& node = nodes[id];
        id = layer(sample, static_cast<std::size_t>(node.feature)) <= node.threshold ? node.left : node.right;
    }
    return id;
}

double Tree::mean_difference_squared(std::size_t node) const {
    const std::size_t parent = nodes[node].parent;
    const double w_child = static_cast<double>(nodes[node].weight);
    const double w_parent = static_cast<double>(nodes[parent].weight);
    // Both count lists ascend by label and the child's labels are a subset of the parent's.
    const ClassCount* c = counts_begin(node);
    const ClassCount* c_end = counts_end(node);
    double sum = 0.0;
    for (const ClassCount* p = counts_begin(parent); p != counts_end(parent); ++p) {
        double child_mean = 0.0;
        if (c != c_end && c->label == p->label) child_mean = static_cast<double>((c++)->weight) / w_child;
        const double diff = child_mean - static_cast<double>(p->weight) / w_parent;
        sum += diff * diff;
    }
    return sum;
}

}  // namespace sparsity_probe
