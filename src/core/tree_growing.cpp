// Growing one tree: bootstrap, then depth-first splitting. Two split searches share one sweep:
// large nodes walk their samples in bin order (a counting sort over the one-byte bin codes, whose
// per-bin counts come from a histogram built for the smaller child and obtained for the larger
// child by subtraction from the parent's), small nodes walk them in exact value order. Both
// evaluate the same score from integer class counts, so they agree wherever bins hold one value.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "sparsity_probe/forest.hpp"
#include "sparsity_probe/random.hpp"

namespace sparsity_probe {

std::uint64_t tree_seed(std::uint64_t seed, int repetition, int tree) {
    return derive_seed(seed, static_cast<std::uint64_t>(repetition), static_cast<std::uint64_t>(tree));
}

namespace {

struct Split {
    bool found = false;
    std::size_t feature = 0;
    double threshold = 0.0;
    double score = -1.0;
};

// Σ_k c_k² and weight of one side of a candidate split, updated one sample at a time.
struct Side {
    std::uint64_t weight = 0;
    std::uint64_t distinct = 0;
    std::uint64_t sum_squares = 0;
};

// Per-bin distinct-sample counts of a node for every feature: features x 256.
using Histogram = std::vector<std::uint32_t>;

class TreeGrower {
public:
    TreeGrower(const TrainingSet& data, const Settings& settings, std::uint64_t seed, const std::atomic<bool>* cancel)
        : data_(data),
          settings_(settings),
          random_(seed),
          cancel_(cancel),
          n_(data.layer.samples()),
          d_(data.layer.features()),
          weight_(n_, 0),
          left_counts_(data.targets.classes(), 0),
          right_counts_(data.targets.classes(), 0),
          box_low_(d_, 0.0),
          box_high_(d_, 1.0),
          feature_order_(d_) {
        for (std::size_t f = 0; f < d_; ++f) feature_order_[f] = static_cast<std::uint32_t>(f);
        tries_ = features_per_split(settings, d_);
        // Histograms pay off only above a few hundred samples per node and must fit a budget:
        // at most one is pending per level of the depth-first walk.
        const std::size_t histogram_bytes = d_ * BinnedFeatures::max_bins * sizeof(std::uint32_t);
        use_histograms_ = histogram_bytes * static_cast<std::size_t>(settings.depth) <= (std::size_t{64} << 20) &&
                          tries_ == d_;
    }

    Tree grow() {
        draw_sample();
        order_.resize(members_.size());
        std::unique_ptr<Histogram> histogram;
        if (use_histograms_ && members_.size() >= settings_.exact_below) {
            histogram = take_histogram();
            fill_histogram(*histogram, 0, members_.size());
        }
        grow_node(0, members_.size(), 0, 0, 0.0, std::move(histogram));
        return std::move(tree_);
    }

private:
    void draw_sample() {
        const std::size_t m = std::max<std::size_t>(
            1, static_cast<std::size_t>(std::llround(settings_.sample_fraction * static_cast<double>(n_))));
        if (settings_.bootstrap) {
            for (std::size_t j = 0; j < m; ++j) ++weight_[random_.below(n_)];
        } else {
            std::vector<std::uint32_t> pick(n_);
            for (std::size_t i = 0; i < n_; ++i) pick[i] = static_cast<std::uint32_t>(i);
            for (std::size_t j = 0; j < std::min(m, n_); ++j) {
                std::swap(pick[j], pick[j + random_.below(n_ - j)]);
                weight_[pick[j]] = 1;
            }
        }
        for (std::size_t i = 0; i < n_; ++i)
            if (weight_[i] > 0) members_.push_back(static_cast<std::uint32_t>(i));
    }

    std::uint32_t grow_node(std::size_t begin, std::size_t end, std::uint32_t depth, std::uint32_t parent,
                            double log_volume, std::unique_ptr<Histogram> histogram) {
        if (cancel_ && cancel_->load(std::memory_order_relaxed)) throw Cancelled{};
        const auto id = static_cast<std::uint32_t>(tree_.nodes.size());
        tree_.nodes.emplace_back();
        tree_.nodes[id].parent = id == 0 ? 0 : parent;
        tree_.nodes[id].depth = depth;
        tree_.nodes[id].distinct = static_cast<std::uint32_t>(end - begin);
        tree_.nodes[id].log_volume = log_volume;

        const Side all = record_class_counts(id, begin, end);
        const std::size_t classes_here = tree_.class_offsets[id + 1] - tree_.class_offsets[id];
        const bool can_split = depth < static_cast<std::uint32_t>(settings_.depth) && classes_here > 1 &&
                               end - begin >= 2 * settings_.min_samples_leaf;
        Split split;
        if (can_split) split = best_split(begin, end, all, histogram.get());
        if (!split.found) {
            release_histogram(std::move(histogram));
            tree_.nodes[id].subtree_end = id + 1;
            return id;
        }

        const std::size_t middle = partition(begin, end, split);
        std::unique_ptr<Histogram> left_histogram, right_histogram;
        if (histogram) children_histograms(begin, middle, end, std::move(histogram), left_histogram, right_histogram);

        const std::size_t f = split.feature;
        const double low = box_low_[f], high = box_high_[f];
        const double log_width = std::log(high - low);
        tree_.nodes[id].feature = static_cast<std::int32_t>(f);
        tree_.nodes[id].threshold = split.threshold;

        box_high_[f] = split.threshold;
        const std::uint32_t left =
            grow_node(begin, middle, depth + 1, id, log_volume - log_width + std::log(split.threshold - low),
                      std::move(left_histogram));
        box_high_[f] = high;
        box_low_[f] = split.threshold;
        const std::uint32_t right =
            grow_node(middle, end, depth + 1, id, log_volume - log_width + std::log(high - split.threshold),
                      std::move(right_histogram));
        box_low_[f] = low;

        TreeNode& node = tree_.nodes[id];
        node.left = left;
        node.right = right;
        node.subtree_end = static_cast<std::uint32_t>(tree_.nodes.size());
        return id;
    }

    // Appends the node's class counts (ascending label) and returns its weight and Σ c_k².
    Side record_class_counts(std::uint32_t id, std::size_t begin, std::size_t end) {
        if (tree_.class_offsets.empty()) tree_.class_offsets.push_back(0);
        const std::uint32_t* classes = data_.targets.class_of.data();
        touched_.clear();
        for (std::size_t j = begin; j < end; ++j) {
            const std::uint32_t i = members_[j];
            const std::uint32_t k = classes[i];
            if (left_counts_[k] == 0) touched_.push_back(k);
            left_counts_[k] += weight_[i];
        }
        std::sort(touched_.begin(), touched_.end());
        Side side;
        for (const std::uint32_t k : touched_) {
            const std::uint64_t c = left_counts_[k];
            tree_.class_counts.push_back({k, static_cast<std::uint32_t>(c)});
            side.weight += c;
            side.sum_squares += c * c;
            left_counts_[k] = 0;
        }
        side.distinct = end - begin;
        tree_.nodes[id].weight = side.weight;
        tree_.class_offsets.push_back(static_cast<std::uint32_t>(tree_.class_counts.size()));
        return side;
    }

    Split best_split(std::size_t begin, std::size_t end, const Side& all, const Histogram* histogram) {
        const bool exact = end - begin < settings_.exact_below;
        if (tries_ < d_) {
            for (std::size_t j = 0; j < tries_; ++j) std::swap(feature_order_[j], feature_order_[j + random_.below(d_ - j)]);
        }
        Split best;
        for (std::size_t j = 0; j < tries_; ++j) {
            const std::size_t f = feature_order_[j];
            if (data_.bins.bin_count[f] < 2) continue;
            if (exact)
                exact_search(f, begin, end, all, best);
            else
                binned_search(f, begin, end, all, histogram, best);
        }
        return best;
    }

    // Move sample i from the right side to the left side of a sweep.
    void move_left(std::uint32_t i, Side& left, Side& right) {
        const std::uint32_t k = data_.targets.class_of[i];
        const std::uint64_t w = weight_[i];
        const std::uint64_t l = left_counts_[k], r = right_counts_[k];
        left.sum_squares += 2 * w * l + w * w;
        right.sum_squares -= 2 * w * r - w * w;
        left_counts_[k] = static_cast<std::uint32_t>(l + w);
        right_counts_[k] = static_cast<std::uint32_t>(r - w);
        left.weight += w;
        right.weight -= w;
        ++left.distinct;
        --right.distinct;
    }

    // Both sides start from the node's counts: left empty, right everything.
    void start_sweep(std::size_t begin, std::size_t end, const Side& all, Side& left, Side& right) {
        for (std::size_t j = begin; j < end; ++j) {
            const std::uint32_t i = members_[j];
            right_counts_[data_.targets.class_of[i]] += weight_[i];
        }
        left = Side{};
        right = all;
    }

    void end_sweep(std::size_t begin, std::size_t end) {
        for (std::size_t j = begin; j < end; ++j) {
            const std::uint32_t k = data_.targets.class_of[members_[j]];
            left_counts_[k] = 0;
            right_counts_[k] = 0;
        }
    }

    void consider(const Side& left, const Side& right, std::size_t feature, double below, double above, Split& best) {
        if (left.distinct < settings_.min_samples_leaf || right.distinct < settings_.min_samples_leaf) return;
        const double score = static_cast<double>(left.sum_squares) / static_cast<double>(left.weight) +
                             static_cast<double>(right.sum_squares) / static_cast<double>(right.weight);
        if (score > best.score) {
            double threshold = 0.5 * (below + above);
            if (!(threshold < above)) threshold = below;  // adjacent doubles: keep below <= t < above
            best = Split{true, feature, threshold, score};
        }
    }

    void exact_search(std::size_t f, std::size_t begin, std::size_t end, const Side& all, Split& best) {
        const std::size_t count = end - begin;
        sorted_pairs_.resize(count);
        for (std::size_t j = 0; j < count; ++j) {
            const std::uint32_t i = members_[begin + j];
            sorted_pairs_[j] = {data_.layer(i, f), i};
        }
        // (value, sample) is a total order, so any correct sort gives the same sequence.
        std::sort(sorted_pairs_.begin(), sorted_pairs_.begin() + static_cast<std::ptrdiff_t>(count));
        if (sorted_pairs_[0].first == sorted_pairs_[count - 1].first) return;
        Side left, right;
        start_sweep(begin, end, all, left, right);
        for (std::size_t j = 0; j + 1 < count; ++j) {
            move_left(sorted_pairs_[j].second, left, right);
            if (sorted_pairs_[j].first < sorted_pairs_[j + 1].first)
                consider(left, right, f, sorted_pairs_[j].first, sorted_pairs_[j + 1].first, best);
        }
        end_sweep(begin, end);
    }

    void binned_search(std::size_t f, std::size_t begin, std::size_t end, const Side& all, const Histogram* histogram,
                       Split& best) {
        const std::uint8_t* codes = data_.bins.column(f);
        std::uint32_t counts[BinnedFeatures::max_bins];
        if (histogram) {
            std::memcpy(counts, histogram->data() + f * BinnedFeatures::max_bins, sizeof counts);
        } else {
            std::memset(counts, 0, sizeof counts);
            for (std::size_t j = begin; j < end; ++j) ++counts[codes[members_[j]]];
        }
        const std::size_t bins = data_.bins.bin_count[f];
        std::uint32_t offsets[BinnedFeatures::max_bins];
        std::uint32_t running = 0;
        std::size_t nonempty = 0;
        for (std::size_t b = 0; b < bins; ++b) {
            offsets[b] = running;
            running += counts[b];
            nonempty += counts[b] > 0;
        }
        if (nonempty < 2) return;
        for (std::size_t j = begin; j < end; ++j) {
            const std::uint32_t i = members_[j];
            order_[offsets[codes[i]]++] = i;
        }
        Side left, right;
        start_sweep(begin, end, all, left, right);
        std::size_t position = 0, last_bin = 0;
        bool any = false;
        for (std::size_t b = 0; b < bins; ++b) {
            if (counts[b] == 0) continue;
            if (any) consider(left, right, f, data_.bins.high(f, last_bin), data_.bins.low(f, b), best);
            for (std::uint32_t c = 0; c < counts[b]; ++c) move_left(order_[position++], left, right);
            last_bin = b;
            any = true;
        }
        end_sweep(begin, end);
    }

    // Stable partition of members_[begin, end) by the split; returns the first right-side index.
    std::size_t partition(std::size_t begin, std::size_t end, const Split& split) {
        std::size_t left = begin, right = 0;
        for (std::size_t j = begin; j < end; ++j) {
            const std::uint32_t i = members_[j];
            if (data_.layer(i, split.feature) <= split.threshold)
                members_[left++] = i;
            else
                order_[right++] = i;
        }
        std::copy(order_.begin(), order_.begin() + static_cast<std::ptrdiff_t>(right), members_.begin() + static_cast<std::ptrdiff_t>(left));
        return left;
    }

    void fill_histogram(Histogram& histogram, std::size_t begin, std::size_t end) {
        std::fill(histogram.begin(), histogram.end(), 0u);
        for (std::size_t f = 0; f < d_; ++f) {
            const std::uint8_t* codes = data_.bins.column(f);
            std::uint32_t* counts = histogram.data() + f * BinnedFeatures::max_bins;
            for (std::size_t j = begin; j < end; ++j) ++counts[codes[members_[j]]];
        }
    }

    // The smaller child's histogram is counted; the larger one's is the parent's minus it.
    void children_histograms(std::size_t begin, std::size_t middle, std::size_t end, std::unique_ptr<Histogram> parent,
                             std::unique_ptr<Histogram>& left, std::unique_ptr<Histogram>& right) {
        const bool left_binned = middle - begin >= settings_.exact_below;
        const bool right_binned = end - middle >= settings_.exact_below;
        if (!left_binned && !right_binned) {
            release_histogram(std::move(parent));
            return;
        }
        const bool left_smaller = middle - begin <= end - middle;
        std::unique_ptr<Histogram> small = take_histogram();
        if (left_smaller)
            fill_histogram(*small, begin, middle);
        else
            fill_histogram(*small, middle, end);
        for (std::size_t x = 0; x < parent->size(); ++x) (*parent)[x] -= (*small)[x];
        std::unique_ptr<Histogram>& small_slot = left_smaller ? left : right;
        std::unique_ptr<Histogram>& large_slot = left_smaller ? right : left;
        small_slot = std::move(small);
        large_slot = std::move(parent);
        if (!left_binned) release_histogram(std::move(left));
        if (!right_binned) release_histogram(std::move(right));
    }

    std::unique_ptr<Histogram> take_histogram() {
        if (!spare_histograms_.empty()) {
            auto histogram = std::move(spare_histograms_.back());
            spare_histograms_.pop_back();
            return histogram;
        }
        return std::make_unique<Histogram>(d_ * BinnedFeatures::max_bins);
    }

    void release_histogram(std::unique_ptr<Histogram> histogram) {
        if (histogram) spare_histograms_.push_back(std::move(histogram));
    }

    const TrainingSet& data_;
    const Settings& settings_;
    Random random_;
    const std::atomic<bool>* cancel_;
    std::size_t n_, d_, tries_ = 0;
    bool use_histograms_ = false;

    Tree tree_;
    std::vector<std::uint32_t> weight_;   // bootstrap multiplicity of every sample (0: not drawn)
    std::vector<std::uint32_t> members_;  // distinct drawn samples, grouped by node
    std::vector<std::uint32_t> order_;    // scratch: samples in bin order / right side of a partition
    std::vector<std::pair<double, std::uint32_t>> sorted_pairs_;
    std::vector<std::uint32_t> left_counts_, right_counts_, touched_;
    std::vector<double> box_low_, box_high_;
    std::vector<std::uint32_t> feature_order_;
    std::vector<std::unique_ptr<Histogram>> spare_histograms_;
};

}  // namespace

Tree grow_tree(const TrainingSet& data, const Settings& settings, std::uint64_t seed, const std::atomic<bool>* cancel) {
    TreeGrower grower(data, settings, seed, cancel);
    return grower.grow();
}

}  // namespace sparsity_probe
