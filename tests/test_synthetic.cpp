// The 2-D data sets: seeded, the right shapes and geometry, label noise at the asked rate.
#include <doctest/doctest.h>

#include <algorithm>
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

TEST_CASE("circles and moons: the outer ring / upper moon gets the odd sample") {
    for (const std::string name : {"circles", "moons"}) {
        CAPTURE(name);
        const SyntheticData d = make(name, 1001);
        std::size_t zeros = 0;
        for (const auto l : d.labels) zeros += l == 0;
        CHECK(zeros == 501);
    }
}

TEST_CASE("circles: radii within the Gaussian noise") {
    // Noise N(0, σ²) on each coordinate moves a point of radius R by ≈ N(0, σ²) radially (plus a
    // bias σ²/(2R) ≤ 0.0025 from the tangential part). Per ring 1,000 points: the mean radius is
    // within 0.01 of R (≈ 6 standard errors of 0.0016), the RMS deviation within 20 % of σ (its
    // relative standard error is ≈ 1/sqrt(2000) ≈ 2 %), and no point is 6σ away.
    const double sigma = 0.05;
    const SyntheticData d = make("circles", 2000, sigma, 0.0, 3);
    for (int ring = 0; ring < 2; ++ring) {
        CAPTURE(ring);
        const double R = ring == 0 ? 1.0 : 0.5;
        double sum = 0, sum2 = 0, worst = 0;
        std::size_t n = 0;
        for (std::size_t i = 0; i < 2000; ++i) {
            if (d.labels[i] != ring) continue;
            const double e = radius(d, i) - R;
            sum += e;
            sum2 += e * e;
            worst = std::max(worst, std::abs(e));
            ++n;
        }
        CHECK(n == 1000);
        CHECK(std::abs(sum / n) <= 0.01);
        CHECK(std::sqrt(sum2 / n) >= 0.8 * sigma);
        CHECK(std::sqrt(sum2 / n) <= 1.2 * sigma);
        CHECK(worst <= 6 * sigma);
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
    // The radius of a 2-D standard normal has P(R ≤ r) = 1 − exp(−r²/2) and density r·exp(−r²/2),
    // so the shells end at the 1/3 and 2/3 quantiles sqrt(−2 ln(2/3)) ≈ 0.90 and sqrt(2 ln 3) ≈ 1.48.
    // An empirical q-quantile of n points has standard error sqrt(q(1 − q)/n) / density: 0.026 and
    // 0.032 here. Allow 4 of them.
    const double se = std::sqrt((1.0 / 3.0) * (2.0 / 3.0) / 900.0);
    const double r1 = std::sqrt(-2.0 * std::log(2.0 / 3.0)), r2 = std::sqrt(2.0 * std::log(3.0));
    CHECK(std::abs(max_radius[0] - r1) <= 4 * se / (r1 * 2.0 / 3.0));
    CHECK(std::abs(max_radius[1] - r2) <= 4 * se / (r2 / 3.0));
}

TEST_CASE("gaussian quantiles: any number of classes, sizes differ by at most one") {
    const SyntheticData d = make("gaussian-quantiles", 1003, 0.0, 0.0, 1, 10);
    std::vector<std::size_t> count(10, 0);
    for (const auto l : d.labels) ++count[static_cast<std::size_t>(l)];
    for (const std::size_t c : count) CHECK((c == 100 || c == 101));
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
    // "Randomised" label: with probability p it is redrawn uniformly from all C classes (it may stay
    // the same), so it changes with probability q = p·(1 − 1/C). Over n samples the changed fraction
    // has binomial standard error sqrt(q(1 − q)/n); allow 4 of them (a false failure ~ 1 in 16,000,
    // and the seeds are fixed anyway).
    auto changed_fraction = [](const std::string& name, std::size_t n, double p, int classes) {
        const SyntheticData clean = make(name, n, 0.0, 0.0, 0, classes), noisy = make(name, n, 0.0, p, 0, classes);
        CHECK(clean.points.values == noisy.points.values);  // label noise never moves a point
        std::size_t changed = 0;
        for (std::size_t i = 0; i < n; ++i) changed += clean.labels[i] != noisy.labels[i];
        return static_cast<double>(changed) / static_cast<double>(n);
    };
    const double q2 = 0.4 * (1.0 - 1.0 / 2.0);  // circles: 2 classes, p = 0.4 → 0.2
    CHECK(std::abs(changed_fraction("circles", 10000, 0.4, 2) - q2) <= 4 * std::sqrt(q2 * (1 - q2) / 10000));
    const double q3 = 0.3 * (1.0 - 1.0 / 3.0);  // 3 quantile shells, p = 0.3 → 0.2
    CHECK(std::abs(changed_fraction("gaussian-quantiles", 10000, 0.3, 3) - q3) <= 4 * std::sqrt(q3 * (1 - q3) / 10000));
    CHECK(changed_fraction("spiral", 1000, 0.0, 3) == 0.0);
    // p = 1: every label is a fresh uniform draw; half of them change for two classes.
    CHECK(std::abs(changed_fraction("moons", 10000, 1.0, 2) - 0.5) <= 4 * std::sqrt(0.25 / 10000));
}

TEST_CASE("negative noise means the data set's default") {
    for (const std::string& name : synthetic_names()) {
        CAPTURE(name);
        CHECK(make(name, 300, -1.0, 0.0, 9).points.values == make(name, 300, default_noise(name), 0.0, 9).points.values);
    }
}

TEST_CASE("invalid options are input errors naming the option") {
    CHECK_THROWS_WITH_AS(make("swirl"), doctest::Contains("unknown data set \"swirl\": expected one of spiral"), InputError);
    CHECK_THROWS_WITH_AS(make("spiral", 1), doctest::Contains("invalid samples = 1"), InputError);
    CHECK_THROWS_WITH_AS(make("spiral", 100, NAN), doctest::Contains("invalid noise"), InputError);
    CHECK_THROWS_WITH_AS(make("spiral", 100, 0.1, 1.5), doctest::Contains("invalid label noise = 1.5"), InputError);
    CHECK_THROWS_WITH_AS(make("random", 100, 0.0, 0.0, 0, 1), doctest::Contains("invalid classes = 1"), InputError);
    // The whole message: where, which option, the value found, what is allowed.
    CHECK_THROWS_WITH_AS(make("moons", 100, 0.1, -0.5), "demo moons: invalid label noise = -0.5: expected a fraction from 0 to 1",
                         InputError);
    CHECK_THROWS_WITH_AS(make("gaussian-quantiles", 5, 0.0, 0.0, 0, 3),
                         "demo gaussian-quantiles: invalid samples = 5: expected at least two per class and at most 10,000,000",
                         InputError);
    CHECK_THROWS_WITH_AS(make("xor", 100, INFINITY), doctest::Contains("invalid noise = inf"), InputError);
    CHECK_THROWS_WITH_AS(make("xor", 100, -INFINITY), doctest::Contains("invalid noise = -inf"), InputError);
    CHECK_THROWS_WITH_AS(make("spiral", 100, 0.1, NAN), doctest::Contains("invalid label noise = nan"), InputError);
    CHECK_THROWS_WITH_AS(make("Spiral"), "unknown data set \"Spiral\": expected one of spiral, circles, gaussian-quantiles, moons, xor, random",
                         InputError);
}
