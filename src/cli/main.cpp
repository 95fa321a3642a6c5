// sparsity-probe: the command-line face of the core. Parses options, reads files or makes a demo
// data set, runs analyze() per layer, prints a table or the SPEC §5 JSON document.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/layer_outcome.hpp"
#include "sparsity_probe/probe.hpp"
#include "sparsity_probe/readers.hpp"
#include "sparsity_probe/results.hpp"
#include "sparsity_probe/synthetic.hpp"

namespace sp = sparsity_probe;

namespace {

const char* const settings_help =
    "Forest and probe settings (defaults from the paper, section 4):\n"
    "  --trees N             trees per forest (3)\n"
    "  --depth N             maximum tree depth (15)\n"
    "  --seeds N             forests grown with different seeds; alpha is their mean (3)\n"
    "  --measure M           |node| in the wavelet norm: volume (the paper) or samples (the\n"
    "                        authors' code) (volume)\n"
    "  --eps-low X           lower edge of the angle band above -90 degrees (0.1)\n"
    "  --eps-high X          upper edge of the angle band (0.4)\n"
    "  --eps-unit U          rad (the paper's text) or deg (the authors' code) (rad)\n"
    "  --tau-min X --tau-max X --tau-step X   the tau grid (0.05, 1.99, 0.01)\n"
    "  --max-features F      features tried per split: all, sqrt, a count or a fraction (all)\n"
    "  --min-samples-leaf N  distinct samples per leaf (1)\n"
    "  --sample-fraction X   samples drawn per tree, as a fraction of n (1)\n"
    "  --no-bootstrap        draw without replacement instead of bootstrapping\n"
    "  --max-bins N          bins per feature for split search, 2..256 (256)\n"
    "  --threads N           worker threads, 0 = all cores (0); results do not depend on it\n"
    "\n"
    "Making large layers smaller (off by default; both seeded by --seed, recorded in the JSON):\n"
    "  --max-samples N       analyse a stratified sample of N rows: every class keeps its share\n"
    "                        of the rows (at least one), chosen uniformly within the class\n"
    "  --project-features D  layers with more than D features are projected to D by a sparse\n"
    "                        random projection (entries sqrt(3/D) x {+1, 0, -1} with\n"
    "                        probabilities 1/6, 2/3, 1/6); the authors' code used 2500\n"
    "  --json PATH|-         write the results document (JSON) to PATH, or to stdout with -\n";

const char* const main_help =
    "sparsity-probe: how well each layer of a network separates its classes (Ben-Shaul & Dekel).\n"
    "\n"
    "Usage:\n"
    "  sparsity-probe analyze FILE... [options]   probe the layers stored in FILE(s)\n"
    "  sparsity-probe demo NAME [options]          probe a synthetic 2-D data set\n"
    "  sparsity-probe COMMAND --help               options of a command\n"
    "  sparsity-probe --version\n";

const char* const analyze_help =
    "Usage: sparsity-probe analyze FILE... [options]\n"
    "\n"
    "FILE is an .npz archive (one array per layer plus a label array named labels or y), or a set\n"
    "of .npy files (one per layer plus labels.npy), or CSV/TSV files with a header row (one per\n"
    "layer; labels in a column named labels, label or y, or in their own file). Each .npz is one\n"
    "model; .npy and CSV files given together form one model.\n"
    "\n"
    "  --labels NAME         name of the label array or column (labels, then y)\n"
    "  --diagnostics         also a linear probe (training and 5-fold held-out accuracy), KMeans\n"
    "                        scored by ARI, AMI, homogeneity, completeness and Fowlkes-Mallows,\n"
    "                        and the nearest-class-centre mismatch (against an array named\n"
    "                        predictions if the file has one, else the labels), with the Pearson\n"
    "                        correlation of alpha* with each across the layers\n";

const char* const demo_help =
    "Usage: sparsity-probe demo spiral|circles|gaussian-quantiles|moons|xor|random [options]\n"
    "\n"
    "  --samples N           points (1000)\n"
    "  --noise X             position noise: uniform +-X in data units for spiral and xor,\n"
    "                        Gaussian std for the others (0.1 spiral, 0.05 circles and moons,\n"
    "                        0 otherwise)\n"
    "  --label-noise P       fraction of labels replaced by random ones, 0..1 (or 20%) (0)\n"
    "  --classes K           classes for gaussian-quantiles and random (3)\n"
    "  --seed S              seed of the data set and of the forests (0)\n";

struct UsageError {
    std::string message;
};

struct Options {
    std::string command;
    std::vector<std::string> files;
    std::string demo;
    sp::SyntheticOptions demo_options;
    sp::Settings settings;
    sp::ReadOptions read;
    std::string json_path;
    bool diagnostics = false;
    bool help = false;
};

double parse_double(const std::string& option, const std::string& text) {
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || errno != 0 || !std::isfinite(value))
        throw UsageError{option + " expects a number, found \"" + text + "\""};
    return value;
}

long long parse_integer(const std::string& option, const std::string& text, long long low, long long high) {
    char* end = nullptr;
    errno = 0;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno != 0 || value < low || value > high) {
        std::ostringstream out;
        out << option << " expects an integer from " << low << " to " << high << ", found \"" << text << "\"";
        throw UsageError{out.str()};
    }
    return value;
}

double parse_fraction(const std::string& option, std::string text) {
    bool percent = !text.empty() && text.back() == '%';
    if (percent) text.pop_back();
    double value = parse_double(option, text);
    if (percent) value /= 100.0;
    if (value < 0.0 || value > 1.0) throw UsageError{option + " expects a fraction from 0 to 1 (or 0% to 100%)"};
    return value;
}

Options parse(int argc, char** argv) {
    Options o;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) throw UsageError{"missing command (analyze or demo); see sparsity-probe --help"};
    o.command = args[0];
    if (o.command == "--help" || o.command == "-h" || o.command == "help") {
        o.help = true;
        return o;
    }
    if (o.command == "--version") return o;
    if (o.command != "analyze" && o.command != "demo")
        throw UsageError{"unknown command \"" + o.command + "\" (expected analyze or demo)"};

    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto next = [&]() -> const std::string& {
            if (i + 1 >= args.size()) throw UsageError{a + " needs a value"};
            return args[++i];
        };
        sp::Settings& s = o.settings;
        if (a == "--help" || a == "-h") o.help = true;
        else if (a == "--trees") s.trees = static_cast<int>(parse_integer(a, next(), 1, 1000));
        else if (a == "--depth") s.depth = static_cast<int>(parse_integer(a, next(), 1, 64));
        else if (a == "--seeds") s.seeds = static_cast<int>(parse_integer(a, next(), 1, 1000));
        else if (a == "--measure") {
            try { s.measure = sp::parse_measure(next()); } catch (const sp::InputError&) { throw UsageError{"--measure expects volume or samples, found \"" + args[i] + "\""}; }
        }
        else if (a == "--eps-low") s.eps_low = parse_double(a, next());
        else if (a == "--eps-high") s.eps_high = parse_double(a, next());
        else if (a == "--eps-unit") {
            try { s.eps_unit = sp::parse_angle_unit(next()); } catch (const sp::InputError&) { throw UsageError{"--eps-unit expects rad or deg, found \"" + args[i] + "\""}; }
        }
        else if (a == "--tau-min") s.tau_min = parse_double(a, next());
        else if (a == "--tau-max") s.tau_max = parse_double(a, next());
        else if (a == "--tau-step") s.tau_step = parse_double(a, next());
        else if (a == "--max-features") s.max_features = next();
        else if (a == "--min-samples-leaf") s.min_samples_leaf = static_cast<std::size_t>(parse_integer(a, next(), 1, 1LL << 40));
        else if (a == "--sample-fraction") s.sample_fraction = parse_double(a, next());
        else if (a == "--no-bootstrap") s.bootstrap = false;
        else if (a == "--max-bins") s.max_bins = static_cast<int>(parse_integer(a, next(), 2, 256));
        else if (a == "--max-samples") s.max_samples = static_cast<std::size_t>(parse_integer(a, next(), 2, 0xFFFFFFFFLL));
        else if (a == "--project-features") s.project_features = static_cast<std::size_t>(parse_integer(a, next(), 1, 100000));
        else if (a == "--threads") s.threads = static_cast<unsigned>(parse_integer(a, next(), 0, 1024));
        else if (a == "--json") o.json_path = next();
        else if (a == "--labels" && o.command == "analyze") o.read.labels_name = next();
        else if (a == "--diagnostics") o.diagnostics = true;
        else if (a == "--samples" && o.command == "demo") o.demo_options.samples = static_cast<std::size_t>(parse_integer(a, next(), 2, 10000000));
        else if (a == "--noise" && o.command == "demo") {
            o.demo_options.noise = parse_double(a, next());
            if (o.demo_options.noise < 0.0) throw UsageError{"--noise expects a number >= 0, found \"" + args[i] + "\""};
        }
        else if (a == "--label-noise" && o.command == "demo") o.demo_options.label_noise = parse_fraction(a, next());
        else if (a == "--classes" && o.command == "demo") o.demo_options.classes = static_cast<int>(parse_integer(a, next(), 2, 1000));
        else if (a == "--seed") {
            const auto seed = static_cast<std::uint64_t>(parse_integer(a, next(), 0, (1LL << 53)));
            s.seed = seed;
            o.demo_options.seed = seed;
        }
        else if (a.size() > 1 && a[0] == '-' && a != "-") throw UsageError{"unknown option " + a + " for " + o.command + "; see sparsity-probe " + o.command + " --help"};
        else if (o.command == "demo" && o.demo.empty()) o.demo = a;
        else if (o.command == "demo") throw UsageError{"demo takes one data set name, found a second: \"" + a + "\""};
        else o.files.push_back(a);
    }
    if (o.help) return o;
    if (o.command == "analyze" && o.files.empty()) throw UsageError{"analyze needs at least one FILE; see sparsity-probe analyze --help"};
    if (o.command == "demo" && o.demo.empty()) throw UsageError{"demo needs a data set name: spiral, circles, gaussian-quantiles, moons, xor or random"};
    try {
        sp::validate(o.settings);
    } catch (const sp::InputError& e) {
        throw UsageError{e.what()};
    }
    return o;
}

std::string fixed(double value, int digits) {
    if (!std::isfinite(value)) return "-";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
    return buffer;
}

// The diagnostics columns of one row, or dashes.
std::string diagnostics_cells(const sp::LayerOutcome& l) {
    char cells[256];
    if (!l.diagnostics) {
        std::snprintf(cells, sizeof cells, "  %11s  %6s  %6s  %6s  %6s  %6s  %6s", "-", "-", "-", "-", "-", "-", "-");
        return cells;
    }
    const sp::LayerDiagnostics& d = *l.diagnostics;
    std::snprintf(cells, sizeof cells, "  %5.3f/%5.3f  %6.3f  %6.3f  %6.3f  %6.3f  %6.3f  %6.3f", d.linear_train_accuracy,
                  d.linear_heldout_accuracy, d.kmeans.adjusted_rand, d.kmeans.adjusted_mutual_information,
                  d.kmeans.homogeneity, d.kmeans.completeness, d.kmeans.fowlkes_mallows, d.ncc_mismatch);
    return cells;
}

void print_correlations(std::ostream& out, const std::vector<sp::LayerOutcome>& layers) {
    for (const sp::ModelCorrelations& c : sp::correlations(layers)) {
        out << "\nPearson r of alpha* with each diagnostic across the " << c.layers << " layers"
            << (c.model.empty() ? "" : " of " + c.model) << ":\n";
        const std::pair<const char*, double> rows[] = {
            {"linear probe, training accuracy", c.linear_train_accuracy},
            {"linear probe, held-out accuracy", c.linear_heldout_accuracy},
            {"KMeans adjusted Rand index", c.adjusted_rand},
            {"KMeans adjusted mutual information", c.adjusted_mutual_information},
            {"KMeans homogeneity", c.homogeneity},
            {"KMeans completeness", c.completeness},
            {"KMeans Fowlkes-Mallows", c.fowlkes_mallows},
            {"nearest-class-centre mismatch", c.ncc_mismatch}};
        for (const auto& [name, r] : rows) out << "  " << name << ": " << (std::isfinite(r) ? fixed(r, 3) : "undefined") << "\n";
    }
}

void print_table(std::ostream& out, const std::vector<sp::LayerOutcome>& layers) {
    std::size_t name_width = 5;
    for (const auto& l : layers) name_width = std::max(name_width, l.result.name.size());
    char line[512];
    const bool diagnostics = std::any_of(layers.begin(), layers.end(), [](const sp::LayerOutcome& l) { return l.diagnostics.has_value(); });
    std::snprintf(line, sizeof line, "%-*s  %15s  %16s  %6s  %11s  %8s  %8s", static_cast<int>(name_width), "layer",
                  "samples x feat", "alpha* +- std", "tau*", "alpha_mterm", "wavelets", "seconds");
    out << line;
    if (diagnostics)
        out << "  " << "linear tr/ho" << "     ARI     AMI     hom    comp      FM     NCC";
    out << "  status\n";
    for (const auto& l : layers) {
        const sp::LayerResult& r = l.result;
        const std::string shape = std::to_string(r.samples) + " x " + std::to_string(r.features);
        if (!l.ok()) {
            std::snprintf(line, sizeof line, "%-*s  %15s  %16s  %6s  %11s  %8s  %8s  error: %s\n", static_cast<int>(name_width),
                          r.name.c_str(), shape.c_str(), "-", "-", "-", "-", "-", l.error.c_str());
            out << line;
            continue;
        }
        const bool ok = r.status == "ok";
        const std::string alpha = ok ? fixed(r.alpha, 3) + " +- " + fixed(r.alpha_std, 3) : "-";
        std::snprintf(line, sizeof line, "%-*s  %15s  %16s  %6s  %11s  %8zu  %8s", static_cast<int>(name_width),
                      r.name.c_str(), shape.c_str(), alpha.c_str(), ok ? fixed(r.tau_star, 3).c_str() : "-",
                      r.alpha_mterm_determined ? fixed(r.alpha_mterm, 3).c_str() : "-", r.wavelets,
                      fixed(r.seconds, 2).c_str());
        out << line << (diagnostics ? diagnostics_cells(l) : "") << "  " << r.status << "\n";
        if (l.analysed_samples)
            out << "  " << r.name << ": analysed " << l.analysed_samples << " x " << l.analysed_features
                << (l.analysed_samples < r.samples ? " (stratified rows)" : "")
                << (l.analysed_features != r.features ? " (random projection)" : "") << "\n";
        if (!r.reason.empty()) out << "  " << r.name << ": " << r.reason << "\n";
    }
}

sp::LayerOutcome probe_layer(const sp::Layer& layer, const std::vector<std::int64_t>& labels,
                             const std::vector<std::int64_t>* predictions, const Options& o) {
    sp::LayerRun run;
    run.diagnostics = o.diagnostics;
    return sp::probe_layer(layer, labels, predictions, o.settings, run);
}

std::string base_name(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool is_npz(const std::string& path) {
    return path.size() >= 4 && (path.compare(path.size() - 4, 4, ".npz") == 0 || path.compare(path.size() - 4, 4, ".NPZ") == 0);
}

int run(const Options& o) {
    sp::ResultsDocument document;
    document.settings = o.settings;
    bool failed = false;
    auto report_error = [&](const std::string& message) {
        std::cerr << "sparsity-probe: " << message << "\n";
        failed = true;
    };

    if (o.command == "demo") {
        sp::SyntheticOptions options = o.demo_options;
        if (options.noise < 0.0) options.noise = sp::default_noise(o.demo);
        const sp::SyntheticData data = sp::make_synthetic(o.demo, options);
        document.demo = o.demo;
        document.demo_options = options;
        document.layers.push_back(probe_layer(data.points, data.labels, nullptr, o));
    } else {
        // Each .npz is a model of its own; the other files together form one model.
        std::vector<std::vector<std::string>> groups;
        std::vector<std::string> loose;
        for (const std::string& f : o.files) {
            if (is_npz(f))
                groups.push_back({f});
            else
                loose.push_back(f);
        }
        if (!loose.empty()) groups.push_back(loose);
        document.files = o.files;
        for (const auto& group : groups) {
            sp::Dataset dataset;
            try {
                dataset = sp::read_dataset_files(group, o.read);
            } catch (const sp::InputError& e) {
                report_error(e.what());
                continue;
            } catch (const std::bad_alloc&) {
                // This model's files do not fit in memory; the other models still run.
                std::string names;
                for (const std::string& f : group) names += (names.empty() ? "" : ", ") + f;
                report_error(names + ": out of memory while reading");
                continue;
            }
            const std::vector<std::int64_t>* predictions = dataset.predictions.empty() ? nullptr : &dataset.predictions;
            for (sp::Layer& layer : dataset.layers) {
                if (groups.size() > 1) layer.name = base_name(group.front()) + ":" + layer.name;
                document.layers.push_back(probe_layer(layer, dataset.labels, predictions, o));
                document.layers.back().model = base_name(group.front());
                layer.values.clear();
                layer.values.shrink_to_fit();
            }
        }
    }
    for (const auto& l : document.layers)
        if (!l.ok()) report_error(l.error);

    if (o.json_path == "-") {
        std::cout << sp::results_json(document);
    } else {
        if (!document.layers.empty()) print_table(std::cout, document.layers);
        print_correlations(std::cout, document.layers);
        if (!o.json_path.empty()) {
            std::ofstream file(o.json_path, std::ios::binary);
            file << sp::results_json(document);
            if (!file) report_error("cannot write " + o.json_path);
        }
    }
    return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    try {
        options = parse(argc, argv);
    } catch (const UsageError& e) {
        std::cerr << "sparsity-probe: " << e.message << "\n";
        return 2;
    }
    if (options.command == "--version") {
        std::cout << "sparsity-probe " << SPARSITY_PROBE_VERSION << "\n";
        return 0;
    }
    if (options.help) {
        if (options.command == "analyze")
            std::cout << analyze_help << "\n" << settings_help;
        else if (options.command == "demo")
            std::cout << demo_help << "\n" << settings_help;
        else
            std::cout << main_help;
        return 0;
    }
    try {
        return run(options);
    } catch (const sp::InputError& e) {
        std::cerr << "sparsity-probe: " << e.what() << "\n";
        return 1;
    } catch (const std::bad_alloc&) {
        std::cerr << "sparsity-probe: out of memory\n";
        return 1;
    }
}
