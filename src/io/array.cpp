// Converting a stored NumPy array (any supported dtype, byte order and memory order) into the
// row-major float32 values or int64 labels the probe works with.
#include "sparsity_probe/array.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

#include "sparsity_probe/error.hpp"

namespace sparsity_probe {
namespace {

// One decoded element. Integers stay exact (a float64 cannot hold every int64) until the caller
// decides what it needs.
struct Value {
    enum Kind { Float, Signed, Unsigned } kind = Float;
    double f = 0.0;
    std::int64_t i = 0;
    std::uint64_t u = 0;
};

// Assemble the element's bits independently of the host's byte order, so wasm32 and x86-64 agree.
// Size and order are template parameters so each dtype gets its own tight loop (a plain load, or a
// byte swap) instead of a per-element switch.
template <std::size_t Size, bool BigEndian>
std::uint64_t load_bits(const unsigned char* p) {
    std::uint64_t bits = 0;
    for (std::size_t b = 0; b < Size; ++b) {
        const std::size_t byte_index = BigEndian ? Size - 1 - b : b;
        bits |= static_cast<std::uint64_t>(p[byte_index]) << (8 * b);
    }
    return bits;
}

// IEEE 754 binary16 -> binary32. Every half value is exactly representable as a float.
float half_to_float(std::uint16_t h) {
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    const std::uint32_t exponent = (h >> 10) & 0x1Fu;
    const std::uint32_t mantissa = h & 0x3FFu;
    std::uint32_t bits = 0;
    if (exponent == 0x1F) {
        bits = sign | 0x7F800000u | (mantissa << 13);  // Inf, or NaN keeping its payload
    } else if (exponent != 0) {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    } else if (mantissa != 0) {
        // Subnormal half: mantissa * 2^-24, exact in float; ldexp avoids hand-normalising.
        const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
        return sign ? -magnitude : magnitude;
    } else {
        bits = sign;  // +0 or -0
    }
    float result;
    std::memcpy(&result, &bits, sizeof result);
    return result;
}

template <char Kind, std::size_t Size, bool BigEndian>
struct Decoder {
    static Value decode(const unsigned char* p) {
        const std::uint64_t bits = load_bits<Size, BigEndian>(p);
        Value v;
        if (Kind == 'f') {
            v.kind = Value::Float;
            if (Size == 2) {
                v.f = half_to_float(static_cast<std::uint16_t>(bits));
            } else if (Size == 4) {
                const std::uint32_t b32 = static_cast<std::uint32_t>(bits);
                float f;
                std::memcpy(&f, &b32, sizeof f);
                v.f = f;
            } else {
                double d;
                std::memcpy(&d, &bits, sizeof d);
                v.f = d;
            }
        } else if (Kind == 'i') {
            v.kind = Value::Signed;
            std::uint64_t extended = bits;
            constexpr unsigned width = static_cast<unsigned>(8 * Size);
            if (width < 64 && ((bits >> (width - 1)) & 1u)) extended |= ~std::uint64_t{0} << (width % 64);
            std::memcpy(&v.i, &extended, sizeof v.i);  // two's complement reinterpretation, no UB
        } else if (Kind == 'u') {
            v.kind = Value::Unsigned;
            v.u = bits;
        } else {  // 'b': NumPy stores bool as one byte, 0 or 1; treat any non-zero byte as true
            v.kind = Value::Unsigned;
            v.u = bits != 0 ? 1 : 0;
        }
        return v;
    }
};

// Calls visit(Decoder<...>{}) with the decoder for this dtype (read_npy only admits these).
template <typename F>
void with_decoder(const Array& a, F&& visit) {
    const DType& t = a.dtype;
    const bool be = t.big_endian;
    switch (t.kind) {
        case 'f':
            if (t.itemsize == 2) return be ? visit(Decoder<'f', 2, true>{}) : visit(Decoder<'f', 2, false>{});
            if (t.itemsize == 4) return be ? visit(Decoder<'f', 4, true>{}) : visit(Decoder<'f', 4, false>{});
            if (t.itemsize == 8) return be ? visit(Decoder<'f', 8, true>{}) : visit(Decoder<'f', 8, false>{});
            break;
        case 'i':
            if (t.itemsize == 1) return visit(Decoder<'i', 1, false>{});
            if (t.itemsize == 2) return be ? visit(Decoder<'i', 2, true>{}) : visit(Decoder<'i', 2, false>{});
            if (t.itemsize == 4) return be ? visit(Decoder<'i', 4, true>{}) : visit(Decoder<'i', 4, false>{});
            if (t.itemsize == 8) return be ? visit(Decoder<'i', 8, true>{}) : visit(Decoder<'i', 8, false>{});
            break;
        case 'u':
            if (t.itemsize == 1) return visit(Decoder<'u', 1, false>{});
            if (t.itemsize == 2) return be ? visit(Decoder<'u', 2, true>{}) : visit(Decoder<'u', 2, false>{});
            if (t.itemsize == 4) return be ? visit(Decoder<'u', 4, true>{}) : visit(Decoder<'u', 4, false>{});
            if (t.itemsize == 8) return be ? visit(Decoder<'u', 8, true>{}) : visit(Decoder<'u', 8, false>{});
            break;
        case 'b':
            if (t.itemsize == 1) return visit(Decoder<'b', 1, false>{});
            break;
        default:
            break;
    }
    throw InputError(a.source + ": unsupported dtype '" + t.descr + "'");
}

void check_layout(const Array& a) {
    const std::size_t n = a.element_count();
    if (a.dtype.itemsize == 0 || a.dtype.itemsize > 8) {
        throw InputError(a.source + ": unsupported item size " + std::to_string(a.dtype.itemsize) +
                         " for dtype '" + a.dtype.descr + "'");
    }
    if (n > std::numeric_limits<std::size_t>::max() / a.dtype.itemsize || a.raw.size() != n * a.dtype.itemsize) {
        throw InputError(a.source + ": array '" + a.name + "' holds " + std::to_string(a.raw.size()) +
                         " bytes, which does not match its shape and dtype '" + a.dtype.descr + "'");
    }
}

// Visit the elements in row-major (C) order, whatever the storage order, passing the row-major
// index and a pointer to the stored element. Fortran order is walked with an odometer that keeps
// the storage offset up to date, so no per-element division is needed.
template <typename F>
void for_each_row_major(const Array& a, F&& visit) {
    const std::size_t n = a.element_count();
    if (n == 0) return;
    const std::size_t item = a.dtype.itemsize;
    const unsigned char* base = a.raw.data();
    const std::size_t ndim = a.shape.size();
    if (!a.fortran_order || ndim < 2) {
        for (std::size_t k = 0; k < n; ++k) visit(k, base + k * item);
        return;
    }
    std::vector<std::size_t> stride(ndim), index(ndim, 0);
    std::size_t s = 1;
    for (std::size_t d = 0; d < ndim; ++d) {
        stride[d] = s;
        s *= a.shape[d];
    }
    std::size_t offset = 0;
    for (std::size_t k = 0; k < n; ++k) {
        visit(k, base + offset * item);
        for (std::size_t d = ndim; d-- > 0;) {
            if (++index[d] < a.shape[d]) {
                offset += stride[d];
                break;
            }
            index[d] = 0;
            offset -= (a.shape[d] - 1) * stride[d];
        }
    }
}

std::string describe(double x) {
    if (std::isnan(x)) return "NaN";
    if (std::isinf(x)) return x > 0 ? "+Inf" : "-Inf";
    char text[32];
    std::snprintf(text, sizeof text, "%.15g", x);
    return text;
}

// Row = index along axis 0; column = flattened index over the remaining axes (how a layer sees it).
std::string position(const Array& a, std::size_t k) {
    const std::size_t n = a.element_count();
    const std::size_t rows = a.shape.empty() ? 1 : a.shape[0];
    const std::size_t per_row = rows == 0 ? 1 : n / rows;
    return "row " + std::to_string(k / per_row) + ", column " + std::to_string(k % per_row);
}

bool host_is_little_endian() {
    const std::uint32_t one = 1;
    unsigned char first;
    std::memcpy(&first, &one, 1);
    return first == 1;
}

float as_float(const Array& a, const Value& v, std::size_t k) {
    if (v.kind == Value::Signed) return static_cast<float>(v.i);
    if (v.kind == Value::Unsigned) return static_cast<float>(v.u);
    if (!std::isfinite(v.f)) {
        throw InputError(a.source + ": array '" + a.name + "' has a non-finite value (" + describe(v.f) + ") at " +
                         position(a, k) + "; remove or replace NaN/Inf values");
    }
    // Converting an out-of-range double to float is undefined behaviour, so check first.
    if (std::fabs(v.f) > static_cast<double>(std::numeric_limits<float>::max())) {
        throw InputError(a.source + ": array '" + a.name + "' has value " + describe(v.f) + " at " + position(a, k) +
                         ", outside the float32 range (about 3.4e38)");
    }
    return static_cast<float>(v.f);
}

std::int64_t as_label(const Array& a, const Value& v, std::size_t k) {
    if (v.kind == Value::Signed) return v.i;
    if (v.kind == Value::Unsigned) {
        if (v.u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            throw InputError(a.source + ": label array '" + a.name + "' has value " + std::to_string(v.u) +
                             " at element " + std::to_string(k) + ", too large for a class id");
        }
        return static_cast<std::int64_t>(v.u);
    }
    // 2^63 is exactly representable; anything at or beyond it would overflow the cast.
    const double limit = 9223372036854775808.0;
    if (!std::isfinite(v.f) || v.f != std::floor(v.f) || v.f >= limit || v.f < -limit) {
        throw InputError(a.source + ": label array '" + a.name + "' has value " + describe(v.f) + " at element " +
                         std::to_string(k) + "; labels must be whole numbers (class ids)");
    }
    return static_cast<std::int64_t>(v.f);
}

}  // namespace

std::size_t Array::element_count() const {
    std::size_t n = 1;
    for (std::size_t dim : shape) {
        if (dim == 0) return 0;
    }
    for (std::size_t dim : shape) {
        if (n > std::numeric_limits<std::size_t>::max() / dim) {
            throw InputError(source + ": array '" + name + "' has too many elements to address");
        }
        n *= dim;
    }
    return n;
}

std::vector<float> Array::to_floats() const {
    check_layout(*this);
    std::vector<float> out(element_count());
    // Activations are nearly always little-endian float32 in row-major order, which is already
    // the layout wanted: one copy and a scan for NaN/Inf instead of decoding every element
    // (W2: 5.1 M values, 370 M instructions -> about 10 M).
    if (dtype.kind == 'f' && dtype.itemsize == 4 && !dtype.big_endian && host_is_little_endian() &&
        (!fortran_order || shape.size() < 2)) {
        if (!out.empty()) std::memcpy(out.data(), raw.data(), out.size() * sizeof(float));
        // NaN and Inf are the floats whose exponent bits are all set; tested on the bits, the
        // scan vectorises.
        std::uint32_t non_finite = 0;
        for (const float x : out) {
            std::uint32_t bits;
            std::memcpy(&bits, &x, sizeof bits);
            non_finite |= static_cast<std::uint32_t>((bits & 0x7F800000u) == 0x7F800000u);
        }
        // Otherwise the decoding below names the first of them, as for every other dtype.
        if (!non_finite) return out;
    }
    with_decoder(*this, [&](auto decoder) {
        using D = decltype(decoder);
        for_each_row_major(*this, [&](std::size_t k, const unsigned char* p) { out[k] = as_float(*this, D::decode(p), k); });
    });
    return out;
}

std::vector<std::int64_t> Array::to_labels() const {
    check_layout(*this);
    std::vector<std::int64_t> out(element_count());
    with_decoder(*this, [&](auto decoder) {
        using D = decltype(decoder);
        for_each_row_major(*this, [&](std::size_t k, const unsigned char* p) { out[k] = as_label(*this, D::decode(p), k); });
    });
    return out;
}

}  // namespace sparsity_probe
