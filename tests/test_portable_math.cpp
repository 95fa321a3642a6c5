// The portable exp, log, log1p, sin and cos against the C library's, which serves as the
// independent reference: within one unit in the last place (sin and cos: within 4e-16 absolutely,
// since near their zeros the argument reduction, not the function, limits the relative error).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>

#include "sparsity_probe/portable_math.hpp"
#include "sparsity_probe/random.hpp"

using namespace sparsity_probe;

namespace {

// Distance in representable doubles between two finite doubles of the same sign.
std::int64_t ulps(double a, double b) {
    std::int64_t x, y;
    std::memcpy(&x, &a, sizeof x);
    std::memcpy(&y, &b, sizeof y);
    return x > y ? x - y : y - x;
}

}  // namespace

TEST_CASE("portable_exp is within one ulp of exp over the whole range") {
    Random random(11);
    std::int64_t worst = 0;
    for (int i = 0; i < 200000; ++i) {
        const double x = i % 2 ? random.uniform(-745.0, 709.7) : random.uniform(-1e-3, 1e-3);
        const double expected = std::exp(x);
        if (expected == 0.0 || expected < 1e-300) continue;  // subnormal results: checked below
        worst = std::max(worst, ulps(portable_exp(x), expected));
    }
    CHECK(worst <= 1);
    CHECK(portable_exp(0.0) == 1.0);
    CHECK(portable_exp(-744.0) == std::exp(-744.0));  // deep in the subnormals
    CHECK(portable_exp(710.0) == HUGE_VAL);
    CHECK(portable_exp(-746.0) == 0.0);
    CHECK(std::isnan(portable_exp(NAN)));
}

TEST_CASE("portable_log is within one ulp of log, including near 1 and for subnormals") {
    Random random(12);
    std::int64_t worst = 0;
    for (int i = 0; i < 200000; ++i) {
        double x;
        if (i % 3 == 0) x = std::ldexp(random.uniform(0.5, 1.0), static_cast<int>(random.below(2000)) - 1000);
        else if (i % 3 == 1) x = 1.0 + random.uniform(-1e-6, 1e-6);
        else x = random.uniform(0.0, 10.0);
        if (x == 1.0 || x == 0.0) continue;
        worst = std::max(worst, ulps(portable_log(x), std::log(x)));
    }
    CHECK(worst <= 1);
    CHECK(portable_log(1.0) == 0.0);
    CHECK(ulps(portable_log(4.9e-324), std::log(4.9e-324)) <= 1);
    CHECK(portable_log(0.0) == -HUGE_VAL);
    CHECK(std::isnan(portable_log(-1.0)));
    CHECK(portable_log(HUGE_VAL) == HUGE_VAL);
}

TEST_CASE("portable_log1p keeps the digits of small arguments") {
    Random random(13);
    std::int64_t worst = 0;
    for (int i = 0; i < 200000; ++i) {
        const double x = i % 2 ? random.uniform(-0.999999, 1.0) : std::ldexp(random.uniform(-1.0, 1.0), -static_cast<int>(random.below(60)));
        if (x == 0.0) continue;
        worst = std::max(worst, ulps(portable_log1p(x), std::log1p(x)));
    }
    CHECK(worst <= 2);
    CHECK(portable_log1p(1e-300) == 1e-300);
    CHECK(portable_log1p(-1.0) == -HUGE_VAL);
}

TEST_CASE("portable_sin and portable_cos agree with sin and cos") {
    Random random(14);
    double worst = 0.0;
    for (int i = 0; i < 200000; ++i) {
        const double x = random.uniform(-100.0, 100.0);
        worst = std::max(worst, std::fabs(portable_sin(x) - std::sin(x)));
        worst = std::max(worst, std::fabs(portable_cos(x) - std::cos(x)));
    }
    CHECK(worst <= 4e-16);
    CHECK(portable_sin(0.0) == 0.0);
    CHECK(portable_cos(0.0) == 1.0);
}

// Stirling's series rounds (x − ½)·log x and x separately: a few ulps, where lgamma has one.
TEST_CASE("portable_log_factorial is within three ulps of lgamma(k + 1)") {
    std::int64_t worst = 0;
    for (int k = 2; k <= 2000000; k += (k < 200 ? 1 : 997)) worst = std::max(worst, ulps(portable_log_factorial(k), std::lgamma(k + 1.0)));
    CHECK(worst <= 3);
    CHECK(portable_log_factorial(0.0) == 0.0);
    CHECK(portable_log_factorial(1.0) == 0.0);
    CHECK(portable_log_factorial(22.0) == doctest::Approx(std::lgamma(23.0)).epsilon(1e-15));
}
