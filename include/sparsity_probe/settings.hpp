#pragma once
// Every knob of the probe in one place, with the defaults of SPEC §2 (the paper's §4 choices).
#include <cstddef>
#include <cstdint>
#include <string>

namespace sparsity_probe {

// |Ω| in the wavelet norm ‖ψ_Ω‖ = ‖E_Ω − E_parent‖ · |Ω|^{1/2}.
enum class Measure {
    volume,   // Lebesgue volume of the node's box in [0,1]^d: the paper's definition
    samples,  // fraction of the tree's training samples in the node: the authors' public code
};

// Unit in which θ = arctan(N'_τ) is compared with −90°/−π/2 + ε. The paper's text uses radians;
// the authors' public code compares the same ε numbers with degrees.
enum class AngleUnit { rad, deg };

struct Settings {
    // Forest (paper §4: three trees of depth 15).
    int trees = 3;
    int depth = 15;
    std::size_t min_samples_leaf = 1;  // distinct samples per leaf
    // Features tried per split: "all", "sqrt", an integer count ("64") or a fraction ("0.5").
    std::string max_features = "all";
    bool bootstrap = true;
    double sample_fraction = 1.0;  // samples drawn per tree, as a fraction of n

    // Repetitions: the forest is regrown with `seeds` seeds derived from `seed`.
    int seeds = 3;
    std::uint64_t seed = 0;

    Measure measure = Measure::volume;

    // τ grid and transition index (paper §3.3).
    double tau_min = 0.05;
    double tau_max = 1.99;
    double tau_step = 0.01;
    double eps_low = 0.1;
    double eps_high = 0.4;
    AngleUnit eps_unit = AngleUnit::rad;

    // M-term approximation curve: at most this many (M, error) points, log-spaced.
    int mterm_points = 48;

    // Reductions applied before the probe (reduction.hpp), both seeded by `seed`; 0 = off.
    std::size_t max_samples = 0;       // keep a stratified sample of this many rows
    std::size_t project_features = 0;  // random projection to this many features when there are more

    // Speed knobs; they change running time, never the numbers... except `max_bins` and
    // `exact_below`, which choose the candidate thresholds and are therefore part of the result.
    int max_bins = 256;              // per feature, at most 256
    std::size_t exact_below = 128;   // nodes with fewer distinct samples use exact sorted search
    unsigned threads = 0;            // 0: all hardware threads
};

// Throws InputError naming the first invalid setting, its value, and what is allowed.
void validate(const Settings& settings);

// The τ grid: tau_min + k·tau_step for k = 0.. while ≤ tau_max (+ half a step of slack).
std::size_t tau_grid_size(const Settings& settings);
double tau_at(const Settings& settings, std::size_t k);

// Features tried per split for d features (resolves "all", "sqrt", counts and fractions).
std::size_t features_per_split(const Settings& settings, std::size_t features);

const char* to_string(Measure measure);
const char* to_string(AngleUnit unit);
Measure parse_measure(const std::string& text);   // throws InputError
AngleUnit parse_angle_unit(const std::string& text);  // throws InputError

}  // namespace sparsity_probe
