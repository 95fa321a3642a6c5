#include "sparsity_probe/limits.hpp"

#include <cmath>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/reduction.hpp"

namespace sparsity_probe {
namespace {

// Measured with tests/js/measure-memory.mjs on the WebAssembly builds (README "Limits"): the
// analysis of a layer peaks at about 16 bytes per value in the threads build with its 8 workers
// (the layer's float32 copy, one byte per value of bins, and each concurrently grown tree's
// per-feature sample lists), about 9 in the single build. Parsing peaks at about 4.4 times the
// files' bytes for CSV and float32 arrays, 6 for one-byte arrays (they become float32).
constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::uint64_t kMemoryBytes = 2048 * kMiB;   // MAXIMUM_MEMORY
constexpr std::uint64_t kBudgetBytes = kMemoryBytes / 5 * 4;  // 80%: the module itself, fragmentation
constexpr std::uint64_t kAnalysisBytesPerValue = 16;
constexpr std::uint64_t kInputBytesPerValue = 4;     // float32, held while it is reduced
constexpr std::uint64_t kParseBytesPerFileByte = 6;
// The M-term step holds a samples x classes matrix of doubles for each seed being analysed; the
// threads build analyses up to min(seeds, 8 workers) seeds at once.
constexpr std::uint64_t kWorkers = 8;

// 184320000 -> "184,320,000": limits are easier to compare with a shape when grouped.
std::string grouped(std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t k = 0; k < digits.size(); ++k) {
        if (k && (digits.size() - k) % 3 == 0) out += ',';
        out += digits[k];
    }
    return out;
}

std::string shape(std::uint64_t samples, std::uint64_t features) {
    return std::to_string(samples) + " x " + std::to_string(features);
}

std::string megabytes(std::uint64_t bytes) { return grouped((bytes + kMiB / 2) / kMiB) + " MiB"; }

}  // namespace

MemoryLimits browser_limits() {
    MemoryLimits limits;
    limits.budget_bytes = kBudgetBytes;
    // 100 million: 1.6 GB at 16 bytes each, inside the 1.6 GiB budget.
    limits.analysed_values = 100000000;
    // 200 million: 800 MB of float32, which may be copied once (the kept rows) while reduced.
    limits.input_values = 200000000;
    // 256 MiB: parsed in at most 6 x 256 MiB = 1.5 GiB.
    limits.file_bytes = 256 * kMiB;
    return limits;
}

std::uint64_t reduction_bytes(std::uint64_t samples, std::uint64_t features, const Settings& settings) {
    const std::uint64_t m = samples_after_reduction(static_cast<std::size_t>(samples), settings);
    const std::uint64_t dims = features_after_reduction(static_cast<std::size_t>(features), settings);
    std::uint64_t bytes = kInputBytesPerValue * samples * features;
    if (m != samples) bytes += kInputBytesPerValue * m * features;  // the kept rows
    if (dims != features) {
        // The matrix: a third of its entries are non-zero, 4 bytes each (plus 10% for the spread
        // of that count and the vector's growth), and 8 bytes of offsets per feature; then the
        // projected layer.
        bytes += features * dims * 4 / 3 * 11 / 10 + 8 * (features + 1) + kInputBytesPerValue * m * dims;
    }
    return bytes;
}

std::uint64_t analysis_bytes(std::uint64_t samples, std::uint64_t features, std::uint64_t classes, const Settings& settings) {
    const std::uint64_t seeds = settings.seeds < 1 ? 1 : static_cast<std::uint64_t>(settings.seeds);
    const std::uint64_t at_once = seeds < kWorkers ? seeds : kWorkers;
    return kAnalysisBytesPerValue * samples * features + 8 * samples * classes * at_once;
}

void check_layer_fits(const std::string& name, std::uint64_t samples, std::uint64_t features, const Settings& settings,
                      const MemoryLimits& limits, std::uint64_t classes) {
    const std::string where = "layer " + name + ": ";
    const std::string cli = "use the command-line tool, which has no such limit";
    const std::uint64_t input = samples * features;
    if (input > limits.input_values) {
        throw InputError(where + shape(samples, features) + " = " + grouped(input) +
                         " values; the browser build takes at most " + grouped(limits.input_values) +
                         " values per layer, even to subsample or project them (they are held as float32 while "
                         "they are reduced). Save a subsample of the rows, or " + cli +
                         " (--max-samples, --project-features).");
    }
    const std::uint64_t m = samples_after_reduction(static_cast<std::size_t>(samples), settings);
    const std::uint64_t dims = features_after_reduction(static_cast<std::size_t>(features), settings);
    const std::uint64_t analysed = m * dims;
    if (analysed > limits.analysed_values) {
        std::string found = shape(samples, features);
        if (m != samples || dims != features) found += ", reduced by the settings to " + shape(m, dims);
        std::string way = "Set ";
        const std::uint64_t rows = limits.analysed_values / dims;
        const std::uint64_t columns = limits.analysed_values / m;
        if (rows >= 2) way += "max_samples to " + grouped(rows) + " or fewer (a seeded, stratified sample of the rows)";
        if (rows >= 2 && columns >= 1) way += " or ";
        if (columns >= 1)
            way += "project_features to " + grouped(columns) + " or fewer (a seeded random projection of the features)";
        if (rows < 2 && columns < 1) way = "Reduce the layer";
        throw InputError(where + found + " = " + grouped(analysed) + " values; the browser build analyses at most " +
                         grouped(limits.analysed_values) + " values per layer (about " +
                         std::to_string(kAnalysisBytesPerValue) + " bytes each in its 2 GiB" +
                         " of WebAssembly memory). " + way + ", or " + cli + ".");
    }
    const std::uint64_t analysis = analysis_bytes(m, dims, classes, settings);
    if (analysis > limits.budget_bytes) {
        // Only many classes get here: the values alone are within their limit (whose measured 16
        // bytes include the M-term matrix of a few classes).
        const std::uint64_t per_row = kAnalysisBytesPerValue * dims + (analysis - kAnalysisBytesPerValue * m * dims) / m;
        const std::uint64_t rows = limits.budget_bytes / per_row;
        const std::uint64_t seeds = settings.seeds < 1 ? 1 : static_cast<std::uint64_t>(settings.seeds);
        throw InputError(where + shape(m, dims) + " values of " + grouped(classes) + " classes need about " +
                         megabytes(analysis) + " (the M-term step keeps 8 bytes per sample and class for each of the " +
                         std::to_string(seeds < kWorkers ? seeds : kWorkers) + " seeds analysed at once); the browser build has " +
                         megabytes(limits.budget_bytes) + " for an analysis. Set max_samples to " +
                         grouped(rows) + " or fewer (a seeded, stratified sample of the rows), or " + cli + ".");
    }
    const std::uint64_t bytes = reduction_bytes(samples, features, settings);
    if (bytes > limits.budget_bytes) {
        // Only the projection matrix can make this happen within the two limits above: say how
        // far to lower project_features.
        std::uint64_t fits = dims;
        Settings lower = settings;
        while (fits > 1) {
            fits = fits / 2;
            lower.project_features = static_cast<std::size_t>(fits);
            if (reduction_bytes(samples, features, lower) <= limits.budget_bytes) break;
        }
        throw InputError(where + "reducing " + shape(samples, features) + " to " + shape(m, dims) + " needs about " +
                         megabytes(bytes) + " (the projection matrix has " + grouped(features) + " x " + grouped(dims) +
                         " entries); the browser build has " + megabytes(limits.budget_bytes) +
                         " for it. Set project_features to " + grouped(fits) + " or fewer, or " + cli + ".");
    }
}

void check_files_fit(const std::vector<FileSize>& files, const MemoryLimits& limits) {
    std::uint64_t total = 0;
    std::string names;
    for (const FileSize& f : files) {
        total += f.bytes;
        names += (names.empty() ? "" : ", ") + f.file_name;
    }
    if (total <= limits.file_bytes) return;
    throw InputError(names + ": " + grouped(total) + " bytes" + (files.size() > 1 ? " together" : "") +
                     "; the browser build reads at most " + grouped(limits.file_bytes) + " bytes (" +
                     megabytes(limits.file_bytes) + ") of files at once (parsing needs up to " +
                     std::to_string(kParseBytesPerFileByte) + " times their size in its 2 GiB" +
                     " of WebAssembly memory). Save a subsample of the rows or fewer layers per file, or use the "
                     "command-line tool, which has no such limit (--max-samples, --project-features).");
}

}  // namespace sparsity_probe
