#include "sparsity_probe/reduction.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/probe.hpp"
#include "sparsity_probe/random.hpp"
#include "task_pool.hpp"

namespace sparsity_probe {
namespace {

// Stream tags, apart from the forests' derive_seed(seed, repetition, tree) (repetition < 1000) and
// the other tags of the core (diagnostics, KMeans, PCA, synthetic data).
constexpr std::uint64_t kRowStream = 0x524F5753u;         // "ROWS"
constexpr std::uint64_t kProjectionStream = 0x50524F4Au;  // "PROJ"

// Rows handed to one projection task: enough work to amortise a task, few enough to balance.
constexpr std::size_t kRowsPerTask = 64;

void check_input(const Layer& layer, const std::vector<std::int64_t>& labels,
                 const std::vector<std::int64_t>* predictions) {
    check_layer_and_labels(layer, labels);
    std::ostringstream out;
    if (predictions && !predictions->empty() && predictions->size() != layer.samples) {
        out << "layer " << layer.name << ": " << layer.samples << " samples but " << predictions->size()
            << " predictions (expected one per sample)";
    }
    if (!out.str().empty()) throw InputError(out.str());
    // The same check (and words) as the probe's normalisation, but with the row and column of the
    // layer as given: after subsampling or projecting, they would point nowhere useful.
    for (std::size_t i = 0; i < layer.samples; ++i) {
        for (std::size_t f = 0; f < layer.features; ++f) {
            const float v = layer.values[i * layer.features + f];
            if (!std::isfinite(v)) {
                out << "layer " << layer.name << ": non-finite value " << v << " at row " << i << ", column " << f
                    << " (the probe needs finite activations)";
                throw InputError(out.str());
            }
        }
    }
}

}  // namespace

std::uint64_t row_sampling_seed(std::uint64_t seed) { return derive_seed(seed, kRowStream); }
std::uint64_t projection_seed(std::uint64_t seed) { return derive_seed(seed, kProjectionStream); }

std::vector<std::size_t> stratified_quotas(const std::vector<std::size_t>& class_sizes, std::size_t count) {
    const std::size_t classes = class_sizes.size();
    std::uint64_t total = 0;
    for (const std::size_t s : class_sizes) total += s;
    if (count < classes) {
        std::ostringstream out;
        out << "max_samples = " << count << " is below the " << classes
            << " classes of the labels (a stratified sample keeps at least one row of each class)";
        throw InputError(out.str());
    }
    if (count > total) {
        std::ostringstream out;
        out << "max_samples = " << count << " is above the " << total << " rows there are";
        throw InputError(out.str());
    }
    // One row per class first, so that no class vanishes; then the rest by largest remainder.
    // Integer arithmetic throughout (64 bits: count and total are below 2^32), so every platform
    // shares the rows out identically.
    std::vector<std::size_t> quota(classes, 1);
    const std::uint64_t extra = count - classes;
    const std::uint64_t pool = total - classes;
    if (extra == 0 || pool == 0) return quota;
    std::vector<std::uint64_t> remainder(classes);
    std::uint64_t given = 0;
    for (std::size_t c = 0; c < classes; ++c) {
        const std::uint64_t share = extra * (class_sizes[c] - 1);
        quota[c] += static_cast<std::size_t>(share / pool);
        remainder[c] = share % pool;
        given += share / pool;
    }
    std::vector<std::size_t> order(classes);
    for (std::size_t c = 0; c < classes; ++c) order[c] = c;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
    for (std::uint64_t k = 0; k < extra - given; ++k) ++quota[order[static_cast<std::size_t>(k)]];
    return quota;
}

std::vector<std::size_t> stratified_rows(const std::vector<std::int64_t>& labels, std::size_t count, std::uint64_t seed) {
    const std::size_t n = labels.size();
    std::vector<std::size_t> chosen;
    if (count >= n) {
        chosen.resize(n);
        for (std::size_t i = 0; i < n; ++i) chosen[i] = i;
        return chosen;
    }
    // Rows of each class in ascending label value, each list in row order.
    std::map<std::int64_t, std::vector<std::size_t>> by_class;
    for (std::size_t i = 0; i < n; ++i) by_class[labels[i]].push_back(i);
    std::vector<std::size_t> sizes;
    for (const auto& entry : by_class) sizes.push_back(entry.second.size());
    const std::vector<std::size_t> quota = stratified_quotas(sizes, count);

    Random random(seed);
    chosen.reserve(count);
    std::size_t c = 0;
    for (auto& entry : by_class) {
        std::vector<std::size_t>& rows = entry.second;
        // Partial Fisher–Yates: the first quota[c] places become a uniform sample without replacement.
        for (std::size_t t = 0; t < quota[c]; ++t) {
            const std::size_t pick = t + static_cast<std::size_t>(random.below(rows.size() - t));
            std::swap(rows[t], rows[pick]);
            chosen.push_back(rows[t]);
        }
        ++c;
    }
    std::sort(chosen.begin(), chosen.end());
    return chosen;
}

RandomProjection random_projection(std::size_t features, std::size_t dimensions, std::uint64_t seed) {
    if (dimensions == 0 || dimensions > 0x7FFFFFFEu) throw InputError("project_features must be from 1 to 2147483646");
    RandomProjection p;
    p.features = features;
    p.dimensions = dimensions;
    p.scale = std::sqrt(3.0 / static_cast<double>(dimensions));
    p.row_start.reserve(features + 1);
    // A third of the d·D entries are non-zero; reserving six standard deviations more means the
    // vector is never reallocated (which would briefly hold it twice) but with odds below 1e-9.
    const double cells = static_cast<double>(features) * static_cast<double>(dimensions);
    p.entries.reserve(static_cast<std::size_t>(cells / 3.0 + 6.0 * std::sqrt(cells * 2.0 / 9.0)) + 16);
    p.row_start.push_back(0);
    Random random(seed);
    for (std::size_t k = 0; k < features; ++k) {
        for (std::size_t j = 0; j < dimensions; ++j) {
            const std::uint64_t draw = random.below(6);
            if (draw == 0) p.entries.push_back(static_cast<std::int32_t>(j + 1));
            if (draw == 1) p.entries.push_back(-static_cast<std::int32_t>(j + 1));
        }
        p.row_start.push_back(p.entries.size());
    }
    return p;
}

std::vector<double> RandomProjection::dense() const {
    std::vector<double> r(features * dimensions, 0.0);
    for (std::size_t k = 0; k < features; ++k) {
        for (std::size_t e = row_start[k]; e < row_start[k + 1]; ++e) {
            const std::int32_t entry = entries[e];
            const std::size_t j = static_cast<std::size_t>(entry > 0 ? entry : -entry) - 1;
            r[k * dimensions + j] = entry > 0 ? scale : -scale;
        }
    }
    return r;
}

Layer project(const Layer& layer, const RandomProjection& p, unsigned threads) {
    if (layer.features != p.features) {
        std::ostringstream out;
        out << "layer " << layer.name << ": has " << layer.features << " features, the projection expects " << p.features;
        throw InputError(out.str());
    }
    Layer out;
    out.name = layer.name;
    out.samples = layer.samples;
    out.features = p.dimensions;
    out.values.assign(layer.samples * p.dimensions, 0.0f);
    const std::size_t tasks = (layer.samples + kRowsPerTask - 1) / kRowsPerTask;
    run_tasks(tasks, threads, [&](std::size_t task) {
        std::vector<double> sum(p.dimensions);
        const std::size_t end = std::min(layer.samples, (task + 1) * kRowsPerTask);
        for (std::size_t i = task * kRowsPerTask; i < end; ++i) {
            std::fill(sum.begin(), sum.end(), 0.0);
            const float* x = layer.values.data() + i * layer.features;
            // Σ_k x_k R_kj in ascending k: R's entries are ±1 (times the scale, applied once at the
            // end), so each term is exactly ±x_k and only the additions round. Zeros (common after
            // a ReLU) add nothing and are skipped.
            for (std::size_t k = 0; k < layer.features; ++k) {
                const double v = x[k];
                if (v == 0.0) continue;
                for (std::size_t e = p.row_start[k]; e < p.row_start[k + 1]; ++e) {
                    const std::int32_t entry = p.entries[e];
                    if (entry > 0)
                        sum[static_cast<std::size_t>(entry) - 1] += v;
                    else
                        sum[static_cast<std::size_t>(-entry) - 1] -= v;
                }
            }
            float* y = out.values.data() + i * p.dimensions;
            for (std::size_t j = 0; j < p.dimensions; ++j) y[j] = static_cast<float>(sum[j] * p.scale);
        }
    });
    return out;
}

std::size_t samples_after_reduction(std::size_t samples, const Settings& s) {
    return s.max_samples != 0 && samples > s.max_samples ? s.max_samples : samples;
}

std::size_t features_after_reduction(std::size_t features, const Settings& s) {
    return s.project_features != 0 && features > s.project_features ? s.project_features : features;
}

bool reduces(std::size_t samples, std::size_t features, const Settings& s) {
    return samples_after_reduction(samples, s) != samples || features_after_reduction(features, s) != features;
}

ReducedLayer reduce(const Layer& layer, const std::vector<std::int64_t>& labels,
                    const std::vector<std::int64_t>* predictions, const Settings& settings) {
    check_input(layer, labels, predictions);
    const bool with_predictions = predictions && !predictions->empty();
    ReducedLayer r;
    r.subsampled = samples_after_reduction(layer.samples, settings) != layer.samples;
    r.projected = features_after_reduction(layer.features, settings) != layer.features;

    // Rows first: the projection then works on the kept rows only.
    const Layer* source = &layer;
    Layer rows;
    if (r.subsampled) {
        try {
            r.rows = stratified_rows(labels, settings.max_samples, row_sampling_seed(settings.seed));
        } catch (const InputError& e) {
            throw InputError("layer " + layer.name + ": " + e.what());
        }
        rows.name = layer.name;
        rows.samples = r.rows.size();
        rows.features = layer.features;
        rows.values.resize(rows.samples * rows.features);
        r.labels.resize(rows.samples);
        if (with_predictions) r.predictions.resize(rows.samples);
        for (std::size_t i = 0; i < rows.samples; ++i) {
            const std::size_t from = r.rows[i];
            std::copy_n(layer.values.begin() + static_cast<std::ptrdiff_t>(from * layer.features), layer.features,
                        rows.values.begin() + static_cast<std::ptrdiff_t>(i * layer.features));
            r.labels[i] = labels[from];
            if (with_predictions) r.predictions[i] = (*predictions)[from];
        }
        source = &rows;
    } else {
        r.labels = labels;
        if (with_predictions) r.predictions = *predictions;
    }

    if (r.projected) {
        const RandomProjection p = random_projection(layer.features, settings.project_features, projection_seed(settings.seed));
        r.layer = project(*source, p, settings.threads);
    } else if (r.subsampled) {
        r.layer = std::move(rows);
    } else {
        r.layer = layer;
    }
    return r;
}

}  // namespace sparsity_probe
