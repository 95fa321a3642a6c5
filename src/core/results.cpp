#include "sparsity_probe/results.hpp"

#include <algorithm>
#include <cmath>

#include "sparsity_probe/json_writer.hpp"
#include "sparsity_probe/portable_math.hpp"

namespace sparsity_probe {
namespace {

void number_or_null(JsonWriter& json, const std::string& name, bool defined, double value) {
    json.key(name);
    if (defined)
        json.value(value);
    else
        json.null();
}

}  // namespace

void write_settings(JsonWriter& json, const Settings& s) {
    json.key("settings").begin_object();
    json.field("trees", s.trees).field("depth", s.depth).field("seeds", s.seeds).field("seed", s.seed);
    json.field("measure", to_string(s.measure));
    json.field("eps_low", s.eps_low).field("eps_high", s.eps_high).field("eps_unit", to_string(s.eps_unit));
    json.field("tau_min", s.tau_min).field("tau_max", s.tau_max).field("tau_step", s.tau_step);
    json.field("min_samples_leaf", s.min_samples_leaf).field("max_features", s.max_features);
    json.field("bootstrap", s.bootstrap).field("sample_fraction", s.sample_fraction);
    json.field("max_bins", s.max_bins).field("exact_below", s.exact_below).field("mterm_points", s.mterm_points);
    // Written only when set, so documents of runs without them read as they always did.
    if (s.max_samples) json.field("max_samples", s.max_samples);
    if (s.project_features) json.field("project_features", s.project_features);
    json.end_object();
}

std::vector<ModelCorrelations> correlations(const std::vector<LayerOutcome>& layers) {
    std::vector<ModelCorrelations> out;
    std::vector<std::string> models;
    for (const LayerOutcome& l : layers)
        if (std::find(models.begin(), models.end(), l.model) == models.end()) models.push_back(l.model);
    for (const std::string& model : models) {
        std::vector<double> alpha, series[8];
        for (const LayerOutcome& l : layers) {
            if (l.model != model || !l.ok() || !l.diagnostics || l.result.status != "ok") continue;
            const LayerDiagnostics& d = *l.diagnostics;
            alpha.push_back(l.result.alpha);
            const double values[8] = {d.linear_train_accuracy, d.linear_heldout_accuracy, d.kmeans.adjusted_rand,
                                      d.kmeans.adjusted_mutual_information, d.kmeans.homogeneity, d.kmeans.completeness,
                                      d.kmeans.fowlkes_mallows, d.ncc_mismatch};
            for (int k = 0; k < 8; ++k) series[k].push_back(values[k]);
        }
        if (alpha.size() < 3) continue;  // two points always correlate perfectly: say nothing
        ModelCorrelations c;
        c.model = model;
        c.layers = alpha.size();
        double* targets[8] = {&c.linear_train_accuracy, &c.linear_heldout_accuracy, &c.adjusted_rand,
                              &c.adjusted_mutual_information, &c.homogeneity, &c.completeness, &c.fowlkes_mallows,
                              &c.ncc_mismatch};
        for (int k = 0; k < 8; ++k) *targets[k] = pearson(alpha, series[k]);
        out.push_back(c);
    }
    return out;
}

void write_diagnostics(JsonWriter& json, const LayerDiagnostics& d) {
    json.begin_object();
    json.key("linear_probe").begin_object();
    json.field("train_accuracy", d.linear_train_accuracy).field("heldout_accuracy", d.linear_heldout_accuracy);
    json.field("folds", d.folds).end_object();
    json.key("kmeans").begin_object();
    json.field("clusters", d.kmeans_clusters).field("adjusted_rand", d.kmeans.adjusted_rand);
    json.field("adjusted_mutual_information", d.kmeans.adjusted_mutual_information);
    json.field("homogeneity", d.kmeans.homogeneity).field("completeness", d.kmeans.completeness);
    json.field("fowlkes_mallows", d.kmeans.fowlkes_mallows).end_object();
    json.field("ncc_mismatch", d.ncc_mismatch).field("ncc_reference", d.ncc_against_predictions ? "predictions" : "labels");
    json.end_object();
}

void write_layer(JsonWriter& json, const LayerOutcome& layer, const JsonOptions& options) {
    const LayerResult& r = layer.result;
    json.begin_object();
    json.field("name", r.name).field("samples", r.samples).field("features", r.features);
    if (!layer.model.empty()) json.field("model", layer.model);
    if (layer.analysed_samples) json.field("analysed_samples", layer.analysed_samples).field("analysed_features", layer.analysed_features);
    if (!layer.ok()) {
        json.field("status", "error").field("error", layer.error);
        json.end_object();
        return;
    }
    const bool ok = r.status == "ok";
    json.field("classes", r.classes);
    json.key("class_values").begin_array();
    for (const auto v : r.class_values) json.value(v);
    json.end_array();
    number_or_null(json, "alpha", ok, r.alpha);
    number_or_null(json, "alpha_std", ok, r.alpha_std);
    number_or_null(json, "alpha_min", ok, r.alpha_min);
    number_or_null(json, "alpha_max", ok, r.alpha_max);
    std::vector<double> alphas, taus;
    for (const SeedResult& s : r.per_seed) {
        alphas.push_back(s.determined ? s.alpha : NAN);
        taus.push_back(s.determined ? s.tau_star : NAN);
    }
    json.key("alpha_per_seed").array(alphas);
    number_or_null(json, "tau_star", ok, r.tau_star);
    json.key("tau_star_per_seed").array(taus);
    json.field("status", r.status);
    if (!r.reason.empty()) json.field("reason", r.reason);
    number_or_null(json, "alpha_mterm", r.alpha_mterm_determined, r.alpha_mterm);
    std::vector<double> rates;
    for (const SeedResult& s : r.per_seed) rates.push_back(s.mterm.determined ? s.mterm.rate : NAN);
    json.key("alpha_mterm_per_seed").array(rates);
    json.field("wavelets", r.wavelets);
    if (options.timings) json.field("seconds", r.seconds);

    std::vector<double> n_tau(r.curve.log_n_tau.size());
    for (std::size_t k = 0; k < n_tau.size(); ++k) n_tau[k] = portable_exp(r.curve.log_n_tau[k]);
    json.key("curve").begin_object();
    json.key("tau").array(r.curve.tau);
    json.key("n_tau").array(n_tau);  // null where N_τ exceeds the double range; log_n_tau has it
    json.key("log_n_tau").array(r.curve.log_n_tau);
    json.key("angle").array(r.angle);
    json.end_object();

    const MTermCurve& m = r.per_seed.front().mterm;
    json.key("mterm").begin_object();
    json.key("m").array(m.m);
    json.key("error").array(m.error);
    json.field("error_at_zero", m.error_at_zero);
    json.end_object();
    if (layer.diagnostics) {
        json.key("diagnostics");
        write_diagnostics(json, *layer.diagnostics);
    }
    json.end_object();
}

std::string results_json(const ResultsDocument& document, const JsonOptions& options) {
    JsonWriter json(options.pretty);
    json.begin_object();
    json.field("tool", "sparsity-probe").field("version", SPARSITY_PROBE_VERSION);
    write_settings(json, document.settings);
    if (!document.files.empty()) {
        json.key("files").begin_array();
        for (const std::string& f : document.files) json.value(f);
        json.end_array();
    }
    if (!document.demo.empty()) {
        const SyntheticOptions& o = document.demo_options;
        json.key("dataset").begin_object();
        json.field("name", document.demo).field("samples", o.samples).field("noise", o.noise);
        json.field("label_noise", o.label_noise).field("seed", o.seed).field("classes", o.classes);
        json.end_object();
    }
    json.key("layers").begin_array();
    for (const LayerOutcome& layer : document.layers) write_layer(json, layer, options);
    json.end_array();
    const std::vector<ModelCorrelations> table = correlations(document.layers);
    if (!table.empty()) {
        // Pearson's r of α* with each diagnostic across a model's layers (the paper's Table 2).
        json.key("correlations").begin_array();
        for (const ModelCorrelations& c : table) {
            json.begin_object().field("model", c.model).field("layers", c.layers);
            json.field("linear_train_accuracy", c.linear_train_accuracy);
            json.field("linear_heldout_accuracy", c.linear_heldout_accuracy);
            json.field("adjusted_rand", c.adjusted_rand).field("adjusted_mutual_information", c.adjusted_mutual_information);
            json.field("homogeneity", c.homogeneity).field("completeness", c.completeness);
            json.field("fowlkes_mallows", c.fowlkes_mallows).field("ncc_mismatch", c.ncc_mismatch);
            json.end_object();
        }
        json.end_array();
    }
    json.end_object();
    return json.str() + "\n";
}

}  // namespace sparsity_probe
