#include "sparsity_probe/diagnostics.hpp"

#include <cmath>
#include <numeric>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/kmeans.hpp"
#include "sparsity_probe/linear_probe.hpp"
#include "sparsity_probe/normalization.hpp"
#include "sparsity_probe/random.hpp"
#include "sparsity_probe/targets.hpp"

namespace sparsity_probe {
namespace {

// Held-out accuracy of the linear probe: samples shuffled (seeded) into `folds` folds; each fold
// is predicted by a probe fitted on the others.
double heldout_accuracy(const NormalizedLayer& layer, const OneHotTargets& targets, const DiagnosticsOptions& o, int& folds) {
    const std::size_t n = layer.samples();
    folds = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(std::max(2, o.folds)), n));
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    Random random(derive_seed(o.seed, 0x464Fu));
    for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[random.below(i)]);
    std::size_t correct_total = 0;
    for (int fold = 0; fold < folds; ++fold) {
        std::vector<std::uint32_t> train, test;
        for (std::size_t j = 0; j < n; ++j) (static_cast<int>(j % static_cast<std::size_t>(folds)) == fold ? test : train).push_back(order[j]);
        const LinearProbe model = fit_linear_probe(layer, targets, o.l2, o.linear_iterations, &train);
        correct_total += static_cast<std::size_t>(std::llround(linear_probe_accuracy(model, layer, targets, &test) * static_cast<double>(test.size())));
    }
    return static_cast<double>(correct_total) / static_cast<double>(n);
}

}  // namespace

double ncc_mismatch(const Layer& layer, const std::vector<std::int64_t>& labels, const std::vector<std::int64_t>& reference) {
    const NormalizedLayer normalized(layer);
    const OneHotTargets targets = one_hot(labels, "layer " + layer.name + ": labels");
    if (reference.size() != labels.size())
        throw InputError("layer " + layer.name + ": " + std::to_string(reference.size()) + " predictions but " +
                         std::to_string(labels.size()) + " labels");
    const std::size_t n = layer.samples, d = layer.features, classes = targets.classes();
    std::vector<double> means(classes * d, 0.0);
    std::vector<double> counts(classes, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t k = targets.class_of[i];
        ++counts[k];
        for (std::size_t f = 0; f < d; ++f) means[k * d + f] += normalized(i, f);
    }
    for (std::size_t k = 0; k < classes; ++k)
        for (std::size_t f = 0; f < d; ++f) means[k * d + f] /= counts[k];
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < n; ++i) {
        std::size_t best = 0;
        double best_distance = HUGE_VAL;
        for (std::size_t k = 0; k < classes; ++k) {
            double distance = 0.0;
            for (std::size_t f = 0; f < d; ++f) distance += (normalized(i, f) - means[k * d + f]) * (normalized(i, f) - means[k * d + f]);
            if (distance < best_distance) {
                best_distance = distance;
                best = k;
            }
        }
        mismatches += targets.class_values[best] != reference[i];
    }
    return static_cast<double>(mismatches) / static_cast<double>(n);
}

LayerDiagnostics diagnose(const Layer& layer, const std::vector<std::int64_t>& labels,
                          const std::vector<std::int64_t>* predictions, const DiagnosticsOptions& o) {
    if (labels.size() != layer.samples)
        throw InputError("layer " + layer.name + ": " + std::to_string(layer.samples) + " samples but " +
                         std::to_string(labels.size()) + " labels (expected one label per sample)");
    const NormalizedLayer normalized(layer);
    const OneHotTargets targets = one_hot(labels, "layer " + layer.name + ": labels");
    LayerDiagnostics out;
    out.linear_train_accuracy = fit_linear_probe(normalized, targets, o.l2, o.linear_iterations).training_accuracy;
    out.linear_heldout_accuracy = heldout_accuracy(normalized, targets, o, out.folds);
    out.kmeans_clusters = targets.classes();
    const KMeansResult clusters = kmeans(normalized, targets.classes(), o.seed, o.kmeans_restarts, o.kmeans_iterations);
    out.kmeans = clustering_indices(labels, clusters.assignment);
    out.ncc_against_predictions = predictions != nullptr;
    out.ncc_mismatch = ncc_mismatch(layer, labels, predictions ? *predictions : labels);
    return out;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
    const std::size_t n = std::min(x.size(), y.size());
    if (n < 2) return NAN;
    double mx = 0, my = 0;
    for (std::size_t i = 0; i < n; ++i) {
        mx += x[i];
        my += y[i];
    }
    mx /= static_cast<double>(n);
    my /= static_cast<double>(n);
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx == 0.0 || syy == 0.0) return NAN;
    return sxy / std::sqrt(sxx * syy);
}

}  // namespace sparsity_probe
