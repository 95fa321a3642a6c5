// WebAssembly smoke test: the spiral demo with default settings, as `sparsity-probe demo spiral`
// computes it, printed as the results document without timings. check-emscripten.sh compares it
// with the native CLI's document; they must be equal.
#include <cstdio>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/probe.hpp"
#include "sparsity_probe/results.hpp"
#include "sparsity_probe/synthetic.hpp"

int main() {
    using namespace sparsity_probe;
    // Input errors must be catchable in WebAssembly too (exception handling is opt-in there).
    try {
        make_synthetic("no-such-set", SyntheticOptions{});
        return 1;
    } catch (const InputError&) {
    }
    ResultsDocument document;
    document.demo = "spiral";
    document.demo_options.noise = default_noise("spiral");
    document.settings.threads = SMOKE_THREADS;
    const SyntheticData data = make_synthetic(document.demo, document.demo_options);
    document.layers.push_back({analyze(data.points, data.labels, document.settings), ""});
    std::fputs(results_json(document, JsonOptions{true, false}).c_str(), stdout);
    return 0;
}
