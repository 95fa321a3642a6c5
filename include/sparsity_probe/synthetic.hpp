#pragma once
// The 2-D teaching data sets of SPEC §3, seeded.
#include <cstdint>
#include <string>
#include <vector>

#include "sparsity_probe/layer.hpp"

namespace sparsity_probe {

struct SyntheticOptions {
    std::size_t samples = 1000;
    double noise = -1.0;        // position noise (data set specific scale, see synthetic.cpp);
                                // negative: the data set's default_noise()
    double label_noise = 0.0;   // fraction of labels replaced by a uniformly random class, in [0, 1]
    std::uint64_t seed = 0;
    int classes = 3;            // only for gaussian-quantiles and random
};

struct SyntheticData {
    Layer points;                      // samples x 2
    std::vector<std::int64_t> labels;  // 0..classes-1
};

// make_gaussian_quantiles' labels for row-major points of `dimensions` coordinates: the shells
// of equal count by distance to the origin, innermost class 0.
std::vector<std::int64_t> quantile_shell_labels(const std::vector<double>& points, std::size_t dimensions, int classes);

// name: spiral, circles, gaussian-quantiles, moons, xor, random. Throws InputError otherwise.
SyntheticData make_synthetic(const std::string& name, const SyntheticOptions& options);
const std::vector<std::string>& synthetic_names();

// Position noise that keeps each data set's classes separable but not trivially so: 0.1 for the
// spiral (uniform, data units), 0.05 for circles and moons (Gaussian std), 0 otherwise.
double default_noise(const std::string& name);

}  // namespace sparsity_probe
