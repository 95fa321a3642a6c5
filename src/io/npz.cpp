// .npz = a ZIP archive of .npy entries. We read the central directory (the authoritative list of
// entries: NumPy streams entries, so local headers may carry placeholder sizes), follow each entry
// to its local header only to find where the data starts, then unpack and verify size and CRC-32.
// ZIP64 matters: NumPy writes every entry with force_zip64, and large arrays need 64-bit sizes.
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/readers.hpp"

namespace sparsity_probe {
namespace {

constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::uint32_t kCentralHeader = 0x02014b50;
constexpr std::uint32_t kEndOfCentralDir = 0x06054b50;
constexpr std::uint32_t kZip64EndOfCentralDir = 0x06064b50;
constexpr std::uint32_t kZip64Locator = 0x07064b50;
constexpr std::uint16_t kZip64ExtraId = 0x0001;

// CRC-32 (ISO 3309 / ZIP), reflected polynomial 0xEDB88320. Slicing-by-8 (eight tables, eight
// bytes per step) because every byte of every array passes through here; tables built on first use.
std::uint32_t crc32(const unsigned char* data, std::size_t size) {
    static const std::vector<std::uint32_t> table = [] {
        std::vector<std::uint32_t> t(8 * 256);
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        for (std::uint32_t n = 0; n < 256; ++n) {
            for (std::uint32_t s = 1; s < 8; ++s) t[s * 256 + n] = (t[(s - 1) * 256 + n] >> 8) ^ t[t[(s - 1) * 256 + n] & 0xFFu];
        }
        return t;
    }();
    const std::uint32_t* t = table.data();
    std::uint32_t c = 0xFFFFFFFFu;
    std::size_t k = 0;
    for (; k + 8 <= size; k += 8) {
        const std::uint32_t lo = c ^ (static_cast<std::uint32_t>(data[k]) | static_cast<std::uint32_t>(data[k + 1]) << 8 |
                                      static_cast<std::uint32_t>(data[k + 2]) << 16 |
                                      static_cast<std::uint32_t>(data[k + 3]) << 24);
        c = t[7 * 256 + (lo & 0xFFu)] ^ t[6 * 256 + ((lo >> 8) & 0xFFu)] ^ t[5 * 256 + ((lo >> 16) & 0xFFu)] ^
            t[4 * 256 + (lo >> 24)] ^ t[3 * 256 + data[k + 4]] ^ t[2 * 256 + data[k + 5]] ^ t[1 * 256 + data[k + 6]] ^
            t[data[k + 7]];
    }
    for (; k < size; ++k) c = t[(c ^ data[k]) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

// Little-endian field access with the bounds check folded in, so no caller can forget it.
class Reader {
public:
    Reader(const std::vector<unsigned char>& bytes, const std::string& source) : b_(bytes), source_(source) {}

    bool fits(std::uint64_t offset, std::uint64_t length) const {
        return offset <= b_.size() && length <= b_.size() - offset;
    }
    std::uint64_t le(std::uint64_t offset, int width, const char* what) const {
        if (!fits(offset, static_cast<std::uint64_t>(width))) beyond(offset, what);
        std::uint64_t v = 0;
        for (int k = 0; k < width; ++k) v |= static_cast<std::uint64_t>(b_[static_cast<std::size_t>(offset) + static_cast<std::size_t>(k)]) << (8 * k);
        return v;
    }
    std::uint16_t u16(std::uint64_t offset, const char* what) const { return static_cast<std::uint16_t>(le(offset, 2, what)); }
    std::uint32_t u32(std::uint64_t offset, const char* what) const { return static_cast<std::uint32_t>(le(offset, 4, what)); }
    std::uint64_t u64(std::uint64_t offset, const char* what) const { return le(offset, 8, what); }
    std::string text(std::uint64_t offset, std::uint64_t length, const char* what) const {
        if (!fits(offset, length)) beyond(offset, what);
        return std::string(reinterpret_cast<const char*>(b_.data()) + offset, static_cast<std::size_t>(length));
    }

private:
    [[noreturn]] void beyond(std::uint64_t offset, const char* what) const {
        throw InputError(source_ + ": truncated zip archive (" + what + " at byte " + std::to_string(offset) +
                         " lies beyond the end of the " + std::to_string(b_.size()) + "-byte file)");
    }

    const std::vector<unsigned char>& b_;
    const std::string& source_;
};

struct Entry {
    std::string name;
    std::uint16_t flags = 0;
    std::uint16_t method = 0;
    std::uint32_t crc = 0;
    std::uint64_t compressed = 0;
    std::uint64_t uncompressed = 0;
    std::uint64_t local_offset = 0;
};

struct Directory {
    std::uint64_t entries = 0;
    std::uint64_t size = 0;
    std::uint64_t offset = 0;
};

std::string method_name(std::uint16_t method) {
    switch (method) {
        case 9: return " (deflate64)";
        case 12: return " (bzip2)";
        case 14: return " (lzma)";
        case 93: return " (zstandard)";
        case 95: return " (xz)";
        default: return "";
    }
}

// The End Of Central Directory record sits in the last 22 + up to 65535 (comment) bytes.
std::size_t find_end_record(const std::vector<unsigned char>& b, const std::string& source) {
    const std::size_t fixed = 22;
    if (b.size() >= fixed) {
        const std::size_t lowest = b.size() - fixed > 0xFFFF ? b.size() - fixed - 0xFFFF : 0;
        for (std::size_t p = b.size() - fixed + 1; p-- > lowest;) {
            const std::uint32_t signature = static_cast<std::uint32_t>(b[p]) | (static_cast<std::uint32_t>(b[p + 1]) << 8) |
                                            (static_cast<std::uint32_t>(b[p + 2]) << 16) |
                                            (static_cast<std::uint32_t>(b[p + 3]) << 24);
            if (signature == kEndOfCentralDir) {
                const std::size_t comment = static_cast<std::size_t>(b[p + 20]) | (static_cast<std::size_t>(b[p + 21]) << 8);
                if (comment <= b.size() - p - fixed) return p;
            }
        }
    }
    if (b.size() >= 4 && b[0] == 0x50 && b[1] == 0x4b && b[2] == 0x03 && b[3] == 0x04) {
        throw InputError(source + ": truncated zip archive (it starts like an .npz file but has no end-of-central-directory "
                                  "record; was the file cut short while saving, copying or downloading?)");
    }
    if (b.size() >= 6 && b[0] == 0x93 && std::memcmp(&b[1], "NUMPY", 5) == 0) {
        throw InputError(source + ": not a zip archive: this is a single .npy array; name it .npy");
    }
    throw InputError(source + ": not a zip archive (no end-of-central-directory record); is this an .npz file?");
}

Directory read_directory_location(const Reader& r, std::size_t eocd, const std::string& source) {
    const std::uint16_t disk = r.u16(eocd + 4, "end record");
    const std::uint16_t cd_disk = r.u16(eocd + 6, "end record");
    Directory d;
    d.entries = r.u16(eocd + 10, "end record");
    d.size = r.u32(eocd + 12, "end record");
    d.offset = r.u32(eocd + 16, "end record");
    // A ZIP64 locator immediately precedes the end record when the archive needed 64-bit fields.
    if (eocd >= 20 && r.u32(eocd - 20, "zip64 locator") == kZip64Locator) {
        const std::uint64_t z = r.u64(eocd - 20 + 8, "zip64 locator");
        if (r.u32(z, "zip64 end record") != kZip64EndOfCentralDir) {
            throw InputError(source + ": corrupt zip archive (the zip64 end record is not where the locator points)");
        }
        if (r.u32(z + 16, "zip64 end record") != 0 || r.u32(z + 20, "zip64 end record") != 0) {
            throw InputError(source + ": multi-part (split) zip archives are not supported");
        }
        d.entries = r.u64(z + 32, "zip64 end record");
        d.size = r.u64(z + 40, "zip64 end record");
        d.offset = r.u64(z + 48, "zip64 end record");
    } else if (disk != 0 || cd_disk != 0) {
        throw InputError(source + ": multi-part (split) zip archives are not supported");
    }
    if (!r.fits(d.offset, d.size)) {
        throw InputError(source + ": truncated zip archive (the central directory at byte " + std::to_string(d.offset) +
                         " lies beyond the end of the file)");
    }
    return d;
}

// Fields saturated at 0xFFFFFFFF take their value from the ZIP64 extra field, in a fixed order.
void apply_zip64_extra(const Reader& r, std::uint64_t extra, std::uint64_t extra_len, Entry& e, const std::string& where) {
    const bool need_uncompressed = e.uncompressed == 0xFFFFFFFFu;
    const bool need_compressed = e.compressed == 0xFFFFFFFFu;
    const bool need_offset = e.local_offset == 0xFFFFFFFFu;
    if (!need_uncompressed && !need_compressed && !need_offset) return;
    std::uint64_t p = extra;
    const std::uint64_t end = extra + extra_len;
    while (p + 4 <= end) {
        const std::uint16_t id = r.u16(p, "extra field");
        const std::uint16_t len = r.u16(p + 2, "extra field");
        if (p + 4 + len > end) break;
        if (id == kZip64ExtraId) {
            std::uint64_t q = p + 4;
            const std::uint64_t qend = q + len;
            auto take = [&](std::uint64_t& field) {
                if (q + 8 > qend) throw InputError(where + ": corrupt zip64 extra field (too short)");
                field = r.u64(q, "zip64 extra field");
                q += 8;
            };
            if (need_uncompressed) take(e.uncompressed);
            if (need_compressed) take(e.compressed);
            if (need_offset) take(e.local_offset);
            return;
        }
        p += 4 + len;
    }
    throw InputError(where + ": corrupt zip archive (sizes need a zip64 extra field, but there is none)");
}

std::vector<Entry> read_central_directory(const Reader& r, const Directory& d, const std::string& source) {
    // Each record takes at least 46 bytes, which bounds the count a corrupt header can claim.
    if (d.entries > d.size / 46) {
        throw InputError(source + ": corrupt zip archive (" + std::to_string(d.entries) + " entries cannot fit in a " +
                         std::to_string(d.size) + "-byte central directory)");
    }
    std::vector<Entry> entries;
    entries.reserve(static_cast<std::size_t>(d.entries));
    std::uint64_t p = d.offset;
    const std::uint64_t end = d.offset + d.size;
    for (std::uint64_t k = 0; k < d.entries; ++k) {
        if (p + 46 > end || r.u32(p, "central directory") != kCentralHeader) {
            throw InputError(source + ": corrupt zip archive (central directory record " + std::to_string(k + 1) +
                             " of " + std::to_string(d.entries) + " is damaged)");
        }
        Entry e;
        e.flags = r.u16(p + 8, "central directory");
        e.method = r.u16(p + 10, "central directory");
        e.crc = r.u32(p + 16, "central directory");
        e.compressed = r.u32(p + 20, "central directory");
        e.uncompressed = r.u32(p + 24, "central directory");
        const std::uint16_t name_len = r.u16(p + 28, "central directory");
        const std::uint16_t extra_len = r.u16(p + 30, "central directory");
        const std::uint16_t comment_len = r.u16(p + 32, "central directory");
        e.local_offset = r.u32(p + 42, "central directory");
        const std::uint64_t record_end = p + 46 + name_len + extra_len + comment_len;
        if (record_end > end) {
            throw InputError(source + ": corrupt zip archive (central directory record " + std::to_string(k + 1) +
                             " runs past the directory's end)");
        }
        e.name = r.text(p + 46, name_len, "entry name");
        apply_zip64_extra(r, p + 46 + name_len, extra_len, e, source + ":" + e.name);
        entries.push_back(std::move(e));
        p = record_end;
    }
    return entries;
}

std::vector<unsigned char> extract(const std::vector<unsigned char>& bytes, const Reader& r, const Entry& e,
                                   const std::string& where) {
    if (e.flags & 0x0001u) throw InputError(where + ": encrypted zip entries are not supported");
    if (e.method != 0 && e.method != 8) {
        throw InputError(where + ": compression method " + std::to_string(e.method) + method_name(e.method) +
                         " is not supported; save with np.savez or np.savez_compressed");
    }
    if (r.u32(e.local_offset, "local header") != kLocalHeader) {
        throw InputError(where + ": corrupt zip archive (no local file header at byte " + std::to_string(e.local_offset) + ")");
    }
    const std::uint16_t name_len = r.u16(e.local_offset + 26, "local header");
    const std::uint16_t extra_len = r.u16(e.local_offset + 28, "local header");
    const std::uint64_t start = e.local_offset + 30 + name_len + extra_len;
    if (!r.fits(start, e.compressed)) {
        const std::uint64_t have = start <= bytes.size() ? bytes.size() - start : 0;
        throw InputError(where + ": truncated zip archive (entry declares " + std::to_string(e.compressed) +
                         " bytes of data, found " + std::to_string(have) + ")");
    }
    // The uncompressed size must fit this platform's address space (wasm32: 4 GB) before we size buffers.
    if (e.uncompressed > std::numeric_limits<std::size_t>::max()) {
        throw InputError(where + ": entry is " + std::to_string(e.uncompressed) +
                         " bytes uncompressed, more than this build can address");
    }
    const unsigned char* data = bytes.data() + static_cast<std::size_t>(start);
    const std::size_t compressed = static_cast<std::size_t>(e.compressed);
    const std::size_t expected = static_cast<std::size_t>(e.uncompressed);
    std::vector<unsigned char> out;
    if (e.method == 0) {
        if (e.compressed != e.uncompressed) {
            throw InputError(where + ": corrupt zip archive (stored entry has compressed size " + std::to_string(e.compressed) +
                             " but uncompressed size " + std::to_string(e.uncompressed) + ")");
        }
        out.assign(data, data + compressed);
    } else {
        out = inflate(data, compressed, expected, where);
        if (out.size() != expected) {
            throw InputError(where + ": corrupt compressed data (decompressed to " + std::to_string(out.size()) +
                             " bytes, the archive declares " + std::to_string(expected) + ")");
        }
    }
    const std::uint32_t crc = crc32(out.data(), out.size());
    if (crc != e.crc) {
        char text[64];
        std::snprintf(text, sizeof text, "computed %08x, archive says %08x", static_cast<unsigned>(crc),
                      static_cast<unsigned>(e.crc));
        throw InputError(where + ": CRC mismatch (" + text + "); the file is corrupt");
    }
    return out;
}

}  // namespace

std::vector<Array> read_npz(const std::vector<unsigned char>& bytes, const std::string& source) {
    const Reader r(bytes, source);
    const std::size_t eocd = find_end_record(bytes, source);
    const Directory dir = read_directory_location(r, eocd, source);
    const std::vector<Entry> entries = read_central_directory(r, dir, source);

    std::vector<Array> arrays;
    std::set<std::string> seen;
    for (const Entry& e : entries) {
        if (!e.name.empty() && e.name.back() == '/') continue;  // directory entries carry no data
        std::string name = e.name;
        if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0) name.resize(name.size() - 4);
        const std::string where = source + ":" + name;
        if (!seen.insert(name).second) throw InputError(where + ": the archive holds two entries with this name");
        const std::vector<unsigned char> content = extract(bytes, r, e, where);
        Array a = read_npy(content, where);
        a.name = name;
        arrays.push_back(std::move(a));
    }
    if (arrays.empty()) throw InputError(source + ": the archive holds no arrays");
    return arrays;
}

}  // namespace sparsity_probe
