// τ* on curves with a known angle profile (paper §3.3).
#include <doctest/doctest.h>

#include <cmath>

#include "sparsity_probe/transition.hpp"
#include "sparsity_probe/portable_math.hpp"

using namespace sparsity_probe;

namespace {

constexpr double pi = 3.14159265358979323846;

// A piecewise-linear N_τ on the default grid (τ_k = 0.05 + 0.01k): slope `steep` up to k = 75
// (τ = 0.80), `middle` up to k = 115 (τ = 1.20), `flat` after. Central differences inside a piece
// give the piece's slope; at the two kinks they give the mean of the neighbouring slopes.
TauCurve piecewise(const Settings& settings, double start, double steep, double middle, double flat) {
    TauCurve curve;
    double n = start;  // must stay positive: the steep piece falls by 75 · 0.01 · |steep|
    for (std::size_t k = 0; k < tau_grid_size(settings); ++k) {
        curve.tau.push_back(tau_at(settings, k));
        curve.log_n_tau.push_back(std::log(n));
        const double slope = k < 75 ? steep : k < 115 ? middle : flat;
        n += slope * settings.tau_step;
    }
    return curve;
}

}  // namespace

TEST_CASE("tau* is the mean of the grid points whose angle lies in the band (radians)") {
    Settings settings;
    // Middle slope at angle −π/2 + 0.25, inside [−π/2 + 0.1, −π/2 + 0.4]. Steep: −π/2 + 0.001
    // (below the band); flat: far above. The kinks: (−1000 − 3.92)/2 → −π/2 + 0.002, outside;
    // (−3.92 − 0.1)/2 → −π/2 + 0.46, outside. So S = {0.81, …, 1.19}, τ* = 1, α* = 1/2.
    const double middle = -1.0 / std::tan(0.25);
    const TauCurve curve = piecewise(settings, 5000.0, -1000.0, middle, -0.1);
    const Transition t = transition_index(curve, settings);
    REQUIRE(t.determined);
    CHECK(t.in_band == 39);
    CHECK(t.tau_star == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(t.alpha == doctest::Approx(0.5).epsilon(1e-12));
    CHECK(t.angle[100] == doctest::Approx(-pi / 2 + 0.25).epsilon(1e-9));
    CHECK(t.angle[10] == doctest::Approx(std::atan(-1000.0)).epsilon(1e-9));
}

TEST_CASE("with eps_unit deg the same numbers are compared in degrees") {
    Settings settings;
    settings.eps_unit = AngleUnit::deg;
    // Middle slope at −89.75°, inside [−89.9°, −89.6°]; steep slope −1e5 at −89.9994°, below.
    const double middle = -1.0 / std::tan(0.25 * pi / 180.0);
    const TauCurve curve = piecewise(settings, 1e7, -1e5, middle, -0.1);
    const Transition t = transition_index(curve, settings);
    REQUIRE(t.determined);
    CHECK(t.in_band == 39);
    CHECK(t.tau_star == doctest::Approx(1.0).epsilon(1e-12));
    // In radians the middle piece is at −π/2 + 0.0044, below the radian band: nothing qualifies.
    settings.eps_unit = AngleUnit::rad;
    const Transition r = transition_index(curve, settings);
    CHECK_FALSE(r.determined);
}

TEST_CASE("a curve with no angle in the band is undetermined with a reason, never NaN") {
    Settings settings;
    const TauCurve flat = piecewise(settings, 10.0, -0.1, -0.1, -0.1);
    const Transition t = transition_index(flat, settings);
    CHECK_FALSE(t.determined);
    CHECK(t.in_band == 0);
    CHECK(t.reason.find("widen eps_low/eps_high") != std::string::npos);
    for (const double a : t.angle) CHECK(std::isfinite(a));
}

TEST_CASE("derivatives of values beyond the double range become exact right angles") {
    TauCurve curve;
    curve.tau = {0.01, 0.02, 0.03};
    curve.log_n_tau = {5000.0, 4000.0, 3000.0};  // N = e^5000 …: every difference overflows
    const std::vector<double> d = tau_derivative(curve);
    for (const double v : d) CHECK(std::isinf(v));
    for (const double v : d) CHECK(portable_atan(v) == -pi / 2);
    // One-sided at the ends, central inside, all finite for ordinary values.
    curve.log_n_tau = {std::log(3.0), std::log(2.0), std::log(1.5)};
    const std::vector<double> e = tau_derivative(curve);
    CHECK(e[0] == doctest::Approx(-100.0));
    CHECK(e[1] == doctest::Approx(-75.0));
    CHECK(e[2] == doctest::Approx(-50.0));
}

TEST_CASE("the portable arctangent agrees with the C library to a few ulp, and is exact at the poles") {
    for (double x = -60.0; x <= 60.0; x += 0.0137) {
        CAPTURE(x);
        CHECK(sparsity_probe::portable_atan(x) == doctest::Approx(std::atan(x)).epsilon(4e-16));
    }
    for (const double x : {1e-300, 1e-8, 0.41421356237309503, 0.41421356237309509, 1.0, 1e8, 1e300})
        CHECK(sparsity_probe::portable_atan(x) == doctest::Approx(std::atan(x)).epsilon(4e-16));
    CHECK(sparsity_probe::portable_atan(HUGE_VAL) == pi / 2);
    CHECK(sparsity_probe::portable_atan(-HUGE_VAL) == -pi / 2);
    CHECK(sparsity_probe::portable_atan(0.0) == 0.0);
}
