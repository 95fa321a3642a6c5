#pragma once
// Step 2: one-hot targets. The row e_k for class k is never materialised: a sample's target is
// just its dense class index, and every statistic the forest needs (class counts, Σ_k c_k²) is
// computed from counts. This is what keeps 100 classes from costing 100× time or memory.
#include <cstdint>
#include <string>
#include <vector>

namespace sparsity_probe {

struct OneHotTargets {
    std::vector<std::int64_t> class_values;  // original label of dense class k, ascending
    std::vector<std::uint32_t> class_of;     // dense class index of each sample

    std::size_t classes() const { return class_values.size(); }
    std::size_t samples() const { return class_of.size(); }
};

// Re-index labels densely (ascending original value). `what` names the source in messages.
// Throws InputError for no labels or fewer than two distinct classes.
OneHotTargets one_hot(const std::vector<std::int64_t>& labels, const std::string& what = "labels");

}  // namespace sparsity_probe
