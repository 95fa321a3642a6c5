#pragma once
// The Sparsity Probe of one layer, SPEC §2 top to bottom:
//   1 normalise → 2 one-hot targets → 3 forest → 4 wavelets → 5 τ-sparsity → 6 τ*, α*
//   → 7 repeat over seeds → 8 M-term rate.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sparsity_probe/layer.hpp"
#include "sparsity_probe/mterm.hpp"
#include "sparsity_probe/settings.hpp"
#include "sparsity_probe/tau_sparsity.hpp"

namespace sparsity_probe {

// One repetition: a forest grown from one derived seed.
struct SeedResult {
    std::uint64_t seed = 0;
    bool determined = false;
    double tau_star = 0.0;
    double alpha = 0.0;
    std::size_t in_band = 0;  // |S|
    std::string reason;       // why τ* is undetermined
    std::size_t wavelets = 0;
    std::size_t nodes = 0;
    MTermCurve mterm;
};

struct LayerResult {
    std::string name;
    std::size_t samples = 0, features = 0, classes = 0;
    std::vector<std::int64_t> class_values;

    // "ok" when at least one seed gave τ*, else "undetermined" (with reason and hint).
    std::string status = "undetermined";
    std::string reason;
    // Statistics of α* over the seeds whose τ* was determined.
    double alpha = 0.0, alpha_std = 0.0, alpha_min = 0.0, alpha_max = 0.0, tau_star = 0.0;
    double alpha_mterm = 0.0;  // mean over seeds where the fit was determined
    bool alpha_mterm_determined = false;
    std::size_t wavelets = 0;  // non-zero wavelets of the first seed's forest
    double seconds = 0.0;

    std::vector<SeedResult> per_seed;
    // Curves of the first seed's forest, for plotting.
    TauCurve curve;
    std::vector<double> angle;  // radians
};

// Progress of one layer: `done` of `total` steps (a step is one tree, or one seed's wavelet
// analysis), reported on the calling thread after each step.
struct Progress {
    std::size_t done = 0;
    std::size_t total = 0;
    int seed = 0;     // repetition the step belonged to
    int tree = -1;    // tree index, or -1 for the analysis step
    double fraction() const { return total ? static_cast<double>(done) / static_cast<double>(total) : 1.0; }
};
using ProgressCallback = std::function<void(const Progress&)>;

// Throws InputError naming the layer when it has no samples, no features, or not one label per
// sample: what every entry point checks before touching the values.
void check_layer_and_labels(const Layer& layer, const std::vector<std::int64_t>& labels);

// Throws InputError for bad input or settings (wrong label count, non-finite values, one class,
// no samples or features), and Cancelled when `cancel` is raised.
LayerResult analyze(const Layer& layer, const std::vector<std::int64_t>& labels, const Settings& settings,
                    const ProgressCallback& progress = {}, const std::atomic<bool>* cancel = nullptr);

}  // namespace sparsity_probe
