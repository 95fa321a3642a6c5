// Seeded row subsampling and random projection (reduction.hpp) against values computed here
// independently: brute-force counts of the chosen rows, the largest-remainder quotas worked out by
// hand, the projection against Eigen's matrix product, and sampling frequencies against binomial
// bounds.
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/random.hpp"
#include "sparsity_probe/reduction.hpp"

using namespace sparsity_probe;

namespace {

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

// n labels of `classes` classes with unequal sizes (class c has weight c + 1), in shuffled order.
std::vector<std::int64_t> uneven_labels(std::size_t n, int classes, std::uint64_t seed) {
    std::vector<std::int64_t> labels;
    const int weights = classes * (classes + 1) / 2;
    for (int c = 0; c < classes; ++c)
        for (std::size_t k = 0; k < n * static_cast<std::size_t>(c + 1) / static_cast<std::size_t>(weights); ++k)
            labels.push_back(10 * c + 3);  // non-dense class values
    while (labels.size() < n) labels.push_back(3);
    Random random(seed);
    for (std::size_t i = labels.size() - 1; i > 0; --i) {
        const std::size_t j = static_cast<std::size_t>(random.below(i + 1));
        std::swap(labels[i], labels[j]);
    }
    return labels;
}

Layer random_layer(std::size_t n, std::size_t d, std::uint64_t seed, double zero_fraction = 0.0) {
    Layer layer;
    layer.name = "x";
    layer.samples = n;
    layer.features = d;
    Random random(seed);
    for (std::size_t k = 0; k < n * d; ++k) {
        const double u = random.uniform();
        const double v = random.normal();
        layer.values.push_back(u < zero_fraction ? 0.0f : static_cast<float>(v * 3.0 + 1.0));
    }
    return layer;
}

}  // namespace

TEST_CASE("stratified quotas: one row per class, then largest remainder") {
    // Worked by hand: 10 of {50, 30, 20}. Seven rows beyond the first three are shared in proportion
    // to 49, 29, 19 of 97: 3.536, 2.093, 1.371 -> floors 3, 2, 1 and the one left to the largest
    // remainder (0.536, class 0).
    CHECK(stratified_quotas({50, 30, 20}, 10) == std::vector<std::size_t>{5, 3, 2});
    // Equal remainders go to the earlier class: 1 + 1 of {3, 3} -> shares 0.5 and 0.5.
    CHECK(stratified_quotas({3, 3}, 3) == std::vector<std::size_t>{2, 1});
    // A class of one row keeps it, however small its share.
    CHECK(stratified_quotas({1000, 1}, 2) == std::vector<std::size_t>{1, 1});
    CHECK(stratified_quotas({1000, 1}, 1001) == std::vector<std::size_t>{1000, 1});
    CHECK(error_of([] { stratified_quotas({5, 5, 5}, 2); }) ==
          "max_samples = 2 is below the 3 classes of the labels (a stratified sample keeps at least one row of each class)");
    CHECK(error_of([] { stratified_quotas({5, 5}, 11); }) == "max_samples = 11 is above the 10 rows there are");

    // Random cases against the definition, computed in floating point here.
    Random random(11);
    for (int trial = 0; trial < 300; ++trial) {
        const std::size_t classes = 1 + static_cast<std::size_t>(random.below(12));
        std::vector<std::size_t> sizes(classes);
        std::size_t total = 0;
        for (std::size_t& s : sizes) {
            s = 1 + static_cast<std::size_t>(random.below(trial % 2 ? 5 : 5000));
            total += s;
        }
        const std::size_t count = classes + static_cast<std::size_t>(random.below(total - classes + 1));
        CAPTURE(trial);
        const std::vector<std::size_t> q = stratified_quotas(sizes, count);
        std::size_t sum = 0;
        for (std::size_t c = 0; c < classes; ++c) {
            sum += q[c];
            CHECK(q[c] >= 1);
            CHECK(q[c] <= sizes[c]);
            if (total > classes) {
                const double exact = 1.0 + static_cast<double>(count - classes) * static_cast<double>(sizes[c] - 1) /
                                               static_cast<double>(total - classes);
                CHECK(std::abs(static_cast<double>(q[c]) - exact) < 1.0);
            }
        }
        CHECK(sum == count);
    }
}

TEST_CASE("stratified rows: distinct, ascending, a subset, the quotas per class, the same for a seed") {
    const std::vector<std::int64_t> labels = uneven_labels(1000, 4, 3);
    for (const std::size_t count : {4u, 57u, 500u, 999u}) {
        CAPTURE(count);
        const std::vector<std::size_t> rows = stratified_rows(labels, count, 42);
        REQUIRE(rows.size() == count);
        CHECK(std::is_sorted(rows.begin(), rows.end()));
        CHECK(std::set<std::size_t>(rows.begin(), rows.end()).size() == count);
        CHECK(rows.back() < labels.size());
        // Counts per class, brute force, against the quotas of the class sizes.
        std::map<std::int64_t, std::size_t> sizes, taken;
        for (const std::int64_t l : labels) ++sizes[l];
        for (const std::size_t r : rows) ++taken[labels[r]];
        std::vector<std::size_t> size_list, taken_list;
        for (const auto& [label, size] : sizes) {
            size_list.push_back(size);
            taken_list.push_back(taken[label]);
        }
        CHECK(taken_list == stratified_quotas(size_list, count));
        CHECK(stratified_rows(labels, count, 42) == rows);
    }
    CHECK(stratified_rows(labels, 300, 1) != stratified_rows(labels, 300, 2));
    // Asking for all rows, or more, keeps them all in order.
    const std::vector<std::size_t> all = stratified_rows(labels, 5000, 1);
    REQUIRE(all.size() == 1000);
    for (std::size_t i = 0; i < all.size(); ++i) CHECK(all[i] == i);
}

TEST_CASE("stratified rows: within a class every row is equally likely") {
    // Two classes of 20 and 60 rows, 20 kept: quotas 5 and 15 (one each, then 18 shared 19:59).
    std::vector<std::int64_t> labels(80, 1);
    for (std::size_t i = 0; i < 80; i += 4) labels[i] = 0;
    REQUIRE(stratified_quotas({20, 60}, 20) == std::vector<std::size_t>{5, 15});
    const int trials = 4000;
    std::vector<int> hits(80, 0);
    for (int t = 0; t < trials; ++t)
        for (const std::size_t r : stratified_rows(labels, 20, static_cast<std::uint64_t>(t))) ++hits[r];
    // Each row is kept with probability quota/size = 1/4 in both classes: binomial(4000, 1/4),
    // mean 1000 and standard deviation sqrt(4000 * 1/4 * 3/4) = 27.4; allow five of them.
    for (std::size_t r = 0; r < 80; ++r) {
        CAPTURE(r);
        CHECK(std::abs(hits[r] - 1000) <= 137);
    }
}

TEST_CASE("the projection matrix: sparse signs with the right frequencies, scaled, fixed by its seed") {
    const std::size_t d = 400, dims = 300;
    const RandomProjection p = random_projection(d, dims, 7);
    CHECK(p.features == d);
    CHECK(p.dimensions == dims);
    CHECK(p.scale == std::sqrt(3.0 / 300.0));
    REQUIRE(p.row_start.size() == d + 1);
    CHECK(p.row_start.front() == 0);
    CHECK(p.row_start.back() == p.entries.size());
    std::size_t plus = 0, minus = 0;
    for (std::size_t k = 0; k < d; ++k) {
        std::set<std::int32_t> columns;
        for (std::size_t e = p.row_start[k]; e < p.row_start[k + 1]; ++e) {
            const std::int32_t entry = p.entries[e];
            REQUIRE(entry != 0);
            REQUIRE(std::abs(entry) <= static_cast<std::int32_t>(dims));
            columns.insert(std::abs(entry));
            (entry > 0 ? plus : minus) += 1;
        }
        CHECK(columns.size() == p.row_start[k + 1] - p.row_start[k]);  // one entry per column at most
    }
    // 120,000 entries, each +1 or -1 with probability 1/6: binomial mean 20,000, standard deviation
    // sqrt(120000 * 1/6 * 5/6) = 129; five of them.
    CHECK(std::abs(static_cast<double>(plus) - 20000.0) <= 5 * 129.1);
    CHECK(std::abs(static_cast<double>(minus) - 20000.0) <= 5 * 129.1);

    const std::vector<double> r = p.dense();
    REQUIRE(r.size() == d * dims);
    std::size_t non_zero = 0;
    for (const double v : r) {
        CHECK((v == 0.0 || v == p.scale || v == -p.scale));
        non_zero += v != 0.0;
    }
    CHECK(non_zero == plus + minus);

    const RandomProjection again = random_projection(d, dims, 7);
    CHECK(again.entries == p.entries);
    CHECK(again.row_start == p.row_start);
    CHECK(random_projection(d, dims, 8).entries != p.entries);
}

TEST_CASE("the projected layer is X R, as Eigen computes it") {
    const std::size_t n = 60, d = 300, dims = 40;
    const Layer layer = random_layer(n, d, 5, 0.3);  // a third zeros, as after a ReLU
    const RandomProjection p = random_projection(d, dims, 99);
    const Layer y = project(layer, p, 1);
    REQUIRE(y.samples == n);
    REQUIRE(y.features == dims);

    Eigen::MatrixXd x(n, d), r(d, dims), magnitude(d, dims);
    const std::vector<double> dense = p.dense();
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < d; ++k) x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) = layer.at(i, k);
    for (std::size_t k = 0; k < d; ++k)
        for (std::size_t j = 0; j < dims; ++j) {
            r(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)) = dense[k * dims + j];
            magnitude(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)) = std::abs(dense[k * dims + j]);
        }
    const Eigen::MatrixXd expected = x * r;
    const Eigen::MatrixXd terms = x.cwiseAbs() * magnitude;  // Σ_k |x_ik R_kj|
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < dims; ++j) {
            const double e = expected(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
            // Our value is a double sum (d additions, each off by at most 2^-53 of the running
            // sum, bounded by Σ|terms|) rounded once to float (2^-24 relative).
            const double bound = std::ldexp(std::abs(e), -24) +
                                 static_cast<double>(d) * std::ldexp(terms(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)), -52);
            CAPTURE(i);
            CAPTURE(j);
            CHECK(std::abs(static_cast<double>(y.at(i, j)) - e) <= bound);
        }
    }
    // Rows are independent tasks: any thread count gives the same bits.
    CHECK(project(layer, p, 3).values == y.values);
    CHECK(project(layer, p, 0).values == y.values);
}

TEST_CASE("reduce: rows, then features, with labels and predictions kept in step") {
    const std::size_t n = 500, d = 60;
    const Layer layer = random_layer(n, d, 21);
    const std::vector<std::int64_t> labels = uneven_labels(n, 3, 4);
    std::vector<std::int64_t> predictions(n);
    for (std::size_t i = 0; i < n; ++i) predictions[i] = static_cast<std::int64_t>(i % 7);

    Settings s;
    s.seed = 9;
    CHECK_FALSE(reduces(n, d, s));
    s.max_samples = 120;
    s.project_features = 16;
    CHECK(reduces(n, d, s));
    CHECK(samples_after_reduction(n, s) == 120);
    CHECK(features_after_reduction(d, s) == 16);
    CHECK(samples_after_reduction(100, s) == 100);
    CHECK(features_after_reduction(16, s) == 16);

    const ReducedLayer r = reduce(layer, labels, &predictions, s);
    CHECK(r.subsampled);
    CHECK(r.projected);
    REQUIRE(r.rows == stratified_rows(labels, 120, row_sampling_seed(9)));
    REQUIRE(r.labels.size() == 120);
    REQUIRE(r.predictions.size() == 120);
    Layer kept;
    kept.name = layer.name;
    kept.samples = 120;
    kept.features = d;
    for (std::size_t i = 0; i < 120; ++i) {
        CHECK(r.labels[i] == labels[r.rows[i]]);
        CHECK(r.predictions[i] == predictions[r.rows[i]]);
        for (std::size_t f = 0; f < d; ++f) kept.values.push_back(layer.at(r.rows[i], f));
    }
    const Layer expected = project(kept, random_projection(d, 16, projection_seed(9)), 1);
    CHECK(r.layer.samples == 120);
    CHECK(r.layer.features == 16);
    CHECK(r.layer.values == expected.values);
    // The same settings give the same layer; another seed another.
    CHECK(reduce(layer, labels, &predictions, s).layer.values == r.layer.values);
    Settings other = s;
    other.seed = 10;
    CHECK(reduce(layer, labels, &predictions, other).layer.values != r.layer.values);
    // The streams differ from each other and from the forests' derive_seed(seed, repetition, tree).
    CHECK(row_sampling_seed(9) != projection_seed(9));
    CHECK(row_sampling_seed(9) != derive_seed(9, 0, 0));

    // Rows only: the kept rows as they are. Features only: every row projected.
    Settings rows_only;
    rows_only.max_samples = 120;
    rows_only.seed = 9;
    const ReducedLayer a = reduce(layer, labels, nullptr, rows_only);
    CHECK(a.layer.values == kept.values);
    CHECK_FALSE(a.projected);
    CHECK(a.predictions.empty());
    Settings features_only;
    features_only.project_features = 16;
    features_only.seed = 9;
    const ReducedLayer b = reduce(layer, labels, nullptr, features_only);
    CHECK_FALSE(b.subsampled);
    CHECK(b.labels == labels);
    CHECK(b.layer.values == project(layer, random_projection(d, 16, projection_seed(9)), 1).values);
}

TEST_CASE("reduce: bad input is named in the layer's own rows and columns") {
    Layer layer = random_layer(50, 8, 2);
    const std::vector<std::int64_t> labels = uneven_labels(50, 2, 1);
    Settings s;
    s.max_samples = 10;
    s.project_features = 4;
    layer.values[17 * 8 + 5] = std::numeric_limits<float>::quiet_NaN();
    CHECK(error_of([&] { reduce(layer, labels, nullptr, s); }) ==
          "layer x: non-finite value nan at row 17, column 5 (the probe needs finite activations)");
    layer.values[17 * 8 + 5] = 1.0f;
    const std::vector<std::int64_t> short_labels(labels.begin(), labels.begin() + 49);
    CHECK(error_of([&] { reduce(layer, short_labels, nullptr, s); }) ==
          "layer x: 50 samples but 49 labels (expected one label per sample)");
    s.max_samples = 1;
    CHECK(error_of([&] { reduce(layer, labels, nullptr, s); }) ==
          "layer x: max_samples = 1 is below the 2 classes of the labels (a stratified sample keeps at least one row of each class)");
}
