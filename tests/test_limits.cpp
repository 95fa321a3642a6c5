// The browser build's size checks (limits.hpp): what passes, what is refused, and that a refusal
// names the size found, the limit and a way out that does fit.
#include <doctest/doctest.h>

#include <cctype>
#include <string>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/limits.hpp"
#include "sparsity_probe/reduction.hpp"

using namespace sparsity_probe;

namespace {

std::string refusal(const std::string& name, std::uint64_t n, std::uint64_t d, const Settings& s, const MemoryLimits& l) {
    try {
        check_layer_fits(name, n, d, s, l);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

// The number after `before` in `text` (digits and thousands commas).
std::uint64_t number_after(const std::string& text, const std::string& before) {
    const std::size_t at = text.find(before);
    REQUIRE(at != std::string::npos);
    std::uint64_t n = 0;
    for (std::size_t k = at + before.size(); k < text.size() && (std::isdigit(static_cast<unsigned char>(text[k])) || text[k] == ','); ++k)
        if (text[k] != ',') n = n * 10 + static_cast<std::uint64_t>(text[k] - '0');
    return n;
}

}  // namespace

TEST_CASE("the browser limits are consistent with the 2 GiB of WebAssembly memory") {
    const MemoryLimits l = browser_limits();
    CHECK(l.budget_bytes <= 2048ull * 1024 * 1024);
    CHECK(l.analysed_values * 16 <= l.budget_bytes);       // 16 bytes per value measured (README)
    CHECK(l.input_values * 4 * 2 <= l.budget_bytes);       // the input and one copy of its rows
    CHECK(l.file_bytes * 6 <= l.budget_bytes);              // parsing: up to 6 x the files
    CHECK(l.analysed_values <= l.input_values);
}

TEST_CASE("a layer within the limits passes; one beyond is refused with a way out that fits") {
    const MemoryLimits l = browser_limits();
    Settings s;
    CHECK(refusal("small", 1000, 100, s, l).empty());
    CHECK(refusal("edge", l.analysed_values / 1000, 1000, s, l).empty());
    const std::string e = refusal("conv1", 60000, 3072, s, l);
    CHECK(e.rfind("layer conv1: 60000 x 3072 = 184,320,000 values; the browser build analyses at most 100,000,000 values per layer", 0) == 0);
    CHECK(e.find("use the command-line tool") != std::string::npos);
    // The suggested max_samples is the largest that fits; so is the suggested project_features.
    const std::uint64_t rows = number_after(e, "Set max_samples to ");
    const std::uint64_t columns = number_after(e, "project_features to ");
    CHECK(rows == 32552);
    CHECK(columns == 1666);
    Settings fix = s;
    fix.max_samples = rows;
    CHECK(refusal("conv1", 60000, 3072, fix, l).empty());
    fix.max_samples = rows + 1;
    CHECK_FALSE(refusal("conv1", 60000, 3072, fix, l).empty());
    fix = s;
    fix.project_features = columns;
    CHECK(refusal("conv1", 60000, 3072, fix, l).empty());
    fix.project_features = columns + 1;
    CHECK_FALSE(refusal("conv1", 60000, 3072, fix, l).empty());

    // Settings that reduce too little are named with the shape they give.
    Settings some = s;
    some.max_samples = 50000;
    CHECK(refusal("conv1", 60000, 3072, some, l).rfind("layer conv1: 60000 x 3072, reduced by the settings to 50000 x 3072 = 153,600,000 values", 0) == 0);
}

TEST_CASE("an input too large to even reduce, and a projection matrix too large, are refused") {
    const MemoryLimits l = browser_limits();
    Settings s;
    s.max_samples = 1000;
    const std::string e = refusal("big", 300000, 1000, s, l);
    CHECK(e.rfind("layer big: 300000 x 1000 = 300,000,000 values; the browser build takes at most 200,000,000 values per layer, even to subsample or project them", 0) == 0);
    Settings p;
    p.project_features = 5000;
    const std::string m = refusal("wide", 1000, 150000, p, l);
    CHECK(m.rfind("layer wide: reducing 1000 x 150000 to 1000 x 5000 needs about ", 0) == 0);
    const std::uint64_t fits = number_after(m, "Set project_features to ");
    Settings q = p;
    q.project_features = fits;
    CHECK(reduction_bytes(1000, 150000, q) <= l.budget_bytes);
    CHECK(refusal("wide", 1000, 150000, q, l).empty());
}

TEST_CASE("reduction_bytes adds the input, the kept rows, the matrix and the projected layer") {
    Settings s;
    CHECK(reduction_bytes(1000, 100, s) == 4 * 1000 * 100);
    s.max_samples = 500;
    CHECK(reduction_bytes(1000, 100, s) == 4 * 1000 * 100 + 4 * 500 * 100);
    s.project_features = 30;
    CHECK(reduction_bytes(1000, 100, s) == 4 * 1000 * 100 + 4 * 500 * 100 + 100 * 30 * 4 / 3 * 11 / 10 + 8 * 101 + 4 * 500 * 30);
}

TEST_CASE("files beyond the limit are refused together, named") {
    const MemoryLimits l = browser_limits();
    CHECK_NOTHROW(check_files_fit({{"a.npz", l.file_bytes}}, l));
    try {
        check_files_fit({{"a.npy", l.file_bytes}, {"labels.npy", 128}}, l);
        FAIL("expected a refusal");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).rfind("a.npy, labels.npy: 268,435,584 bytes together; the browser build reads at most 268,435,456 bytes (256 MiB) of files at once", 0) == 0);
    }
}

TEST_CASE("many classes: the M-term matrix counts, and the suggested sample fits") {
    const MemoryLimits l = browser_limits();
    Settings s;  // 3 seeds, analysed at once in the threads build
    CHECK(analysis_bytes(1000, 100, 10, s) == 16 * 1000 * 100 + 8 * 1000 * 10 * 3);
    s.seeds = 20;  // at most 8 at once (the workers)
    CHECK(analysis_bytes(1000, 100, 10, s) == 16 * 1000 * 100 + 8 * 1000 * 10 * 8);
    s.seeds = 3;
    CHECK_NOTHROW(check_layer_fits("many", 1000000, 50, s, l, 10));  // 50M values, small M-term matrix
    std::string e;
    try {
        check_layer_fits("many", 1000000, 50, s, l, 1000);  // 24 GB of M-term residuals
    } catch (const InputError& error) {
        e = error.what();
    }
    CHECK(e.rfind("layer many: 1000000 x 50 values of 1,000 classes need about ", 0) == 0);
    const std::uint64_t rows = number_after(e, "Set max_samples to ");
    CHECK(analysis_bytes(rows, 50, 1000, s) <= l.budget_bytes);
    CHECK(analysis_bytes(rows + 1, 50, 1000, s) > l.budget_bytes);
    // At the values limit, ten classes fit (the measured 16 bytes per value had ten).
    CHECK_NOTHROW(check_layer_fits("full", 100000, 1000, s, l, 10));
    Settings fix = s;
    fix.max_samples = rows;
    CHECK_NOTHROW(check_layer_fits("many", 1000000, 50, fix, l, 1000));
}
