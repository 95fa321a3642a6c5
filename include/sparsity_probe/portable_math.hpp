#pragma once
// Functions whose last bit must not depend on the C library. glibc (native) and musl (Emscripten)
// round exp, log, atan, sin and cos differently in rare last bits (found by the benchmark: one
// N_τ of 200 differed), and these values decide which τ enter the transition index and what the
// results document says. These versions use only +, −, ×, ÷, floor, frexp and ldexp, which are
// exact or correctly rounded on every IEEE platform, so they give the same double everywhere;
// each is accurate to about one ulp (tests/test_portable_math.cpp compares them with the C
// library's). exp, log and sin/cos follow fdlibm's reductions and polynomials.
#include <cmath>
#include <limits>

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

inline double portable_exp(double x) {
    if (std::isnan(x)) return x;
    if (x > 709.782712893383973096) return HUGE_VAL;
    if (x < -745.133219101941108420) return 0.0;
    constexpr double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
    constexpr double inv_ln2 = 1.44269504088896338700e+00;
    constexpr double p1 = 1.66666666666666019037e-01, p2 = -2.77777777770155933842e-03,
                     p3 = 6.61375632143793436117e-05, p4 = -1.65339022054652515390e-06,
                     p5 = 4.13813679705723846039e-08;
    // x = k·ln 2 + r with |r| ≤ ln 2 / 2; k·ln2_hi is exact (ln2_hi has 32 trailing zero bits).
    const double k = std::floor(x * inv_ln2 + 0.5);
    const double hi = x - k * ln2_hi;
    const double lo = k * ln2_lo;
    const double r = hi - lo;
    const double t = r * r;
    const double c = r - t * (p1 + t * (p2 + t * (p3 + t * (p4 + t * p5))));
    const double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
    return std::ldexp(y, static_cast<int>(k));
}

inline double portable_log(double x) {
    if (std::isnan(x) || x < 0.0) return std::numeric_limits<double>::quiet_NaN();
    if (x == 0.0) return -HUGE_VAL;
    if (std::isinf(x)) return x;
    constexpr double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
    constexpr double lg1 = 6.666666666666735130e-01, lg2 = 3.999999999940941908e-01,
                     lg3 = 2.857142874366239149e-01, lg4 = 2.222219843214978396e-01,
                     lg5 = 1.818357216161805012e-01, lg6 = 1.531383769920937332e-01,
                     lg7 = 1.479819860511658591e-01;
    // x = m·2^e with m in [√½, √2), so that f = m − 1 is small and exact.
    int e = 0;
    double m = std::frexp(x, &e);
    if (m < 0.70710678118654752440) {
        m *= 2.0;
        --e;
    }
    const double f = m - 1.0;
    const double k = e;
    const double s = f / (2.0 + f);
    const double z = s * s, w = z * z;
    const double t1 = w * (lg2 + w * (lg4 + w * lg6));
    const double t2 = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)));
    const double r = t2 + t1;
    const double half_f_squared = 0.5 * f * f;
    return k * ln2_hi - ((half_f_squared - (s * (half_f_squared + r) + k * ln2_lo)) - f);
}

// log(1 + x) without losing the digits of a small x (Goldberg's trick: the rounding error of 1 + x
// cancels in x / (u − 1)).
inline double portable_log1p(double x) {
    if (std::isnan(x) || x < -1.0) return std::numeric_limits<double>::quiet_NaN();
    if (x == -1.0) return -HUGE_VAL;
    if (x > 1e300) return portable_log(x);
    const double u = 1.0 + x;
    if (u == 1.0) return x;
    return portable_log(u) * (x / (u - 1.0));
}

namespace detail {
// sin and cos on [−π/4, π/4] (fdlibm's kernels, without the tail correction).
inline double sin_kernel(double r) {
    constexpr double s1 = -1.66666666666666324348e-01, s2 = 8.33333333332248946124e-03,
                     s3 = -1.98412698298579493134e-04, s4 = 2.75573137070700676789e-06,
                     s5 = -2.50507602534068634195e-08, s6 = 1.58969099521155010221e-10;
    const double z = r * r;
    return r + r * z * (s1 + z * (s2 + z * (s3 + z * (s4 + z * (s5 + z * s6)))));
}
inline double cos_kernel(double r) {
    constexpr double c1 = 4.16666666666666019037e-02, c2 = -1.38888888888741095749e-03,
                     c3 = 2.48015872894767294178e-05, c4 = -2.75573143513906633035e-07,
                     c5 = 2.08757232129817482790e-09, c6 = -1.13596475577881948265e-11;
    const double z = r * r;
    const double tail = z * z * (c1 + z * (c2 + z * (c3 + z * (c4 + z * (c5 + z * c6)))));
    const double half = 0.5 * z;
    const double w = 1.0 - half;
    return w + (((1.0 - w) - half) + tail);
}
// x = n·π/2 + r, |r| ≤ π/4 (two-part Cody–Waite; enough for the |x| < 2^20 the data sets use).
inline double reduce_half_pi(double x, long& n) {
    constexpr double two_over_pi = 6.36619772367581382433e-01;
    constexpr double pio2_1 = 1.57079632673412561417e+00, pio2_1t = 6.07710050650619224932e-11;
    const double q = std::floor(x * two_over_pi + 0.5);
    n = static_cast<long>(q);
    return (x - q * pio2_1) - q * pio2_1t;
}

// sin of n·π/2 + r: the quadrant picks the kernel and the sign. cos(x) = sin(x + π/2) is the next
// quadrant.
inline double sine_in_quadrant(long n, double r) {
    switch (((n % 4) + 4) % 4) {
        case 0: return sin_kernel(r);
        case 1: return cos_kernel(r);
        case 2: return -sin_kernel(r);
        default: return -cos_kernel(r);
    }
}
}  // namespace detail

inline double portable_sin(double x) {
    if (!std::isfinite(x)) return std::numeric_limits<double>::quiet_NaN();
    long n = 0;
    const double r = detail::reduce_half_pi(x, n);
    return detail::sine_in_quadrant(n, r);
}

inline double portable_cos(double x) {
    if (!std::isfinite(x)) return std::numeric_limits<double>::quiet_NaN();
    long n = 0;
    const double r = detail::reduce_half_pi(x, n);
    return detail::sine_in_quadrant(n + 1, r);
}

// log k! for a whole number k ≥ 0 (the log-gamma values the adjusted mutual information needs):
// exactly representable factorials below 23, Stirling's series from there, where its first
// omitted term is below 1e-17 of the result.
inline double portable_log_factorial(double k) {
    if (std::isnan(k) || k < 0.0) return std::numeric_limits<double>::quiet_NaN();
    if (std::isinf(k)) return k;
    if (k < 23.0) {
        double factorial = 1.0;  // exact: 22! = 2^19 · (an odd number below 2^53)
        for (double i = 2.0; i <= k; i += 1.0) factorial *= i;
        return portable_log(factorial);
    }
    const double x = k + 1.0;
    const double z = 1.0 / x, z2 = z * z;
    const double series =
        z * (1.0 / 12.0 - z2 * (1.0 / 360.0 - z2 * (1.0 / 1260.0 - z2 * (1.0 / 1680.0 - z2 * (1.0 / 1188.0)))));
    constexpr double half_log_two_pi = 0.91893853320467274178;
    return (x - 0.5) * portable_log(x) - x + half_log_two_pi + series;
}

}  // namespace sparsity_probe
