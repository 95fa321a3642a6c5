#pragma once
// A layer: n samples of one network layer's activations, each flattened row-major to d features.
// Values are stored as float32: the probe only ever min-max normalises and compares them, and
// float halves the memory a browser tab needs for a large layer.
#include <cstddef>
#include <string>
#include <vector>

namespace sparsity_probe {

struct Layer {
    std::string name;
    std::size_t samples = 0;
    std::size_t features = 0;
    std::vector<float> values;  // samples x features, row-major

    float at(std::size_t sample, std::size_t feature) const { return values[sample * features + feature]; }
};

}  // namespace sparsity_probe
