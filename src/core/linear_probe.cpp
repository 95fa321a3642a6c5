#include "sparsity_probe/linear_probe.hpp"

#include <algorithm>
#include <cmath>

#include "sparsity_probe/portable_math.hpp"

namespace sparsity_probe {

void LinearProbe::scores(const double* x, double* out) const {
    for (std::size_t k = 0; k < classes; ++k) {
        const double* w = &weights[k * (features + 1)];
        double s = w[features];
        for (std::size_t f = 0; f < features; ++f) s += w[f] * x[f];
        out[k] = s;
    }
}

std::size_t LinearProbe::predict(const double* x) const {
    std::vector<double> s(classes);
    scores(x, s.data());
    return static_cast<std::size_t>(std::max_element(s.begin(), s.end()) - s.begin());
}

namespace {

// The objective — mean log-loss plus (l2/2)·‖W‖² — at the model's weights over the rows of `x`
// (labels `labels`); its gradient goes to `gradient`.
double loss_gradient(const LinearProbe& model, const std::vector<double>& x, const std::vector<std::uint32_t>& labels,
                     std::vector<double>& gradient) {
    const std::size_t n = labels.size(), d = model.features, classes = model.classes, width = d + 1;
    std::fill(gradient.begin(), gradient.end(), 0.0);
    std::vector<double> p(classes);
    double loss = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double* xi = &x[i * d];
        model.scores(xi, p.data());
        const double top = *std::max_element(p.begin(), p.end());
        const double own = p[labels[i]];
        double sum = 0.0;
        for (double& v : p) sum += (v = portable_exp(v - top));
        loss -= own - top - portable_log(sum);
        for (std::size_t k = 0; k < classes; ++k) {
            const double residual = p[k] / sum - (labels[i] == k ? 1.0 : 0.0);
            double* g = &gradient[k * width];
            for (std::size_t f = 0; f < d; ++f) g[f] += residual * xi[f];
            g[d] += residual;
        }
    }
    const double inverse_n = 1.0 / static_cast<double>(n);
    double penalty = 0.0;
    for (std::size_t k = 0; k < classes; ++k)
        for (std::size_t f = 0; f < width; ++f) {
            const double w = f < d ? model.weights[k * width + f] : 0.0;
            penalty += w * w;
            gradient[k * width + f] = gradient[k * width + f] * inverse_n + model.l2 * w;
        }
    return loss * inverse_n + 0.5 * model.l2 * penalty;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0.0;
    for (std::size_t j = 0; j < a.size(); ++j) s += a[j] * b[j];
    return s;
}

}  // namespace

LinearProbe fit_linear_probe(const NormalizedLayer& layer, const OneHotTargets& targets, double l2, int iterations,
                             const std::vector<std::uint32_t>* subset) {
    LinearProbe model;
    model.features = layer.features();
    model.classes = targets.classes();
    model.l2 = l2;
    const std::size_t n = subset ? subset->size() : layer.samples(), d = model.features, size = model.classes * (d + 1);
    std::vector<double> x(n * d);
    std::vector<std::uint32_t> labels(n);
    double largest = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
        const std::size_t i = subset ? (*subset)[j] : j;
        labels[j] = targets.class_of[i];
        double norm = 1.0;
        for (std::size_t f = 0; f < d; ++f) norm += (x[j * d + f] = layer(i, f)) * x[j * d + f];
        largest = std::max(largest, norm);
    }

    // L-BFGS with the last `memory` steps and a backtracking (Armijo) line search: the objective is
    // smooth and strictly convex, so from zero weights it converges to the unique optimum.
    constexpr std::size_t memory = 10;
    model.weights.assign(size, 0.0);
    std::vector<double> gradient(size), direction(size), trial_gradient(size);
    std::vector<std::vector<double>> steps, changes;  // s_k = Δw, y_k = Δ∇
    std::vector<double> rho;
    double loss = loss_gradient(model, x, labels, gradient);
    LinearProbe trial = model;
    for (int iteration = 0; iteration < iterations; ++iteration) {
        if (std::sqrt(dot(gradient, gradient)) < 1e-10) break;
        // Two-loop recursion: direction = −H·∇.
        direction = gradient;
        std::vector<double> alpha(steps.size());
        for (std::size_t k = steps.size(); k-- > 0;) {
            alpha[k] = rho[k] * dot(steps[k], direction);
            for (std::size_t j = 0; j < size; ++j) direction[j] -= alpha[k] * changes[k][j];
        }
        const double scale = steps.empty() ? 1.0 / (0.5 * largest + l2)
                                           : dot(steps.back(), changes.back()) / dot(changes.back(), changes.back());
        for (double& v : direction) v *= scale;
        for (std::size_t k = 0; k < steps.size(); ++k) {
            const double beta = rho[k] * dot(changes[k], direction);
            for (std::size_t j = 0; j < size; ++j) direction[j] += (alpha[k] - beta) * steps[k][j];
        }
        for (double& v : direction) v = -v;
        double slope = dot(gradient, direction);
        if (!(slope < 0.0)) {  // not a descent direction: forget the history, step along −∇
            steps.clear();
            changes.clear();
            rho.clear();
            for (std::size_t j = 0; j < size; ++j) direction[j] = -gradient[j] / (0.5 * largest + l2);
            slope = dot(gradient, direction);
        }
        double step = 1.0, trial_loss = loss;
        bool accepted = false;
        for (int halving = 0; halving < 50; ++halving, step *= 0.5) {
            for (std::size_t j = 0; j < size; ++j) trial.weights[j] = model.weights[j] + step * direction[j];
            trial_loss = loss_gradient(trial, x, labels, trial_gradient);
            if (trial_loss <= loss + 1e-4 * step * slope) {
                accepted = true;
                break;
            }
        }
        if (!accepted) break;  // no decrease is representable any more: at the optimum
        std::vector<double> s(size), y(size);
        for (std::size_t j = 0; j < size; ++j) {
            s[j] = trial.weights[j] - model.weights[j];
            y[j] = trial_gradient[j] - gradient[j];
        }
        const double curvature = dot(s, y);
        if (curvature > 1e-16) {
            if (steps.size() == memory) {
                steps.erase(steps.begin());
                changes.erase(changes.begin());
                rho.erase(rho.begin());
            }
            steps.push_back(std::move(s));
            changes.push_back(std::move(y));
            rho.push_back(1.0 / curvature);
        }
        const double decrease = loss - trial_loss;
        model.weights = trial.weights;
        gradient = trial_gradient;
        loss = trial_loss;
        if (decrease <= 1e-15 * std::max(1.0, std::abs(loss))) break;
    }

    double squares = dot(gradient, gradient);
    model.gradient_norm = std::sqrt(squares);
    std::size_t correct = 0;
    for (std::size_t j = 0; j < n; ++j) correct += model.predict(&x[j * d]) == labels[j];
    model.training_accuracy = static_cast<double>(correct) / static_cast<double>(n);
    return model;
}

double linear_probe_accuracy(const LinearProbe& model, const NormalizedLayer& layer, const OneHotTargets& targets,
                             const std::vector<std::uint32_t>* subset) {
    const std::size_t n = subset ? subset->size() : layer.samples(), d = model.features;
    if (n == 0) return 0.0;
    std::vector<double> x(d);
    std::size_t correct = 0;
    for (std::size_t j = 0; j < n; ++j) {
        const std::size_t i = subset ? (*subset)[j] : j;
        for (std::size_t f = 0; f < d; ++f) x[f] = layer(i, f);
        correct += model.predict(x.data()) == targets.class_of[i];
    }
    return static_cast<double>(correct) / static_cast<double>(n);
}

}  // namespace sparsity_probe
