#pragma once
// What the browser build can take. WebAssembly here is 32-bit with at most 2 GiB of memory
// (MAXIMUM_MEMORY in CMakeLists.txt), and a tab that runs out of it dies with the page. So the
// bindings check a layer's and a file's size before allocating anything for them and say what
// was found, what the limit is, and the way out (max_samples, project_features, the CLI).
// The numbers come from measured peak memory of the WebAssembly builds (README "Limits",
// tests/js/measure-memory.mjs); the native CLI has no such limits.
#include <cstdint>
#include <string>
#include <vector>

#include "sparsity_probe/settings.hpp"

namespace sparsity_probe {

struct MemoryLimits {
    // samples × features the probe analyses in one layer (after max_samples / project_features).
    std::uint64_t analysed_values = 0;
    // samples × features of a layer as handed in, before any reduction (it must be held, copied
    // once and projected).
    std::uint64_t input_values = 0;
    // Bytes of the files read together (one model), before parsing them.
    std::uint64_t file_bytes = 0;
    // Bytes of memory the estimates below may use (the rest is the module's own and slack).
    std::uint64_t budget_bytes = 0;
};

// The limits of the WebAssembly builds (both: the threads build with its 8 workers is the larger).
MemoryLimits browser_limits();

// Estimated peak bytes of reducing a layer of samples × features with the settings (the input,
// the kept rows, the projection matrix and the projected layer).
std::uint64_t reduction_bytes(std::uint64_t samples, std::uint64_t features, const Settings& settings);

// Throws InputError when the layer (after the reductions the settings ask for) is beyond the
// limits: "layer NAME: N x D = V values ...; the browser build analyses at most L ...; set
// max_samples to at most M ... or project_features to at most P ..., or use the command-line tool".
// With `classes` known (0: not known yet), also the M-term step's n x classes matrix of doubles
// per seed analysed at once.
void check_layer_fits(const std::string& name, std::uint64_t samples, std::uint64_t features, const Settings& settings,
                      const MemoryLimits& limits, std::uint64_t classes = 0);

// Estimated peak bytes of analysing m x d values with `classes` classes (analysed shape).
std::uint64_t analysis_bytes(std::uint64_t samples, std::uint64_t features, std::uint64_t classes, const Settings& settings);

struct FileSize {
    std::string file_name;
    std::uint64_t bytes = 0;
};
// Throws InputError when the files together are beyond limits.file_bytes, naming them.
void check_files_fit(const std::vector<FileSize>& files, const MemoryLimits& limits);

}  // namespace sparsity_probe
