// libFuzzer target: the whole probe on tiny layers built from the bytes — odd shapes, repeated and
// extreme values, NaN/Inf, one class, one sample — and odd settings, with or without the
// reductions (max_samples, project_features) as the CLI and the bindings run a layer. Every
// outcome but a result or the layer's error is a bug.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/layer_outcome.hpp"
#include "sparsity_probe/probe.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 4) return 0;
    sparsity_probe::Layer layer;
    layer.name = "fuzz";
    layer.samples = data[0] % 40;
    layer.features = data[1] % 6;
    sparsity_probe::Settings settings;
    settings.trees = 1 + data[2] % 3;
    settings.depth = 1 + data[3] % 12;
    settings.seeds = 1;
    settings.threads = 1;
    settings.measure = data[2] & 0x80 ? sparsity_probe::Measure::samples : sparsity_probe::Measure::volume;
    settings.eps_unit = data[3] & 0x80 ? sparsity_probe::AngleUnit::deg : sparsity_probe::AngleUnit::rad;
    settings.exact_below = data[2] & 0x40 ? 0 : 128;
    settings.max_bins = 2 + data[3] % 255;
    std::size_t at = 4;
    for (std::size_t k = 0; k < layer.samples * layer.features; ++k) {
        float v = 0.0f;
        if (at + sizeof v <= size) {
            std::memcpy(&v, data + at, sizeof v);  // any bit pattern, NaN and infinities included
            at += sizeof v;
        } else {
            v = static_cast<float>(k % 7);
        }
        layer.values.push_back(v);
    }
    std::vector<std::int64_t> labels;
    for (std::size_t i = 0; i < layer.samples; ++i) labels.push_back(at < size ? data[at++] % 4 : static_cast<std::int64_t>(i % 2));
    // The top bits of the first byte choose the reductions: none, rows, features or both.
    const int reductions = data[0] >> 6;
    if (reductions == 0) {
        try {
            const sparsity_probe::LayerResult result = sparsity_probe::analyze(layer, labels, settings);
            if (result.status == "ok" && !std::isfinite(result.alpha)) __builtin_trap();  // a silent NaN
        } catch (const sparsity_probe::InputError&) {
        }
        return 0;
    }
    if (reductions & 1) settings.max_samples = 2 + data[1] % 30;
    if (reductions & 2) settings.project_features = 1 + data[2] % 5;
    const sparsity_probe::LayerOutcome outcome = sparsity_probe::probe_layer(layer, labels, nullptr, settings);
    if (outcome.ok() && outcome.result.status == "ok" && !std::isfinite(outcome.result.alpha)) __builtin_trap();
    if (outcome.analysed_samples > layer.samples || outcome.analysed_features > layer.features) __builtin_trap();
    return 0;
}
