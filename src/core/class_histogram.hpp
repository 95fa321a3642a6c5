#pragma once
// One step of the histogram walk (tree_growing.cpp): a bin's class weights w move from the right
// side of a candidate split to the left one. The left counts l grow by w, and the walk needs
//   Σ_k w_k (2 l_k + w_k)   (the growth of Σ_k l_k²),   Σ_k w_k T_k   and   Σ_k w_k
// with T the node's class totals. Every count is a tree's drawn weight, below 2^24 (at most
// 2^24 samples), so 2 l_k + w_k fits 32 bits, every product fits 64 and the sums are exact in
// any order: the SIMD paths (SSE2 natively, SIMD128 in WebAssembly) and the scalar one give the
// same integers. Rows hold a multiple of 16 bytes of classes (8 for 16-bit cells), the padding
// columns zero.
//
// Cells of 16 bits serve nodes of weight at most `narrow_weight_limit`: then w, T and 2 l + w
// stay below 2^15, so the signed 16 x 16 -> 32-bit multiply-adds (pmaddwd, i32x4.dot_i16x8) are
// exact, pairs of products stay below 2^31 and every sum below 2^30. Twice the classes per
// vector, and half the bytes to walk and to keep.
#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace sparsity_probe {

constexpr std::uint64_t narrow_weight_limit = (1u << 14) - 1;

// Classes per row: a multiple of one 16-byte vector of cells, or of 8 bytes for 16-bit cells,
// whose last half vector is loaded alone (10 classes: rows of 24 bytes, not 32; a kept buffer
// is read from memory, so its size is what its walk costs).
template <class Cell = std::uint32_t>
inline std::size_t padded_classes(std::size_t classes) {
    constexpr std::size_t multiple = (sizeof(Cell) == 2 ? 8 : 16) / sizeof(Cell);
    return (classes + multiple - 1) / multiple * multiple;
}

struct BinSums {
    std::uint64_t sum_squares_growth = 0, cross = 0, weight = 0;
};

// The step written out, for targets without either vector extension.
template <bool Clear, class Cell>
inline BinSums move_bin_left_scalar(Cell* w, Cell* l, const Cell* total, std::size_t padded) {
    BinSums sums;
    for (std::size_t k = 0; k < padded; ++k) {
        const std::uint64_t wk = w[k];
        sums.sum_squares_growth += wk * (2 * std::uint64_t{l[k]} + wk);
        sums.cross += wk * total[k];
        sums.weight += wk;
        l[k] = static_cast<Cell>(l[k] + w[k]);
        if (Clear) w[k] = 0;
    }
    return sums;
}

// l += w over a row of `padded` classes and returns the sums above; with `Clear`, w is zeroed
// behind (the walk leaves a one-feature scratch histogram empty for the next feature).
template <bool Clear>
inline BinSums move_bin_left(std::uint32_t* w, std::uint32_t* l, const std::uint32_t* total, std::size_t padded) {
    BinSums sums;
#if defined(__SSE2__)
    __m128i squares = _mm_setzero_si128(), cross = _mm_setzero_si128(), weight = _mm_setzero_si128();
    for (std::size_t k = 0; k < padded; k += 4) {
        const __m128i wk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + k));
        const __m128i lk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(l + k));
        const __m128i tk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(total + k));
        const __m128i sk = _mm_add_epi32(_mm_add_epi32(lk, lk), wk);
        const __m128i w_odd = _mm_srli_epi64(wk, 32);
        squares = _mm_add_epi64(squares, _mm_mul_epu32(wk, sk));
        squares = _mm_add_epi64(squares, _mm_mul_epu32(w_odd, _mm_srli_epi64(sk, 32)));
        cross = _mm_add_epi64(cross, _mm_mul_epu32(wk, tk));
        cross = _mm_add_epi64(cross, _mm_mul_epu32(w_odd, _mm_srli_epi64(tk, 32)));
        weight = _mm_add_epi32(weight, wk);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(l + k), _mm_add_epi32(lk, wk));
        if (Clear) _mm_storeu_si128(reinterpret_cast<__m128i*>(w + k), _mm_setzero_si128());
    }
    const auto low_plus_high = [](__m128i v) {
        return static_cast<std::uint64_t>(_mm_cvtsi128_si64(v)) +
               static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(v, v)));
    };
    sums.sum_squares_growth = low_plus_high(squares);
    sums.cross = low_plus_high(cross);
    weight = _mm_add_epi32(weight, _mm_shuffle_epi32(weight, 0x4E));
    weight = _mm_add_epi32(weight, _mm_shuffle_epi32(weight, 0xB1));
    sums.weight = static_cast<std::uint32_t>(_mm_cvtsi128_si32(weight));
#elif defined(__wasm_simd128__)
    v128_t squares = wasm_i64x2_splat(0), cross = wasm_i64x2_splat(0), weight = wasm_i32x4_splat(0);
    for (std::size_t k = 0; k < padded; k += 4) {
        const v128_t wk = wasm_v128_load(w + k);
        const v128_t lk = wasm_v128_load(l + k);
        const v128_t tk = wasm_v128_load(total + k);
        const v128_t sk = wasm_i32x4_add(wasm_i32x4_add(lk, lk), wk);
        squares = wasm_i64x2_add(squares, wasm_u64x2_extmul_low_u32x4(wk, sk));
        squares = wasm_i64x2_add(squares, wasm_u64x2_extmul_high_u32x4(wk, sk));
        cross = wasm_i64x2_add(cross, wasm_u64x2_extmul_low_u32x4(wk, tk));
        cross = wasm_i64x2_add(cross, wasm_u64x2_extmul_high_u32x4(wk, tk));
        weight = wasm_i32x4_add(weight, wk);
        wasm_v128_store(l + k, wasm_i32x4_add(lk, wk));
        if (Clear) wasm_v128_store(w + k, wasm_i32x4_splat(0));
    }
    sums.sum_squares_growth = static_cast<std::uint64_t>(wasm_i64x2_extract_lane(squares, 0)) +
                              static_cast<std::uint64_t>(wasm_i64x2_extract_lane(squares, 1));
    sums.cross = static_cast<std::uint64_t>(wasm_i64x2_extract_lane(cross, 0)) +
                 static_cast<std::uint64_t>(wasm_i64x2_extract_lane(cross, 1));
    sums.weight = static_cast<std::uint32_t>(wasm_i32x4_extract_lane(weight, 0)) +
                  static_cast<std::uint32_t>(wasm_i32x4_extract_lane(weight, 1)) +
                  static_cast<std::uint32_t>(wasm_i32x4_extract_lane(weight, 2)) +
                  static_cast<std::uint32_t>(wasm_i32x4_extract_lane(weight, 3));
#else
    sums = move_bin_left_scalar<Clear>(w, l, total, padded);
#endif
    return sums;
}

// The same step on 16-bit cells (see above for when they are exact).
template <bool Clear>
inline BinSums move_bin_left(std::uint16_t* w, std::uint16_t* l, const std::uint16_t* total, std::size_t padded) {
    BinSums sums;
#if defined(__SSE2__)
    __m128i squares = _mm_setzero_si128(), cross = _mm_setzero_si128(), weight = _mm_setzero_si128();
    const __m128i ones = _mm_set1_epi16(1);
    // Loaded lanes beyond a row's last half vector are zero, so they add nothing.
    const auto step = [&](__m128i wk, __m128i lk, __m128i tk) {
        const __m128i sk = _mm_add_epi16(_mm_add_epi16(lk, lk), wk);
        squares = _mm_add_epi32(squares, _mm_madd_epi16(wk, sk));
        cross = _mm_add_epi32(cross, _mm_madd_epi16(wk, tk));
        weight = _mm_add_epi32(weight, _mm_madd_epi16(wk, ones));
        return _mm_add_epi16(lk, wk);
    };
    std::size_t k = 0;
    for (; k + 8 <= padded; k += 8) {
        const __m128i lk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(l + k));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(l + k),
                         step(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + k)), lk,
                              _mm_loadu_si128(reinterpret_cast<const __m128i*>(total + k))));
        if (Clear) _mm_storeu_si128(reinterpret_cast<__m128i*>(w + k), _mm_setzero_si128());
    }
    if (k < padded) {
        const __m128i lk = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(l + k));
        _mm_storel_epi64(reinterpret_cast<__m128i*>(l + k),
                         step(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(w + k)), lk,
                              _mm_loadl_epi64(reinterpret_cast<const __m128i*>(total + k))));
        if (Clear) _mm_storel_epi64(reinterpret_cast<__m128i*>(w + k), _mm_setzero_si128());
    }
    // The three sums at once: lanes (squares, cross, weight, 0) after two transposing steps.
    const __m128i sc_low = _mm_unpacklo_epi32(squares, cross), sc_high = _mm_unpackhi_epi32(squares, cross);
    const __m128i w0_low = _mm_unpacklo_epi32(weight, _mm_setzero_si128()),
                  w0_high = _mm_unpackhi_epi32(weight, _mm_setzero_si128());
    const __m128i sc = _mm_add_epi32(sc_low, sc_high), w0 = _mm_add_epi32(w0_low, w0_high);
    const __m128i total_lanes = _mm_add_epi32(_mm_unpacklo_epi64(sc, w0), _mm_unpackhi_epi64(sc, w0));
    sums.sum_squares_growth = static_cast<std::uint32_t>(_mm_cvtsi128_si32(total_lanes));
    sums.cross = static_cast<std::uint32_t>(_mm_cvtsi128_si32(_mm_shuffle_epi32(total_lanes, 0x55)));
    sums.weight = static_cast<std::uint32_t>(_mm_cvtsi128_si32(_mm_shuffle_epi32(total_lanes, 0xAA)));
#elif defined(__wasm_simd128__)
    v128_t squares = wasm_i32x4_splat(0), cross = wasm_i32x4_splat(0), weight = wasm_i32x4_splat(0);
    const v128_t ones = wasm_i16x8_splat(1);
    const auto step = [&](v128_t wk, v128_t lk, v128_t tk) {
        const v128_t sk = wasm_i16x8_add(wasm_i16x8_add(lk, lk), wk);
        squares = wasm_i32x4_add(squares, wasm_i32x4_dot_i16x8(wk, sk));
        cross = wasm_i32x4_add(cross, wasm_i32x4_dot_i16x8(wk, tk));
        weight = wasm_i32x4_add(weight, wasm_i32x4_dot_i16x8(wk, ones));
        return wasm_i16x8_add(lk, wk);
    };
    std::size_t k = 0;
    for (; k + 8 <= padded; k += 8) {
        wasm_v128_store(l + k, step(wasm_v128_load(w + k), wasm_v128_load(l + k), wasm_v128_load(total + k)));
        if (Clear) wasm_v128_store(w + k, wasm_i16x8_splat(0));
    }
    if (k < padded) {
        wasm_v128_store64_lane(l + k, step(wasm_v128_load64_zero(w + k), wasm_v128_load64_zero(l + k), wasm_v128_load64_zero(total + k)), 0);
        if (Clear) wasm_v128_store64_lane(w + k, wasm_i16x8_splat(0), 0);
    }
    const v128_t sc = wasm_i32x4_add(wasm_i32x4_shuffle(squares, cross, 0, 4, 1, 5), wasm_i32x4_shuffle(squares, cross, 2, 6, 3, 7));
    const v128_t w0 = wasm_i32x4_add(wasm_i32x4_shuffle(weight, weight, 0, 1, 0, 1), wasm_i32x4_shuffle(weight, weight, 2, 3, 2, 3));
    // sc = (s0+s2, c0+c2, s1+s3, c1+c3), w0 = (w0+w2, w1+w3, ..)
    sums.sum_squares_growth = static_cast<std::uint32_t>(wasm_i32x4_extract_lane(sc, 0) + wasm_i32x4_extract_lane(sc, 2));
    sums.cross = static_cast<std::uint32_t>(wasm_i32x4_extract_lane(sc, 1) + wasm_i32x4_extract_lane(sc, 3));
    sums.weight = static_cast<std::uint32_t>(wasm_i32x4_extract_lane(w0, 0) + wasm_i32x4_extract_lane(w0, 1));
#else
    sums = move_bin_left_scalar<Clear>(w, l, total, padded);
#endif
    return sums;
}

}  // namespace sparsity_probe
