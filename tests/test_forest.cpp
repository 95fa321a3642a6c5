// The forest against a brute-force exact split search, written independently: for every internal
// node the chosen split must reach the minimum summed squared error (paper eq. 3.1) over all
// features and all cuts between distinct values, computed from explicit one-hot mean vectors.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sparsity_probe/binning.hpp"
#include "sparsity_probe/forest.hpp"
#include "sparsity_probe/random.hpp"
#include "../src/core/class_histogram.hpp"

using namespace sparsity_probe;

namespace {

struct Sample {
    std::vector<double> x;
    int label;
    int weight;
};

double weighted_sse(const std::vector<const Sample*>& node, int classes) {
    std::vector<double> mean(classes, 0.0);
    double total = 0.0;
    for (const Sample* s : node) {
        mean[s->label] += s->weight;
        total += s->weight;
    }
    for (double& m : mean) m /= total;
    double sse = 0.0;
    for (const Sample* s : node)
        for (int k = 0; k < classes; ++k) {
            const double diff = (k == s->label ? 1.0 : 0.0) - mean[k];
            sse += s->weight * diff * diff;
        }
    return sse;
}

// Minimum over every feature and every cut between consecutive distinct values in the node.
double best_sse(const std::vector<const Sample*>& node, std::size_t features, int classes) {
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t f = 0; f < features; ++f) {
        std::vector<double> values;
        for (const Sample* s : node) values.push_back(s->x[f]);
        std::sort(values.begin(), values.end());
        values.erase(std::unique(values.begin(), values.end()), values.end());
        for (std::size_t c = 0; c + 1 < values.size(); ++c) {
            std::vector<const Sample*> left, right;
            for (const Sample* s : node) (s->x[f] <= values[c] ? left : right).push_back(s);
            best = std::min(best, weighted_sse(left, classes) + weighted_sse(right, classes));
        }
    }
    return best;
}

struct Problem {
    Layer layer;
    std::vector<std::int64_t> labels;
    int classes;
};

// Values on a coarse grid so that features have ties, as real activations (ReLU zeros) do.
Problem make_problem(std::uint64_t seed, std::size_t n, std::size_t d, int classes, int levels) {
    Random random(seed);
    Problem p;
    p.classes = classes;
    p.layer.name = "random";
    p.layer.samples = n;
    p.layer.features = d;
    for (std::size_t i = 0; i < n; ++i) {
        double sum = 0.0;
        for (std::size_t f = 0; f < d; ++f) {
            const double v = static_cast<double>(random.below(levels));
            p.layer.values.push_back(static_cast<float>(v));
            sum += v * static_cast<double>(f + 1);
        }
        // Labels depend on the features (so splits matter) plus some noise.
        const int label = random.uniform() < 0.3 ? static_cast<int>(random.below(classes))
                                                  : static_cast<int>(static_cast<std::int64_t>(sum) % classes);
        p.labels.push_back(label);
    }
    return p;
}

void check_tree_against_brute_force(const Problem& p, const Settings& settings, std::uint64_t seed) {
    const NormalizedLayer normalized(p.layer);
    const OneHotTargets targets = one_hot(p.labels);
    const BinnedFeatures bins = bin_features(normalized, settings.max_bins);
    const Tree tree = grow_tree(TrainingSet{normalized, bins, targets}, settings, seed);

    // Recover each sample's bootstrap weight from the tree's leaves: route every sample and count.
    // The root's weight must be n (bootstrap draws n), and the leaves' distinct counts add up.
    std::vector<Sample> samples(p.layer.samples);
    for (std::size_t i = 0; i < samples.size(); ++i) {
        for (std::size_t f = 0; f < p.layer.features; ++f) samples[i].x.push_back(normalized(i, f));
        samples[i].label = static_cast<int>(targets.class_of[i]);
    }
    // Re-draw the bootstrap the documented way: n draws of Random(seed).below(n).
    Random random(seed);
    std::vector<int> weight(samples.size(), 0);
    for (std::size_t j = 0; j < samples.size(); ++j) ++weight[random.below(samples.size())];
    for (std::size_t i = 0; i < samples.size(); ++i) samples[i].weight = weight[i];

    std::vector<std::vector<const Sample*>> members(tree.size());
    for (const Sample& s : samples) {
        if (s.weight == 0) continue;
        std::uint32_t id = 0;
        members[0].push_back(&s);
        while (!tree.nodes[id].is_leaf()) {
            const TreeNode& node = tree.nodes[id];
            id = s.x[static_cast<std::size_t>(node.feature)] <= node.threshold ? node.left : node.right;
            members[id].push_back(&s);
        }
    }
    std::size_t internal = 0;
    for (std::size_t id = 0; id < tree.size(); ++id) {
        const TreeNode& node = tree.nodes[id];
        CAPTURE(id);
        std::uint64_t w = 0;
        for (const Sample* s : members[id]) w += static_cast<std::uint64_t>(s->weight);
        REQUIRE(w == node.weight);
        REQUIRE(members[id].size() == node.distinct);
        const double brute = best_sse(members[id], p.layer.features, p.classes);
        if (node.is_leaf()) {
            const bool pure = weighted_sse(members[id], p.classes) == 0.0;
            const bool deep = node.depth == static_cast<std::uint32_t>(settings.depth);
            CHECK((pure || deep || std::isinf(brute)));
            continue;
        }
        ++internal;
        const double chosen = weighted_sse(members[node.left], p.classes) + weighted_sse(members[node.right], p.classes);
        CHECK(chosen == doctest::Approx(brute).epsilon(1e-12));
    }
    CHECK(internal > 3);
}

// Trees of depth `depth` grown on `seeds` problems (seed 1, 2, …; shape as make_problem), each
// split checked against the brute-force optimum.
void check_seeds_against_brute_force(int depth, std::size_t exact_below, std::uint64_t seeds, std::size_t n,
                                     std::size_t d, int classes, int levels, std::uint64_t tree_seed_base) {
    Settings settings;
    settings.depth = depth;
    settings.exact_below = exact_below;
    for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
        CAPTURE(seed);
        check_tree_against_brute_force(make_problem(seed, n, d, classes, levels), settings, tree_seed_base + seed);
    }
}

}  // namespace

TEST_CASE("every split of the exact search minimises the squared error (brute force)") {
    // exact_below beyond every node: exact sorted search everywhere
    check_seeds_against_brute_force(6, 1u << 30, 4, 60, 4, 3, 7, 100);
}

TEST_CASE("the binned search finds the same optimum when every bin holds one value") {
    // bins in every node; at most 40 distinct values per feature
    check_seeds_against_brute_force(6, 0, 4, 300, 5, 4, 40, 200);
}

// Nodes with at least 100 samples per class present are searched with class histograms: these
// layers' upper nodes (about 1,260 distinct samples at the root) take that path.
TEST_CASE("the histogram search of large nodes finds the same optimum (brute force)") {
    check_seeds_against_brute_force(5, 0, 3, 2000, 4, 3, 40, 300);
}

// A histogram node whose larger child holds at least 50 samples per class present keeps its
// histograms, and that child derives its own by taking the sibling's members out (left or right
// child, down a chain of such nodes): 2 classes and about 3,160 distinct samples at the root.
TEST_CASE("histograms derived from the parent's find the same optimum (brute force)") {
    check_seeds_against_brute_force(7, 0, 3, 5000, 3, 2, 30, 400);
}

// A node that can derive searches histograms from 50 samples per class, half of what a fresh fill
// needs: about 380 distinct samples at the root (a fresh fill from 200 on, 2 classes), whose
// larger children of 100 to 199 samples derive.
TEST_CASE("histograms derived below the fresh-fill threshold find the same optimum (brute force)") {
    check_seeds_against_brute_force(7, 0, 6, 600, 3, 2, 30, 600);
}

// Nodes of a weight above 16,383 count in 32-bit cells (class_histogram.hpp): about 12,600
// distinct samples of weight 20,000 at the root, and their children.
TEST_CASE("histograms of 32-bit cells find the same optimum (brute force)") {
    check_seeds_against_brute_force(3, 0, 1, 20000, 3, 2, 40, 500);
}

TEST_CASE("histograms, list sweeps and exact search build identical trees on lossless bins") {
    const Problem p = make_problem(9, 2000, 6, 5, 50);
    const NormalizedLayer normalized(p.layer);
    const OneHotTargets targets = one_hot(p.labels);
    const BinnedFeatures bins = bin_features(normalized, 256);
    const TrainingSet data{normalized, bins, targets};
    for (const std::size_t min_leaf : {1, 3}) {
        CAPTURE(min_leaf);
        Settings exact, binned, mixed;
        exact.exact_below = 1u << 30;
        binned.exact_below = 0;
        mixed.exact_below = 100;
        exact.min_samples_leaf = binned.min_samples_leaf = mixed.min_samples_leaf = min_leaf;
        const Tree a = grow_tree(data, exact, 5), b = grow_tree(data, binned, 5), c = grow_tree(data, mixed, 5);
        REQUIRE(a.size() == b.size());
        REQUIRE(a.size() == c.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            CAPTURE(i);
            CHECK(a.nodes[i].feature == b.nodes[i].feature);
            CHECK(a.nodes[i].threshold == b.nodes[i].threshold);
            CHECK(a.nodes[i].weight == b.nodes[i].weight);
            CHECK(a.nodes[i].feature == c.nodes[i].feature);
            CHECK(a.nodes[i].threshold == c.nodes[i].threshold);
        }
    }
}

TEST_CASE("binning: at most 256 bins, equal-frequency, one bin per value when there are few") {
    Layer layer;
    layer.name = "bins";
    layer.samples = 10000;
    layer.features = 2;
    Random random(3);
    for (std::size_t i = 0; i < layer.samples; ++i) {
        layer.values.push_back(static_cast<float>(random.uniform()));
        layer.values.push_back(static_cast<float>(random.below(10)));
    }
    const NormalizedLayer normalized(layer);
    const BinnedFeatures bins = bin_features(normalized, 256);
    CHECK(bins.bin_count[0] == 256);
    CHECK(bins.bin_count[1] == 10);
    std::vector<std::size_t> counts(256, 0);
    for (std::size_t i = 0; i < layer.samples; ++i) {
        const std::uint8_t code = bins.column(0)[i];
        ++counts[code];
        const double v = normalized(i, 0);
        CHECK(v >= bins.low(0, code));
        CHECK(v <= bins.high(0, code));
    }
    for (const std::size_t c : counts) CHECK((c >= 30 && c <= 50));  // 10000/256 ≈ 39 each
    for (std::size_t b = 0; b < 10; ++b) CHECK(bins.low(1, b) == bins.high(1, b));
}

TEST_CASE("feature subsampling and no-bootstrap sampling are seeded and valid") {
    const Problem p = make_problem(4, 500, 8, 3, 20);
    const NormalizedLayer normalized(p.layer);
    const OneHotTargets targets = one_hot(p.labels);
    const BinnedFeatures bins = bin_features(normalized, 256);
    Settings settings;
    settings.max_features = "sqrt";
    settings.bootstrap = false;
    settings.sample_fraction = 0.5;
    const Tree a = grow_tree(TrainingSet{normalized, bins, targets}, settings, 11);
    const Tree b = grow_tree(TrainingSet{normalized, bins, targets}, settings, 11);
    const Tree c = grow_tree(TrainingSet{normalized, bins, targets}, settings, 12);
    CHECK(a.nodes[0].weight == 250);
    CHECK(a.nodes[0].distinct == 250);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a.nodes[i].threshold == b.nodes[i].threshold);
    bool differs = a.size() != c.size();
    for (std::size_t i = 0; !differs && i < a.size(); ++i) differs = a.nodes[i].threshold != c.nodes[i].threshold;
    CHECK(differs);
}

// The histogram walk's step (SSE2 natively, SIMD128 in WebAssembly) against the sums written out,
// with counts up to the 2^24 a tree can hold, where a 32-bit product would overflow, and on 16-bit
// cells up to the node weight they serve, where a 16-bit sum would.
template <class Cell>
void check_bin_moves(std::uint64_t weight_limit) {
    Random random(77);
    for (const std::size_t classes : {1, 3, 4, 8, 10, 13, 17}) {
        CAPTURE(classes);
        const std::size_t row = padded_classes<Cell>(classes);
        REQUIRE(row * sizeof(Cell) % (sizeof(Cell) == 2 ? 8 : 16) == 0);
        // The next row's cells follow in a histogram: the step must neither read them into its
        // sums nor write them.
        const std::size_t next_row = 8;
        for (int trial = 0; trial < 50; ++trial) {
            // The node's weight is shared among its classes, the largest trials at the limit.
            const std::uint64_t node = trial % 2 ? weight_limit : std::min<std::uint64_t>(weight_limit, 1000 * classes);
            std::vector<Cell> w(row + next_row, 7), l(row + next_row, 7), t(row + next_row, 7);
            std::fill_n(w.begin(), row, Cell{0});
            std::fill_n(l.begin(), row, Cell{0});
            std::fill_n(t.begin(), row, Cell{0});
            std::uint64_t left_of_node = node;
            for (std::size_t k = 0; k < classes && left_of_node > 0; ++k) {
                const std::uint64_t total = k + 1 == classes ? left_of_node : random.below(left_of_node + 1);
                left_of_node -= total;
                t[k] = static_cast<Cell>(total);
                w[k] = static_cast<Cell>(random.below(total + 1));
                l[k] = static_cast<Cell>(random.below(total - w[k] + 1));
            }
            std::uint64_t squares = 0, cross = 0, weight = 0;
            for (std::size_t k = 0; k < classes; ++k) {
                const std::uint64_t before = l[k], after = before + w[k];
                squares += after * after - before * before;
                cross += std::uint64_t{w[k]} * t[k];
                weight += w[k];
            }
            std::vector<Cell> l_after = l, w_copy = w;
            for (std::size_t k = 0; k < row; ++k) l_after[k] = static_cast<Cell>(l_after[k] + w[k]);
            const BinSums kept = move_bin_left<false>(w_copy.data(), l.data(), t.data(), row);
            CHECK(kept.sum_squares_growth == squares);
            CHECK(kept.cross == cross);
            CHECK(kept.weight == weight);
            CHECK(l == l_after);
            CHECK(w_copy == w);
            const BinSums cleared = move_bin_left<true>(w_copy.data(), l.data(), t.data(), row);
            CHECK(cleared.weight == weight);
            CHECK(std::all_of(w_copy.begin(), w_copy.begin() + static_cast<std::ptrdiff_t>(row), [](Cell v) { return v == 0; }));
            CHECK(std::all_of(w_copy.begin() + static_cast<std::ptrdiff_t>(row), w_copy.end(), [](Cell v) { return v == 7; }));
            CHECK(std::all_of(l.begin() + static_cast<std::ptrdiff_t>(row), l.end(), [](Cell v) { return v == 7; }));
        }
    }
}

TEST_CASE("one bin moved left: the vector sums equal the scalar ones") {
    SUBCASE("32-bit cells") { check_bin_moves<std::uint32_t>(std::uint64_t{1} << 24); }
    SUBCASE("16-bit cells") { check_bin_moves<std::uint16_t>(narrow_weight_limit); }
}
