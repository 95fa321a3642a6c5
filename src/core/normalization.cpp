#include "sparsity_probe/normalization.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sparsity_probe/error.hpp"
#include "task_pool.hpp"

namespace sparsity_probe {

NormalizedLayer::NormalizedLayer(const Layer& layer, unsigned threads)
    : layer_(&layer), min_(layer.features), max_(layer.features), inverse_range_(layer.features) {
    const std::size_t n = layer.samples, d = layer.features;
    if (layer.values.size() != n * d) {
        std::ostringstream out;
        out << "layer " << layer.name << ": expected " << n << " x " << d << " = " << n * d << " values, found "
            << layer.values.size();
        throw InputError(out.str());
    }
    // Row blocks on the worker threads, each with its own extremes, merged in block order: a
    // minimum does not depend on the order it is taken in, and the first non-finite value reported
    // is the first in row order whatever the thread count.
    const std::size_t rows_per_block = 256, blocks = (n + rows_per_block - 1) / rows_per_block;
    std::vector<float> block_min(blocks * d, HUGE_VALF), block_max(blocks * d, -HUGE_VALF);
    std::vector<std::size_t> first_bad(blocks, n * d);
    run_tasks(blocks, threads, [&](std::size_t block) {
        float* low = &block_min[block * d];
        float* high = &block_max[block * d];
        for (std::size_t i = block * rows_per_block; i < std::min(n, (block + 1) * rows_per_block); ++i) {
            const float* row = &layer.values[i * d];
            bool finite = true;
            for (std::size_t f = 0; f < d; ++f) {
                const float v = row[f];
                finite &= std::isfinite(v);
                low[f] = v < low[f] ? v : low[f];
                high[f] = v > high[f] ? v : high[f];
            }
            if (!finite) {
                std::size_t f = 0;
                while (std::isfinite(row[f])) ++f;
                first_bad[block] = i * d + f;
                return;
            }
        }
    });
    for (std::size_t block = 0; block < blocks; ++block) {
        if (first_bad[block] == n * d) continue;
        const std::size_t i = first_bad[block] / d, f = first_bad[block] % d;
        std::ostringstream out;
        out << "layer " << layer.name << ": non-finite value " << layer.values[i * d + f] << " at row " << i << ", column " << f
            << " (the probe needs finite activations)";
        throw InputError(out.str());
    }
    for (std::size_t f = 0; f < d; ++f) {
        float low = HUGE_VALF, high = -HUGE_VALF;
        for (std::size_t block = 0; block < blocks; ++block) {
            low = std::min(low, block_min[block * d + f]);
            high = std::max(high, block_max[block * d + f]);
        }
        min_[f] = low;
        max_[f] = high;
    }
    for (std::size_t f = 0; f < d; ++f) {
        if (n == 0) min_[f] = max_[f] = 0.0;
        const double range = max_[f] - min_[f];
        inverse_range_[f] = range > 0.0 ? 1.0 / range : 0.0;
    }
}

}  // namespace sparsity_probe
