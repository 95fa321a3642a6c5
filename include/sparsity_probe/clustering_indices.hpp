#pragma once
// The clustering indices the paper compares α* with (its Table 2), defined exactly as
// scikit-learn 1.2 computes them, so that values can be checked against it to 1e-9.
#include <cstdint>
#include <vector>

namespace sparsity_probe {

struct ClusteringIndices {
    double adjusted_rand = 0.0;
    double adjusted_mutual_information = 0.0;  // arithmetic-mean normalisation (scikit-learn's default)
    double homogeneity = 0.0;
    double completeness = 0.0;
    double fowlkes_mallows = 0.0;
};

// `truth` and `predicted` are any integer labels of the same n samples.
ClusteringIndices clustering_indices(const std::vector<std::int64_t>& truth, const std::vector<std::int64_t>& predicted);

}  // namespace sparsity_probe
