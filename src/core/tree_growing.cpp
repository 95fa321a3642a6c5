// Growing one tree: bootstrap, then depth-first splitting. Nodes with many samples per class
// search class histograms of the bin codes (histogram_split); a large one keeps them, so that its
// larger child derives its own from them by taking out the smaller sibling, which pays down to
// fewer samples per class than a fresh fill does. Below that, every
// feature keeps the node's samples as one list ordered by bin code (counting-sorted at the first
// such node, into a block sized by it); a split partitions each list stably, so children inherit
// the order and no node above `exact_below` samples sorts anything. Both place candidate
// thresholds between bins; once a node falls below `exact_below`, its samples' values are sorted
// within the bins once, and its subtree sweeps exact values the same way. All evaluate the same score from integer class counts, so they
// agree wherever bins hold one value.
#include <algorithm>
#include <cmath>
#include <functional>

#include "sparsity_probe/forest.hpp"
#include "sparsity_probe/random.hpp"
#include "class_histogram.hpp"
#include "scratch_array.hpp"
#include "spare_pool.hpp"
#include "task_pool.hpp"
#include "sparsity_probe/portable_math.hpp"

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

// Counts stay far below 2^63, and the signed conversion is one instruction where the unsigned
// one branches; the value is the same.
inline double as_double(std::uint64_t count) { return static_cast<double>(static_cast<std::int64_t>(count)); }

// Counts held as doubles: every count, product and sum of the search stays below 2^53 (at most
// 2^24 samples), so double arithmetic on them is exact and ranks candidates exactly as integers
// would, without converting four integers at every candidate.
struct ClassTally {
    double left = 0;
    double total = 0;
};

// What the sweeps need of a drawn sample, looked up by its position in the tree's member list.
struct Member {
    std::uint32_t label;
    std::uint32_t weight;
};

}  // namespace

// A histogram node's class histograms, kept after its search: a child holding most of its
// samples gets its own by taking the sibling's members out again (LightGBM's histogram
// subtraction), which costs a pass over the sibling instead of one over the child. Cell
// [(f * max_bins + bin) * row + column] holds the weight of the bin's members of one class;
// columns number the classes present where the histograms were filled, and rows are padded
// (class_histogram.hpp). Cells are 16 bits wide where the filling node's weight allows it.
struct HistogramBuffer {
    std::size_t classes = 0;
    bool narrow = false;  // which of the two cell vectors is in use
    std::vector<std::uint32_t> cells;
    std::vector<std::uint16_t> narrow_cells;
    std::vector<std::uint32_t> counts;     // distinct members per (feature, bin), for a minimum leaf
    std::vector<std::uint32_t> column_of;  // label -> column

    template <class Cell>
    std::vector<Cell>& cells_of() {
        if constexpr (sizeof(Cell) == 2)
            return narrow_cells;
        else
            return cells;
    }
};

// Per-feature lists of the subtree below one node, the first below the histogram search: for
// feature f, [f * size, (f + 1) * size) holds entries (local, bin code) of the subtree's members
// sample_.members[begin, begin + size), in bin order within each node's slice, packed in 32 bits
// because the sweeps are bound by memory traffic. Sized by that node rather than by the tree, so
// that the block stays small where large nodes search histograms.
struct ListBlock {
    std::size_t begin = 0, size = 0;
    ScratchArray<std::uint32_t> entries;

    std::size_t capacity() const { return entries.size(); }
    std::uint32_t* slice(std::size_t feature, std::size_t node_begin) {
        return &entries[feature * size + (node_begin - begin)];
    }
};

// The columns of an open exact subtree (see TreeGrower::open_exact_subtree), by feature.
struct ExactColumns {
    ScratchArray<double> values, row_values, scratch_values;
    ScratchArray<std::uint32_t> locals, scratch_locals;

    std::size_t capacity() const { return locals.size(); }
};

// The tree's drawn sample and the per-feature lists, shared by the growers of its subtrees: each
// grower only touches its own node's ranges of them (and the entries of its own members).
struct DrawnSample {
    std::vector<std::uint32_t> weight;    // bootstrap multiplicity of every sample (0: not drawn)
    std::vector<std::uint32_t> members;   // distinct drawn samples, grouped by node
    std::vector<std::uint32_t> local_of;  // sample -> its position in the initial member list
    std::vector<Member> member;           // by that position ("local")
    std::vector<std::uint8_t> goes_left;  // by local, for the node being partitioned
    std::vector<std::uint32_t> position_of;  // by local, within an open exact subtree
    // Scratch blocks not held by a grower, kept for the next node and tree: memory touched for
    // the first time costs more than the search it serves (a page fault per 4 KiB).
    SparePool<HistogramBuffer> spare_histograms;
    SparePool<ListBlock> spare_lists;
    SparePool<ExactColumns> spare_exact;  // forked growers open most exact subtrees
};

namespace {

// A node's subtree is worth handing to another thread above this many list entries (samples x
// features): below it, the handover costs more than it saves.
constexpr std::size_t fork_entries = std::size_t{1} << 18;
// Nodes with at least this many samples per class present search with class histograms: filling
// one costs a pass over the node, reading it bins x classes cells, so below this the sweep of the
// bin-ordered lists is cheaper (measured on the benchmark's layers, 256 bins, 10 classes).
constexpr std::size_t histogram_samples_per_class = 100;
// A node that can derive its histograms from its parent's (taking out a sibling that is often a
// tenth of it or less) needs no pass over itself, only the walk: it searches histograms down to
// this many samples per class (W2: 6.75 -> 6.16 G instructions; 30 and 100 measured more).
constexpr std::size_t derived_histogram_samples_per_class = 50;

// Where a node's histograms come from: buffer `buffer` of its grower, filled afresh, or (derive)
// holding the parent's, from which the sibling's members (sample ids) are taken out.
struct HistogramSource {
    std::size_t buffer = 0;
    bool derive = false;
    const std::uint32_t* sibling = nullptr;
    std::size_t sibling_count = 0;
};

// Buffers one grower holds at most: a parent's histograms wait in one while its smaller left
// child's subtree fills others, so that the larger right child can still derive its own.
constexpr std::size_t max_histogram_buffers = 3;
// Kept histograms are d x 256 x classes cells, walked from memory rather than from a cache-sized
// scratch, and each buffer is a block the process touches: they are kept only where the larger
// child may derive its own (derived_histogram_samples_per_class) and the block stays within this
// (W2's 1,280 features x 256 bins x 12 cells of 16 bits: 7.9 MB).
constexpr std::size_t max_histogram_buffer_bytes = std::size_t{16} << 20;

class TreeGrower {
public:
    TreeGrower(const TrainingSet& data, const Settings& settings, std::uint64_t seed, const std::atomic<bool>* cancel,
               DrawnSample& sample)
        : data_(data),
          settings_(settings),
          random_(seed),
          cancel_(cancel),
          sample_(sample),
          n_(data.layer.samples()),
          d_(data.layer.features()),
          tallies_(data.targets.classes()),
          box_low_(d_, 0.0),
          box_high_(d_, 1.0),
          feature_order_(d_) {
        for (std::size_t f = 0; f < d_; ++f) feature_order_[f] = static_cast<std::uint32_t>(f);
        tries_ = features_per_split(settings, d_);
    }

    // A grower for one child's subtree, with its own nodes and scratch space. Only forked when
    // every split tries every feature, so no random draw depends on which grower runs.
    explicit TreeGrower(const TreeGrower& parent)
        : data_(parent.data_),
          settings_(parent.settings_),
          random_(0),
          cancel_(parent.cancel_),
          sample_(parent.sample_),
          n_(parent.n_),
          d_(parent.d_),
          tries_(parent.tries_),
          tallies_(data_.targets.classes()),
          box_low_(parent.box_low_),
          box_high_(parent.box_high_),
          feature_order_(parent.feature_order_) {}

    TreeGrower& operator=(const TreeGrower&) = delete;

    Tree grow() {
        sample_.members.clear();
        sample_.member.clear();
        sample_.weight.assign(n_, 0);
        sample_.local_of.assign(n_, 0);
        draw_sample();
        sample_.goes_left.assign(sample_.members.size(), 0);
        sample_.position_of.assign(sample_.members.size(), 0);
        if (sample_.members.size() > max_tree_samples)
            throw InputError("a tree's bootstrap sample holds more than 16,777,216 distinct samples (subsample the rows)");
        grow_node(0, sample_.members.size(), 0, 0, 0.0, nullptr, HistogramSource{});
        return std::move(tree_);
    }

private:
    void draw_sample() {
        const std::size_t m = std::max<std::size_t>(
            1, static_cast<std::size_t>(std::llround(settings_.sample_fraction * static_cast<double>(n_))));
        if (settings_.bootstrap) {
            for (std::size_t j = 0; j < m; ++j) ++sample_.weight[random_.below(n_)];
        } else {
            std::vector<std::uint32_t> pick(n_);
            for (std::size_t i = 0; i < n_; ++i) pick[i] = static_cast<std::uint32_t>(i);
            for (std::size_t j = 0; j < std::min(m, n_); ++j) {
                std::swap(pick[j], pick[j + random_.below(n_ - j)]);
                sample_.weight[pick[j]] = 1;
            }
        }
        for (std::size_t i = 0; i < n_; ++i) {
            if (sample_.weight[i] == 0) continue;
            sample_.local_of[i] = static_cast<std::uint32_t>(sample_.members.size());
            sample_.members.push_back(static_cast<std::uint32_t>(i));
            sample_.member.push_back({data_.targets.class_of[i], sample_.weight[i]});
        }
    }

    // Lists only serve nodes large enough for the binned search; a tree whose root is already
    // below `exact_below` goes straight to the exact columns.
    bool uses_lists() const { return sample_.members.size() >= settings_.exact_below; }

    // Counting-sorts the node's members by bin code into every feature's list slice: once at the
    // first node below the histogram search, whose descendants then partition the lists.
    SparePool<ListBlock>::Lease fill_lists(std::size_t begin, std::size_t end) {
        SparePool<ListBlock>::Lease lists = sample_.spare_lists.take_fitting((end - begin) * d_);
        lists->begin = begin;
        lists->size = end - begin;
        lists->entries.grow_to(lists->size * d_);
        const std::uint32_t* members = &sample_.members[begin];
        const std::size_t count = end - begin;
        for (std::size_t f = 0; f < d_; ++f) {
            const std::uint8_t* codes = data_.bins.column(f);
            std::uint32_t offsets[BinnedFeatures::max_bins] = {};
            for (std::size_t p = 0; p < count; ++p) ++offsets[codes[members[p]]];
            std::uint32_t running = 0;
            for (std::uint32_t& offset : offsets) {
                const std::uint32_t here = offset;
                offset = running;
                running += here;
            }
            std::uint32_t* list = lists->slice(f, begin);
            for (std::size_t p = 0; p < count; ++p) {
                const std::uint32_t i = members[p];
                const std::uint8_t code = codes[i];
                list[offsets[code]++] = entry(sample_.local_of[i], code);
            }
        }
        return lists;
    }

    void grow_node(std::size_t begin, std::size_t end, std::uint32_t depth, std::uint32_t parent, double log_volume,
                   ListBlock* lists, const HistogramSource& source) {
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
        const bool exact = end - begin < settings_.exact_below;
        const bool histogram = !exact && uses_histograms(end - begin, classes_here, derives(source, classes_here));
        const bool opens_exact = can_split && exact && !exact_.active;
        // Sweeps and a new exact subtree read the node's lists, which a parent searched with
        // histograms did not partition.
        // The node that fills lists holds them until its subtree is grown.
        SparePool<ListBlock>::Lease own_lists;
        if (can_split && !histogram && !exact_.active && !lists && uses_lists()) {
            own_lists = fill_lists(begin, end);
            lists = own_lists.get();
        }
        if (opens_exact) open_exact_subtree(begin, end, lists);
        Split split;
        bool kept_histograms = false;
        if (can_split) split = best_split(id, begin, end, all, exact, histogram, source, kept_histograms, lists);
        if (!split.found) {
            tree_.nodes[id].subtree_end = id + 1;
            if (opens_exact) exact_.release();
            return;
        }

        const std::size_t middle = partition(begin, end, split);
        const std::size_t least = 2 * settings_.min_samples_leaf;
        if (depth + 1 < static_cast<std::uint32_t>(settings_.depth) &&
            (middle - begin >= least || end - middle >= least)) {
            if (exact)
                partition_exact_columns(begin, middle, end);
            else if (!histogram)
                partition_lists(begin, end, lists);
        }
        ListBlock* const children_lists = !exact && !histogram ? lists : nullptr;
        // This node's histograms wait in its buffer for the larger child, if that one may search
        // with histograms too (a node that splits holds at least two classes).
        const std::size_t larger_count = std::max(middle - begin, end - middle);
        const bool left_larger = middle - begin >= end - middle;
        const bool hand_down = kept_histograms && depth + 1 < static_cast<std::uint32_t>(settings_.depth) &&
                               worth_keeping(larger_count, buffers_[source.buffer]->classes, buffers_[source.buffer]->narrow);
        const std::size_t sibling_begin = left_larger ? middle : begin, sibling_end = left_larger ? end : middle;
        const HistogramSource to_larger{source.buffer, true, sample_.members.data() + sibling_begin, sibling_end - sibling_begin};

        const std::size_t f = split.feature;
        const double low = box_low_[f], high = box_high_[f];
        const double log_width = portable_log(high - low);
        tree_.nodes[id].feature = static_cast<std::int32_t>(f);
        tree_.nodes[id].threshold = split.threshold;

        const double left_log_volume = log_volume - log_width + portable_log(split.threshold - low);
        const double right_log_volume = log_volume - log_width + portable_log(high - split.threshold);
        std::uint32_t left = 0, right = 0;
        if (!exact && tries_ == d_ && (end - begin) * d_ >= fork_entries) {
            // Both children grow as separate fragments, perhaps on two threads, and are appended
            // in preorder: the tree is the same whoever grew which part.
            TreeGrower left_grower(*this), right_grower(*this);
            left_grower.box_high_[f] = split.threshold;
            right_grower.box_low_[f] = split.threshold;
            // Growers wait at forks, many at once on a deep chain of large nodes: none of them
            // keeps the scratch of its finished exact subtrees meanwhile.
            exact_.release();
            HistogramSource left_source, right_source;
            // The sibling's grower reorders its members meanwhile, perhaps on another thread.
            std::vector<std::uint32_t> sibling;
            if (hand_down) {
                TreeGrower& larger = left_larger ? left_grower : right_grower;
                larger.buffers_.push_back(std::move(buffers_[source.buffer]));
                sibling.assign(to_larger.sibling, to_larger.sibling + to_larger.sibling_count);
                (left_larger ? left_source : right_source) = HistogramSource{0, true, sibling.data(), sibling.size()};
            }
            const std::function<void()> grow_left = [&] {
                left_grower.grow_node(begin, middle, depth + 1, 0, left_log_volume, children_lists, left_source);
                left_grower.exact_.release();
            };
            const std::function<void()> grow_right = [&] {
                right_grower.grow_node(middle, end, depth + 1, 0, right_log_volume, children_lists, right_source);
                right_grower.exact_.release();
            };
            // The larger child is the one offered to an idle worker.
            if (middle - begin >= end - middle)
                run_pair(grow_right, grow_left);
            else
                run_pair(grow_left, grow_right);
            left = append_fragment(left_grower.tree_, id);
            right = append_fragment(right_grower.tree_, id);
        } else {
            // Preorder grows the left child first: a larger right child's histograms can only
            // wait in this node's buffer while the left subtree fills the next one.
            HistogramSource left_source{source.buffer}, right_source{source.buffer};
            if (hand_down && left_larger) {
                left_source = to_larger;
            } else if (hand_down && source.buffer + 1 < max_histogram_buffers) {
                left_source = HistogramSource{source.buffer + 1};
                right_source = to_larger;
            }
            box_high_[f] = split.threshold;
            left = static_cast<std::uint32_t>(tree_.nodes.size());
            grow_node(begin, middle, depth + 1, id, left_log_volume, children_lists, left_source);
            box_high_[f] = high;
            box_low_[f] = split.threshold;
            right = static_cast<std::uint32_t>(tree_.nodes.size());
            grow_node(middle, end, depth + 1, id, right_log_volume, children_lists, right_source);
            box_low_[f] = low;
        }
        if (opens_exact) exact_.release();

        TreeNode& node = tree_.nodes[id];
        node.left = left;
        node.right = right;
        node.subtree_end = static_cast<std::uint32_t>(tree_.nodes.size());
    }

    // Appends a subtree grown by another grower below node `parent`; returns its root's id.
    std::uint32_t append_fragment(const Tree& fragment, std::uint32_t parent) {
        const auto offset = static_cast<std::uint32_t>(tree_.nodes.size());
        const auto class_offset = static_cast<std::uint32_t>(tree_.class_counts.size());
        for (std::size_t v = 0; v < fragment.nodes.size(); ++v) {
            TreeNode node = fragment.nodes[v];
            if (!node.is_leaf()) {
                node.left += offset;
                node.right += offset;
            }
            node.subtree_end += offset;
            node.parent = v == 0 ? parent : node.parent + offset;
            tree_.nodes.push_back(node);
        }
        tree_.class_counts.insert(tree_.class_counts.end(), fragment.class_counts.begin(), fragment.class_counts.end());
        for (std::size_t v = 1; v < fragment.class_offsets.size(); ++v)
            tree_.class_offsets.push_back(fragment.class_offsets[v] + class_offset);
        return offset;
    }

    // Appends the node's class counts (ascending label) and returns its weight and Σ c_k².
    Side record_class_counts(std::uint32_t id, std::size_t begin, std::size_t end) {
        if (tree_.class_offsets.empty()) tree_.class_offsets.push_back(0);
        touched_.clear();
        for (std::size_t j = begin; j < end; ++j) {
            const Member& member = sample_.member[sample_.local_of[sample_.members[j]]];
            if (tallies_[member.label].left == 0) touched_.push_back(member.label);
            tallies_[member.label].left += member.weight;
        }
        std::sort(touched_.begin(), touched_.end());
        Side side;
        for (const std::uint32_t k : touched_) {
            const auto c = static_cast<std::uint64_t>(tallies_[k].left);
            tree_.class_counts.push_back({k, static_cast<std::uint32_t>(c)});
            side.weight += c;
            side.sum_squares += c * c;
            tallies_[k].left = 0;
        }
        side.distinct = end - begin;
        tree_.nodes[id].weight = side.weight;
        tree_.class_offsets.push_back(static_cast<std::uint32_t>(tree_.class_counts.size()));
        return side;
    }

    Split best_split(std::uint32_t id, std::size_t begin, std::size_t end, const Side& all, bool exact, bool histogram,
                     const HistogramSource& source, bool& kept_histograms, ListBlock* lists) {
        if (tries_ < d_) {
            for (std::size_t j = 0; j < tries_; ++j) std::swap(feature_order_[j], feature_order_[j + random_.below(d_ - j)]);
        }
        if (histogram) return histogram_split(id, begin, end, all, source, kept_histograms);
        // The sweeps derive the right side as the node's totals minus the left side.
        for (const ClassCount* c = tree_.counts_begin(id); c != tree_.counts_end(id); ++c) tallies_[c->label].total = c->weight;
        Split best;
        for (std::size_t j = 0; j < tries_; ++j) {
            const std::size_t f = feature_order_[j];
            if (data_.bins.bin_count[f] < 2) continue;
            if (exact)
                exact_search(f, begin, end, all, best);
            else
                binned_search(f, begin, end, all, best, lists);
            // Only the left counts change during a sweep; the node's classes are all it touched.
            for (const ClassCount* c = tree_.counts_begin(id); c != tree_.counts_end(id); ++c) tallies_[c->label].left = 0;
        }
        for (const ClassCount* c = tree_.counts_begin(id); c != tree_.counts_end(id); ++c) tallies_[c->label].total = 0;
        return best;
    }

    // A sweep moves members from the right side to the left one in list order. Only the left
    // side is tallied: with T_k the node's class totals and l_k the left counts,
    //   Σ_k (T_k − l_k)² = Σ_k T_k² − 2 Σ_k T_k l_k + Σ_k l_k²,
    // so the right side's Σ c_k² follows from Σ T_k l_k, which grows by w·T_k per move.
    struct Sweep {
        explicit Sweep(const Side& side) : all(side), all_weight(as_double(side.weight)), all_squares(as_double(side.sum_squares)) {}

        const Side& all;
        double all_weight, all_squares;  // of the node, exact (see ClassTally)
        double weight = 0, sum_squares = 0, cross = 0;
        std::size_t moved = 0;

        void move(const Member member, ClassTally* tallies) {
            ClassTally& tally = tallies[member.label];
            const double w = member.weight;
            sum_squares += w * (2 * tally.left + w);
            cross += w * tally.total;
            tally.left += w;
            weight += w;
            ++moved;
        }
    };

    void consider(const Sweep& sweep, std::size_t feature, double below, double above, Split& best) {
        // Every candidate has a moved member below it and an unmoved one above it, so only a
        // larger minimum leaf can rule one out here.
        const std::size_t min_leaf = min_leaf_;
        if (min_leaf > 1 && (sweep.moved < min_leaf || sweep.all.distinct - sweep.moved < min_leaf)) return;
        const double left_weight = sweep.weight, right_weight = sweep.all_weight - sweep.weight;
        const double left_squares = sweep.sum_squares, right_squares = sweep.all_squares - 2 * sweep.cross + sweep.sum_squares;
        // Most candidates lose: rule them out by multiplying, which is cheaper than the two
        // divisions. With a margin far beyond the few roundings on either side, a candidate
        // passed over here would also have scored below the best in the division form below.
        if (left_squares * right_weight + right_squares * left_weight < best.score * (left_weight * right_weight) * (1.0 - 0x1p-40))
            return;
        const double score = left_squares / left_weight + right_squares / right_weight;
        if (score > best.score) {
            double threshold = 0.5 * (below + above);
            if (!(threshold < above)) threshold = below;  // adjacent doubles: keep below <= t < above
            best = Split{true, feature, threshold, score};
        }
    }

    // Candidate thresholds lie between consecutive non-empty bins, half-way between the values
    // that bound them.
    void binned_search(std::size_t f, std::size_t begin, std::size_t end, const Side& all, Split& best, ListBlock* lists) {
        const std::size_t count = end - begin;
        const std::uint32_t* list = lists->slice(f, begin);
        if (code_of(list[0]) == code_of(list[count - 1])) return;
        Sweep sweep{all};
        const Member* member = sample_.member.data();
        ClassTally* tallies = tallies_.data();
        for (std::size_t j = 0; j + 1 < count; ++j) {
            sweep.move(member[local_of_entry(list[j])], tallies);
            if (code_of(list[j]) != code_of(list[j + 1]))
                consider(sweep, f, data_.bins.high(f, code_of(list[j])), data_.bins.low(f, code_of(list[j + 1])), best);
        }
    }

    // Columns of classes the node lacks cost the walk as much as present ones, and derived
    // histograms keep their parent's columns: only a node that lost few classes derives; one with
    // far fewer than its ancestor's buffer fills its own.
    bool derives(const HistogramSource& source, std::size_t classes_here) const {
        return source.derive && 4 * buffers_[source.buffer]->classes <= 5 * classes_here;
    }

    static bool uses_histograms(std::size_t count, std::size_t classes, bool derivable) {
        return count >= (derivable ? derived_histogram_samples_per_class : histogram_samples_per_class) * classes;
    }

    // The search of large nodes, without lists: per feature, the node's weight per (bin, class)
    // and its distinct samples per bin, tallied in one pass over the members (or derived from
    // the parent's by one pass over the sibling's). Walking the non-empty bins in order then
    // meets the same candidates, in the same order, with the same integer counts as the sweep of
    // a bin-ordered list, so both choose the same split; a node searched this way partitions no
    // lists, and a descendant that sweeps fills its own. The histograms stay in the buffer for
    // the larger child.
    bool worth_keeping(std::size_t count, std::size_t classes, bool narrow) const {
        const std::size_t row_bytes = narrow ? padded_classes<std::uint16_t>(classes) * sizeof(std::uint16_t)
                                             : padded_classes<std::uint32_t>(classes) * sizeof(std::uint32_t);
        return tries_ == d_ && count >= derived_histogram_samples_per_class * classes &&
               d_ * BinnedFeatures::max_bins * row_bytes <= max_histogram_buffer_bytes;
    }

    Split histogram_split(std::uint32_t id, std::size_t begin, std::size_t end, const Side& all,
                          const HistogramSource& source, bool& kept) {
        const std::size_t classes_here = tree_.counts_end(id) - tree_.counts_begin(id);
        const bool narrow_fill = all.weight <= narrow_weight_limit;
        kept = source.derive || worth_keeping(end - begin, classes_here, narrow_fill);
        HistogramBuffer* buffer = &scratch_histogram_;
        if (kept) {
            while (buffers_.size() <= source.buffer) buffers_.emplace_back();
            if (!buffers_[source.buffer]) buffers_[source.buffer] = sample_.spare_histograms.take();
            buffer = buffers_[source.buffer].get();
        }
        const bool derive = derives(source, classes_here);
        if (derive ? buffer->narrow : narrow_fill)
            return histogram_split_into<std::uint16_t>(id, begin, end, all, source, classes_here, *buffer, kept, derive);
        return histogram_split_into<std::uint32_t>(id, begin, end, all, source, classes_here, *buffer, kept, derive);
    }

    template <class Cell>
    std::vector<Cell>& class_arrays(bool left) {
        if constexpr (sizeof(Cell) == 2)
            return left ? narrow_left_ : narrow_total_;
        else
            return left ? left_ : class_total_;
    }

    // The search into `buffer`: every feature's histograms side by side when they are kept, else
    // one feature's at a time, emptied behind the walk for the next.
    template <class Cell>
    Split histogram_split_into(std::uint32_t id, std::size_t begin, std::size_t end, const Side& all,
                               const HistogramSource& source, std::size_t classes_here, HistogramBuffer& buffer, bool keep,
                               bool derive) {
        // Weights are at least one, so a bin is empty when its weight is; the members per bin
        // are only counted where a minimum leaf above one needs them.
        const bool counted = min_leaf_ > 1;
        std::vector<Cell>& cells = buffer.cells_of<Cell>();
        if (!derive) {
            // A kept buffer holds one width of cells at a time (a one-feature scratch may hold both).
            if (keep && buffer.narrow != (sizeof(Cell) == 2)) {
                if constexpr (sizeof(Cell) == 2)
                    std::vector<std::uint32_t>().swap(buffer.cells);
                else
                    std::vector<std::uint16_t>().swap(buffer.narrow_cells);
            }
            buffer.narrow = sizeof(Cell) == 2;
            buffer.classes = classes_here;
            buffer.column_of.resize(data_.targets.classes());
            std::size_t column = 0;
            for (const ClassCount* c = tree_.counts_begin(id); c != tree_.counts_end(id); ++c)
                buffer.column_of[c->label] = static_cast<std::uint32_t>(column++);
            // Only grown, never shrunk: a one-feature scratch stays empty between searches.
            const std::size_t slots = keep ? d_ : 1;
            const std::size_t size = slots * BinnedFeatures::max_bins * padded_classes<Cell>(classes_here);
            if (cells.size() < size) cells.resize(size);
            if (counted && buffer.counts.size() < slots * BinnedFeatures::max_bins) buffer.counts.resize(slots * BinnedFeatures::max_bins);
        }
        const std::size_t classes = buffer.classes, row = padded_classes<Cell>(classes);
        std::vector<Cell>& class_total = class_arrays<Cell>(false);
        class_total.assign(row, 0);
        for (const ClassCount* c = tree_.counts_begin(id); c != tree_.counts_end(id); ++c)
            class_total[buffer.column_of[c->label]] = static_cast<Cell>(c->weight);
        // The members passed over: the node's own, or the sibling's to take out.
        const std::uint32_t* members = derive ? source.sibling : &sample_.members[begin];
        const std::size_t count = derive ? source.sibling_count : end - begin;
        node_cell_.resize(count);
        node_weight_.resize(count);
        for (std::size_t p = 0; p < count; ++p) {
            const Member& member = sample_.member[sample_.local_of[members[p]]];
            node_cell_[p] = buffer.column_of[member.label];
            node_weight_[p] = member.weight;
        }
        class_arrays<Cell>(true).resize(row);
        const std::uint32_t* cell = node_cell_.data();
        const std::uint32_t* weight = node_weight_.data();
        Split best;
        for (std::size_t j = 0; j < tries_; ++j) {
            const std::size_t f = feature_order_[j];
            const std::size_t bins = data_.bins.bin_count[f];
            if (bins < 2) continue;
            const std::uint8_t* codes = data_.bins.column(f);
            const std::size_t slot = keep ? f : 0;
            Cell* histogram = &cells[slot * BinnedFeatures::max_bins * row];
            std::uint32_t* const counts = counted ? &buffer.counts[slot * BinnedFeatures::max_bins] : nullptr;
            if (keep && j + 1 < tries_) {
                const std::size_t next = feature_order_[j + 1];
                prefetch_slice(&cells[next * BinnedFeatures::max_bins * row], data_.bins.bin_count[next] * row * sizeof(Cell));
            }
            if (derive) {
                for (std::size_t p = 0; p < count; ++p) {
                    Cell& c = histogram[codes[members[p]] * row + cell[p]];
                    c = static_cast<Cell>(c - weight[p]);
                }
                if (counted)
                    for (std::size_t p = 0; p < count; ++p) --counts[codes[members[p]]];
            } else {
                if (keep) {
                    std::fill_n(histogram, bins * row, Cell{0});
                    if (counted) std::fill_n(counts, bins, 0u);
                }
                for (std::size_t p = 0; p < count; ++p) {
                    Cell& c = histogram[codes[members[p]] * row + cell[p]];
                    c = static_cast<Cell>(c + weight[p]);
                }
                if (counted)
                    for (std::size_t p = 0; p < count; ++p) ++counts[codes[members[p]]];
            }
            if (keep)
                walk_histogram<false>(f, histogram, counts, bins, row, all, best);
            else
                walk_histogram<true>(f, histogram, counts, bins, row, all, best);
        }
        return best;
    }

    // A kept buffer holds every feature's histograms (W2: 7.9 MB), so each feature's slice comes
    // from memory, and a derived node's first touches of it are the sibling's members in no
    // order: the next feature's slice is asked for while this one is derived and walked.
    static void prefetch_slice(const void* start, std::size_t bytes) {
#if defined(__SSE2__)
        const char* p = static_cast<const char*>(start);
        for (std::size_t offset = 0; offset < bytes; offset += 64) _mm_prefetch(p + offset, _MM_HINT_T0);
#else
        (void)start;
        (void)bytes;
#endif
    }

    // `counts` (members per bin) may be null when no minimum leaf needs them.
    template <bool Clear, class Cell>
    void walk_histogram(std::size_t f, Cell* histogram, std::uint32_t* counts, std::size_t bins,
                        std::size_t row, const Side& all, Split& best) {
        std::vector<Cell>& left = class_arrays<Cell>(true);
        const Cell* class_total = class_arrays<Cell>(false).data();
        std::fill(left.begin(), left.end(), Cell{0});
        Sweep sweep{all};
        std::size_t previous = bins;
        for (std::size_t b = 0; b < bins; ++b) {
            if (counts && counts[b] == 0) continue;
            // The left counts move at once; the candidate before this bin needs only the sweep's
            // totals, which move after it is scored.
            const BinSums sums = move_bin_left<Clear>(histogram + b * row, left.data(), class_total, row);
            if (sums.weight == 0) continue;
            if (previous != bins) consider(sweep, f, data_.bins.high(f, previous), data_.bins.low(f, b), best);
            sweep.sum_squares += as_double(sums.sum_squares_growth);
            sweep.cross += as_double(sums.cross);
            sweep.weight += as_double(sums.weight);
            if (counts) {
                sweep.moved += counts[b];
                if (Clear) counts[b] = 0;
            }
            previous = b;
        }
    }

    // Exact search walks the feature's column of the open exact subtree, already in value order.
    void exact_search(std::size_t f, std::size_t begin, std::size_t end, const Side& all, Split& best) {
        const std::size_t count = end - begin;
        const std::size_t offset = f * exact_.size + (begin - exact_.begin);
        const double* values = &exact_.columns->values[offset];
        const std::uint32_t* locals = &exact_.columns->locals[offset];
        if (values[0] == values[count - 1]) return;
        Sweep sweep{all};
        const Member* member = sample_.member.data();
        ClassTally* tallies = tallies_.data();
        for (std::size_t j = 0; j + 1 < count; ++j) {
            sweep.move(member[locals[j]], tallies);
            if (values[j] < values[j + 1]) consider(sweep, f, values[j], values[j + 1], best);
        }
    }

    // Stable partition of sample_.members[begin, end) by the split; returns the first right-side index.
    // Also records which side every member went to, for the lists and columns.
    std::size_t partition(std::size_t begin, std::size_t end, const Split& split) {
        if (scratch_members_.size() < end - begin) scratch_members_.resize(end - begin);
        std::size_t left = begin, right = 0;
        for (std::size_t j = begin; j < end; ++j) {
            const std::uint32_t i = sample_.members[j];
            const bool to_left = data_.layer(i, split.feature) <= split.threshold;
            sample_.goes_left[sample_.local_of[i]] = to_left;
            if (to_left)
                sample_.members[left++] = i;
            else
                scratch_members_[right++] = i;
        }
        std::copy_n(scratch_members_.begin(), right, sample_.members.begin() + static_cast<std::ptrdiff_t>(left));
        return left;
    }

    // Every list's slice of the node is stably partitioned like the members, so both children's
    // slices stay in bin order.
    void partition_lists(std::size_t begin, std::size_t end, ListBlock* lists) {
        const std::size_t count = end - begin;
        if (scratch_list_.size() < count) scratch_list_.resize(count);
        for (std::size_t f = 0; f < d_; ++f) {
            std::uint32_t* list = lists->slice(f, begin);
            std::uint32_t* scratch = scratch_list_.data();
            std::size_t left = 0, right = 0;
            for (std::size_t j = 0; j < count; ++j) {
                const std::uint32_t e = list[j];
                const std::size_t to_left = sample_.goes_left[local_of_entry(e)];
                list[left] = e;
                scratch[right] = e;
                left += to_left;
                right += 1 - to_left;
            }
            std::copy_n(scratch_list_.begin(), right, list + left);
        }
    }

    // Entering a node below `exact_below`: every feature's values of its samples are sorted once
    // here (starting from bin order, so mostly sorted already), and the descendants keep each
    // column in order by stable partitioning. Ties may sit in any order: thresholds are only
    // placed between distinct values.
    void open_exact_subtree(std::size_t begin, std::size_t end, ListBlock* lists) {
        const std::size_t count = end - begin;
        exact_.active = true;
        exact_.begin = begin;
        exact_.size = count;
        exact_.columns = sample_.spare_exact.take_fitting(count * d_);
        ExactColumns& columns = *exact_.columns;
        columns.values.grow_to(count * d_);
        columns.locals.grow_to(count * d_);
        columns.scratch_values.grow_to(count);
        columns.scratch_locals.grow_to(count);
        // Row by row, because the layer is stored sample-major: row_values[f * count + p] is the
        // value of feature f of the p-th member of the node.
        columns.row_values.grow_to(count * d_);
        for (std::size_t p = 0; p < count; ++p) {
            const std::uint32_t i = sample_.members[begin + p];
            sample_.position_of[sample_.local_of[i]] = static_cast<std::uint32_t>(p);
            for (std::size_t f = 0; f < d_; ++f) columns.row_values[f * count + p] = data_.layer(i, f);
        }
        const bool from_lists = lists != nullptr;
        for (std::size_t f = 0; f < d_; ++f) {
            double* values = &columns.values[f * count];
            std::uint32_t* locals = &columns.locals[f * count];
            const double* row_values = &columns.row_values[f * count];
            for (std::size_t j = 0; j < count; ++j) {
                const std::uint32_t local =
                    from_lists ? local_of_entry(lists->slice(f, begin)[j]) : sample_.local_of[sample_.members[begin + j]];
                locals[j] = local;
                values[j] = row_values[sample_.position_of[local]];
            }
            // Insertion sort: linear on the bin-ordered lists, where only values sharing a bin
            // can be out of order.
            for (std::size_t j = 1; j < count; ++j) {
                const double value = values[j];
                const std::uint32_t local = locals[j];
                std::size_t k = j;
                for (; k > 0 && values[k - 1] > value; --k) {
                    values[k] = values[k - 1];
                    locals[k] = locals[k - 1];
                }
                values[k] = value;
                locals[k] = local;
            }
        }
    }

    // The exact columns' counterpart of partition_lists.
    void partition_exact_columns(std::size_t begin, std::size_t middle, std::size_t end) {
        const std::size_t count = end - begin;
        ExactColumns& columns = *exact_.columns;
        for (std::size_t f = 0; f < d_; ++f) {
            const std::size_t offset = f * exact_.size + (begin - exact_.begin);
            double* values = &columns.values[offset];
            std::uint32_t* locals = &columns.locals[offset];
            double* scratch_values = columns.scratch_values.data();
            std::uint32_t* scratch_locals = columns.scratch_locals.data();
            std::size_t left = 0, right = 0;
            for (std::size_t j = 0; j < count; ++j) {
                const std::uint32_t local = locals[j];
                const double value = values[j];
                const std::size_t to_left = sample_.goes_left[local];
                values[left] = value;
                locals[left] = local;
                scratch_values[right] = value;
                scratch_locals[right] = local;
                left += to_left;
                right += 1 - to_left;
            }
            std::copy_n(columns.scratch_values.data(), right, values + left);
            std::copy_n(columns.scratch_locals.data(), right, locals + left);
        }
        (void)middle;
    }

    const TrainingSet& data_;
    const Settings& settings_;
    Random random_;
    const std::atomic<bool>* cancel_;
    DrawnSample& sample_;
    std::size_t n_, d_, tries_ = 0;
    std::size_t min_leaf_ = settings_.min_samples_leaf;

    Tree tree_;  // this grower's nodes; a forked grower's become a fragment of its parent's
    std::vector<std::uint32_t> scratch_members_, scratch_list_;
    static std::uint32_t entry(std::size_t local, std::uint8_t code) { return static_cast<std::uint32_t>(local << 8) | code; }
    static std::uint32_t local_of_entry(std::uint32_t e) { return e >> 8; }
    static std::uint8_t code_of(std::uint32_t e) { return static_cast<std::uint8_t>(e & 0xFF); }

    std::vector<ClassTally> tallies_;  // by class: left counts during a sweep, the node's totals
    // Histogram search: the node's class totals and left counts by column, and per member passed
    // over its column and weight.
    std::vector<std::uint32_t> class_total_, left_;
    std::vector<std::uint16_t> narrow_total_, narrow_left_;
    std::vector<std::uint32_t> node_cell_, node_weight_;
    std::vector<SparePool<HistogramBuffer>::Lease> buffers_;  // by HistogramSource::buffer
    HistogramBuffer scratch_histogram_;                      // one feature's, when not kept
    std::vector<std::uint32_t> touched_;
    std::vector<double> box_low_, box_high_;
    std::vector<std::uint32_t> feature_order_;

    // The open exact subtree: sample_.members[begin, begin + size) in value order per feature. Column f
    // occupies [f * size, (f + 1) * size); a node's slice of it holds its own members. The columns
    // go back to the tree's pool when the subtree is grown, for the next one of any grower.
    struct ExactSubtree {
        bool active = false;
        std::size_t begin = 0, size = 0;
        SparePool<ExactColumns>::Lease columns;

        void release() {
            active = false;
            columns = {};
        }
    } exact_;
};

}  // namespace

Tree grow_tree(const TrainingSet& data, const Settings& settings, std::uint64_t seed, const std::atomic<bool>* cancel) {
    DrawnSample sample;
    TreeGrower grower(data, settings, seed, cancel, sample);
    return grower.grow();
}

TreeWorkspaces::TreeWorkspaces() = default;
TreeWorkspaces::~TreeWorkspaces() = default;

Tree TreeWorkspaces::grow(const TrainingSet& data, const Settings& settings, std::uint64_t seed,
                          const std::atomic<bool>* cancel) {
    std::unique_ptr<DrawnSample> sample;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!spare_.empty()) {
            sample = std::move(spare_.back());
            spare_.pop_back();
        }
    }
    if (!sample) sample = std::make_unique<DrawnSample>();
    struct GiveBack {
        TreeWorkspaces& owner;
        std::unique_ptr<DrawnSample>& sample;
        ~GiveBack() {
            std::lock_guard<std::mutex> lock(owner.mutex_);
            owner.spare_.push_back(std::move(sample));
        }
    } give_back{*this, sample};
    TreeGrower grower(data, settings, seed, cancel, *sample);
    return grower.grow();
}

}  // namespace sparsity_probe
