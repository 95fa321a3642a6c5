// The Learn view's computations: the kept forest matches analyze's first seed, partitions tile the
// square, f_M moves from the root mean (M = 0) to the forest's prediction (all wavelets); and the
// linear probe reaches its optimum and fails on circles, as the paper's Figure 3 says.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <string>

#include "sparsity_probe/explanation.hpp"
#include "sparsity_probe/linear_probe.hpp"
#include "sparsity_probe/normalization.hpp"
#include "sparsity_probe/targets.hpp"
#include "sparsity_probe/probe.hpp"
#include "sparsity_probe/synthetic.hpp"

using namespace sparsity_probe;

TEST_CASE("the explained forest is analyze's first seed: same wavelet count") {
    const SyntheticData data = make_synthetic("spiral", SyntheticOptions{});
    const Settings settings;
    const ForestExplanation explanation(data.points, data.labels, settings);
    const LayerResult result = analyze(data.points, data.labels, settings);
    CHECK(explanation.wavelets() == result.per_seed[0].wavelets);
    CHECK(explanation.trees() == 3);
    CHECK(explanation.classes() == 2);
}

TEST_CASE("leaf boxes tile the unit square and ranks enumerate the wavelets") {
    const SyntheticData data = make_synthetic("circles", SyntheticOptions{});
    const ForestExplanation e(data.points, data.labels, Settings{});
    std::size_t ranked = 0;
    for (std::size_t t = 0; t < e.trees(); ++t) {
        double area = 0.0;
        std::vector<double> low, high;
        for (std::size_t node = 0; node < e.tree(t).size(); ++node) {
            if (e.rank(t, node) >= 0) ++ranked;
            if (!e.tree(t).nodes[node].is_leaf()) continue;
            e.box(t, node, low, high);
            area += (high[0] - low[0]) * (high[1] - low[1]);
            // The box's volume is the one the tree recorded while growing.
            CHECK(std::log((high[0] - low[0]) * (high[1] - low[1])) == doctest::Approx(e.tree(t).nodes[node].log_volume).epsilon(1e-9));
        }
        CHECK(area == doctest::Approx(1.0).epsilon(1e-12));
    }
    CHECK(ranked == e.wavelets());
}

TEST_CASE("f_0 is the mean of the root values; f_all averages the trees' leaf means") {
    SyntheticOptions options;
    options.samples = 400;
    const SyntheticData data = make_synthetic("moons", options);
    const ForestExplanation e(data.points, data.labels, Settings{});
    const std::size_t grid = 8;
    const std::vector<float> zero = e.approximation_grid(0, grid);
    const std::vector<float> all = e.approximation_grid(e.wavelets(), grid);
    std::vector<double> root(2, 0.0);
    for (std::size_t t = 0; t < e.trees(); ++t) {
        const Tree& tree = e.tree(t);
        for (const ClassCount* c = tree.counts_begin(0); c != tree.counts_end(0); ++c)
            root[c->label] += static_cast<double>(c->weight) / static_cast<double>(tree.nodes[0].weight) / 3.0;
    }
    for (std::size_t cell = 0; cell < grid * grid; ++cell) {
        CHECK(zero[cell * 2] == doctest::Approx(root[0]).epsilon(1e-6));
        // Directly: route the cell centre down each tree and average the leaf means.
        const double x = (static_cast<double>(cell % grid) + 0.5) / grid, y = (static_cast<double>(cell / grid) + 0.5) / grid;
        double expected = 0.0;
        for (std::size_t t = 0; t < e.trees(); ++t) {
            const Tree& tree = e.tree(t);
            std::uint32_t id = 0;
            while (!tree.nodes[id].is_leaf()) id = (tree.nodes[id].feature == 0 ? x : y) <= tree.nodes[id].threshold ? tree.nodes[id].left : tree.nodes[id].right;
            for (const ClassCount* c = tree.counts_begin(id); c != tree.counts_end(id); ++c)
                if (c->label == 1) expected += static_cast<double>(c->weight) / static_cast<double>(tree.nodes[id].weight) / 3.0;
        }
        CHECK(all[cell * 2 + 1] == doctest::Approx(expected).epsilon(1e-5));
    }
}

TEST_CASE("the linear probe separates two blobs, fails on circles, and stops near its optimum") {
    SyntheticOptions options;
    options.noise = 0.0;
    const SyntheticData circles = make_synthetic("circles", options);
    const NormalizedLayer circle_layer(circles.points);
    const LinearProbe on_circles = fit_linear_probe(circle_layer, one_hot(circles.labels));
    CHECK(on_circles.training_accuracy < 0.7);  // no line separates concentric circles
    CHECK(on_circles.gradient_norm < 1e-3);

    Layer blobs;
    blobs.name = "blobs";
    blobs.samples = 200;
    blobs.features = 2;
    std::vector<std::int64_t> labels;
    for (std::size_t i = 0; i < 200; ++i) {
        const bool right = i % 2 == 1;
        blobs.values.push_back(static_cast<float>((right ? 3.0 : 0.0) + 0.01 * static_cast<double>(i % 17)));
        blobs.values.push_back(static_cast<float>(0.02 * static_cast<double>(i % 13)));
        labels.push_back(right ? 1 : 0);
    }
    const NormalizedLayer blob_layer(blobs);
    const LinearProbe on_blobs = fit_linear_probe(blob_layer, one_hot(labels));
    CHECK(on_blobs.training_accuracy == 1.0);
}

TEST_CASE("the linear probe reaches scikit-learn's optimum of the same objective") {
    // Fixture: tests/fixtures/make_linear_probe_fixture.py (LogisticRegression, multinomial, lbfgs).
    std::ifstream in(std::string(SPARSITY_PROBE_FIXTURES) + "/linear_probe.txt");
    REQUIRE(in);
    std::size_t n = 0, d = 0;
    double sklearn_loss = 0, sklearn_accuracy = 0;
    in >> n >> d >> sklearn_loss >> sklearn_accuracy;
    Layer layer;
    layer.name = "fixture";
    layer.samples = n;
    layer.features = d;
    std::vector<std::int64_t> labels(n);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t f = 0; f < d; ++f) {
            double v;
            in >> v;
            layer.values.push_back(static_cast<float>(v));
        }
        in >> labels[i];
    }
    const NormalizedLayer normalized(layer);
    const OneHotTargets targets = one_hot(labels);
    const LinearProbe model = fit_linear_probe(normalized, targets);
    // The objective, computed here from the weights: mean log-loss + (λ/2)‖W‖² (bias excluded).
    double loss = 0.0, penalty = 0.0;
    std::vector<double> x(d), s(model.classes);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t f = 0; f < d; ++f) x[f] = normalized(i, f);
        model.scores(x.data(), s.data());
        double top = s[0];
        for (const double v : s) top = std::max(top, v);
        double sum = 0.0;
        for (const double v : s) sum += std::exp(v - top);
        loss -= s[targets.class_of[i]] - top - std::log(sum);
    }
    loss /= static_cast<double>(n);
    for (std::size_t k = 0; k < model.classes; ++k)
        for (std::size_t f = 0; f < d; ++f) penalty += model.weights[k * (d + 1) + f] * model.weights[k * (d + 1) + f];
    loss += 0.5 * model.l2 * penalty;
    CHECK(loss == doctest::Approx(sklearn_loss).epsilon(1e-6));
    CHECK(model.training_accuracy == doctest::Approx(sklearn_accuracy));
}
