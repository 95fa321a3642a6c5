// Wavelet norms of a tiny tree, computed by hand (paper eq. 3.2).
//
// Six samples on one feature, x = 0..5 (normalised k/5), labels 0 0 1 1 1 2, no bootstrap.
// Root scores Σ_k cL²/W_L + Σ_k cR²/W_R for the five cuts: 3.2, 4.5, 3.33, 3.0, 3.6 → cut after
// two samples, threshold (0.2 + 0.4)/2 = 0.3. The right node {1,1,1,2} scores 2.67, 3.0, 4.0 →
// cut at (0.8 + 1.0)/2 = 0.9. Means: root (1/3, 1/2, 1/6); left (1,0,0); right (0, 3/4, 1/4);
// right-left (0,1,0); right-right (0,0,1). Squared mean differences: 13/18, 13/72, 1/8, 9/8.
#include <doctest/doctest.h>

#include <cmath>

#include "sparsity_probe/binning.hpp"
#include "sparsity_probe/forest.hpp"
#include "sparsity_probe/wavelets.hpp"

using namespace sparsity_probe;

namespace {

struct TinyTree {
    Layer layer;
    std::vector<std::int64_t> labels{0, 0, 1, 1, 1, 2};
    Settings settings;
    TinyTree() {
        layer.name = "tiny";
        layer.samples = 6;
        layer.features = 1;
        layer.values = {0, 1, 2, 3, 4, 5};
        settings.bootstrap = false;
        settings.trees = 1;
    }
    Tree grow() const {
        const NormalizedLayer normalized(layer);
        const OneHotTargets targets = one_hot(labels);
        const BinnedFeatures bins = bin_features(normalized, settings.max_bins);
        return grow_tree(TrainingSet{normalized, bins, targets}, settings, 7);
    }
};

}  // namespace

TEST_CASE("a tiny tree has the hand-computed structure and wavelet norms") {
    TinyTree tiny;
    for (const std::size_t exact_below : {std::size_t{0}, std::size_t{1000}}) {
        CAPTURE(exact_below);  // 0: every node searched over bins; 1000: every node exact
        tiny.settings.exact_below = exact_below;
        const Tree tree = tiny.grow();
        REQUIRE(tree.size() == 5);
        CHECK(tree.nodes[0].feature == 0);
        CHECK(tree.nodes[0].threshold == doctest::Approx(0.3).epsilon(1e-15));
        CHECK(tree.nodes[1].is_leaf());
        CHECK(tree.nodes[2].threshold == doctest::Approx(0.9).epsilon(1e-15));
        CHECK(tree.nodes[3].is_leaf());
        CHECK(tree.nodes[4].is_leaf());
        CHECK(tree.nodes[0].left == 1);
        CHECK(tree.nodes[0].right == 2);
        CHECK(tree.nodes[2].left == 3);
        CHECK(tree.nodes[2].right == 4);
        CHECK(tree.nodes[0].subtree_end == 5);
        CHECK(tree.nodes[2].subtree_end == 5);

        const double expected_difference[] = {0, 13.0 / 18, 13.0 / 72, 1.0 / 8, 9.0 / 8};
        const double expected_volume[] = {1, 0.3, 0.7, 0.6, 0.1};
        const double expected_fraction[] = {1, 2.0 / 6, 4.0 / 6, 3.0 / 6, 1.0 / 6};
        for (std::size_t node = 1; node < 5; ++node) {
            CAPTURE(node);
            CHECK(tree.mean_difference_squared(node) == doctest::Approx(expected_difference[node]).epsilon(1e-14));
            CHECK(std::exp(log_measure(tree, node, Measure::volume)) == doctest::Approx(expected_volume[node]).epsilon(1e-13));
            CHECK(std::exp(log_measure(tree, node, Measure::samples)) == doctest::Approx(expected_fraction[node]).epsilon(1e-14));
        }

        for (const Measure measure : {Measure::volume, Measure::samples}) {
            const std::vector<Wavelet> wavelets = wavelet_decomposition({tree}, measure);
            REQUIRE(wavelets.size() == 4);
            for (const Wavelet& w : wavelets) {
                const double size = measure == Measure::volume ? expected_volume[w.node] : expected_fraction[w.node];
                CHECK(std::exp(w.log_norm) ==
                      doctest::Approx(std::sqrt(expected_difference[w.node] * size)).epsilon(1e-13));
            }
        }
    }
}

TEST_CASE("a bootstrap sample counts repeated samples in the means and in the samples measure") {
    TinyTree tiny;
    tiny.settings.bootstrap = true;
    const Tree tree = tiny.grow();
    std::uint64_t leaf_weight = 0;
    for (const TreeNode& node : tree.nodes)
        if (node.is_leaf()) leaf_weight += node.weight;
    CHECK(tree.nodes[0].weight == 6);  // n draws with replacement
    CHECK(leaf_weight == 6);
    CHECK(tree.nodes[0].distinct <= 6);
}
