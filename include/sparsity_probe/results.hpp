#pragma once
// The results document of SPEC §5, shared by the CLI and the web app. Keys may be added over
// time; the ones SPEC §5 lists are never renamed.
#include <optional>
#include <string>
#include <vector>

#include "sparsity_probe/diagnostics.hpp"
#include "sparsity_probe/probe.hpp"
#include "sparsity_probe/settings.hpp"
#include "sparsity_probe/synthetic.hpp"

namespace sparsity_probe {

// A layer's result, or the one-line message saying why it has none (its other layers still count).
struct LayerOutcome {
    LayerResult result;  // name, samples and features are filled even on error
    std::string error;
    std::string model;   // the file (model) the layer came from, when several were analysed
    std::optional<LayerDiagnostics> diagnostics;
    // The shape the probe analysed when max_samples or project_features reduced the layer
    // (result.samples and result.features keep the layer's shape as given); 0 when not reduced.
    std::size_t analysed_samples = 0, analysed_features = 0;
    bool ok() const { return error.empty(); }
};

// Pearson's r of α* with each diagnostic across the layers of one model (the paper's Table 2).
struct ModelCorrelations {
    std::string model;
    std::size_t layers = 0;
    double linear_train_accuracy = 0, linear_heldout_accuracy = 0, adjusted_rand = 0,
           adjusted_mutual_information = 0, homogeneity = 0, completeness = 0, fowlkes_mallows = 0,
           ncc_mismatch = 0;
};

// One entry per model with at least three layers that have diagnostics and an α* (NaN where r is
// undefined, e.g. for a constant diagnostic).
std::vector<ModelCorrelations> correlations(const std::vector<LayerOutcome>& layers);

struct ResultsDocument {
    Settings settings;
    std::vector<std::string> files;        // analysed files, if any
    std::string demo;                      // synthetic data set name, if any
    SyntheticOptions demo_options;
    std::vector<LayerOutcome> layers;
};

struct JsonOptions {
    bool pretty = true;
    bool timings = true;  // false drops "seconds", so equal inputs give byte-identical documents
};

std::string results_json(const ResultsDocument& document, const JsonOptions& options = {});

void write_settings(class JsonWriter& json, const Settings& settings);
void write_layer(class JsonWriter& json, const LayerOutcome& layer, const JsonOptions& options);
// The "diagnostics" object of a layer.
void write_diagnostics(class JsonWriter& json, const LayerDiagnostics& diagnostics);

}  // namespace sparsity_probe
