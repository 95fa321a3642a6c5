#include "sparsity_probe/settings.hpp"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "sparsity_probe/error.hpp"

namespace sparsity_probe {
namespace {

template <typename T>
[[noreturn]] void invalid(const char* name, const T& value, const char* allowed) {
    std::ostringstream out;
    out << "invalid setting " << name << " = " << value << ": expected " << allowed;
    throw InputError(out.str());
}

}  // namespace

void validate(const Settings& s) {
    if (s.trees < 1 || s.trees > 1000) invalid("trees", s.trees, "an integer from 1 to 1000");
    if (s.depth < 1 || s.depth > 64) invalid("depth", s.depth, "an integer from 1 to 64");
    if (s.min_samples_leaf < 1) invalid("min_samples_leaf", s.min_samples_leaf, "at least 1");
    if (!(s.sample_fraction > 0.0 && s.sample_fraction <= 1.0))
        invalid("sample_fraction", s.sample_fraction, "a fraction in (0, 1]");
    if (s.seeds < 1 || s.seeds > 1000) invalid("seeds", s.seeds, "an integer from 1 to 1000");
    if (!(std::isfinite(s.tau_min) && s.tau_min > 0.0)) invalid("tau_min", s.tau_min, "a number > 0");
    if (!(std::isfinite(s.tau_max) && s.tau_max < 2.0 && s.tau_max > s.tau_min))
        invalid("tau_max", s.tau_max, "a number above tau_min and below 2");
    if (!(std::isfinite(s.tau_step) && s.tau_step > 0.0)) invalid("tau_step", s.tau_step, "a number > 0");
    if (tau_grid_size(s) < 3) invalid("tau_step", s.tau_step, "a step that gives at least 3 grid points");
    if (tau_grid_size(s) > 100000) invalid("tau_step", s.tau_step, "a step that gives at most 100000 grid points");
    const double limit = s.eps_unit == AngleUnit::rad ? 3.14159265358979323846 / 2 : 90.0;
    if (!(std::isfinite(s.eps_low) && s.eps_low >= 0.0 && s.eps_low <= limit))
        invalid("eps_low", s.eps_low, s.eps_unit == AngleUnit::rad ? "a number in [0, pi/2]" : "a number in [0, 90]");
    if (!(std::isfinite(s.eps_high) && s.eps_high >= s.eps_low && s.eps_high <= limit))
        invalid("eps_high", s.eps_high, "a number between eps_low and a right angle");
    if (s.mterm_points < 2 || s.mterm_points > 10000) invalid("mterm_points", s.mterm_points, "an integer from 2 to 10000");
    if (s.max_bins < 2 || s.max_bins > 256) invalid("max_bins", s.max_bins, "an integer from 2 to 256");
    if (s.max_samples == 1) invalid("max_samples", s.max_samples, "0 (all rows) or at least 2");
    if (s.project_features > 100000)
        invalid("project_features", s.project_features, "0 (keep the features) or a count from 1 to 100000");
    features_per_split(s, 1);  // validates the spelling
}

std::size_t tau_grid_size(const Settings& s) {
    if (!(s.tau_step > 0.0) || !(s.tau_max >= s.tau_min)) return 0;
    const double steps = (s.tau_max - s.tau_min) / s.tau_step;
    if (!(steps < 1e7)) return 0;
    return static_cast<std::size_t>(std::floor(steps + 0.5 + 1e-9)) + 1;
}

double tau_at(const Settings& s, std::size_t k) { return s.tau_min + static_cast<double>(k) * s.tau_step; }

std::size_t features_per_split(const Settings& s, std::size_t features) {
    const std::string& m = s.max_features;
    std::size_t count = 0;
    if (m == "all" || m.empty()) {
        count = features;
    } else if (m == "sqrt") {
        count = static_cast<std::size_t>(std::floor(std::sqrt(static_cast<double>(features))));
    } else {
        char* end = nullptr;
        const double value = std::strtod(m.c_str(), &end);
        const bool whole = end && *end == '\0' && std::isfinite(value) && value > 0.0;
        if (!whole) invalid("max_features", m, "\"all\", \"sqrt\", a count such as 64, or a fraction such as 0.5");
        if (m.find('.') != std::string::npos) {
            if (value > 1.0) invalid("max_features", m, "a fraction in (0, 1] when written with a decimal point");
            count = static_cast<std::size_t>(std::floor(value * static_cast<double>(features)));
        } else {
            count = static_cast<std::size_t>(value);
        }
    }
    if (count < 1) count = 1;
    if (count > features) count = features;
    return count;
}

const char* to_string(Measure measure) { return measure == Measure::volume ? "volume" : "samples"; }
const char* to_string(AngleUnit unit) { return unit == AngleUnit::rad ? "rad" : "deg"; }

Measure parse_measure(const std::string& text) {
    if (text == "volume") return Measure::volume;
    if (text == "samples") return Measure::samples;
    invalid("measure", text, "volume or samples");
}

AngleUnit parse_angle_unit(const std::string& text) {
    if (text == "rad") return AngleUnit::rad;
    if (text == "deg") return AngleUnit::deg;
    invalid("eps_unit", text, "rad or deg");
}

}  // namespace sparsity_probe
