#include "sparsity_probe/projection.hpp"

#include <algorithm>
#include <cmath>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/normalization.hpp"
#include "sparsity_probe/random.hpp"

namespace sparsity_probe {
namespace {

constexpr std::size_t block = 4;  // two wanted directions plus two of oversampling

// Modified Gram–Schmidt on the columns of q (d x block, column-major).
void orthonormalise(std::vector<double>& q, std::size_t d) {
    for (std::size_t c = 0; c < block; ++c) {
        double* v = &q[c * d];
        for (std::size_t p = 0; p < c; ++p) {
            const double* u = &q[p * d];
            double dot = 0.0;
            for (std::size_t f = 0; f < d; ++f) dot += u[f] * v[f];
            for (std::size_t f = 0; f < d; ++f) v[f] -= dot * u[f];
        }
        double norm = 0.0;
        for (std::size_t f = 0; f < d; ++f) norm += v[f] * v[f];
        norm = std::sqrt(norm);
        for (std::size_t f = 0; f < d; ++f) v[f] = norm > 0.0 ? v[f] / norm : (f == c ? 1.0 : 0.0);
    }
}

// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations.
void jacobi(double a[block][block], double v[block][block]) {
    for (std::size_t i = 0; i < block; ++i)
        for (std::size_t j = 0; j < block; ++j) v[i][j] = i == j ? 1.0 : 0.0;
    for (int sweep = 0; sweep < 60; ++sweep) {
        double off = 0.0;
        for (std::size_t i = 0; i < block; ++i)
            for (std::size_t j = i + 1; j < block; ++j) off += a[i][j] * a[i][j];
        if (off < 1e-30) break;
        for (std::size_t p = 0; p < block; ++p) {
            for (std::size_t q = p + 1; q < block; ++q) {
                if (a[p][q] == 0.0) continue;
                const double theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1.0));
                const double c = 1.0 / std::sqrt(t * t + 1.0), s = t * c;
                for (std::size_t k = 0; k < block; ++k) {
                    const double akp = a[k][p], akq = a[k][q];
                    a[k][p] = c * akp - s * akq;
                    a[k][q] = s * akp + c * akq;
                }
                for (std::size_t k = 0; k < block; ++k) {
                    const double apk = a[p][k], aqk = a[q][k];
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
                for (std::size_t k = 0; k < block; ++k) {
                    const double vkp = v[k][p], vkq = v[k][q];
                    v[k][p] = c * vkp - s * vkq;
                    v[k][q] = s * vkp + c * vkq;
                }
            }
        }
    }
}

}  // namespace

Projection principal_components(const Layer& layer, std::uint64_t seed, int iterations) {
    const NormalizedLayer x(layer);
    const std::size_t n = layer.samples, d = layer.features;
    if (n < 2 || d < 1) throw InputError("layer " + layer.name + ": a 2-D view needs at least 2 samples and 1 feature");
    std::vector<double> mean(d, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t f = 0; f < d; ++f) mean[f] += x(i, f);
    for (double& m : mean) m /= static_cast<double>(n);
    double total_variance = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t f = 0; f < d; ++f) total_variance += (x(i, f) - mean[f]) * (x(i, f) - mean[f]);

    Random random(derive_seed(seed, 0x5043u));
    std::vector<double> q(block * d), y(n * block);
    for (double& v : q) v = random.normal();
    orthonormalise(q, d);
    // y = Xc q (n x block), then q = Xc^T y (d x block): one step of the power method on Xc^T Xc.
    auto forward = [&] {
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t c = 0; c < block; ++c) {
                double s = 0.0;
                for (std::size_t f = 0; f < d; ++f) s += (x(i, f) - mean[f]) * q[c * d + f];
                y[i * block + c] = s;
            }
    };
    for (int step = 0; step < iterations; ++step) {
        forward();
        std::fill(q.begin(), q.end(), 0.0);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t f = 0; f < d; ++f) {
                const double v = x(i, f) - mean[f];
                for (std::size_t c = 0; c < block; ++c) q[c * d + f] += v * y[i * block + c];
            }
        orthonormalise(q, d);
    }
    // Rayleigh–Ritz: the leading eigenvectors of (Xc q)^T (Xc q) rotate q onto the components.
    forward();
    double small[block][block] = {}, vectors[block][block];
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t a = 0; a < block; ++a)
            for (std::size_t b = 0; b < block; ++b) small[a][b] += y[i * block + a] * y[i * block + b];
    jacobi(small, vectors);
    std::size_t order[block] = {0, 1, 2, 3};
    std::sort(order, order + block, [&](std::size_t a, std::size_t b) { return small[a][a] > small[b][b]; });

    Projection out;
    out.components.assign(2 * d, 0.0);
    for (std::size_t k = 0; k < 2; ++k) {
        double* component = &out.components[k * d];
        for (std::size_t c = 0; c < block; ++c)
            for (std::size_t f = 0; f < d; ++f) component[f] += vectors[c][order[k]] * q[c * d + f];
        // A fixed sign: the largest loading is positive.
        std::size_t largest = 0;
        for (std::size_t f = 1; f < d; ++f)
            if (std::abs(component[f]) > std::abs(component[largest])) largest = f;
        if (component[largest] < 0)
            for (std::size_t f = 0; f < d; ++f) component[f] = -component[f];
        out.explained_variance_ratio[k] = total_variance > 0.0 ? small[order[k]][order[k]] / total_variance : 0.0;
    }
    out.coordinates.assign(2 * n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < 2; ++k) {
            double s = 0.0;
            for (std::size_t f = 0; f < d; ++f) s += (x(i, f) - mean[f]) * out.components[k * d + f];
            out.coordinates[i * 2 + k] = s;
        }
    return out;
}

}  // namespace sparsity_probe
