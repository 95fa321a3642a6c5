#pragma once
// One regression tree of the forest (paper §3.1.1), stored flat in preorder: a node's subtree is
// the id range [id, subtree_end), which lets the M-term step find a node's samples as one slice.
// The tree keeps, for every node, its weighted class counts; the mean target E_Ω and therefore
// every wavelet follow from them. Nothing here depends on the measure chosen for |Ω|.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sparsity_probe/normalization.hpp"

namespace sparsity_probe {

struct TreeNode {
    std::int32_t feature = -1;      // split feature; -1 for a leaf
    double threshold = 0.0;         // normalised value; x <= threshold goes left
    std::uint32_t left = 0, right = 0;
    std::uint32_t parent = 0;       // the root is its own parent
    std::uint32_t subtree_end = 0;  // one past the last node of this subtree
    std::uint32_t depth = 0;
    std::uint32_t distinct = 0;     // distinct training samples in the node
    std::uint64_t weight = 0;       // training samples counted with bootstrap multiplicity
    double log_volume = 0.0;        // log of the node box's Lebesgue volume inside [0,1]^d

    bool is_leaf() const { return feature < 0; }
};

struct ClassCount {
    std::uint32_t label;   // dense class index
    std::uint32_t weight;  // samples of that class in the node, with multiplicity
};

struct Tree {
    std::vector<TreeNode> nodes;                // preorder, nodes[0] is the root
    std::vector<std::uint32_t> class_offsets;   // node i's counts: [class_offsets[i], class_offsets[i+1])
    std::vector<ClassCount> class_counts;       // ascending label within a node

    std::size_t size() const { return nodes.size(); }
    const ClassCount* counts_begin(std::size_t node) const { return class_counts.data() + class_offsets[node]; }
    const ClassCount* counts_end(std::size_t node) const { return class_counts.data() + class_offsets[node + 1]; }

    // Leaf reached by sample `i` of `layer`.
    std::uint32_t leaf_of(const NormalizedLayer& layer, std::size_t sample) const;

    // ‖E_node − E_parent(node)‖² from the class counts (sparse: only the parent's classes).
    double mean_difference_squared(std::size_t node) const;
};

}  // namespace sparsity_probe
