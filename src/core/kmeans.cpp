#include "sparsity_probe/kmeans.hpp"

#include <algorithm>
#include <cmath>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/random.hpp"

namespace sparsity_probe {
namespace {

double squared_distance(const double* a, const double* b, std::size_t d) {
    double s = 0.0;
    for (std::size_t f = 0; f < d; ++f) s += (a[f] - b[f]) * (a[f] - b[f]);
    return s;
}

// k-means++ (Arthur & Vassilvitskii 2007): each new centre drawn with probability ∝ D(x)².
std::vector<double> seed_centres(const std::vector<double>& x, std::size_t n, std::size_t d, std::size_t k, Random& random) {
    std::vector<double> centres;
    centres.reserve(k * d);
    const std::size_t first = random.below(n);
    centres.insert(centres.end(), &x[first * d], &x[first * d] + d);
    std::vector<double> nearest(n);
    for (std::size_t i = 0; i < n; ++i) nearest[i] = squared_distance(&x[i * d], &centres[0], d);
    while (centres.size() < k * d) {
        double total = 0.0;
        for (const double v : nearest) total += v;
        std::size_t pick = 0;
        if (total > 0.0) {
            double target = random.uniform() * total;
            for (pick = 0; pick + 1 < n && target >= nearest[pick]; ++pick) target -= nearest[pick];
        } else {
            pick = random.below(n);  // all points coincide with centres already chosen
        }
        const std::size_t offset = centres.size();
        centres.insert(centres.end(), &x[pick * d], &x[pick * d] + d);
        for (std::size_t i = 0; i < n; ++i) nearest[i] = std::min(nearest[i], squared_distance(&x[i * d], &centres[offset], d));
    }
    return centres;
}

KMeansResult lloyd(const std::vector<double>& x, std::size_t n, std::size_t d, std::size_t k, std::vector<double> centres,
                   int max_iterations) {
    KMeansResult r;
    r.assignment.assign(n, -1);
    std::vector<double> sums(k * d);
    std::vector<std::size_t> counts(k);
    for (r.iterations = 1; r.iterations <= max_iterations; ++r.iterations) {
        bool moved = false;
        r.inertia = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            std::size_t best = 0;
            double best_distance = HUGE_VAL;
            for (std::size_t c = 0; c < k; ++c) {
                const double dist = squared_distance(&x[i * d], &centres[c * d], d);
                if (dist < best_distance) {
                    best_distance = dist;
                    best = c;
                }
            }
            r.inertia += best_distance;
            if (r.assignment[i] != static_cast<std::int64_t>(best)) moved = true;
            r.assignment[i] = static_cast<std::int64_t>(best);
        }
        if (!moved) break;
        std::fill(sums.begin(), sums.end(), 0.0);
        std::fill(counts.begin(), counts.end(), 0);
        for (std::size_t i = 0; i < n; ++i) {
            const auto c = static_cast<std::size_t>(r.assignment[i]);
            ++counts[c];
            for (std::size_t f = 0; f < d; ++f) sums[c * d + f] += x[i * d + f];
        }
        // An emptied cluster keeps its centre; the others move to their means.
        for (std::size_t c = 0; c < k; ++c)
            if (counts[c])
                for (std::size_t f = 0; f < d; ++f) centres[c * d + f] = sums[c * d + f] / static_cast<double>(counts[c]);
    }
    r.iterations = std::min(r.iterations, max_iterations);
    r.centres = std::move(centres);
    return r;
}

}  // namespace

KMeansResult kmeans(const NormalizedLayer& layer, std::size_t k, std::uint64_t seed, int restarts, int max_iterations) {
    const std::size_t n = layer.samples(), d = layer.features();
    if (k < 1 || k > n)
        throw InputError("kmeans: k = " + std::to_string(k) + " clusters for " + std::to_string(n) + " samples");
    std::vector<double> x(n * d);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t f = 0; f < d; ++f) x[i * d + f] = layer(i, f);
    KMeansResult best;
    best.inertia = HUGE_VAL;
    for (int restart = 0; restart < std::max(1, restarts); ++restart) {
        Random random(derive_seed(seed, 0x6B6Du, static_cast<std::uint64_t>(restart)));
        KMeansResult r = lloyd(x, n, d, k, seed_centres(x, n, d, k, random), max_iterations);
        if (r.inertia < best.inertia) best = std::move(r);
    }
    return best;
}

}  // namespace sparsity_probe
