// One layer from input to outcome (layer_outcome.hpp): reductions recorded, and running out of
// memory inside the core becomes that layer's error while the next layer still runs. Allocation
// failure is provoked by this test binary's own operator new, which refuses single allocations
// above a threshold while a test sets one.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "sparsity_probe/layer_outcome.hpp"
#include "sparsity_probe/random.hpp"
#include "sparsity_probe/reduction.hpp"

using namespace sparsity_probe;

namespace {
std::atomic<std::size_t> refuse_above{0};  // 0: allocate everything

struct RefuseAllocationsAbove {
    explicit RefuseAllocationsAbove(std::size_t bytes) { refuse_above = bytes; }
    ~RefuseAllocationsAbove() { refuse_above = 0; }
};

Layer separable(std::size_t n, std::size_t d, std::vector<std::int64_t>& labels) {
    Layer layer;
    layer.name = "layer";
    layer.samples = n;
    layer.features = d;
    Random random(3);
    labels.clear();
    for (std::size_t i = 0; i < n; ++i) {
        labels.push_back(static_cast<std::int64_t>(i % 3));
        for (std::size_t f = 0; f < d; ++f) {
            const double u = random.uniform();
            layer.values.push_back(static_cast<float>(u + (f == 0 ? static_cast<double>(i % 3) : 0.0)));
        }
    }
    return layer;
}
}  // namespace

// Every replaceable form (plain, array, nothrow; sized deletes) goes to malloc and free, so that
// AddressSanitizer sees matching pairs whichever form the standard library uses.
namespace {
void* allocate(std::size_t size) {
    const std::size_t limit = refuse_above.load(std::memory_order_relaxed);
    if (limit && size > limit) return nullptr;
    return std::malloc(size ? size : 1);
}
void* allocate_or_throw(std::size_t size) {
    if (void* p = allocate(size)) return p;
    throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t size) { return allocate_or_throw(size); }
void* operator new[](std::size_t size) { return allocate_or_throw(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

TEST_CASE("an allocation failure in the core is the layer's error; the next layer runs") {
    std::vector<std::int64_t> big_labels, small_labels;
    const Layer big = separable(4000, 40, big_labels);      // 160,000 values: the bins alone are 160 kB
    const Layer small = separable(150, 4, small_labels);
    Settings s;
    s.threads = 1;
    LayerOutcome failed, next;
    {
        const RefuseAllocationsAbove guard(64 * 1024);
        failed = probe_layer(big, big_labels, nullptr, s);
        next = probe_layer(small, small_labels, nullptr, s);
    }
    CHECK(failed.error ==
          "layer layer: out of memory analysing 4000 x 40 values; subsample the rows (--max-samples) or project the features (--project-features)");
    CHECK(failed.result.samples == 4000);
    CHECK(failed.result.features == 40);
    CHECK(next.ok());
    CHECK(next.result.status == "ok");
    // Without the refusal the same layer analyses, to the numbers of a direct analyze().
    const LayerOutcome again = probe_layer(big, big_labels, nullptr, s);
    REQUIRE(again.ok());
    CHECK(again.result.alpha == analyze(big, big_labels, s).alpha);

    // The bindings' spelling of the options.
    LayerRun run;
    run.names.max_samples = "max_samples";
    run.names.project_features = "project_features";
    const RefuseAllocationsAbove guard(64 * 1024);
    CHECK(probe_layer(big, big_labels, nullptr, s, run).error ==
          "layer layer: out of memory analysing 4000 x 40 values; subsample the rows (max_samples) or project the features (project_features)");
}

TEST_CASE("a reduced layer records what was analysed and gives the numbers of analysing the reduced layer") {
    std::vector<std::int64_t> labels;
    const Layer layer = separable(900, 30, labels);
    Settings s;
    s.seeds = 2;
    s.max_samples = 300;
    s.project_features = 8;
    const LayerOutcome o = probe_layer(layer, labels, nullptr, s);
    REQUIRE(o.ok());
    CHECK(o.result.samples == 900);
    CHECK(o.result.features == 30);
    CHECK(o.analysed_samples == 300);
    CHECK(o.analysed_features == 8);
    const ReducedLayer r = reduce(layer, labels, nullptr, s);
    const LayerResult direct = analyze(r.layer, r.labels, s);
    CHECK(o.result.alpha == direct.alpha);
    CHECK(o.result.tau_star == direct.tau_star);
    // Handing the layer over gives the same outcome.
    Layer copy = layer;
    std::vector<std::int64_t> copy_labels = labels;
    const LayerOutcome moved = probe_layer(std::move(copy), std::move(copy_labels), s);
    CHECK(moved.result.alpha == o.result.alpha);
    CHECK(moved.analysed_samples == 300);
    // Not reduced: nothing recorded.
    Settings plain;
    plain.seeds = 2;
    const LayerOutcome p = probe_layer(layer, labels, nullptr, plain);
    CHECK(p.analysed_samples == 0);
    CHECK(p.analysed_features == 0);
}
