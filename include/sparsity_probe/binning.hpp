#pragma once
// Binning once per layer (LightGBM's idea): each normalised feature is cut into at most 256 bins
// holding about equally many samples, and every sample keeps a one-byte bin code per feature.
// A feature with at most `max_bins` distinct values gets one bin per value, so nothing is lost.
// Split search over bins then needs no sorting; small nodes still use exact sorted search.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "sparsity_probe/normalization.hpp"

namespace sparsity_probe {

struct BinnedFeatures {
    static constexpr std::size_t max_bins = 256;

    std::size_t samples = 0;
    std::size_t features = 0;
    // Written once by the feature's own binning task, so not zeroed first: a layer's codes are
    // as many bytes as it has values, and zeroing them on one thread cost more than binning.
    std::unique_ptr<std::uint8_t[]> codes;  // feature-major: codes[f * samples + i], so a node's
                                            // scan of one feature touches one contiguous column
    std::vector<std::uint16_t> bin_count;  // bins used by each feature (1 for a constant feature)
    // Smallest and largest normalised value that falls in each bin: [f * max_bins + b]. A split
    // between bins b and b' > b is placed half-way between high(b) and low(b'), which is exactly
    // the threshold exact search would choose whenever the bins are one value each.
    // Only the first bin_count[f] entries of a feature are set.
    std::unique_ptr<double[]> bin_low, bin_high;

    const std::uint8_t* column(std::size_t feature) const { return &codes[feature * samples]; }
    double low(std::size_t feature, std::size_t bin) const { return bin_low[feature * max_bins + bin]; }
    double high(std::size_t feature, std::size_t bin) const { return bin_high[feature * max_bins + bin]; }
};

// `threads` as in Settings (0: all cores); the result does not depend on it.
BinnedFeatures bin_features(const NormalizedLayer& layer, int max_bins = 256, unsigned threads = 1);

}  // namespace sparsity_probe
