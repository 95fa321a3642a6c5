#include "sparsity_probe/normalization.hpp"

#include <cmath>
#include <sstream>

#include "sparsity_probe/error.hpp"

namespace sparsity_probe {

NormalizedLayer::NormalizedLayer(const Layer& layer)
    : layer_(&layer), min_(layer.features), max_(layer.features), inverse_range_(layer.features) {
    const std::size_t n = layer.samples, d = layer.features;
    if (layer.values.size() != n * d) {
        std::ostringstream out;
        out << "layer " << layer.name << ": expected " << n << " x " << d << " = " << n * d << " values, found "
            << layer.values.size();
        throw InputError(out.str());
    }
    for (std::size_t f = 0; f < d; ++f) {
        min_[f] = HUGE_VAL;
        max_[f] = -HUGE_VAL;
    }
    for (std::size_t i = 0; i < n; ++i) {
        const float* row = &layer.values[i * d];
        for (std::size_t f = 0; f < d; ++f) {
            const float v = row[f];
            if (!std::isfinite(v)) {
                std::ostringstream out;
                out << "layer " << layer.name << ": non-finite value " << v << " at row " << i << ", column " << f
                    << " (the probe needs finite activations)";
                throw InputError(out.str());
            }
            if (v < min_[f]) min_[f] = v;
            if (v > max_[f]) max_[f] = v;
        }
    }
    for (std::size_t f = 0; f < d; ++f) {
        if (n == 0) min_[f] = max_[f] = 0.0;
        const double range = max_[f] - min_[f];
        inverse_range_[f] = range > 0.0 ? 1.0 / range : 0.0;
    }
}

}  // namespace sparsity_probe
