// The .npy format (NumPy NEP 1): magic, version, a Python-literal dict header, then raw data.
// Everything in the header is checked against the bytes actually present before allocating.
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "shape_text.hpp"
#include "sparsity_probe/error.hpp"
#include "sparsity_probe/readers.hpp"

namespace sparsity_probe {
namespace {

// The subset of Python literal syntax NumPy writes in headers: a dict of strings, booleans,
// integers, and tuples/lists (lists appear in structured dtypes, which we only need to recognise).
struct Literal {
    enum Kind { String, Integer, Bool, None, Sequence, Dict } kind = None;
    std::string text;               // String
    std::uint64_t integer = 0;      // Integer (non-negative only; shapes cannot be negative)
    bool negative = false;          // Integer written with a minus sign
    bool overflow = false;          // Integer too large for 64 bits
    bool flag = false;              // Bool
    std::vector<Literal> items;     // Sequence items, or Dict keys/values interleaved
};

// The header as a one-line excerpt for messages (it ends in a newline and may hold binary junk).
std::string excerpt(const std::string& header) {
    std::string shown = header.substr(0, 120);
    for (char& c : shown) {
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
    }
    while (!shown.empty() && (shown.back() == '?' || shown.back() == ' ')) shown.pop_back();
    return shown + (header.size() > 120 ? "..." : "");
}

class HeaderParser {
public:
    HeaderParser(const std::string& text, const std::string& source) : s_(text), source_(source) {}

    Literal parse() {
        Literal value = parse_value(0);
        skip_space();
        if (pos_ != s_.size()) fail("unexpected text after the header dictionary");
        return value;
    }

private:
    // Headers are at most a few KB; the limit only stops malicious nesting from exhausting the stack.
    static constexpr int kMaxDepth = 32;

    [[noreturn]] void fail(const std::string& what) const {
        throw InputError(source_ + ": malformed .npy header (" + what + " at character " + std::to_string(pos_) +
                         "): " + excerpt(s_));
    }

    void skip_space() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
            ++pos_;
        }
    }

    bool at(char c) {
        skip_space();
        return pos_ < s_.size() && s_[pos_] == c;
    }

    Literal parse_value(int depth) {
        if (depth > kMaxDepth) fail("nesting too deep");
        skip_space();
        if (pos_ >= s_.size()) fail("unexpected end");
        const char c = s_[pos_];
        if (c == '\'' || c == '"') return parse_string();
        if (c == '(' || c == '[') return parse_sequence(c == '(' ? ')' : ']', depth);
        if (c == '{') return parse_dict(depth);
        if (c == '-' || (c >= '0' && c <= '9')) return parse_integer();
        return parse_word();
    }

    Literal parse_string() {
        const char quote = s_[pos_++];
        Literal v;
        v.kind = Literal::String;
        while (pos_ < s_.size() && s_[pos_] != quote) {
            if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
            v.text += s_[pos_++];
        }
        if (pos_ >= s_.size()) fail("unterminated string");
        ++pos_;
        return v;
    }

    Literal parse_integer() {
        Literal v;
        v.kind = Literal::Integer;
        if (s_[pos_] == '-') {
            v.negative = true;
            ++pos_;
        }
        const std::size_t start = pos_;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
            const std::uint64_t digit = static_cast<std::uint64_t>(s_[pos_] - '0');
            if (v.integer > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) v.overflow = true;
            if (!v.overflow) v.integer = v.integer * 10 + digit;
            ++pos_;
        }
        if (pos_ == start) fail("expected digits");
        // Python 2 wrote long integers with an L suffix, e.g. (3L, 4L).
        if (pos_ < s_.size() && (s_[pos_] == 'L' || s_[pos_] == 'l')) ++pos_;
        if (pos_ < s_.size() && (s_[pos_] == '.' || s_[pos_] == 'e' || s_[pos_] == 'E')) fail("expected an integer");
        return v;
    }

    Literal parse_word() {
        const std::size_t start = pos_;
        while (pos_ < s_.size() && ((s_[pos_] >= 'a' && s_[pos_] <= 'z') || (s_[pos_] >= 'A' && s_[pos_] <= 'Z'))) {
            ++pos_;
        }
        const std::string word = s_.substr(start, pos_ - start);
        Literal v;
        if (word == "True" || word == "False") {
            v.kind = Literal::Bool;
            v.flag = word == "True";
        } else if (word == "None") {
            v.kind = Literal::None;
        } else {
            pos_ = start;
            fail("unexpected token");
        }
        return v;
    }

    Literal parse_sequence(char close, int depth) {
        ++pos_;
        Literal v;
        v.kind = Literal::Sequence;
        while (!at(close)) {
            v.items.push_back(parse_value(depth + 1));
            if (at(',')) {
                ++pos_;
            } else if (!at(close)) {
                fail(std::string("expected ',' or '") + close + "'");
            }
        }
        ++pos_;
        return v;
    }

    Literal parse_dict(int depth) {
        ++pos_;
        Literal v;
        v.kind = Literal::Dict;
        while (!at('}')) {
            Literal key = parse_value(depth + 1);
            if (key.kind != Literal::String) fail("dictionary keys must be strings");
            if (!at(':')) fail("expected ':'");
            ++pos_;
            v.items.push_back(std::move(key));
            v.items.push_back(parse_value(depth + 1));
            if (at(',')) {
                ++pos_;
            } else if (!at('}')) {
                fail("expected ',' or '}'");
            }
        }
        ++pos_;
        return v;
    }

    const std::string& s_;
    const std::string& source_;
    std::size_t pos_ = 0;
};

const Literal* find_key(const Literal& dict, const std::string& key) {
    for (std::size_t k = 0; k + 1 < dict.items.size(); k += 2) {
        if (dict.items[k].text == key) return &dict.items[k + 1];
    }
    return nullptr;
}

DType parse_descr(const std::string& raw_descr, const std::string& source) {
    const std::string descr = excerpt(raw_descr);  // it goes into messages; keep them one printable line
    const std::string hint = "; save a numeric array (float16/32/64, int8-64, uint8-64 or bool)";
    if (descr.size() < 2) throw InputError(source + ": unsupported dtype '" + descr + "'" + hint);
    DType t;
    t.descr = descr;
    std::size_t pos = 0;
    const char order = descr[0];
    if (order == '<' || order == '>' || order == '|' || order == '=') {
        t.big_endian = order == '>';  // '=' is native, and every NumPy platform we serve is little-endian
        pos = 1;
    }
    t.kind = descr[pos++];
    const std::string digits = descr.substr(pos);
    std::size_t size = 0;
    bool numeric_size = !digits.empty() && digits.size() <= 3;
    for (char c : digits) {
        if (c < '0' || c > '9') numeric_size = false;
    }
    if (numeric_size) {
        for (char c : digits) size = size * 10 + static_cast<std::size_t>(c - '0');
    }
    t.itemsize = size;

    switch (t.kind) {
        case 'O':
            throw InputError(source + ": object arrays (dtype '" + descr +
                             "') are not supported: they hold pickled Python objects, not numbers" + hint);
        case 'U':
        case 'S':
        case 'a':
            throw InputError(source + ": text arrays (dtype '" + descr + "') are not supported" + hint);
        case 'V':
            throw InputError(source + ": raw or structured arrays (dtype '" + descr + "') are not supported" + hint);
        case 'c':
            throw InputError(source + ": complex arrays (dtype '" + descr + "') are not supported" + hint);
        case 'M':
        case 'm':
            throw InputError(source + ": date/time arrays (dtype '" + descr + "') are not supported" + hint);
        default:
            break;
    }
    const bool ok = numeric_size && ((t.kind == 'f' && (size == 2 || size == 4 || size == 8)) ||
                                     ((t.kind == 'i' || t.kind == 'u') && (size == 1 || size == 2 || size == 4 || size == 8)) ||
                                     (t.kind == 'b' && size == 1));
    if (!ok) {
        const std::string what = t.kind == 'f' && size > 8 ? "extended-precision float " : "";
        throw InputError(source + ": unsupported " + what + "dtype '" + descr + "'" + hint);
    }
    return t;
}

// "dir/conv1.npy" -> "conv1"; "model.npz:conv1" -> "conv1". Callers that know better overwrite it.
std::string name_from_source(const std::string& source) {
    std::size_t start = source.find_last_of("/\\:");
    start = start == std::string::npos ? 0 : start + 1;
    std::string name = source.substr(start);
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0) name.resize(name.size() - 4);
    return name;
}

std::uint64_t read_le(const unsigned char* p, int bytes) {
    std::uint64_t v = 0;
    for (int b = 0; b < bytes; ++b) v |= static_cast<std::uint64_t>(p[b]) << (8 * b);
    return v;
}

}  // namespace

Array read_npy(const std::vector<unsigned char>& bytes, const std::string& source) {
    static const unsigned char kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
    if (bytes.size() < 6 || std::memcmp(bytes.data(), kMagic, 6) != 0) {
        if (bytes.size() >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4) {
            throw InputError(source + ": not a .npy file: this is a zip archive (an .npz file?)");
        }
        throw InputError(source + ": not a .npy file (it does not start with the magic bytes \\x93NUMPY)");
    }
    if (bytes.size() < 10) throw InputError(source + ": truncated .npy file (" + std::to_string(bytes.size()) + " bytes)");
    const int major = bytes[6], minor = bytes[7];
    std::size_t header_start = 0;
    std::uint64_t header_len = 0;
    if (major == 1) {
        header_start = 10;
        header_len = read_le(&bytes[8], 2);
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12) throw InputError(source + ": truncated .npy file (" + std::to_string(bytes.size()) + " bytes)");
        header_start = 12;
        header_len = read_le(&bytes[8], 4);
    } else {
        throw InputError(source + ": unsupported .npy format version " + std::to_string(major) + "." +
                         std::to_string(minor) + " (supported: 1.0, 2.0, 3.0)");
    }
    if (header_len > bytes.size() - header_start) {
        throw InputError(source + ": truncated .npy header: it declares " + std::to_string(header_len) +
                         " bytes, found " + std::to_string(bytes.size() - header_start));
    }
    const std::string header(reinterpret_cast<const char*>(&bytes[header_start]), static_cast<std::size_t>(header_len));
    const Literal dict = HeaderParser(header, source).parse();
    if (dict.kind != Literal::Dict) throw InputError(source + ": malformed .npy header (not a dictionary): " + excerpt(header));

    const Literal* descr = find_key(dict, "descr");
    const Literal* fortran = find_key(dict, "fortran_order");
    const Literal* shape = find_key(dict, "shape");
    if (!descr || !fortran || !shape) {
        const char* missing = !descr ? "descr" : !fortran ? "fortran_order" : "shape";
        throw InputError(source + ": malformed .npy header (no '" + std::string(missing) + "' key): " + excerpt(header));
    }
    if (descr->kind == Literal::Sequence) {
        throw InputError(source + ": structured arrays (record dtypes with named fields) are not supported; "
                                  "save each field as its own numeric array");
    }
    if (descr->kind != Literal::String) throw InputError(source + ": malformed .npy header ('descr' is not a string)");
    if (fortran->kind != Literal::Bool) throw InputError(source + ": malformed .npy header ('fortran_order' is not True or False)");
    if (shape->kind != Literal::Sequence) throw InputError(source + ": malformed .npy header ('shape' is not a tuple)");

    Array a;
    a.source = source;
    a.name = name_from_source(source);
    a.dtype = parse_descr(descr->text, source);
    a.fortran_order = fortran->flag;
    // Product of the dimensions in 64 bits (even on wasm32), with overflow detected, compared with
    // the bytes present before any allocation: a hostile header must not make us reserve memory.
    std::vector<std::uint64_t> dims;
    bool overflow = false;
    for (const Literal& dim : shape->items) {
        if (dim.kind != Literal::Integer || dim.negative) {
            throw InputError(source + ": malformed .npy header (shape entries must be non-negative integers)");
        }
        if (dim.overflow) throw InputError(source + ": .npy header declares a dimension beyond 64 bits: " + excerpt(header));
        dims.push_back(dim.integer);
    }
    std::uint64_t count = 1;
    for (std::uint64_t dim : dims) {
        if (count != 0 && dim > std::numeric_limits<std::uint64_t>::max() / count) overflow = true;
        count *= dim;
    }
    for (std::uint64_t dim : dims) {
        if (dim == 0) count = 0, overflow = false;  // an empty array is empty whatever its other dims
    }
    const std::uint64_t itemsize = a.dtype.itemsize;
    if (overflow || count > std::numeric_limits<std::uint64_t>::max() / itemsize) {
        throw InputError(source + ": .npy header declares shape " + shape_text(dims) + " of " + a.dtype.descr +
                         ", whose size overflows 64 bits");
    }
    const std::uint64_t declared = count * itemsize;
    const std::size_t data_start = header_start + static_cast<std::size_t>(header_len);
    const std::size_t found = bytes.size() - data_start;
    if (declared > found) {
        throw InputError(source + ": truncated array data: header declares shape " + shape_text(dims) + " of " +
                         a.dtype.descr + " = " + std::to_string(declared) + " bytes, found " + std::to_string(found) +
                         " bytes");
    }
    if (declared < found) {
        throw InputError(source + ": header declares shape " + shape_text(dims) + " of " + a.dtype.descr + " = " +
                         std::to_string(declared) + " bytes, but the file holds " + std::to_string(found) +
                         " bytes of data (several arrays saved into one file?)");
    }
    for (std::uint64_t dim : dims) {
        // Only an empty array can get here with a dimension beyond wasm32's 32-bit size_t.
        if (dim > std::numeric_limits<std::size_t>::max()) {
            throw InputError(source + ": .npy header declares shape " + shape_text(dims) +
                             ", a dimension too large for this build to address");
        }
        a.shape.push_back(static_cast<std::size_t>(dim));
    }
    a.raw.assign(bytes.begin() + static_cast<std::ptrdiff_t>(data_start), bytes.end());
    return a;
}

}  // namespace sparsity_probe
