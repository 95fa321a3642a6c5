#pragma once
// Step 3: the random forest. Each tree is grown on a bootstrap sample with axis-aligned splits
// minimising the summed squared error of the one-hot targets (paper eq. 3.1). For one-hot targets
//   SSE(node) = W − Σ_k c_k² / W     (W: weight, c_k: weighted count of class k)
// so the best split maximises Σ_k cL_k²/W_L + Σ_k cR_k²/W_R, and moving one sample of class k
// across the threshold changes Σ_k c_k² by 2·w·c_k + w²: O(1) per sample, whatever the class count.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "sparsity_probe/binning.hpp"
#include "sparsity_probe/error.hpp"
#include "sparsity_probe/normalization.hpp"
#include "sparsity_probe/settings.hpp"
#include "sparsity_probe/targets.hpp"
#include "sparsity_probe/tree.hpp"

namespace sparsity_probe {

// Trees address their samples with 24 bits (the split search streams 32-bit entries holding a
// sample and its bin code), so a layer has at most 2^24 samples.
constexpr std::size_t max_tree_samples = std::size_t{1} << 24;

// What a tree is fitted to: the normalised layer, its bins, and the one-hot targets.
struct TrainingSet {
    const NormalizedLayer& layer;
    const BinnedFeatures& bins;
    const OneHotTargets& targets;
};

// Grow one tree. Everything random (bootstrap, features per split) is drawn from `tree_seed`, so a
// tree is the same whichever thread grows it. `cancel` may be null.
Tree grow_tree(const TrainingSet& data, const Settings& settings, std::uint64_t tree_seed,
               const std::atomic<bool>* cancel = nullptr);

struct DrawnSample;

// Workspaces for growing trees: a tree's drawn sample, its per-feature lists (4 bytes per feature
// and sample of the subtree that fills them, at most every drawn sample) and kept histograms,
// handed to one running tree at a time and kept for the next. Reusing them spares the allocator
// large blocks per tree, which WebAssembly's never-shrinking heap would otherwise accumulate as
// holes, and spares the pages their first touch (a fault per 4 KiB).
class TreeWorkspaces {
public:
    TreeWorkspaces();
    ~TreeWorkspaces();
    TreeWorkspaces(const TreeWorkspaces&) = delete;
    TreeWorkspaces& operator=(const TreeWorkspaces&) = delete;

    // grow_tree with a workspace of this set; safe to call from several threads.
    Tree grow(const TrainingSet& data, const Settings& settings, std::uint64_t tree_seed,
              const std::atomic<bool>* cancel = nullptr);

private:
    std::mutex mutex_;
    std::vector<std::unique_ptr<DrawnSample>> spare_;
};

// The seed of tree `tree` in repetition `repetition` of a probe run with base seed `seed`.
std::uint64_t tree_seed(std::uint64_t seed, int repetition, int tree);

}  // namespace sparsity_probe
