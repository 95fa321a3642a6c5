// Layer diagnostics: KMeans's fixed point, the nearest-class-centre mismatch and Pearson's r by
// hand, and the linear probe's held-out accuracy on separable and on random labels.
#include <doctest/doctest.h>

#include <cmath>

#include "sparsity_probe/diagnostics.hpp"
#include "sparsity_probe/kmeans.hpp"
#include "sparsity_probe/random.hpp"

using namespace sparsity_probe;

namespace {

// `classes` Gaussian blobs in `d` dimensions, centres far apart (distance 10, std 0.3).
std::pair<Layer, std::vector<std::int64_t>> blobs(std::size_t n, std::size_t d, int classes, std::uint64_t seed) {
    Random random(seed);
    Layer layer;
    layer.name = "blobs";
    layer.samples = n;
    layer.features = d;
    std::vector<std::int64_t> labels(n);
    for (std::size_t i = 0; i < n; ++i) {
        labels[i] = static_cast<std::int64_t>(i % static_cast<std::size_t>(classes));
        for (std::size_t f = 0; f < d; ++f)
            layer.values.push_back(static_cast<float>((f == static_cast<std::size_t>(labels[i]) % d ? 10.0 * (1 + labels[i] / static_cast<std::int64_t>(d)) : 0.0) + 0.3 * random.normal()));
    }
    return {layer, labels};
}

}  // namespace

TEST_CASE("KMeans recovers separated blobs and stops at a Lloyd fixed point") {
    auto [layer, labels] = blobs(300, 4, 3, 1);
    const NormalizedLayer normalized(layer);
    const KMeansResult r = kmeans(normalized, 3, 7);
    CHECK(clustering_indices(labels, r.assignment).adjusted_rand == doctest::Approx(1.0));
    // Every point is assigned to its nearest centre, and every centre is the mean of its points.
    const std::size_t d = 4;
    std::vector<double> sums(3 * d, 0.0), counts(3, 0.0);
    for (std::size_t i = 0; i < 300; ++i) {
        double best = HUGE_VAL;
        std::int64_t arg = -1;
        for (std::size_t c = 0; c < 3; ++c) {
            double dist = 0;
            for (std::size_t f = 0; f < d; ++f) dist += std::pow(normalized(i, f) - r.centres[c * d + f], 2);
            if (dist < best) {
                best = dist;
                arg = static_cast<std::int64_t>(c);
            }
        }
        CHECK(arg == r.assignment[i]);
        counts[static_cast<std::size_t>(arg)] += 1;
        for (std::size_t f = 0; f < d; ++f) sums[static_cast<std::size_t>(arg) * d + f] += normalized(i, f);
    }
    for (std::size_t c = 0; c < 3; ++c)
        for (std::size_t f = 0; f < d; ++f) CHECK(r.centres[c * d + f] == doctest::Approx(sums[c * d + f] / counts[c]));
    const KMeansResult again = kmeans(normalized, 3, 7);
    CHECK(again.assignment == r.assignment);
}

TEST_CASE("nearest-class-centre mismatch, computed by hand") {
    // Values 0 1 2 10 11 3, labels 0 0 0 1 1 1: class means 1 and 8 (normalisation keeps the
    // order of distances in one dimension). Nearest means: 0 0 0 1 1 0.
    Layer layer;
    layer.name = "ncc";
    layer.samples = 6;
    layer.features = 1;
    layer.values = {0, 1, 2, 10, 11, 3};
    const std::vector<std::int64_t> labels{0, 0, 0, 1, 1, 1};
    CHECK(ncc_mismatch(layer, labels, labels) == doctest::Approx(1.0 / 6));
    CHECK(ncc_mismatch(layer, labels, {0, 0, 1, 1, 1, 0}) == doctest::Approx(1.0 / 6));
    CHECK(ncc_mismatch(layer, labels, {0, 0, 0, 1, 1, 0}) == doctest::Approx(0.0));
}

TEST_CASE("Pearson's r by hand, and undefined for a constant series") {
    // x = 1 2 3, y = 2 4 7: Sxy = 5, Sxx = 2, Syy = 114/9, r = 5/sqrt(2·114/9).
    CHECK(pearson({1, 2, 3}, {2, 4, 7}) == doctest::Approx(5.0 / std::sqrt(2.0 * 114.0 / 9.0)).epsilon(1e-14));
    CHECK(std::isnan(pearson({1, 1, 1}, {2, 4, 7})));
}

TEST_CASE("diagnose: a separable layer scores perfectly, random labels score near chance") {
    auto [layer, labels] = blobs(200, 3, 2, 4);
    const LayerDiagnostics good = diagnose(layer, labels, nullptr);
    CHECK(good.linear_train_accuracy == 1.0);
    CHECK(good.linear_heldout_accuracy == 1.0);
    CHECK(good.folds == 5);
    CHECK(good.kmeans.adjusted_rand == doctest::Approx(1.0));
    CHECK(good.ncc_mismatch == 0.0);
    CHECK_FALSE(good.ncc_against_predictions);

    Random random(9);
    std::vector<std::int64_t> shuffled(labels.size());
    for (auto& l : shuffled) l = static_cast<std::int64_t>(random.below(2));
    const LayerDiagnostics bad = diagnose(layer, shuffled, &labels);
    // Held-out accuracy of random labels: 0.5 ± 0.035 (binomial over 200); allow 4σ.
    CHECK(bad.linear_heldout_accuracy < 0.64);
    CHECK(std::abs(bad.kmeans.adjusted_rand) < 0.05);
    CHECK(bad.ncc_against_predictions);
}
