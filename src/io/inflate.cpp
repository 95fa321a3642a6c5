// A small RFC 1951 (DEFLATE) decoder, so np.savez_compressed files load in the browser build with
// no zlib. Structure follows Mark Adler's "puff" (canonical Huffman decoding by code counts), plus a
// 9-bit lookup table for the common short codes. Every read is bounds-checked, every loop consumes
// input or produces bounded output, and output beyond the expected size is refused.
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/readers.hpp"

namespace sparsity_probe {
namespace {

constexpr int kMaxBits = 15;        // longest code DEFLATE allows
constexpr int kFastBits = 9;        // codes up to this length decode with one table lookup
constexpr int kMaxLitLen = 288;     // literal/length alphabet incl. the two reserved symbols
constexpr int kMaxDist = 30;

struct Huffman {
    std::uint16_t count[kMaxBits + 1] = {};  // number of codes of each length
    std::uint16_t symbol[kMaxLitLen] = {};   // symbols in canonical code order
    // fast[reversed low bits] = length << 9 | symbol, or 0 when the code is longer than kFastBits
    // (or the bits do not start a valid code).
    std::uint16_t fast[1u << kFastBits] = {};

    // Returns 0 for a complete code, > 0 for an incomplete one, < 0 for an over-subscribed one.
    int build(const std::uint8_t* lengths, int n) {
        std::memset(count, 0, sizeof count);
        std::memset(fast, 0, sizeof fast);
        for (int s = 0; s < n; ++s) ++count[lengths[s]];
        if (count[0] == n) return 0;  // no codes: a block that uses this table will fail to decode
        int left = 1;
        for (int len = 1; len <= kMaxBits; ++len) {
            left <<= 1;
            left -= count[len];
            if (left < 0) return left;
        }
        std::uint16_t offset[kMaxBits + 1];
        offset[1] = 0;
        for (int len = 1; len < kMaxBits; ++len) offset[len + 1] = static_cast<std::uint16_t>(offset[len] + count[len]);
        for (int s = 0; s < n; ++s) {
            if (lengths[s] != 0) symbol[offset[lengths[s]]++] = static_cast<std::uint16_t>(s);
        }
        // Assign canonical codes (RFC 1951 3.2.2) and index the short ones by their bit-reversed
        // form, since DEFLATE sends Huffman codes most-significant bit first into an LSB-first stream.
        std::uint32_t code = 0;
        int index = 0;
        for (int len = 1; len <= kMaxBits; ++len) {
            for (int k = 0; k < count[len]; ++k, ++index, ++code) {
                if (len > kFastBits) continue;
                std::uint32_t reversed = 0;
                for (int b = 0; b < len; ++b) reversed |= ((code >> b) & 1u) << (len - 1 - b);
                const std::uint16_t entry = static_cast<std::uint16_t>((len << 9) | symbol[index]);
                for (std::uint32_t fill = reversed; fill < (1u << kFastBits); fill += 1u << len) fast[fill] = entry;
            }
            code <<= 1;
        }
        return left;
    }
};

class Inflater {
public:
    Inflater(const unsigned char* data, std::size_t size, std::size_t expected, const std::string& source)
        : data_(data), size_(size), expected_(expected), source_(source) {
        // Reserve what the caller expects, but never more than DEFLATE could possibly expand this
        // input to (about 1032:1), so a lying size field cannot make us allocate gigabytes.
        const std::size_t max_ratio = 1032;
        std::size_t bound = std::numeric_limits<std::size_t>::max();
        if (size < (bound - 1024) / max_ratio) bound = size * max_ratio + 1024;
        out_.resize(expected < bound ? expected : bound);
    }

    std::vector<unsigned char> run() {
        bool last = false;
        while (!last) {
            last = bits(1) != 0;
            const std::uint32_t type = bits(2);
            if (type == 0) {
                stored();
            } else if (type == 1) {
                fixed();
            } else if (type == 2) {
                dynamic();
            } else {
                fail("invalid block type 3");
            }
        }
        out_.resize(n_);
        return std::move(out_);
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw InputError(source_ + ": corrupt compressed data (" + what + ")");
    }
    [[noreturn]] void truncated() const {
        throw InputError(source_ + ": truncated compressed data (the deflate stream ends before its last block)");
    }

    void refill() {
        while (bit_count_ <= 56 && pos_ < size_) {
            bit_buf_ |= static_cast<std::uint64_t>(data_[pos_++]) << bit_count_;
            bit_count_ += 8;
        }
    }

    void drop(int n) {
        bit_buf_ >>= n;
        bit_count_ -= n;
    }

    std::uint32_t bits(int n) {  // n <= 32
        if (bit_count_ < n) refill();
        if (bit_count_ < n) truncated();
        const std::uint32_t v = static_cast<std::uint32_t>(bit_buf_ & ((std::uint64_t{1} << n) - 1));
        drop(n);
        return v;
    }

    int decode(const Huffman& h) {
        if (bit_count_ < kMaxBits) refill();
        const std::uint16_t entry = h.fast[bit_buf_ & ((1u << kFastBits) - 1)];
        if (entry != 0) {
            const int len = entry >> 9;
            if (len > bit_count_) truncated();
            drop(len);
            return entry & 0x1FF;
        }
        // Long code: walk the canonical code one bit at a time (puff's decode()).
        int code = 0, first = 0, index = 0;
        for (int len = 1; len <= kMaxBits; ++len) {
            if (len > bit_count_) truncated();
            code |= static_cast<int>((bit_buf_ >> (len - 1)) & 1u);
            const int count = h.count[len];
            if (code - count < first) {
                drop(len);
                return h.symbol[index + (code - first)];
            }
            index += count;
            first += count;
            first <<= 1;
            code <<= 1;
        }
        fail("invalid Huffman code");
    }

    // Output goes into a buffer sized up front and filled through n_, so the hot loops do no
    // capacity checks; this grows it only if the up-front bound was somehow too small.
    void make_room(std::size_t n) {
        if (n > expected_ - n_) {
            throw InputError(source_ + ": decompressed data is larger than the declared size of " +
                             std::to_string(expected_) + " bytes (corrupt archive or a decompression bomb)");
        }
        if (n > out_.size() - n_) {
            const std::size_t doubled = out_.size() < expected_ / 2 ? 2 * out_.size() : expected_;
            out_.resize(doubled > n_ + n ? doubled : n_ + n);
        }
    }

    void stored() {
        drop(bit_count_ % 8);  // stored blocks start on a byte boundary
        const std::uint32_t len = bits(16);
        const std::uint32_t nlen = bits(16);
        if ((len ^ 0xFFFFu) != nlen) fail("stored block length check failed");
        make_room(len);
        std::uint32_t remaining = len;
        // Bytes already pulled into the bit buffer come first, then the rest straight from input.
        while (remaining > 0 && bit_count_ >= 8) {
            out_[n_++] = static_cast<unsigned char>(bit_buf_ & 0xFFu);
            drop(8);
            --remaining;
        }
        if (remaining > size_ - pos_) truncated();
        if (remaining > 0) std::memcpy(out_.data() + n_, data_ + pos_, remaining);
        n_ += remaining;
        pos_ += remaining;
    }

    void fixed() {
        std::uint8_t lengths[kMaxLitLen + kMaxDist];
        int s = 0;
        for (; s < 144; ++s) lengths[s] = 8;
        for (; s < 256; ++s) lengths[s] = 9;
        for (; s < 280; ++s) lengths[s] = 7;
        for (; s < kMaxLitLen; ++s) lengths[s] = 8;
        for (s = 0; s < kMaxDist; ++s) lengths[kMaxLitLen + s] = 5;
        Huffman lit, dist;
        lit.build(lengths, kMaxLitLen);
        dist.build(lengths + kMaxLitLen, kMaxDist);
        codes(lit, dist);
    }

    void dynamic() {
        static const std::uint8_t kOrder[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
        const int nlen = static_cast<int>(bits(5)) + 257;
        const int ndist = static_cast<int>(bits(5)) + 1;
        const int ncode = static_cast<int>(bits(4)) + 4;
        if (nlen > 286 || ndist > kMaxDist) fail("too many length or distance codes");

        std::uint8_t lengths[kMaxLitLen + kMaxDist] = {};
        for (int k = 0; k < ncode; ++k) lengths[kOrder[k]] = static_cast<std::uint8_t>(bits(3));
        Huffman lencode;
        if (lencode.build(lengths, 19) != 0) fail("incomplete code-length code");

        int index = 0;
        while (index < nlen + ndist) {
            int symbol = decode(lencode);
            if (symbol < 16) {
                lengths[index++] = static_cast<std::uint8_t>(symbol);
                continue;
            }
            std::uint8_t repeated = 0;
            int times = 0;
            if (symbol == 16) {
                if (index == 0) fail("repeat with no previous length");
                repeated = lengths[index - 1];
                times = 3 + static_cast<int>(bits(2));
            } else if (symbol == 17) {
                times = 3 + static_cast<int>(bits(3));
            } else {
                times = 11 + static_cast<int>(bits(7));
            }
            if (index + times > nlen + ndist) fail("too many code lengths");
            while (times-- > 0) lengths[index++] = repeated;
        }
        if (lengths[256] == 0) fail("no end-of-block code");

        Huffman lit, dist;
        const int lit_left = lit.build(lengths, nlen);
        // An incomplete code is only legal when it has a single code (RFC 1951 3.2.7, as zlib).
        if (lit_left < 0 || (lit_left > 0 && nlen - lit.count[0] != 1)) fail("invalid literal/length code lengths");
        const int dist_left = dist.build(lengths + nlen, ndist);
        if (dist_left < 0 || (dist_left > 0 && ndist - dist.count[0] != 1)) fail("invalid distance code lengths");
        codes(lit, dist);
    }

    void codes(const Huffman& lit, const Huffman& dist) {
        static const std::uint16_t kLenBase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                                   31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
        static const std::uint8_t kLenExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                                   2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
        static const std::uint16_t kDistBase[30] = {1,   2,   3,   4,   5,   7,    9,    13,   17,   25,
                                                    33,  49,  65,  97,  129, 193,  257,  385,  513,  769,
                                                    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
        static const std::uint8_t kDistExtra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                                    6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
        for (;;) {
            const int symbol = decode(lit);
            if (symbol < 256) {
                make_room(1);
                out_[n_++] = static_cast<unsigned char>(symbol);
            } else if (symbol == 256) {
                return;
            } else {
                const int ls = symbol - 257;
                if (ls >= 29) fail("invalid length symbol");
                const std::size_t length = kLenBase[ls] + bits(kLenExtra[ls]);
                const int ds = decode(dist);
                if (ds >= 30) fail("invalid distance symbol");
                const std::size_t distance = kDistBase[ds] + bits(kDistExtra[ds]);
                if (distance > n_) fail("distance points before the start of the data");
                make_room(length);
                unsigned char* to = out_.data() + n_;
                const unsigned char* from = to - distance;
                if (distance >= length) {
                    std::memcpy(to, from, length);
                } else {
                    // Overlapping copy (a run): must go byte by byte so the copy reads what it wrote.
                    for (std::size_t k = 0; k < length; ++k) to[k] = from[k];
                }
                n_ += length;
            }
        }
    }

    const unsigned char* data_;
    std::size_t size_;
    std::size_t expected_;
    const std::string& source_;
    std::size_t pos_ = 0;
    std::uint64_t bit_buf_ = 0;
    int bit_count_ = 0;
    std::vector<unsigned char> out_;
    std::size_t n_ = 0;  // bytes of out_ produced so far
};

}  // namespace

std::vector<unsigned char> inflate(const unsigned char* data, std::size_t size, std::size_t expected_size,
                                   const std::string& source) {
    return Inflater(data, size, expected_size, source).run();
}

}  // namespace sparsity_probe
