#pragma once
// A small, fully specified random number generator. std::mt19937 is portable but the standard
// distributions are not (libstdc++ natively and libc++ under Emscripten draw differently), and the
// probe promises the same numbers native and in WebAssembly. So the generator (SplitMix64 seeding
// xoshiro256**) and every distribution used by the project live here.
#include <cmath>
#include <cstdint>

#include "sparsity_probe/portable_math.hpp"

namespace sparsity_probe {

inline std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Derive an independent stream seed from a parent seed and a path of indices (seed, tree, ...),
// so that work split over threads draws the same numbers as work done in order.
inline std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0) {
    std::uint64_t s = seed ^ 0x5851F42D4C957F2DULL;
    std::uint64_t h = splitmix64(s);
    s = h ^ (a + 0x9E3779B97F4A7C15ULL);
    h = splitmix64(s);
    s = h ^ (b + 0xD1B54A32D192ED03ULL);
    return splitmix64(s);
}

class Random {
public:
    explicit Random(std::uint64_t seed) {
        std::uint64_t s = seed;
        for (auto& word : state_) word = splitmix64(s);
    }

    std::uint64_t next() {
        const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

    // Uniform integer in [0, bound), bound > 0, without modulo bias (Lemire's method).
    std::uint64_t below(std::uint64_t bound) {
        for (;;) {
            const std::uint64_t x = next();
            const unsigned __int128 m = static_cast<unsigned __int128>(x) * bound;
            const std::uint64_t low = static_cast<std::uint64_t>(m);
            if (low >= bound || low >= (0 - bound) % bound) return static_cast<std::uint64_t>(m >> 64);
        }
    }

    // Standard normal by the Marsaglia polar method (needs only log and sqrt, no trigonometry).
    double normal() {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        for (;;) {
            const double u = 2.0 * uniform() - 1.0;
            const double v = 2.0 * uniform() - 1.0;
            const double s = u * u + v * v;
            if (s > 0.0 && s < 1.0) {
                const double f = std::sqrt(-2.0 * portable_log(s) / s);
                spare_ = v * f;
                has_spare_ = true;
                return u * f;
            }
        }
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t state_[4];
    double spare_ = 0.0;
    bool has_spare_ = false;
};

}  // namespace sparsity_probe
