#include "sparsity_probe/linear_probe.hpp"

#include <algorithm>
#include <cmath>

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

// Mean log-loss gradient (plus the L2 term) at the model's weights over the rows of `x`, whose
// labels are `labels`.
void loss_gradient(const LinearProbe& model, const std::vector<double>& x, const std::vector<std::uint32_t>& labels,
                   std::vector<double>& gradient) {
    const std::size_t n = labels.size(), d = model.features, classes = model.classes, width = d + 1;
    std::fill(gradient.begin(), gradient.end(), 0.0);
    std::vector<double> p(classes);
    for (std::size_t i = 0; i < n; ++i) {
        const double* xi = &x[i * d];
        model.scores(xi, p.data());
        const double top = *std::max_element(p.begin(), p.end());
        double sum = 0.0;
        for (double& v : p) sum += (v = std::exp(v - top));
        for (std::size_t k = 0; k < classes; ++k) {
            const double residual = p[k] / sum - (labels[i] == k ? 1.0 : 0.0);
            double* g = &gradient[k * width];
            for (std::size_t f = 0; f < d; ++f) g[f] += residual * xi[f];
            g[d] += residual;
        }
    }
    const double inverse_n = 1.0 / static_cast<double>(n);
    for (std::size_t k = 0; k < classes; ++k)
        for (std::size_t f = 0; f < width; ++f)
            gradient[k * width + f] = gradient[k * width + f] * inverse_n + (f < d ? model.l2 * model.weights[k * width + f] : 0.0);
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
    const double step = 1.0 / (0.5 * largest + l2);

    model.weights.assign(size, 0.0);
    std::vector<double> previous(size, 0.0), gradient(size);
    LinearProbe lookahead = model;
    for (int t = 1; t <= iterations; ++t) {
        const double momentum = (t - 1.0) / (t + 2.0);
        for (std::size_t j = 0; j < size; ++j)
            lookahead.weights[j] = model.weights[j] + momentum * (model.weights[j] - previous[j]);
        loss_gradient(lookahead, x, labels, gradient);
        previous = model.weights;
        for (std::size_t j = 0; j < size; ++j) model.weights[j] = lookahead.weights[j] - step * gradient[j];
    }

    loss_gradient(model, x, labels, gradient);
    double squares = 0.0;
    for (const double g : gradient) squares += g * g;
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
