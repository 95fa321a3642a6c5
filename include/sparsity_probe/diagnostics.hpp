#pragma once
// Layer diagnostics beside α* (the paper's §2.4, Figure 3, §4.2.3 and Table 2; the slides'
// nearest-class-centre view of neural collapse): a linear probe, KMeans scored by the five
// clustering indices, and the nearest-class-centre mismatch.
#include <cstdint>
#include <vector>

#include "sparsity_probe/clustering_indices.hpp"
#include "sparsity_probe/layer.hpp"

namespace sparsity_probe {

struct DiagnosticsOptions {
    int folds = 5;                 // held-out accuracy of the linear probe by k-fold cross-validation
    int linear_iterations = 300;
    double l2 = 1e-4;
    int kmeans_restarts = 3;
    int kmeans_iterations = 100;
    std::uint64_t seed = 0;
};

struct LayerDiagnostics {
    double linear_train_accuracy = 0.0;
    double linear_heldout_accuracy = 0.0;  // mean over the folds
    int folds = 0;
    std::size_t kmeans_clusters = 0;       // k = number of classes
    ClusteringIndices kmeans;              // KMeans clusters against the labels
    double ncc_mismatch = 0.0;             // fraction whose nearest class mean disagrees with the reference
    bool ncc_against_predictions = false;  // reference: the network's predictions (else the labels)
};

// `predictions` (may be null): the network's predicted label of every sample.
LayerDiagnostics diagnose(const Layer& layer, const std::vector<std::int64_t>& labels,
                          const std::vector<std::int64_t>* predictions, const DiagnosticsOptions& options = {});

// Nearest-class-centre mismatch on the normalised layer (exposed for its own tests).
double ncc_mismatch(const Layer& layer, const std::vector<std::int64_t>& labels, const std::vector<std::int64_t>& reference);

// Pearson correlation of two equally long series (NaN when either is constant or shorter than 2).
double pearson(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace sparsity_probe
