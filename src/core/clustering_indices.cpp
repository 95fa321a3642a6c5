#include "sparsity_probe/clustering_indices.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/portable_math.hpp"

namespace sparsity_probe {
namespace {

// The contingency table in sparse form: row sizes a_i (true classes), column sizes b_j (clusters)
// and the non-zero cells n_ij.
struct Contingency {
    std::vector<double> a, b;
    struct Cell {
        std::size_t row, column;
        double count;
    };
    std::vector<Cell> cells;
    double n = 0.0;
};

std::vector<std::size_t> dense(const std::vector<std::int64_t>& labels, std::size_t& count) {
    std::vector<std::int64_t> values = labels;
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    count = values.size();
    std::vector<std::size_t> index(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i)
        index[i] = static_cast<std::size_t>(std::lower_bound(values.begin(), values.end(), labels[i]) - values.begin());
    return index;
}

Contingency contingency(const std::vector<std::int64_t>& truth, const std::vector<std::int64_t>& predicted) {
    Contingency c;
    std::size_t rows = 0, columns = 0;
    const std::vector<std::size_t> r = dense(truth, rows), k = dense(predicted, columns);
    c.a.assign(rows, 0.0);
    c.b.assign(columns, 0.0);
    std::vector<std::pair<std::size_t, std::size_t>> pairs(truth.size());
    for (std::size_t i = 0; i < truth.size(); ++i) {
        pairs[i] = {r[i], k[i]};
        ++c.a[r[i]];
        ++c.b[k[i]];
    }
    std::sort(pairs.begin(), pairs.end());
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        if (i == 0 || pairs[i] != pairs[i - 1]) c.cells.push_back({pairs[i].first, pairs[i].second, 0.0});
        ++c.cells.back().count;
    }
    c.n = static_cast<double>(truth.size());
    return c;
}

double entropy(const std::vector<double>& sizes, double n) {
    if (sizes.size() <= 1) return 0.0;
    double h = 0.0;
    for (const double s : sizes) h -= (s / n) * (portable_log(s) - portable_log(n));
    return h;
}

// scikit-learn's mutual_info_score, term by term (including its rounding of tiny terms to zero).
double mutual_information(const Contingency& c) {
    if (c.a.size() == 1 || c.b.size() == 1) return 0.0;
    const double log_n = portable_log(c.n);
    double mi = 0.0;
    for (const auto& cell : c.cells) {
        const double p = cell.count / c.n;
        const double log_outer = -portable_log(c.a[cell.row] * c.b[cell.column]) + log_n + log_n;
        double term = p * (portable_log(cell.count) - log_n) + p * log_outer;
        if (std::abs(term) < std::numeric_limits<double>::epsilon()) term = 0.0;
        mi += term;
    }
    return std::max(mi, 0.0);
}

// The expected mutual information of two random labellings with the same cluster sizes
// (Vinh, Epps & Bailey 2010), as scikit-learn's _expected_mutual_info_fast computes it.
double expected_mutual_information(const Contingency& c) {
    if (c.a.size() == 1 || c.b.size() == 1) return 0.0;
    const double n = c.n;
    const double largest = std::max(*std::max_element(c.a.begin(), c.a.end()), *std::max_element(c.b.begin(), c.b.end()));
    const auto top = static_cast<std::size_t>(largest);
    std::vector<double> log_n_nij(top + 1), gln_nij(top + 1);
    for (std::size_t v = 0; v <= top; ++v) {
        const double nij = v == 0 ? 1.0 : static_cast<double>(v);
        log_n_nij[v] = portable_log(n) + portable_log(nij);
        gln_nij[v] = portable_log_factorial(nij) + portable_log_factorial(n);
    }
    double emi = 0.0;
    for (const double a : c.a) {
        for (const double b : c.b) {
            const double fixed = portable_log_factorial(a) + portable_log_factorial(b) + portable_log_factorial(n - a) + portable_log_factorial(n - b);
            const auto start = static_cast<std::size_t>(std::max(1.0, a - n + b));
            const auto end = static_cast<std::size_t>(std::min(a, b));
            for (std::size_t v = start; v <= end; ++v) {
                const double nij = static_cast<double>(v);
                const double term2 = log_n_nij[v] - portable_log(a) - portable_log(b);
                const double gln = fixed - gln_nij[v] - portable_log_factorial(a - nij) - portable_log_factorial(b - nij) -
                                   portable_log_factorial(n - a - b + nij);
                emi += nij / n * term2 * portable_exp(gln);
            }
        }
    }
    return emi;
}

}  // namespace

ClusteringIndices clustering_indices(const std::vector<std::int64_t>& truth, const std::vector<std::int64_t>& predicted) {
    if (truth.size() != predicted.size())
        throw InputError("clustering indices: " + std::to_string(truth.size()) + " true labels but " +
                         std::to_string(predicted.size()) + " predicted labels");
    ClusteringIndices out;
    if (truth.empty()) return out;
    const Contingency c = contingency(truth, predicted);
    const double n = c.n;

    // Pair counts (scikit-learn's pair_confusion_matrix).
    double sum_squares = 0.0, a_squares = 0.0, b_squares = 0.0;
    for (const auto& cell : c.cells) sum_squares += cell.count * cell.count;
    for (const double a : c.a) a_squares += a * a;
    for (const double b : c.b) b_squares += b * b;
    const double tp = sum_squares - n;
    const double fp = b_squares - sum_squares;
    const double fn = a_squares - sum_squares;
    const double tn = n * n - fp - fn - sum_squares;
    out.adjusted_rand = fn == 0.0 && fp == 0.0 ? 1.0 : 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));

    const double mi = mutual_information(c);
    const double h_true = entropy(c.a, n), h_predicted = entropy(c.b, n);
    out.homogeneity = h_true == 0.0 ? 1.0 : mi / h_true;
    out.completeness = h_predicted == 0.0 ? 1.0 : mi / h_predicted;

    if ((c.a.size() == 1 && c.b.size() == 1)) {
        out.adjusted_mutual_information = 1.0;
    } else {
        const double emi = expected_mutual_information(c);
        double denominator = 0.5 * (h_true + h_predicted) - emi;
        const double eps = std::numeric_limits<double>::epsilon();
        denominator = denominator < 0.0 ? std::min(denominator, -eps) : std::max(denominator, eps);
        out.adjusted_mutual_information = (mi - emi) / denominator;
    }

    const double tk = sum_squares - n, pk = b_squares - n, qk = a_squares - n;
    out.fowlkes_mallows = tk != 0.0 ? std::sqrt(tk / pk) * std::sqrt(tk / qk) : 0.0;
    return out;
}

}  // namespace sparsity_probe
