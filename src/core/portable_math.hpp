#pragma once
// Functions whose last bit must not depend on the C library. glibc (native) and musl (Emscripten)
// agree on exp and log here but not on atan, and the angle θ = arctan N'_τ decides which τ enter
// the transition index. This arctangent uses only +, −, ×, ÷ (correctly rounded everywhere), so
// it gives the same double on every IEEE platform; it is accurate to a few ulp.
#include <cmath>

namespace sparsity_probe {

inline double portable_atan(double x) {
    constexpr double half_pi = 1.57079632679489661923;
    constexpr double quarter_pi = 0.78539816339744830962;
    constexpr double tan_eighth_pi = 0.41421356237309504880;
    if (std::isnan(x)) return x;
    const bool negative = x < 0.0;
    double a = negative ? -x : x;
    double offset = 0.0;
    if (a > 1.0) {  // atan(a) = π/2 − atan(1/a); a = ∞ gives exactly π/2
        a = 1.0 / a;
        offset = half_pi;
    }
    bool shifted = false;
    if (a > tan_eighth_pi) {  // atan(a) = π/4 + atan((a − 1)/(a + 1)), now |t| ≤ tan(π/8)
        a = (a - 1.0) / (a + 1.0);
        shifted = true;
    }
    // Taylor series: t² ≤ 0.1716, so 40 terms are far below an ulp.
    const double t2 = a * a;
    double term = a, sum = 0.0;
    for (int k = 0; k < 40; ++k) {
        sum += term / static_cast<double>(2 * k + 1);
        term *= -t2;
    }
    double result = shifted ? quarter_pi + sum : sum;
    if (offset != 0.0) result = offset - result;
    return negative ? -result : result;
}

}  // namespace sparsity_probe
