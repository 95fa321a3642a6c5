#include "sparsity_probe/warm_up.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sparsity_probe/probe.hpp"
#include "sparsity_probe/random.hpp"
#include "sparsity_probe/synthetic.hpp"

namespace sparsity_probe {

namespace {

constexpr std::size_t warm_up_samples = 2000;  // > 1,000 distinct drawn samples: histogram nodes
constexpr std::size_t warm_up_features = 128;
constexpr std::size_t warm_up_dimensions = 8;
constexpr int warm_up_classes = 10;

}  // namespace

double warm_up() {
    Random random(0x5eed);
    // Classes are shells of equal count by distance from the centre, and a random ReLU layer over
    // them gives the deep, structured trees of a real network's layer.
    std::vector<double> points(warm_up_samples * warm_up_dimensions);
    for (double& v : points) v = random.normal();
    const std::vector<std::int64_t> labels = quantile_shell_labels(points, warm_up_dimensions, warm_up_classes);

    std::vector<double> weights(warm_up_features * (warm_up_dimensions + 1));
    for (double& v : weights) v = random.normal();
    Layer layer;
    layer.name = "warm-up";
    layer.samples = warm_up_samples;
    layer.features = warm_up_features;
    layer.values.resize(warm_up_samples * warm_up_features);
    for (std::size_t i = 0; i < warm_up_samples; ++i) {
        for (std::size_t j = 0; j < warm_up_features; ++j) {
            const double* w = &weights[j * (warm_up_dimensions + 1)];
            double activation = w[warm_up_dimensions];
            for (std::size_t k = 0; k < warm_up_dimensions; ++k) activation += w[k] * points[i * warm_up_dimensions + k];
            layer.values[i * warm_up_features + j] = static_cast<float>(std::max(activation, 0.0));
        }
    }
    Settings settings;
    settings.seeds = 1;
    return analyze(layer, labels, settings).alpha;
}

}  // namespace sparsity_probe
