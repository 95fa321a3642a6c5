#pragma once
// One layer from input to outcome, as the CLI and the WebAssembly bindings both run it: reduce
// (when the settings ask), analyse, optionally diagnose. Whatever goes wrong with this layer (bad
// input, or memory running out) becomes this layer's error, so the other layers still count.
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "sparsity_probe/probe.hpp"
#include "sparsity_probe/results.hpp"
#include "sparsity_probe/settings.hpp"

namespace sparsity_probe {

// How the options that make a layer smaller are spelled where the message will be read:
// "--max-samples" on the command line, "max_samples" in the JavaScript settings.
struct OptionNames {
    const char* max_samples = "--max-samples";
    const char* project_features = "--project-features";
};

struct LayerRun {
    bool diagnostics = false;
    ProgressCallback progress;
    const std::atomic<bool>* cancel = nullptr;
    OptionNames names;
};

// `predictions` may be null. The outcome's result keeps the layer's name and shape as given; when
// the layer was reduced, analysed_samples and analysed_features say what the probe saw.
// Cancelled propagates (it is not an error).
LayerOutcome probe_layer(const Layer& layer, const std::vector<std::int64_t>& labels,
                         const std::vector<std::int64_t>* predictions, const Settings& settings, const LayerRun& run = {});

// The same, for a caller that hands the layer over: once reduced, the input is freed before the
// analysis starts, so a browser tab holds the input and the analysis one after the other.
LayerOutcome probe_layer(Layer&& layer, std::vector<std::int64_t>&& labels, const Settings& settings,
                         const LayerRun& run = {});

// Diagnostics alone, on the same reduced layer that probe_layer analyses. Throws InputError.
LayerDiagnostics diagnose_layer(const Layer& layer, const std::vector<std::int64_t>& labels,
                                const std::vector<std::int64_t>* predictions, const Settings& settings);

// "layer NAME: out of memory analysing N x D values; ..." with the way out.
std::string out_of_memory_message(const std::string& layer, std::size_t samples, std::size_t features,
                                  const OptionNames& names);

}  // namespace sparsity_probe
