#include "sparsity_probe/transition.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sparsity_probe/portable_math.hpp"

namespace sparsity_probe {
namespace {

constexpr double pi = 3.14159265358979323846;

// exp(b) − exp(a) for log values a, b, finite or ±infinity.
double difference_of_exps(double a, double b) {
    if (a == b) return 0.0;
    const double top = std::max(a, b), bottom = std::min(a, b);
    const double sign = b > a ? 1.0 : -1.0;
    // |exp(b) − exp(a)| = exp(top) · (1 − exp(bottom − top))
    return sign * portable_exp(top + portable_log1p(-portable_exp(bottom - top)));
}

}  // namespace

std::vector<double> tau_derivative(const TauCurve& curve) {
    const std::size_t n = curve.tau.size();
    std::vector<double> derivative(n, 0.0);
    if (n < 2) return derivative;
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t lo = k == 0 ? 0 : k - 1;
        const std::size_t hi = k + 1 == n ? k : k + 1;
        derivative[k] = difference_of_exps(curve.log_n_tau[lo], curve.log_n_tau[hi]) / (curve.tau[hi] - curve.tau[lo]);
    }
    return derivative;
}

Transition transition_index(const TauCurve& curve, const Settings& settings) {
    Transition result;
    const std::vector<double> derivative = tau_derivative(curve);
    result.angle.resize(derivative.size());
    const double unit = settings.eps_unit == AngleUnit::rad ? 1.0 : 180.0 / pi;
    const double right_angle = settings.eps_unit == AngleUnit::rad ? pi / 2 : 90.0;
    double sum = 0.0;
    for (std::size_t k = 0; k < derivative.size(); ++k) {
        result.angle[k] = portable_atan(derivative[k]);
        const double theta = result.angle[k] * unit;
        if (theta >= -right_angle + settings.eps_low && theta <= -right_angle + settings.eps_high) {
            sum += curve.tau[k];
            ++result.in_band;
        }
    }
    if (result.in_band == 0) {
        std::ostringstream out;
        const double steepest = *std::min_element(result.angle.begin(), result.angle.end()) * unit;
        const double flattest = *std::max_element(result.angle.begin(), result.angle.end()) * unit;
        out << "no tau on the grid [" << settings.tau_min << ", " << settings.tau_max << "] has an angle in [-"
            << (settings.eps_unit == AngleUnit::rad ? "pi/2" : "90") << " + " << settings.eps_low << ", -"
            << (settings.eps_unit == AngleUnit::rad ? "pi/2" : "90") << " + " << settings.eps_high
            << "] " << to_string(settings.eps_unit) << " (angles found: " << steepest << " to " << flattest
            << "); widen eps_low/eps_high or extend the tau grid";
        result.reason = out.str();
        return result;
    }
    result.determined = true;
    result.tau_star = sum / static_cast<double>(result.in_band);
    result.alpha = 1.0 / result.tau_star - 0.5;
    return result;
}

}  // namespace sparsity_probe
