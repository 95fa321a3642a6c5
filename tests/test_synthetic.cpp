// The 2-D data sets: seeded, the right shapes and geometry, label noise at the asked rate.
#include <doctest/doctest.h>

#include <cmath>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/synthetic.hpp"

using namespace sparsity_probe;

namespace {

SyntheticData make(const std::string& name, std::size_t samples = 1000, double noise = -1.0, double label_noise = 0.0,
                   std::uint64_t seed = 0, int classes = 3) {
    SyntheticOptions o;
    o.samples = samples;
    o.noise = noise;
    o.label_noise = label_noise;
    o.seed = seed;
    o.classes = classes;
    return make_synthetic(name, o);
}

double radius(const SyntheticData& d, std::size_t i) {
    return std::hypot(static_cast<double>(d.points.at(i, 0)), static_cast<double>(d.points.at(i, 1)));
}

}  // namespace

TEST_CASE("every data set is seeded: same seed same points, other seed other points") {
    for (const std::string& name : synthetic_names()) {
        CAPTURE(name);
        const SyntheticData a = make(name, 500, -1.0, 0.1, 4), b = make(name, 500, -1.0, 0.1, 4);
        const SyntheticData c = make(name, 500, -1.0, 0.1, 5);
        CHECK(a.points.values == b.points.values);
        CHECK(a.labels == b.labels);
        CHECK((a.points.values != c.points.values || a.labels != c.labels));
        CHECK(a.points.samples == 500);
        CHECK(a.points.features == 2);
        CHECK(a.points.values.size() == 1000);
        CHECK(a.labels.size() == 500);
        CHECK(a.points.name == name);
    }
}

TEST_CASE("spiral: two arms of equal size, radius 5 i/m, within the uniform noise") {
    const SyntheticData d = make("spiral", 1001, 0.1);
    std::size_t ones = 0;
    for (const auto l : d.labels) ones += l == 1;
    CHECK(ones == 501);
    // Arm 0, point i = 250 of m = 500: r = 2.5, t = 1.75·2π·0.5.
    const double t = 1.75 * 2 * 3.14159265358979323846 * 0.5;
    CHECK(std::abs(d.points.at(250, 0) - 2.5 * std::sin(t)) <= 0.1 + 1e-6);
    CHECK(std::abs(d.points.at(250, 1) - 2.5 * std::cos(t)) <= 0.1 + 1e-6);
    for (std::size_t i = 0; i < d.points.samples; ++i) CHECK(radius(d, i) <= 5.0 + 0.15);
}

TEST_CASE("circles: radii 1 and 0.5 without noise, classes by ring") {
    const SyntheticData d = make("circles", 400, 0.0);
    for (std::size_t i = 0; i < 400; ++i) {
        CAPTURE(i);
        CHECK(radius(d, i) == doctest::Approx(d.labels[i] == 0 ? 1.0 : 0.5).epsilon(1e-6));
    }
}

TEST_CASE("gaussian quantiles: equal-size classes, shells ordered by radius") {
    const SyntheticData d = make("gaussian-quantiles", 900, 0.0, 0.0, 2, 3);
    std::vector<double> max_radius(3, 0.0), min_radius(3, 1e9);
    std::vector<std::size_t> count(3, 0);
    for (std::size_t i = 0; i < 900; ++i) {
        const auto k = static_cast<std::size_t>(d.labels[i]);
        ++count[k];
        max_radius[k] = std::max(max_radius[k], radius(d, i));
        min_radius[k] = std::min(min_radius[k], radius(d, i));
    }
    CHECK(count == std::vector<std::size_t>{300, 300, 300});
    CHECK(max_radius[0] <= min_radius[1] + 1e-6);
    CHECK(max_radius[1] <= min_radius[2] + 1e-6);
    // The radius of a 2-D standard normal has P(R ≤ r) = 1 − exp(−r²/2), so the inner shell ends
    // at sqrt(−2 ln(2/3)) ≈ 0.90; 10 % allows the sampling error of 900 points.
    CHECK(max_radius[0] == doctest::Approx(std::sqrt(-2.0 * std::log(2.0 / 3.0))).epsilon(0.1));
}

TEST_CASE("xor and moons and random: labels as defined") {
    const SyntheticData x = make("xor", 500, 0.0);
    for (std::size_t i = 0; i < 500; ++i) CHECK(x.labels[i] == ((x.points.at(i, 0) > 0) != (x.points.at(i, 1) > 0) ? 1 : 0));
    const SyntheticData m = make("moons", 200, 0.0);
    CHECK(m.points.at(0, 0) == doctest::Approx(1.0));  // upper moon starts at (1, 0)
    CHECK(m.points.at(100, 0) == doctest::Approx(0.0));  // lower moon starts at (1 − 1, 0.5)
    CHECK(m.points.at(100, 1) == doctest::Approx(0.5));
    const SyntheticData r = make("random", 3000, -1.0, 0.0, 0, 5);
    std::vector<std::size_t> count(5, 0);
    for (const auto l : r.labels) ++count[static_cast<std::size_t>(l)];
    for (const std::size_t c : count) CHECK((c > 500 && c < 700));  // 600 ± 4 std
}

TEST_CASE("label noise randomises the asked fraction of labels") {
    // A label changes with probability p·(1 − 1/classes): p = 0.4, two classes → 0.2. Over 20,000
    // samples the binomial standard deviation is sqrt(20000·0.2·0.8) ≈ 57, i.e. 0.0028; allow 4σ.
    const SyntheticData clean = make("circles", 20000, 0.0, 0.0);
    const SyntheticData noisy = make("circles", 20000, 0.0, 0.4);
    std::size_t changed = 0;
    for (std::size_t i = 0; i < 20000; ++i) changed += clean.labels[i] != noisy.labels[i];
    CHECK(static_cast<double>(changed) / 20000.0 == doctest::Approx(0.2).epsilon(0.0113 / 0.2));
    CHECK(clean.points.values == noisy.points.values);
}

TEST_CASE("invalid options are input errors naming the option") {
    CHECK_THROWS_WITH_AS(make("swirl"), doctest::Contains("unknown data set \"swirl\": expected one of spiral"), InputError);
    CHECK_THROWS_WITH_AS(make("spiral", 1), doctest::Contains("invalid samples = 1"), InputError);
    CHECK_THROWS_WITH_AS(make("spiral", 100, NAN), doctest::Contains("invalid noise"), InputError);
    CHECK_THROWS_WITH_AS(make("spiral", 100, 0.1, 1.5), doctest::Contains("invalid label noise = 1.5"), InputError);
    CHECK_THROWS_WITH_AS(make("random", 100, 0.0, 0.0, 0, 1), doctest::Contains("invalid classes = 1"), InputError);
}
