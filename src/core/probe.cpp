#include "sparsity_probe/probe.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "sparsity_probe/binning.hpp"
#include "sparsity_probe/error.hpp"
#include "sparsity_probe/forest.hpp"
#include "sparsity_probe/normalization.hpp"
#include "sparsity_probe/targets.hpp"
#include "sparsity_probe/transition.hpp"
#include "sparsity_probe/wavelets.hpp"
#include "task_pool.hpp"

namespace sparsity_probe {
namespace {

void check_shape(const Layer& layer, const std::vector<std::int64_t>& labels) {
    check_layer_and_labels(layer, labels);
    if (layer.samples > max_tree_samples) {
        std::ostringstream out;
        out << "layer " << layer.name << ": " << layer.samples << " samples; at most " << max_tree_samples
            << " are supported (subsample the rows)";
        throw InputError(out.str());
    }
}

// Step 7: α* over the repetitions.
void summarise_seeds(LayerResult& result) {
    std::vector<double> alphas, taus;
    for (const SeedResult& s : result.per_seed) {
        if (!s.determined) continue;
        alphas.push_back(s.alpha);
        taus.push_back(s.tau_star);
    }
    if (alphas.empty()) {
        result.status = "undetermined";
        result.reason = result.per_seed.front().reason;
        return;
    }
    result.status = "ok";
    const double count = static_cast<double>(alphas.size());
    double sum = 0.0, tau_sum = 0.0;
    for (std::size_t i = 0; i < alphas.size(); ++i) {
        sum += alphas[i];
        tau_sum += taus[i];
    }
    result.alpha = sum / count;
    result.tau_star = tau_sum / count;
    double squares = 0.0;
    for (const double a : alphas) squares += (a - result.alpha) * (a - result.alpha);
    // Population standard deviation over the seeds (the spread of the band that is drawn).
    result.alpha_std = std::sqrt(squares / count);
    result.alpha_min = *std::min_element(alphas.begin(), alphas.end());
    result.alpha_max = *std::max_element(alphas.begin(), alphas.end());
    if (alphas.size() < result.per_seed.size()) {
        std::ostringstream out;
        out << result.per_seed.size() - alphas.size() << " of " << result.per_seed.size()
            << " seeds gave no transition index and are left out of the statistics";
        result.reason = out.str();
    }

    double mterm_sum = 0.0;
    std::size_t mterm_count = 0;
    for (const SeedResult& s : result.per_seed) {
        if (!s.mterm.determined) continue;
        mterm_sum += s.mterm.rate;
        ++mterm_count;
    }
    result.alpha_mterm_determined = mterm_count > 0;
    if (mterm_count) result.alpha_mterm = mterm_sum / static_cast<double>(mterm_count);
}

// How many trees may grow at once (0: no limit). A tree's workspace holds up to 4 bytes per sample
// and feature, as much as the layer itself; the trees growing at once keep them within 48 MiB, so
// that the run stays within twice the layer plus 64 MiB. The other threads are not idle: they
// grow parts of the running trees (run_pair), which is only possible when every split tries every
// feature.
std::size_t concurrent_trees(const Layer& layer, const Settings& settings) {
    if (features_per_split(settings, layer.features) != layer.features) return 0;
    const double list_bytes = 4.0 * static_cast<double>(layer.samples) * static_cast<double>(layer.features);
    const double budget = 48.0 * 1024 * 1024;
    return static_cast<std::size_t>(std::max(1.0, std::floor(budget / list_bytes)));
}

}  // namespace

void check_layer_and_labels(const Layer& layer, const std::vector<std::int64_t>& labels) {
    std::ostringstream out;
    if (layer.samples == 0) {
        out << "layer " << layer.name << ": no samples";
    } else if (layer.features == 0) {
        out << "layer " << layer.name << ": no features (shape " << layer.samples << " x 0)";
    } else if (labels.size() != layer.samples) {
        out << "layer " << layer.name << ": " << layer.samples << " samples but " << labels.size()
            << " labels (expected one label per sample)";
    }
    if (!out.str().empty()) throw InputError(out.str());
}

LayerResult analyze(const Layer& layer, const std::vector<std::int64_t>& labels, const Settings& settings,
                    const ProgressCallback& progress, const std::atomic<bool>* cancel) {
    const auto started = std::chrono::steady_clock::now();
    validate(settings);
    check_shape(layer, labels);

    // Steps 1–2.
    const NormalizedLayer normalized(layer, settings.threads);
    const OneHotTargets targets = one_hot(labels, "layer " + layer.name + ": labels");

    LayerResult result;
    result.name = layer.name;
    result.samples = layer.samples;
    result.features = layer.features;
    result.classes = targets.classes();
    result.class_values = targets.class_values;

    const auto seeds = static_cast<std::size_t>(settings.seeds);
    const auto trees = static_cast<std::size_t>(settings.trees);
    Progress report;
    report.total = seeds * trees + seeds;

    // Step 3, every (seed, tree) pair an independent task.
    std::vector<std::vector<Tree>> forests(seeds, std::vector<Tree>(trees));
    {  // the bins and the trees' lists are freed before the M-term step needs its residuals
        const BinnedFeatures bins = bin_features(normalized, settings.max_bins, settings.threads);
        const TrainingSet data{normalized, bins, targets};
        TreeWorkspaces workspaces;
        run_tasks(
            seeds * trees, settings.threads,
            [&](std::size_t task) {
                const std::size_t s = task / trees, t = task % trees;
                forests[s][t] = workspaces.grow(data, settings, tree_seed(settings.seed, static_cast<int>(s), static_cast<int>(t)), cancel);
            },
            [&](std::size_t task) {
                ++report.done;
                report.seed = static_cast<int>(task / trees);
                report.tree = static_cast<int>(task % trees);
                if (progress) progress(report);
            },
            concurrent_trees(layer, settings));
    }
#if defined(__GLIBC__)
    // glibc keeps freed blocks for reuse (the CLI asks it to keep all of them, huge_pages.cpp),
    // but maps a block above 32 MiB, as the M-term's residuals of a large layer are, apart: it
    // could not reuse them. W3's peak 155 -> 117 MiB.
    malloc_trim(0);
#endif

    // Steps 4–6 and 8 for each seed's forest. With one seed, its own steps use the threads; with
    // several, the seeds do (one run_tasks inside another would start more threads than the
    // WebAssembly build's pool holds).
    const unsigned seed_threads = seeds == 1 ? settings.threads : 1;
    result.per_seed.resize(seeds);
    std::vector<TauCurve> curves(seeds);
    std::vector<std::vector<double>> angles(seeds);
    run_tasks(
        seeds, settings.threads,
        [&](std::size_t s) {
            if (cancel && cancel->load()) throw Cancelled{};
            SeedResult& seed_result = result.per_seed[s];
            seed_result.seed = tree_seed(settings.seed, static_cast<int>(s), 0);
            for (const Tree& tree : forests[s]) seed_result.nodes += tree.size();
            const std::vector<Wavelet> wavelets = wavelet_decomposition(forests[s], settings.measure);
            seed_result.wavelets = wavelets.size();
            std::vector<double> log_norms(wavelets.size());
            for (std::size_t w = 0; w < wavelets.size(); ++w) log_norms[w] = wavelets[w].log_norm;
            curves[s] = tau_sparsity(log_norms, trees, settings, seed_threads);
            Transition transition = transition_index(curves[s], settings);
            angles[s] = std::move(transition.angle);
            seed_result.determined = transition.determined;
            seed_result.tau_star = transition.tau_star;
            seed_result.alpha = transition.alpha;
            seed_result.in_band = transition.in_band;
            seed_result.reason = wavelets.empty()
                                     ? "the forest found no split with a non-zero wavelet (are all features constant?)"
                                     : transition.reason;
            if (wavelets.empty()) seed_result.determined = false;
            seed_result.mterm = mterm_approximation(forests[s], wavelets, normalized, targets, settings.mterm_points, seed_threads);
            forests[s].clear();
            forests[s].shrink_to_fit();
        },
        [&](std::size_t s) {
            ++report.done;
            report.seed = static_cast<int>(s);
            report.tree = -1;
            if (progress) progress(report);
        });

    result.curve = std::move(curves[0]);
    result.angle = std::move(angles[0]);
    result.wavelets = result.per_seed[0].wavelets;
    summarise_seeds(result);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

}  // namespace sparsity_probe
