// The Learn view's computations: the kept forest matches analyze's first seed, partitions tile the
// square, f_M moves from the root mean (M = 0) to the forest's prediction (all wavelets); and the
// linear probe reaches its optimum and fails on circles, as the paper's Figure 3 says.
#include <doctest/doctest.h>

#include <cmath>

#include "sparsity_probe/explanation.hpp"
#include "sparsity_probe/linear_probe.hpp"
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
