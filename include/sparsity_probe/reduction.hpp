#pragma once
// Making a layer smaller before the probe sees it, reproducibly. Two ways, both seeded from
// Settings::seed and computed with the project's own generator (random.hpp), so a given seed picks
// the same rows and the same projection natively and in WebAssembly:
//   - rows: a stratified sample of `max_samples` rows (every class keeps its share, and at least
//     one row), for layers with more samples than a browser tab can hold or than time allows;
//   - features: a sparse random projection (Achlioptas 2003) to `project_features` dimensions,
//     applied when the layer has more features than that (the authors' code reduced layers above
//     2,500 features). Distances between samples are kept to within a factor 1 ± ε with high
//     probability (Johnson–Lindenstrauss), which is what the forest's splits look at.
// Rows are chosen first, so the projection only costs what the kept rows need.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sparsity_probe/layer.hpp"
#include "sparsity_probe/settings.hpp"

namespace sparsity_probe {

// How many of `count` rows each class gets, given the class sizes (in class order). Every class
// first gets one row, the remaining count − L rows are shared in proportion to (size − 1) by
// largest remainder (ties to the earlier class). Sums to `count`; no class gets more than it has.
// Throws InputError when `count` is below the number of classes or above the number of rows.
std::vector<std::size_t> stratified_quotas(const std::vector<std::size_t>& class_sizes, std::size_t count);

// `count` distinct row indices in ascending order, chosen per class by the quotas above; within a
// class, uniformly without replacement (a partial Fisher–Yates shuffle of that class's rows, taken
// in class order from one stream seeded by `seed`). All rows when count ≥ labels.size().
std::vector<std::size_t> stratified_rows(const std::vector<std::int64_t>& labels, std::size_t count, std::uint64_t seed);

// The d × D projection matrix R with entries sqrt(3/D) · {+1 with probability 1/6, 0 with 2/3,
// −1 with 1/6}, stored by row (feature) as the columns of its non-zero entries. Drawn row by row,
// column by column, one `below(6)` each, from one stream seeded by `seed`.
struct RandomProjection {
    std::size_t features = 0;     // d
    std::size_t dimensions = 0;   // D
    double scale = 0.0;           // sqrt(3 / D)
    std::vector<std::size_t> row_start;  // d + 1 offsets into `entries`
    std::vector<std::int32_t> entries;   // column + 1, negated for −1

    // R as a dense row-major d × D matrix of doubles (for tests and small cases).
    std::vector<double> dense() const;
};
RandomProjection random_projection(std::size_t features, std::size_t dimensions, std::uint64_t seed);

// X·R for the layer's rows: float32 values of Σ_k x_ik R_kj summed in double in ascending k.
// Rows are independent tasks on up to `threads` threads; the result does not depend on them.
Layer project(const Layer& layer, const RandomProjection& projection, unsigned threads = 1);

// A layer and its labels (and predictions, when given) after the reductions the settings ask for.
struct ReducedLayer {
    Layer layer;
    std::vector<std::int64_t> labels;
    std::vector<std::int64_t> predictions;  // empty when none were given
    std::vector<std::size_t> rows;          // original indices of the kept rows; empty: all
    bool subsampled = false;
    bool projected = false;
};

// Whether the settings change a layer of this shape: more rows than max_samples, or more features
// than project_features. When not, the caller analyses the layer as it is (no copy).
bool reduces(std::size_t samples, std::size_t features, const Settings& settings);

// Applies Settings::max_samples (when the layer has more rows) and then Settings::project_features
// (when it has more features). Checks first what the probe would check on the original layer (one
// label per sample, every value finite), so messages name rows and columns of the layer as given.
ReducedLayer reduce(const Layer& layer, const std::vector<std::int64_t>& labels,
                    const std::vector<std::int64_t>* predictions, const Settings& settings);

// The shape the probe analyses after the reductions (what the limits check looks at).
std::size_t samples_after_reduction(std::size_t samples, const Settings& settings);
std::size_t features_after_reduction(std::size_t features, const Settings& settings);

// The stream seeds, derived from Settings::seed apart from the forests' streams.
std::uint64_t row_sampling_seed(std::uint64_t seed);
std::uint64_t projection_seed(std::uint64_t seed);

}  // namespace sparsity_probe
