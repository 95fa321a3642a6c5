#pragma once
// A WebAssembly engine runs new code on its baseline tier and compiles the hot functions to its
// optimising tier in the background, on the cores the analysis itself uses (docs/design.md,
// "WebAssembly"). Probing a small synthetic layer once, when a module starts, has that happen
// before the user's first layer instead of during it.

namespace sparsity_probe {

// Probes a 2,000 x 128 random ReLU layer over 8-dimensional Gaussian quantiles (10 classes, the
// default settings with one seed): every path of the tree grower (class histograms, bin-ordered
// lists, exact subtrees), the wavelets, the τ-curve and the M-term. Returns the
// α* it found, so that the work cannot be optimised away and a test can check it.
double warm_up();

}  // namespace sparsity_probe
