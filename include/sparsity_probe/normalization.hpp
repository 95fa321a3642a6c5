#pragma once
// Step 1 of the probe: every feature is min–max normalised to [0,1] (a constant feature becomes 0).
// The normalised layer is never stored: it is a view that maps raw values on the fly, so a layer
// costs its own memory once, not twice.
#include <cstddef>
#include <vector>

#include "sparsity_probe/layer.hpp"

namespace sparsity_probe {

class NormalizedLayer {
public:
    // Throws InputError naming the layer, row and column of the first NaN or infinity. `threads`
    // as in Settings (0: all cores); the result does not depend on it.
    explicit NormalizedLayer(const Layer& layer, unsigned threads = 1);

    std::size_t samples() const { return layer_->samples; }
    std::size_t features() const { return layer_->features; }
    const Layer& raw() const { return *layer_; }

    // Computed in double with one fixed formula everywhere (binning, exact search, routing), so
    // every comparison with a split threshold sees the same number.
    double operator()(std::size_t sample, std::size_t feature) const {
        return normalize(layer_->values[sample * layer_->features + feature], feature);
    }

    // The same map for a raw value already at hand (it is monotone: sorting raw values sorts the
    // normalised ones).
    double normalize(float raw, std::size_t feature) const {
        const double v = (static_cast<double>(raw) - min_[feature]) * inverse_range_[feature];
        return v < 1.0 ? v : 1.0;
    }

    double min(std::size_t feature) const { return min_[feature]; }
    double max(std::size_t feature) const { return max_[feature]; }

private:
    const Layer* layer_;
    std::vector<double> min_, max_, inverse_range_;
};

}  // namespace sparsity_probe
