#include "sparsity_probe/mterm.hpp"

#include <algorithm>
#include <cmath>

#include "sparsity_probe/portable_math.hpp"
#include "task_pool.hpp"

namespace sparsity_probe {

std::vector<std::size_t> mterm_grid(std::size_t count, int points) {
    std::vector<std::size_t> grid;
    if (count == 0) return grid;
    const double top = portable_log(static_cast<double>(count));
    for (int p = 0; p < points; ++p) {
        const double fraction = points == 1 ? 1.0 : static_cast<double>(p) / (points - 1);
        auto m = static_cast<std::size_t>(std::llround(portable_exp(top * fraction)));
        m = std::clamp<std::size_t>(m, 1, count);
        if (grid.empty() || m > grid.back()) grid.push_back(m);
    }
    if (grid.back() != count) grid.push_back(count);
    return grid;
}

namespace {

// Samples of every node of one tree as one slice: samples sorted by the preorder id of their leaf,
// so node v holds exactly those whose leaf lies in [v, subtree_end(v)).
struct NodeSlices {
    std::vector<std::uint32_t> samples;  // sorted by leaf
    std::vector<std::uint32_t> first;    // first[v]: position of the first sample with leaf >= v; size nodes+1
};

NodeSlices slice_by_node(const Tree& tree, const NormalizedLayer& layer) {
    const std::size_t n = layer.samples(), nodes = tree.size();
    std::vector<std::uint32_t> leaf(n);
    std::vector<std::uint32_t> count(nodes + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        leaf[i] = tree.leaf_of(layer, i);
        ++count[leaf[i] + 1];
    }
    NodeSlices slices;
    slices.first.resize(nodes + 1);
    for (std::size_t v = 0; v < nodes; ++v) count[v + 1] += count[v];
    for (std::size_t v = 0; v <= nodes; ++v) slices.first[v] = count[v];
    slices.samples.resize(n);
    for (std::size_t i = 0; i < n; ++i) slices.samples[count[leaf[i]]++] = static_cast<std::uint32_t>(i);
    return slices;
}

// The loops of the M-term step are functions of their own, called once per point and once per
// wavelet, not inlined: a WebAssembly engine optimises a function for the calls that follow once
// it has run a while, never the call already running, so inside one long call they would run on
// the engine's baseline code throughout the first analysis (twice as slow, measured on W3).
[[gnu::noinline]] double mean_square(const std::vector<double>& residual, std::size_t n) noexcept {
    double sum = 0.0;
    for (const double r : residual) sum += r * r;
    return sum / static_cast<double>(n);
}

// Subtracts wavelet ψ_node = (mean at node − mean at parent) / trees from the residuals of the
// node's samples. `step` has room for every class.
[[gnu::noinline]] void subtract_wavelet(double* residual, std::size_t classes, const Tree& tree, std::uint32_t node,
                                        const NodeSlices& slices, double trees, std::pair<std::uint32_t, double>* step) noexcept {
    const std::uint32_t parent = tree.nodes[node].parent;
    const double w_node = static_cast<double>(tree.nodes[node].weight);
    const double w_parent = static_cast<double>(tree.nodes[parent].weight);
    std::size_t nonzero = 0;
    const ClassCount* c = tree.counts_begin(node);
    for (const ClassCount* p = tree.counts_begin(parent); p != tree.counts_end(parent); ++p) {
        double node_mean = 0.0;
        if (c != tree.counts_end(node) && c->label == p->label) node_mean = static_cast<double>((c++)->weight) / w_node;
        step[nonzero++] = {p->label, (node_mean - static_cast<double>(p->weight) / w_parent) / trees};
    }
    for (std::uint32_t j = slices.first[node]; j < slices.first[tree.nodes[node].subtree_end]; ++j) {
        double* r = residual + static_cast<std::size_t>(slices.samples[j]) * classes;
        for (std::size_t k = 0; k < nonzero; ++k) r[step[k].first] -= step[k].second;
    }
}

}  // namespace

MTermCurve mterm_approximation(const std::vector<Tree>& forest, const std::vector<Wavelet>& wavelets,
                               const NormalizedLayer& layer, const OneHotTargets& targets, int points, unsigned threads) {
    MTermCurve curve;
    const std::size_t n = layer.samples(), classes = targets.classes();
    const double trees = static_cast<double>(forest.size());

    // Residuals Y_i − f_0 with f_0 the mean of the root values.
    std::vector<double> root_mean(classes, 0.0);
    for (const Tree& tree : forest) {
        const double w = static_cast<double>(tree.nodes[0].weight);
        for (const ClassCount* c = tree.counts_begin(0); c != tree.counts_end(0); ++c)
            root_mean[c->label] += static_cast<double>(c->weight) / w / trees;
    }
    std::vector<double> residual(n * classes);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t k = 0; k < classes; ++k) residual[i * classes + k] = -root_mean[k];
        residual[i * classes + targets.class_of[i]] += 1.0;
    }
    curve.error_at_zero = mean_square(residual, n);

    std::vector<NodeSlices> slices(forest.size());
    run_tasks(forest.size(), threads, [&](std::size_t t) { slices[t] = slice_by_node(forest[t], layer); });

    // Largest norm first; ties in a fixed order so the curve is reproducible.
    std::vector<Wavelet> order = wavelets;
    std::sort(order.begin(), order.end(), [](const Wavelet& a, const Wavelet& b) {
        if (a.log_norm != b.log_norm) return a.log_norm > b.log_norm;
        if (a.tree != b.tree) return a.tree < b.tree;
        return a.node < b.node;
    });

    const std::vector<std::size_t> grid = mterm_grid(order.size(), points);
    std::vector<std::pair<std::uint32_t, double>> step(classes);  // a wavelet's vector, sparse
    std::size_t next = 0;
    for (std::size_t m = 0; m < order.size() && next < grid.size(); ++m) {
        subtract_wavelet(residual.data(), classes, forest[order[m].tree], order[m].node, slices[order[m].tree], trees, step.data());
        if (m + 1 == grid[next]) {
            curve.m.push_back(static_cast<double>(m + 1));
            curve.error.push_back(mean_square(residual, n));
            ++next;
        }
    }

    // Least-squares slope of log e against log M over the points with a positive error.
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    std::size_t count = 0;
    for (std::size_t p = 0; p < curve.m.size(); ++p) {
        if (!(curve.error[p] > 0.0)) continue;
        const double x = portable_log(curve.m[p]), y = portable_log(curve.error[p]);
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
        ++count;
    }
    const double denominator = static_cast<double>(count) * sxx - sx * sx;
    if (count >= 2 && denominator > 0.0) {
        curve.determined = true;
        curve.rate = -(static_cast<double>(count) * sxy - sx * sy) / denominator;
    }
    return curve;
}

}  // namespace sparsity_probe
