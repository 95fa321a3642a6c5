// Embind bindings: the same core the CLI uses, for the browser and Node. Large arrays never cross
// element by element: JavaScript writes layers, labels and file bytes straight into buffers that
// C++ owns ("staging"), and gets arrays back as one typed-array copy. Results come back as the
// SPEC §5 JSON text from the same writer the CLI uses, so the two can only agree.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "../core/task_pool.hpp"
#include "sparsity_probe/diagnostics.hpp"
#include "sparsity_probe/error.hpp"
#include "sparsity_probe/explanation.hpp"
#include "sparsity_probe/layer_outcome.hpp"
#include "sparsity_probe/limits.hpp"
#include "sparsity_probe/linear_probe.hpp"
#include "sparsity_probe/normalization.hpp"
#include "sparsity_probe/projection.hpp"
#include "sparsity_probe/targets.hpp"
#include "sparsity_probe/json_writer.hpp"
#include "sparsity_probe/probe.hpp"
#include "sparsity_probe/readers.hpp"
#include "sparsity_probe/results.hpp"
#include "sparsity_probe/synthetic.hpp"
#include "sparsity_probe/warm_up.hpp"

using emscripten::val;
namespace sp = sparsity_probe;

namespace {

// What JavaScript has written and the next call will consume.
struct Staging {
    sp::Layer layer;
    std::vector<std::int64_t> labels;
    std::vector<std::int32_t> labels32;
    std::vector<std::int32_t> predictions32;
    std::vector<sp::NamedBytes> files;
};
Staging staging;

std::string error_json(const std::string& message) {
    sp::JsonWriter json(false);
    json.begin_object().field("error", message).end_object();
    return json.str();
}

// Sizes arrive as doubles: a JavaScript number above 2^32 would wrap in a size_t of wasm32. Returns
// 0 when the layer is beyond the limits (checkLayer says why) or does not fit in memory.
std::uintptr_t stage_layer(const std::string& name, double samples, double features) {
    staging.layer = sp::Layer{};
    staging.layer.name = name;
    if (!(samples >= 0 && features >= 0 && samples * features <= static_cast<double>(sp::browser_limits().input_values)))
        return 0;
    try {
        staging.layer.samples = static_cast<std::size_t>(samples);
        staging.layer.features = static_cast<std::size_t>(features);
        staging.layer.values.resize(staging.layer.samples * staging.layer.features);
    } catch (const std::bad_alloc&) {
        staging.layer = sp::Layer{};
        staging.layer.name = name;
        return 0;
    }
    return reinterpret_cast<std::uintptr_t>(staging.layer.values.data());
}

std::uintptr_t stage_labels(std::size_t count) {
    staging.labels32.assign(count, 0);
    return reinterpret_cast<std::uintptr_t>(staging.labels32.data());
}

std::uintptr_t stage_predictions(std::size_t count) {
    staging.predictions32.assign(count, 0);
    return reinterpret_cast<std::uintptr_t>(staging.predictions32.data());
}

// Returns 0 when the files staged so far and this one are beyond the limit or do not fit.
std::uintptr_t stage_file(const std::string& file_name, double size) {
    double total = size;
    for (const sp::NamedBytes& f : staging.files) total += static_cast<double>(f.bytes.size());
    if (!(size >= 0 && total <= static_cast<double>(sp::browser_limits().file_bytes))) return 0;
    try {
        staging.files.push_back({file_name, std::vector<unsigned char>(static_cast<std::size_t>(size))});
    } catch (const std::bad_alloc&) {
        staging.files.clear();
        return 0;
    }
    return reinterpret_cast<std::uintptr_t>(staging.files.back().bytes.data());
}

void clear_staging() { staging = Staging{}; }

template <typename T>
T setting(const val& settings, const char* key, T fallback) {
    const val v = settings[key];
    return v.isUndefined() || v.isNull() ? fallback : v.as<T>();
}

sp::Settings settings_from(const val& s) {
    sp::Settings settings;
    if (s.isUndefined() || s.isNull()) return settings;
    settings.trees = setting<int>(s, "trees", settings.trees);
    settings.depth = setting<int>(s, "depth", settings.depth);
    settings.seeds = setting<int>(s, "seeds", settings.seeds);
    settings.seed = static_cast<std::uint64_t>(setting<double>(s, "seed", 0.0));
    settings.measure = sp::parse_measure(setting<std::string>(s, "measure", "volume"));
    settings.eps_low = setting<double>(s, "eps_low", settings.eps_low);
    settings.eps_high = setting<double>(s, "eps_high", settings.eps_high);
    settings.eps_unit = sp::parse_angle_unit(setting<std::string>(s, "eps_unit", "rad"));
    settings.tau_min = setting<double>(s, "tau_min", settings.tau_min);
    settings.tau_max = setting<double>(s, "tau_max", settings.tau_max);
    settings.tau_step = setting<double>(s, "tau_step", settings.tau_step);
    settings.min_samples_leaf = static_cast<std::size_t>(setting<double>(s, "min_samples_leaf", 1.0));
    const val max_features = s["max_features"];
    if (max_features.isString()) settings.max_features = max_features.as<std::string>();
    if (max_features.isNumber()) settings.max_features = std::to_string(max_features.as<double>());
    settings.bootstrap = setting<bool>(s, "bootstrap", settings.bootstrap);
    settings.sample_fraction = setting<double>(s, "sample_fraction", settings.sample_fraction);
    settings.max_bins = setting<int>(s, "max_bins", settings.max_bins);
    settings.exact_below = static_cast<std::size_t>(setting<double>(s, "exact_below", 128.0));
    settings.mterm_points = setting<int>(s, "mterm_points", settings.mterm_points);
    settings.threads = static_cast<unsigned>(setting<double>(s, "threads", 0.0));
    settings.max_samples = static_cast<std::size_t>(setting<double>(s, "max_samples", 0.0));
    settings.project_features = static_cast<std::size_t>(setting<double>(s, "project_features", 0.0));
    return settings;
}

// How the messages of the bindings name the reductions: by their settings keys.
sp::OptionNames option_names() {
    sp::OptionNames names;
    names.max_samples = "max_samples";
    names.project_features = "project_features";
    return names;
}

// "" when a layer of this shape fits the browser build with these settings, else why not and the
// way out. Called before the layer's values are sent to the worker at all.
std::string check_layer(const std::string& name, double samples, double features, const val& settings_object) {
    try {
        const sp::Settings settings = settings_from(settings_object);
        sp::validate(settings);
        sp::check_layer_fits(name, static_cast<std::uint64_t>(samples), static_cast<std::uint64_t>(features), settings,
                             sp::browser_limits());
        return "";
    } catch (const sp::InputError& e) {
        return e.what();
    }
}

// "" when files of these sizes ([{ fileName, size }]) may be read together, else why not.
std::string check_files(const val& files) {
    try {
        std::vector<sp::FileSize> sizes;
        const auto count = files["length"].as<unsigned>();
        for (unsigned k = 0; k < count; ++k)
            sizes.push_back({files[k]["fileName"].as<std::string>(), static_cast<std::uint64_t>(files[k]["size"].as<double>())});
        sp::check_files_fit(sizes, sp::browser_limits());
        return "";
    } catch (const sp::InputError& e) {
        return e.what();
    }
}

val limits() {
    const sp::MemoryLimits l = sp::browser_limits();
    val out = val::object();
    out.set("analysedValues", static_cast<double>(l.analysed_values));
    out.set("inputValues", static_cast<double>(l.input_values));
    out.set("fileBytes", static_cast<double>(l.file_bytes));
    out.set("budgetBytes", static_cast<double>(l.budget_bytes));
    return out;
}

// Analyse the staged layer and labels (reduced first when the settings ask; the staged copy is
// freed once reduced). Progress goes to `on_progress(done, total, seed, tree)`. An allocation
// failure becomes this layer's error; the module stays usable.
std::string analyze_staged(const std::string& name, const val& settings_object, const val& on_progress) {
    try {
        const sp::Settings settings = settings_from(settings_object);
        sp::validate(settings);
        std::vector<std::int32_t> classes(staging.labels32);
        std::sort(classes.begin(), classes.end());
        const auto distinct = static_cast<std::uint64_t>(std::unique(classes.begin(), classes.end()) - classes.begin());
        classes = std::vector<std::int32_t>();
        sp::check_layer_fits(name, staging.layer.samples, staging.layer.features, settings, sp::browser_limits(), distinct);
        sp::Layer layer = std::move(staging.layer);
        layer.name = name;
        std::vector<std::int64_t> labels(staging.labels32.begin(), staging.labels32.end());
        clear_staging();
        sp::LayerRun run;
        run.names = option_names();
        if (!on_progress.isUndefined() && !on_progress.isNull()) {
            run.progress = [&](const sp::Progress& p) {
                on_progress(static_cast<double>(p.done), static_cast<double>(p.total), p.seed, p.tree);
            };
        }
        const sp::LayerOutcome outcome = sp::probe_layer(std::move(layer), std::move(labels), settings, run);
        if (!outcome.ok()) return error_json(outcome.error);
        sp::JsonWriter json(false);
        sp::write_layer(json, outcome, sp::JsonOptions{false, true});
        return json.str();
    } catch (const sp::InputError& e) {
        clear_staging();
        return error_json(e.what());
    } catch (const std::bad_alloc&) {
        const std::string message = sp::out_of_memory_message(name, staging.layer.samples, staging.layer.features, option_names());
        clear_staging();
        return error_json(message);
    }
}

val float_array(const float* data, std::size_t count) {
    return val::global("Float32Array").new_(emscripten::typed_memory_view(count, data));
}

val labels_array(const std::vector<std::int64_t>& labels) {
    std::vector<std::int32_t> narrow(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] < INT32_MIN || labels[i] > INT32_MAX)
            throw sp::InputError("label " + std::to_string(labels[i]) + " at element " + std::to_string(i) +
                                 " does not fit a 32-bit integer; renumber the classes");
        narrow[i] = static_cast<std::int32_t>(labels[i]);
    }
    return val::global("Int32Array").new_(emscripten::typed_memory_view(narrow.size(), narrow.data()));
}

val shape_of(std::size_t samples, std::size_t features) {
    val shape = val::array();
    shape.call<void>("push", static_cast<double>(samples));
    shape.call<void>("push", static_cast<double>(features));
    return shape;
}

// Parse the staged files as one data set: { layers: [{ name, data, shape }], labels } or { error }.
val read_staged(const std::string& labels_name) {
    val result = val::object();
    std::vector<sp::FileSize> sizes;
    for (const sp::NamedBytes& f : staging.files) sizes.push_back({f.file_name, f.bytes.size()});
    try {
        sp::check_files_fit(sizes, sp::browser_limits());
        sp::ReadOptions options;
        options.labels_name = labels_name;
        std::vector<sp::NamedBytes> files = std::move(staging.files);
        clear_staging();
        sp::Dataset dataset = sp::read_dataset(files, options);
        files.clear();
        val layers = val::array();
        for (sp::Layer& layer : dataset.layers) {
            val entry = val::object();
            entry.set("name", layer.name);
            entry.set("shape", shape_of(layer.samples, layer.features));
            entry.set("data", float_array(layer.values.data(), layer.values.size()));
            layer.values = std::vector<float>();
            layers.call<void>("push", entry);
        }
        result.set("layers", layers);
        result.set("labels", labels_array(dataset.labels));
        if (!dataset.predictions.empty()) result.set("predictions", labels_array(dataset.predictions));
    } catch (const sp::InputError& e) {
        clear_staging();
        result.set("error", std::string(e.what()));
    } catch (const std::bad_alloc&) {
        clear_staging();
        std::string names;
        std::uint64_t total = 0;
        for (const sp::FileSize& f : sizes) {
            names += (names.empty() ? "" : ", ") + f.file_name;
            total += f.bytes;
        }
        result.set("error", names + ": out of memory while reading " + std::to_string(total) +
                                " bytes (the arrays they hold are larger than this browser tab's memory allows); save "
                                "a subsample of the rows, or use the command-line tool");
    }
    return result;
}

// Diagnostics of the staged layer (predictions optional), reduced as the settings ask (the seed,
// max_samples and project_features count): the "diagnostics" object of the results document as
// JSON, or { error }.
std::string diagnose_staged(const val& settings_object) {
    try {
        const sp::Settings settings = settings_from(settings_object);
        staging.labels.assign(staging.labels32.begin(), staging.labels32.end());
        const std::vector<std::int64_t> predictions(staging.predictions32.begin(), staging.predictions32.end());
        const sp::LayerDiagnostics diagnostics =
            sp::diagnose_layer(staging.layer, staging.labels, predictions.empty() ? nullptr : &predictions, settings);
        clear_staging();
        sp::JsonWriter json(false);
        sp::write_diagnostics(json, diagnostics);
        return json.str();
    } catch (const sp::InputError& e) {
        clear_staging();
        return error_json(e.what());
    } catch (const std::bad_alloc&) {
        const std::string message = sp::out_of_memory_message(staging.layer.name, staging.layer.samples,
                                                               staging.layer.features, option_names());
        clear_staging();
        return error_json(message);
    }
}

// The first two principal components of the staged layer: { coordinates, explained } or { error }.
val project_staged(double seed) {
    val result = val::object();
    try {
        const sp::Projection p = sp::principal_components(staging.layer, static_cast<std::uint64_t>(seed));
        clear_staging();
        const std::vector<float> coordinates(p.coordinates.begin(), p.coordinates.end());
        result.set("coordinates", float_array(coordinates.data(), coordinates.size()));
        val explained = val::array();
        explained.call<void>("push", p.explained_variance_ratio[0]);
        explained.call<void>("push", p.explained_variance_ratio[1]);
        result.set("explained", explained);
    } catch (const sp::InputError& e) {
        clear_staging();
        result.set("error", std::string(e.what()));
    }
    return result;
}

// A synthetic data set: { data, shape, labels, noise } or { error }.
val demo(const std::string& name, const val& options) {
    val result = val::object();
    try {
        sp::SyntheticOptions o;
        o.samples = static_cast<std::size_t>(setting<double>(options, "samples", 1000.0));
        o.noise = setting<double>(options, "noise", -1.0);
        o.label_noise = setting<double>(options, "labelNoise", 0.0);
        o.seed = static_cast<std::uint64_t>(setting<double>(options, "seed", 0.0));
        o.classes = setting<int>(options, "classes", 3);
        const sp::SyntheticData data = sp::make_synthetic(name, o);
        result.set("data", float_array(data.points.values.data(), data.points.values.size()));
        result.set("shape", shape_of(data.points.samples, 2));
        result.set("labels", labels_array(data.labels));
        result.set("noise", o.noise < 0.0 ? sp::default_noise(name) : o.noise);
    } catch (const sp::InputError& e) {
        result.set("error", std::string(e.what()));
    }
    return result;
}

std::string settings_json(const val& settings_object) {
    try {
        const sp::Settings settings = settings_from(settings_object);
        sp::validate(settings);
        sp::JsonWriter json(false);
        json.begin_object();
        sp::write_settings(json, settings);
        json.end_object();
        return json.str();
    } catch (const sp::InputError& e) {
        return error_json(e.what());
    }
}

// The Learn view's state: the first seed's forest and a linear probe of the staged 2-D layer.
struct Explained {
    std::unique_ptr<sp::ForestExplanation> forest;
    sp::LinearProbe linear;
};
std::unique_ptr<Explained> explained;

// Grow and keep the explanation of the staged layer. Returns { trees, wavelets, classes, minimum,
// maximum, linear_accuracy, partitions: [[{ feature, threshold, leaf, depth, low, high, log_norm,
// rank, counts }]] } as JSON, or { error }.
std::string explain_staged(const val& settings_object) {
    try {
        const sp::Settings settings = settings_from(settings_object);
        staging.labels.assign(staging.labels32.begin(), staging.labels32.end());
        auto next = std::make_unique<Explained>();
        next->forest = std::make_unique<sp::ForestExplanation>(staging.layer, staging.labels, settings);
        const sp::NormalizedLayer normalized(staging.layer);
        next->linear = sp::fit_linear_probe(normalized, sp::one_hot(staging.labels));
        clear_staging();
        explained = std::move(next);

        const sp::ForestExplanation& e = *explained->forest;
        sp::JsonWriter json(false);
        json.begin_object();
        json.field("trees", e.trees()).field("wavelets", e.wavelets()).field("classes", e.classes());
        json.field("linear_accuracy", explained->linear.training_accuracy);
        json.key("minimum").begin_array();
        for (std::size_t f = 0; f < e.features(); ++f) json.value(e.minimum(f));
        json.end_array();
        json.key("maximum").begin_array();
        for (std::size_t f = 0; f < e.features(); ++f) json.value(e.maximum(f));
        json.end_array();
        json.key("partitions").begin_array();
        std::vector<double> low, high;
        for (std::size_t t = 0; t < e.trees(); ++t) {
            json.begin_array();
            const sp::Tree& tree = e.tree(t);
            for (std::size_t node = 0; node < tree.size(); ++node) {
                const sp::TreeNode& n = tree.nodes[node];
                e.box(t, node, low, high);
                json.begin_object();
                json.field("leaf", n.is_leaf()).field("depth", n.depth);
                if (!n.is_leaf()) json.field("feature", n.feature).field("threshold", n.threshold);
                json.key("low").array(low);
                json.key("high").array(high);
                json.field("log_norm", e.log_norm(t, node)).field("rank", e.rank(t, node));
                json.key("counts").begin_array();
                std::vector<double> counts(e.classes(), 0.0);
                for (const sp::ClassCount* c = tree.counts_begin(node); c != tree.counts_end(node); ++c)
                    counts[c->label] = c->weight;
                for (const double c : counts) json.value(c);
                json.end_array();
                json.end_object();
            }
            json.end_array();
        }
        json.end_array();
        json.end_object();
        return json.str();
    } catch (const sp::InputError& e) {
        clear_staging();
        return error_json(e.what());
    }
}

// f_M on a grid × grid lattice of the normalised square: Float32Array of grid·grid·classes, or { error }.
val approximation(double m, double grid) {
    val result = val::object();
    try {
        if (!explained) throw sp::InputError("no explained forest: explain a layer first");
        const std::vector<float> values =
            explained->forest->approximation_grid(static_cast<std::size_t>(m), static_cast<std::size_t>(grid));
        result.set("values", float_array(values.data(), values.size()));
    } catch (const sp::InputError& e) {
        result.set("error", std::string(e.what()));
    }
    return result;
}

// The linear probe's predicted class at the centres of a grid × grid lattice: Int32Array, or { error }.
val linear_grid(double grid_size) {
    val result = val::object();
    try {
        if (!explained) throw sp::InputError("no explained forest: explain a layer first");
        if (explained->linear.features != 2) throw sp::InputError("the decision map needs a 2-feature layer");
        const auto grid = static_cast<std::size_t>(grid_size);
        std::vector<std::int64_t> classes(grid * grid);
        for (std::size_t row = 0; row < grid; ++row)
            for (std::size_t column = 0; column < grid; ++column) {
                const double x[2] = {(column + 0.5) / static_cast<double>(grid), (row + 0.5) / static_cast<double>(grid)};
                classes[row * grid + column] = static_cast<std::int64_t>(explained->linear.predict(x));
            }
        result.set("classes", labels_array(classes));
    } catch (const sp::InputError& e) {
        result.set("error", std::string(e.what()));
    }
    return result;
}

std::string version() { return SPARSITY_PROBE_VERSION; }

// Seconds the warm-up took; a failure (out of memory in a tab already short of it) only means the
// first layer runs on the baseline code, so it is reported as -1 rather than thrown.
double warm_up() {
    const auto started = std::chrono::steady_clock::now();
    try {
        sp::warm_up();
    } catch (...) {
        return -1.0;
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

}  // namespace

EMSCRIPTEN_BINDINGS(sparsity_probe) {
    emscripten::function("stageLayer", &stage_layer);
    emscripten::function("stageLabels", &stage_labels);
    emscripten::function("stageFile", &stage_file);
    emscripten::function("stagePredictions", &stage_predictions);
    emscripten::function("diagnoseStaged", &diagnose_staged);
    emscripten::function("projectStaged", &project_staged);
    emscripten::function("clearStaging", &clear_staging);
    emscripten::function("analyzeStaged", &analyze_staged);
    emscripten::function("readStaged", &read_staged);
    emscripten::function("demo", &demo);
    emscripten::function("settingsJson", &settings_json);
    emscripten::function("checkLayer", &check_layer);
    emscripten::function("checkFiles", &check_files);
    emscripten::function("limits", &limits);
    emscripten::function("explainStaged", &explain_staged);
    emscripten::function("approximation", &approximation);
    emscripten::function("linearGrid", &linear_grid);
    emscripten::function("setThreadLimit", &sp::set_thread_limit);
    emscripten::function("version", &version);
    emscripten::function("warmUp", &warm_up);
}
