// The 2-D view's principal components against an independent solution: Eigen's dense eigen-
// decomposition of the covariance of the normalised layer.
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <cmath>

#include "sparsity_probe/normalization.hpp"
#include "sparsity_probe/projection.hpp"
#include "sparsity_probe/random.hpp"

using namespace sparsity_probe;

TEST_CASE("principal components match the covariance's leading eigenvectors") {
    // 400 samples in 6 dimensions with variances far apart along two random directions.
    Random random(5);
    const std::size_t n = 400, d = 6;
    Layer layer;
    layer.name = "pca";
    layer.samples = n;
    layer.features = d;
    for (std::size_t i = 0; i < n; ++i) {
        const double a = 3.0 * random.normal(), b = 1.5 * random.normal();
        for (std::size_t f = 0; f < d; ++f)
            layer.values.push_back(static_cast<float>(a * std::cos(f + 1.0) + b * std::sin(2.0 * f) + 0.1 * random.normal()));
    }
    const Projection p = principal_components(layer);

    const NormalizedLayer x(layer);
    Eigen::MatrixXd m(n, d);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t f = 0; f < d; ++f) m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(f)) = x(i, f);
    const Eigen::MatrixXd centred = m.rowwise() - m.colwise().mean();
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(centred.transpose() * centred);
    const double total = solver.eigenvalues().sum();
    for (int k = 0; k < 2; ++k) {
        const Eigen::VectorXd expected = solver.eigenvectors().col(static_cast<Eigen::Index>(d) - 1 - k);
        double dot = 0.0;
        for (std::size_t f = 0; f < d; ++f) dot += expected(static_cast<Eigen::Index>(f)) * p.components[k * d + f];
        CHECK(std::abs(dot) == doctest::Approx(1.0).epsilon(1e-9));  // same direction up to sign
        CHECK(p.explained_variance_ratio[k] ==
              doctest::Approx(solver.eigenvalues()(static_cast<Eigen::Index>(d) - 1 - k) / total).epsilon(1e-9));
    }
    // Coordinates are the projections of the centred rows.
    for (std::size_t i = 0; i < n; i += 37) {
        double s = 0.0;
        for (std::size_t f = 0; f < d; ++f) s += centred(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(f)) * p.components[f];
        CHECK(p.coordinates[2 * i] == doctest::Approx(s).epsilon(1e-9));
    }
}
