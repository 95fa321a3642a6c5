#pragma once
// The linear probe of Alain & Bengio, the baseline the paper argues against (its Figure 3): a
// multinomial logistic regression on the normalised layer. On the 2-D demos it shows that a linear
// read-out cannot see a separation that the Sparsity Probe measures.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sparsity_probe/normalization.hpp"
#include "sparsity_probe/targets.hpp"

namespace sparsity_probe {

struct LinearProbe {
    std::size_t features = 0, classes = 0;
    std::vector<double> weights;  // classes x (features + 1); the last column is the bias
    double l2 = 0.0;
    double training_accuracy = 0.0;
    double gradient_norm = 0.0;   // of the regularised mean log-loss at the returned weights

    // Class scores w_k·x + b_k of one normalised sample; predict() is their arg max.
    void scores(const double* x, double* out) const;
    std::size_t predict(const double* x) const;
};

// Minimises (1/n)·Σ_i −log softmax_k(w·x_i + b)[y_i] + (l2/2)·‖W‖² (bias not penalised) by
// L-BFGS from zero weights, for at most `iterations` steps: the objective is strictly convex, so
// the result is deterministic and at the unique optimum (scikit-learn's LogisticRegression with
// C = 1/(l2·n) solves the same problem).
// `subset` (optional) restricts the fit to those samples, e.g. the training folds.
LinearProbe fit_linear_probe(const NormalizedLayer& layer, const OneHotTargets& targets, double l2 = 1e-4,
                             int iterations = 500, const std::vector<std::uint32_t>* subset = nullptr);

// Fraction of the samples (all, or `subset`) whose predicted class is their label.
double linear_probe_accuracy(const LinearProbe& model, const NormalizedLayer& layer, const OneHotTargets& targets,
                             const std::vector<std::uint32_t>* subset = nullptr);

}  // namespace sparsity_probe
