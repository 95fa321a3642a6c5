#include "sparsity_probe/binning.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <utility>

#include "spare_pool.hpp"
#include "task_pool.hpp"

namespace sparsity_probe {
namespace {

// The float's bits, flipped so that unsigned order is numeric order (finite values only).
std::uint32_t sortable_bits(float value) {
    std::uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return bits & 0x80000000u ? ~bits : bits | 0x80000000u;
}

float from_sortable_bits(std::uint32_t bits) {
    bits = bits & 0x80000000u ? bits & 0x7FFFFFFFu : ~bits;
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

constexpr unsigned digit_bits = 11, digits = 3;

// Stable LSD radix sort of a feature's keys, 11 bits per pass, into items (key << 32 | sample)
// that move between two buffers. The three digits' counts come from one pass over the keys; a
// pass whose digit is the same for every key is skipped. Returns the buffer holding the result.
std::uint64_t* sort_by_key(const std::uint32_t* key, std::size_t n, std::uint64_t* items, std::uint64_t* scratch,
                           std::vector<std::uint32_t>& counts) {
    constexpr std::uint32_t mask = (1u << digit_bits) - 1;
    counts.assign(digits << digit_bits, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t k = key[i];
        for (unsigned digit = 0; digit < digits; ++digit) ++counts[(digit << digit_bits) + ((k >> (digit * digit_bits)) & mask)];
    }
    bool placed = false;  // whether `items` holds the keys yet
    for (unsigned digit = 0; digit < digits && n > 0; ++digit) {
        const unsigned shift = digit * digit_bits;
        std::uint32_t* count = &counts[digit << digit_bits];
        if (count[(key[0] >> shift) & mask] == n) continue;
        std::uint32_t running = 0;
        for (std::uint32_t b = 0; b <= mask; ++b) {
            const std::uint32_t here = count[b];
            count[b] = running;
            running += here;
        }
        if (!placed) {
            for (std::size_t i = 0; i < n; ++i) items[count[(key[i] >> shift) & mask]++] = std::uint64_t{key[i]} << 32 | i;
            placed = true;
        } else {
            for (std::size_t i = 0; i < n; ++i) scratch[count[(items[i] >> (32 + shift)) & mask]++] = items[i];
            std::swap(items, scratch);
        }
    }
    if (!placed)
        for (std::size_t i = 0; i < n; ++i) items[i] = std::uint64_t{key[i]} << 32 | i;
    return items;
}

// One task's scratch space for bin_feature (every item is written before it is read).
struct SortBuffers {
    std::vector<std::uint64_t> items, scratch;
    std::vector<std::uint32_t> counts;
    std::vector<double> distinct;
    std::vector<std::size_t> distinct_count;
};

// Sorts one feature's keys (its raw floats, as sortable bits: normalisation is monotone, so their
// order is also the normalised values' order), cuts the distinct values into bins and writes the
// feature's codes and bin bounds.
void bin_feature(const NormalizedLayer& layer, std::size_t f, const std::uint32_t* key, std::size_t bins_wanted,
                 SortBuffers& buffers, BinnedFeatures& binned) {
    const std::size_t n = layer.samples();
    std::vector<double>& distinct = buffers.distinct;
    std::vector<std::size_t>& distinct_count = buffers.distinct_count;
    const std::uint64_t* sorted = sort_by_key(key, n, buffers.items.data(), buffers.scratch.data(), buffers.counts);
    // The sorted keys give back the raw values, without reading the layer across its rows.
    const auto value = [&](std::size_t j) {
        return layer.normalize(from_sortable_bits(static_cast<std::uint32_t>(sorted[j] >> 32)), f);
    };
    distinct.clear();
    distinct_count.clear();
    for (std::size_t j = 0; j < n; ++j) {
        const double v = value(j);
        if (distinct.empty() || v != distinct.back()) {
            distinct.push_back(v);
            distinct_count.push_back(0);
        }
        ++distinct_count.back();
    }
    if (distinct.empty()) return;

    double* low = &binned.bin_low[f * BinnedFeatures::max_bins];
    double* high = &binned.bin_high[f * BinnedFeatures::max_bins];
    std::size_t bins = 0;
    if (distinct.size() <= bins_wanted) {
        for (std::size_t v = 0; v < distinct.size(); ++v) low[v] = high[v] = distinct[v];
        bins = distinct.size();
    } else {
        // Close a bin once it reaches its share of the samples still to be binned; heavy
        // repeated values get a bin of their own and the remaining bins share the rest.
        std::size_t v = 0, remaining = n;
        while (v < distinct.size()) {
            const std::size_t bins_left = bins_wanted - bins;
            const std::size_t values_left = distinct.size() - v;
            low[bins] = distinct[v];
            std::size_t filled = 0;
            if (bins_left >= values_left || bins_left == 1) {
                if (bins_left == 1) {
                    for (; v < distinct.size(); ++v) filled += distinct_count[v];
                } else {
                    filled = distinct_count[v++];
                }
            } else {
                const std::size_t share = (remaining + bins_left - 1) / bins_left;
                do {
                    filled += distinct_count[v++];
                } while (v < distinct.size() && filled + distinct_count[v] <= share);
            }
            high[bins] = distinct[v - 1];
            remaining -= filled;
            ++bins;
        }
    }
    binned.bin_count[f] = static_cast<std::uint16_t>(bins);

    // Walk the distinct values once, moving to the next bin past each bin's largest value.
    std::uint8_t* codes = &binned.codes[f * n];
    std::size_t bin = 0, j = 0;
    for (std::size_t v = 0; v < distinct.size(); ++v) {
        while (distinct[v] > high[bin]) ++bin;
        for (const std::size_t run_end = j + distinct_count[v]; j < run_end; ++j)
            codes[static_cast<std::uint32_t>(sorted[j])] = static_cast<std::uint8_t>(bin);
    }
}

}  // namespace

BinnedFeatures bin_features(const NormalizedLayer& layer, int max_bins, unsigned threads) {
    BinnedFeatures binned;
    const std::size_t n = layer.samples(), d = layer.features();
    const std::size_t bins_wanted = static_cast<std::size_t>(std::clamp(max_bins, 1, 256));
    binned.samples = n;
    binned.features = d;
    binned.codes.reset(new std::uint8_t[n * d]);
    binned.bin_count.assign(d, 1);
    binned.bin_low.reset(new double[d * BinnedFeatures::max_bins]);
    binned.bin_high.reset(new double[d * BinnedFeatures::max_bins]);

    // Features are binned a block at a time, in two parallel steps: the block's columns are copied
    // out of the sample-major layer (rows shared among the threads; a block several cache lines
    // wide per row makes each page visited worth it), then every feature is sorted and cut into
    // bins (features shared among the threads).
    const float* raw = layer.raw().values.data();
    const std::size_t block = std::min(d, std::max<std::size_t>(16, (std::size_t{2} << 20) / (4 * std::max<std::size_t>(n, 1))));
    const std::size_t rows_per_task = 512, features_per_task = 2;
    // Every key of a block is written (by the copying tasks, rows shared) before it is read.
    const std::unique_ptr<std::uint32_t[]> keys(new std::uint32_t[block * n]);
    // Sort buffers handed from task to task rather than allocated by each: 16 bytes per sample
    // and task, which memory touched afresh would make cost more than the sort.
    SparePool<SortBuffers> spare;
    for (std::size_t first = 0; first < d; first += block) {
        const std::size_t width = std::min(block, d - first);
        run_tasks((n + rows_per_task - 1) / rows_per_task, threads, [&](std::size_t task) {
            // In tiles of 16 rows, so that every column receives a whole cache line at a time.
            const std::size_t rows_end = std::min(n, (task + 1) * rows_per_task);
            for (std::size_t tile = task * rows_per_task; tile < rows_end; tile += 16) {
                const std::size_t tile_end = std::min(rows_end, tile + 16);
                for (std::size_t k = 0; k < width; ++k)
                    for (std::size_t i = tile; i < tile_end; ++i) keys[k * n + i] = sortable_bits(raw[i * d + first + k]);
            }
        });
        run_tasks((width + features_per_task - 1) / features_per_task, threads, [&](std::size_t task) {
            const SparePool<SortBuffers>::Lease buffers = spare.take();
            if (buffers->items.size() < n) {
                buffers->items.resize(n);
                buffers->scratch.resize(n);
            }
            for (std::size_t k = task * features_per_task; k < std::min(width, (task + 1) * features_per_task); ++k)
                bin_feature(layer, first + k, &keys[k * n], bins_wanted, *buffers, binned);
        });
    }
    return binned;
}

}  // namespace sparsity_probe
