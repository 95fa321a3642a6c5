#pragma once
// Shapes in messages are written as NumPy prints them: (30, 4), (30,), ().
#include <string>
#include <vector>

namespace sparsity_probe {

template <typename Integer>
std::string shape_text(const std::vector<Integer>& shape) {
    std::string s = "(";
    for (std::size_t d = 0; d < shape.size(); ++d) {
        if (d) s += ", ";
        s += std::to_string(shape[d]);
    }
    if (shape.size() == 1) s += ",";
    return s + ")";
}

}  // namespace sparsity_probe
