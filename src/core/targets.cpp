#include "sparsity_probe/targets.hpp"

#include <algorithm>
#include <sstream>

#include "sparsity_probe/error.hpp"

namespace sparsity_probe {

OneHotTargets one_hot(const std::vector<std::int64_t>& labels, const std::string& what) {
    if (labels.empty()) throw InputError(what + ": no labels (expected one label per sample)");
    OneHotTargets targets;
    targets.class_values = labels;
    std::sort(targets.class_values.begin(), targets.class_values.end());
    targets.class_values.erase(std::unique(targets.class_values.begin(), targets.class_values.end()),
                               targets.class_values.end());
    if (targets.class_values.size() < 2) {
        std::ostringstream out;
        out << what << ": all " << labels.size() << " labels are " << targets.class_values.front()
            << "; the probe needs at least two classes";
        throw InputError(out.str());
    }
    targets.class_of.resize(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const auto at = std::lower_bound(targets.class_values.begin(), targets.class_values.end(), labels[i]);
        targets.class_of[i] = static_cast<std::uint32_t>(at - targets.class_values.begin());
    }
    return targets;
}

}  // namespace sparsity_probe
