// The teaching data sets (SPEC §3). Every draw comes from the project's own Random, so a seed gives
// the same points natively and in WebAssembly.
#include "sparsity_probe/synthetic.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/random.hpp"
#include "sparsity_probe/portable_math.hpp"

namespace sparsity_probe {
namespace {

constexpr double pi = 3.14159265358979323846;

struct Points {
    std::vector<double> xy;  // samples x 2
    std::vector<std::int64_t> labels;
    void add(double x, double y, std::int64_t label) {
        xy.push_back(x);
        xy.push_back(y);
        labels.push_back(label);
    }
};

// TensorFlow Playground's spiral: two arms, r = 5i/m, t = 1.75·2π·i/m + Δ, Δ ∈ {0, π}, plus
// uniform position noise in [−noise, noise] on each coordinate (data units; the arms span ±5).
Points spiral(const SyntheticOptions& o, Random& random) {
    Points p;
    for (int arm = 0; arm < 2; ++arm) {
        const std::size_t m = arm == 0 ? o.samples / 2 : o.samples - o.samples / 2;
        for (std::size_t i = 0; i < m; ++i) {
            const double r = 5.0 * static_cast<double>(i) / static_cast<double>(m);
            const double t = 1.75 * 2.0 * pi * static_cast<double>(i) / static_cast<double>(m) + arm * pi;
            const double x = r * portable_sin(t) + random.uniform(-o.noise, o.noise);
            const double y = r * portable_cos(t) + random.uniform(-o.noise, o.noise);
            p.add(x, y, arm);
        }
    }
    return p;
}

// scikit-learn's make_circles(factor=0.5): evenly spaced angles, Gaussian noise of std `noise`.
Points circles(const SyntheticOptions& o, Random& random) {
    Points p;
    const std::size_t outer = o.samples - o.samples / 2, inner = o.samples / 2;
    for (int ring = 0; ring < 2; ++ring) {
        const std::size_t m = ring == 0 ? outer : inner;
        const double radius = ring == 0 ? 1.0 : 0.5;
        for (std::size_t i = 0; i < m; ++i) {
            const double t = 2.0 * pi * static_cast<double>(i) / static_cast<double>(m);
            const double x = radius * portable_cos(t) + o.noise * random.normal();
            const double y = radius * portable_sin(t) + o.noise * random.normal();
            p.add(x, y, ring);
        }
    }
    return p;
}

// scikit-learn's make_gaussian_quantiles: a standard normal cloud; classes are the shells of
// equal count by distance to the centre. Position noise moves points after labelling.
Points gaussian_quantiles(const SyntheticOptions& o, Random& random) {
    std::vector<double> xy(2 * o.samples);
    for (double& v : xy) v = random.normal();
    const std::vector<std::int64_t> label = quantile_shell_labels(xy, 2, o.classes);
    Points p;
    for (std::size_t i = 0; i < o.samples; ++i) {
        // One draw per statement: the order of evaluation of function arguments is unspecified
        // (GCC and clang differ), and the points must not depend on the compiler.
        const double dx = o.noise * random.normal();
        const double dy = o.noise * random.normal();
        p.add(xy[2 * i] + dx, xy[2 * i + 1] + dy, label[i]);
    }
    return p;
}

// scikit-learn's make_moons: two interleaving half circles, Gaussian noise of std `noise`.
Points moons(const SyntheticOptions& o, Random& random) {
    Points p;
    const std::size_t upper = o.samples - o.samples / 2, lower = o.samples / 2;
    for (int moon = 0; moon < 2; ++moon) {
        const std::size_t m = moon == 0 ? upper : lower;
        for (std::size_t i = 0; i < m; ++i) {
            const double t = m > 1 ? pi * static_cast<double>(i) / static_cast<double>(m - 1) : 0.0;
            const double x = moon == 0 ? portable_cos(t) : 1.0 - portable_cos(t);
            const double y = moon == 0 ? portable_sin(t) : 0.5 - portable_sin(t);
            const double dx = o.noise * random.normal();
            const double dy = o.noise * random.normal();
            p.add(x + dx, y + dy, moon);
        }
    }
    return p;
}

// XOR: uniform in [−1, 1]², label (x > 0) xor (y > 0), uniform noise ±noise after labelling.
Points exclusive_or(const SyntheticOptions& o, Random& random) {
    Points p;
    for (std::size_t i = 0; i < o.samples; ++i) {
        const double x = random.uniform(-1.0, 1.0), y = random.uniform(-1.0, 1.0);
        const std::int64_t label = (x > 0) != (y > 0) ? 1 : 0;
        const double dx = random.uniform(-o.noise, o.noise);
        const double dy = random.uniform(-o.noise, o.noise);
        p.add(x + dx, y + dy, label);
    }
    return p;
}

// The null baseline: uniform points, labels independent of them.
Points random_labels(const SyntheticOptions& o, Random& random) {
    Points p;
    for (std::size_t i = 0; i < o.samples; ++i) {
        const double x = random.uniform(), y = random.uniform();
        p.add(x, y, static_cast<std::int64_t>(random.below(static_cast<std::uint64_t>(o.classes))));
    }
    return p;
}

int classes_of(const std::string& name, const SyntheticOptions& o) {
    return name == "gaussian-quantiles" || name == "random" ? o.classes : 2;
}

template <typename T>
[[noreturn]] void invalid(const std::string& name, const char* option, const T& value, const char* allowed) {
    std::ostringstream out;
    out << "demo " << name << ": invalid " << option << " = " << value << ": expected " << allowed;
    throw InputError(out.str());
}

}  // namespace

std::vector<std::int64_t> quantile_shell_labels(const std::vector<double>& points, std::size_t dimensions, int classes) {
    const std::size_t samples = points.size() / dimensions;
    std::vector<double> radius2(samples, 0.0);
    for (std::size_t i = 0; i < samples; ++i)
        for (std::size_t k = 0; k < dimensions; ++k) radius2[i] += points[i * dimensions + k] * points[i * dimensions + k];
    std::vector<std::size_t> order(samples);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return radius2[a] < radius2[b]; });
    // Shell k holds ranks [k n / C, (k + 1) n / C). In 64 bits: rank · classes reaches 10^10 at the
    // limits, which a 32-bit size_t (WebAssembly) would wrap.
    std::vector<std::int64_t> label(samples);
    const auto shells = static_cast<std::uint64_t>(classes), n = static_cast<std::uint64_t>(samples);
    for (std::size_t rank = 0; rank < samples; ++rank)
        label[order[rank]] = static_cast<std::int64_t>(static_cast<std::uint64_t>(rank) * shells / n);
    return label;
}

const std::vector<std::string>& synthetic_names() {
    static const std::vector<std::string> names{"spiral", "circles", "gaussian-quantiles", "moons", "xor", "random"};
    return names;
}

double default_noise(const std::string& name) {
    if (name == "spiral") return 0.1;
    if (name == "circles" || name == "moons") return 0.05;
    return 0.0;
}

SyntheticData make_synthetic(const std::string& name, const SyntheticOptions& options) {
    const auto& names = synthetic_names();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
        std::string list;
        for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
        throw InputError("unknown data set \"" + name + "\": expected one of " + list);
    }
    SyntheticOptions o = options;
    if (o.noise < 0.0 && std::isfinite(o.noise)) o.noise = default_noise(name);  // −∞ is an error below
    if ((name == "gaussian-quantiles" || name == "random") && (o.classes < 2 || o.classes > 1000))
        invalid(name, "classes", o.classes, "an integer from 2 to 1000");
    const int classes = classes_of(name, o);
    if (o.samples < static_cast<std::size_t>(2 * classes) || o.samples > 10000000)
        invalid(name, "samples", o.samples, "at least two per class and at most 10,000,000");
    if (!std::isfinite(o.noise)) invalid(name, "noise", o.noise, "a finite number (negative: the default)");
    if (!(o.label_noise >= 0.0 && o.label_noise <= 1.0)) invalid(name, "label noise", o.label_noise, "a fraction from 0 to 1");

    Random random(derive_seed(o.seed, 0x5157u));
    Points p = name == "spiral"               ? spiral(o, random)
               : name == "circles"            ? circles(o, random)
               : name == "gaussian-quantiles" ? gaussian_quantiles(o, random)
               : name == "moons"              ? moons(o, random)
               : name == "xor"                ? exclusive_or(o, random)
                                              : random_labels(o, random);

    // Label noise: each label is, with probability label_noise, replaced by a uniformly drawn
    // class (which may be the same one), as the paper's randomised-label experiments do.
    Random noise(derive_seed(o.seed, 0x4C4Eu));
    for (std::int64_t& label : p.labels)
        if (noise.uniform() < o.label_noise) label = static_cast<std::int64_t>(noise.below(static_cast<std::uint64_t>(classes)));

    SyntheticData data;
    data.points.name = name;
    data.points.samples = o.samples;
    data.points.features = 2;
    data.points.values.reserve(p.xy.size());
    for (const double v : p.xy) data.points.values.push_back(static_cast<float>(v));
    data.labels = std::move(p.labels);
    return data;
}

}  // namespace sparsity_probe
