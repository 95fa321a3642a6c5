// N_τ of norm sets whose value is known in closed form (paper eq. 3.7).
#include <doctest/doctest.h>

#include <cmath>

#include "sparsity_probe/tau_sparsity.hpp"

using namespace sparsity_probe;

TEST_CASE("N_tau of equal norms is (count)^(1/tau) * norm / J") {
    Settings settings;
    const std::vector<double> log_norms(4, std::log(0.5));  // four wavelets of norm 1/2
    const TauCurve curve = tau_sparsity(log_norms, 2, settings);
    REQUIRE(curve.tau.size() == 195);
    CHECK(curve.tau.front() == doctest::Approx(0.05));
    CHECK(curve.tau.back() == doctest::Approx(1.99));
    for (std::size_t k = 0; k < curve.tau.size(); ++k) {
        const double tau = curve.tau[k];
        const double expected = std::pow(4.0, 1.0 / tau) * 0.5 / 2.0;  // finite for every τ here
        CHECK(std::exp(curve.log_n_tau[k]) == doctest::Approx(expected).epsilon(1e-12));
    }
}

TEST_CASE("N_tau of distinct norms matches the direct sum where the direct sum is finite") {
    Settings settings;
    const std::vector<double> norms{0.9, 0.3, 0.05, 0.001, 1e-6};
    std::vector<double> log_norms;
    for (const double v : norms) log_norms.push_back(std::log(v));
    const TauCurve curve = tau_sparsity(log_norms, 3, settings);
    for (std::size_t k = 0; k < curve.tau.size(); ++k) {
        const double tau = curve.tau[k];
        double sum = 0.0;
        for (const double v : norms) sum += std::pow(v, tau);
        CHECK(curve.log_n_tau[k] == doctest::Approx(std::log(std::pow(sum, 1.0 / tau) / 3.0)).epsilon(1e-12));
    }
}

TEST_CASE("N_tau stays exact where a naive double computation under- or overflows") {
    Settings settings;
    // 1000 wavelets of norm e^-5000 (a depth-15 box in thousands of dimensions): every norm is 0
    // as a double, yet log N_τ = −5000 + log(1000)/τ − log J exactly.
    const std::vector<double> tiny(1000, -5000.0);
    const TauCurve small = tau_sparsity(tiny, 3, settings);
    for (std::size_t k = 0; k < small.tau.size(); ++k)
        CHECK(small.log_n_tau[k] == doctest::Approx(-5000.0 + std::log(1000.0) / small.tau[k] - std::log(3.0)).epsilon(1e-13));

    // 10^6 norms of 1: at τ = 0.001 the direct sum to the power 1/τ is 10^6000, far beyond a
    // double, while its log is 6000·ln 10.
    settings.tau_min = 0.001;
    settings.tau_max = 0.003;
    settings.tau_step = 0.001;
    const std::vector<double> ones(1000000, 0.0);
    const TauCurve large = tau_sparsity(ones, 1, settings);
    REQUIRE(large.tau.size() == 3);
    CHECK(std::isinf(std::pow(1e6, 1.0 / large.tau[0])));
    CHECK(large.log_n_tau[0] == doctest::Approx(6000.0 * std::log(10.0)).epsilon(1e-12));
    CHECK(large.log_n_tau[2] == doctest::Approx(2000.0 * std::log(10.0)).epsilon(1e-12));
}

TEST_CASE("log_sum_exp of an empty set is minus infinity, of mixed magnitudes is stable") {
    CHECK(std::isinf(log_sum_exp({}, 1.0)));
    CHECK(log_sum_exp({0.0, -1000.0}, 1.0) == doctest::Approx(std::log1p(std::exp(-1000.0))));
    CHECK(log_sum_exp({800.0, 800.0}, 1.0) == doctest::Approx(800.0 + std::log(2.0)));
}
