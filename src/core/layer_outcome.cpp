#include "sparsity_probe/layer_outcome.hpp"

#include <new>
#include <optional>

#include "sparsity_probe/diagnostics.hpp"
#include "sparsity_probe/error.hpp"
#include "sparsity_probe/reduction.hpp"

namespace sparsity_probe {
namespace {

DiagnosticsOptions diagnostics_options(const Settings& settings) {
    DiagnosticsOptions options;
    options.seed = settings.seed;
    return options;
}

}  // namespace

std::string out_of_memory_message(const std::string& layer, std::size_t samples, std::size_t features,
                                  const OptionNames& names) {
    return "layer " + layer + ": out of memory analysing " + std::to_string(samples) + " x " + std::to_string(features) +
           " values; subsample the rows (" + names.max_samples + ") or project the features (" + names.project_features +
           ")";
}

namespace {

// `owned`: when the caller handed the layer over (it is *owned, as are `*owned_labels`), it is
// freed as soon as the reduced copy exists.
LayerOutcome run_layer(const Layer& layer, const std::vector<std::int64_t>& labels,
                       const std::vector<std::int64_t>* predictions, const Settings& settings, const LayerRun& run,
                       Layer* owned, std::vector<std::int64_t>* owned_labels) {
    LayerOutcome outcome;
    const std::string name = layer.name;
    const std::size_t samples = layer.samples, features = layer.features;
    try {
        validate(settings);
        // Only a layer the settings shrink is copied; otherwise the probe reads it where it is.
        std::optional<ReducedLayer> reduced;
        if (reduces(samples, features, settings)) {
            reduced = reduce(layer, labels, predictions, settings);
            if (owned) *owned = Layer{};
            if (owned_labels) *owned_labels = std::vector<std::int64_t>{};
        }
        const Layer& analysed = reduced ? reduced->layer : layer;
        const std::vector<std::int64_t>& analysed_labels = reduced ? reduced->labels : labels;
        const std::vector<std::int64_t>* analysed_predictions =
            reduced ? (reduced->predictions.empty() ? nullptr : &reduced->predictions) : predictions;
        outcome.result = analyze(analysed, analysed_labels, settings, run.progress, run.cancel);
        if (run.diagnostics)
            outcome.diagnostics = diagnose(analysed, analysed_labels, analysed_predictions, diagnostics_options(settings));
        if (reduced) {
            outcome.analysed_samples = analysed.samples;
            outcome.analysed_features = analysed.features;
        }
    } catch (const InputError& e) {
        outcome.error = e.what();
    } catch (const std::bad_alloc&) {
        outcome = LayerOutcome{};
        outcome.error = out_of_memory_message(name, samples, features, run.names);
    }
    outcome.result.name = name;
    outcome.result.samples = samples;
    outcome.result.features = features;
    return outcome;
}

}  // namespace

LayerOutcome probe_layer(const Layer& layer, const std::vector<std::int64_t>& labels,
                         const std::vector<std::int64_t>* predictions, const Settings& settings, const LayerRun& run) {
    return run_layer(layer, labels, predictions, settings, run, nullptr, nullptr);
}

LayerOutcome probe_layer(Layer&& layer, std::vector<std::int64_t>&& labels, const Settings& settings, const LayerRun& run) {
    return run_layer(layer, labels, nullptr, settings, run, &layer, &labels);
}

LayerDiagnostics diagnose_layer(const Layer& layer, const std::vector<std::int64_t>& labels,
                                const std::vector<std::int64_t>* predictions, const Settings& settings) {
    if (!reduces(layer.samples, layer.features, settings))
        return diagnose(layer, labels, predictions, diagnostics_options(settings));
    const ReducedLayer reduced = reduce(layer, labels, predictions, settings);
    return diagnose(reduced.layer, reduced.labels, reduced.predictions.empty() ? nullptr : &reduced.predictions,
                    diagnostics_options(settings));
}

}  // namespace sparsity_probe
