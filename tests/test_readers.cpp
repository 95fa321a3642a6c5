// Readers against files written by real NumPy / zlib / zipfile (tests/fixtures/make_reader_fixtures.py).
// Values are recomputed here from the generator's formulas; every malformed file must throw an
// InputError whose message says where and what.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/readers.hpp"

using namespace sparsity_probe;

namespace {

std::string fixture(const std::string& name) { return std::string(SPARSITY_PROBE_FIXTURES) + "/" + name; }

std::vector<unsigned char> bytes_of(const std::string& name) { return read_file_bytes(fixture(name)); }

Array npy(const std::string& name) { return read_npy(bytes_of(name), name); }

// The message of the InputError thrown by f, or a marker that makes CHECKs on it fail.
template <typename F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "<no InputError thrown>";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

#define CHECK_MESSAGE_HAS(message, part) CHECK_MESSAGE(contains(message, part), "message: " << message)

std::string npy_error(const std::string& name) {
    return error_of([&] { npy(name).to_floats(); });
}
std::string npz_error(const std::string& name) {
    return error_of([&] { read_npz(bytes_of(name), name); });
}
std::string dataset_error(const std::vector<std::pair<std::string, std::string>>& files, const ReadOptions& options = {}) {
    return error_of([&] {
        std::vector<NamedBytes> named;
        for (const auto& f : files) named.push_back({f.first, bytes_of(f.second)});
        read_dataset(named, options);
    });
}

void check_layers_npz(const std::vector<Array>& arrays) {
    REQUIRE(arrays.size() == 4);
    CHECK(arrays[0].name == "conv1");
    CHECK(arrays[1].name == "conv2");
    CHECK(arrays[2].name == "fc");
    CHECK(arrays[3].name == "labels");
    CHECK(arrays[0].shape == std::vector<std::size_t>{30, 4});
    CHECK(arrays[1].shape == std::vector<std::size_t>{30, 2, 3});
    CHECK(arrays[2].shape == std::vector<std::size_t>{30, 5});
    CHECK(arrays[3].shape == std::vector<std::size_t>{30});
    CHECK(arrays[0].dtype.descr == "<f4");
    CHECK(arrays[1].dtype.descr == "<f8");
    CHECK(arrays[2].dtype.descr == "|i1");
    CHECK(arrays[3].dtype.descr == "<i8");
    const std::vector<float> conv1 = arrays[0].to_floats(), conv2 = arrays[1].to_floats(), fc = arrays[2].to_floats();
    for (int i = 0; i < 30; ++i) {
        for (int j = 0; j < 4; ++j) CHECK(conv1[i * 4 + j] == static_cast<float>(i * 0.25 - j));
        for (int j = 0; j < 6; ++j) CHECK(conv2[i * 6 + j] == static_cast<float>(i * 0.5 + j * 0.125 - 3));
        for (int j = 0; j < 5; ++j) CHECK(fc[i * 5 + j] == static_cast<float>((i * 7 + j * 3) % 256 - 128));
    }
    const std::vector<std::int64_t> labels = arrays[3].to_labels();
    for (int i = 0; i < 30; ++i) CHECK(labels[i] == i % 3);
}

std::vector<unsigned char> repeats_raw() {
    std::vector<unsigned char> raw(40000, 'a');
    for (int k = 0; k < 40; ++k) {
        for (int b = 0; b < 256; ++b) raw.push_back(static_cast<unsigned char>(b));
    }
    for (int k = 0; k < 10000; ++k) raw.insert(raw.end(), {'x', 'y', 'z'});
    return raw;
}

// A small deterministic generator for garbage inputs (no dependence on <random> implementations).
std::uint32_t lcg(std::uint32_t& state) {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
}

}  // namespace

TEST_CASE("npz written by np.savez (stored) and np.savez_compressed (deflate)") {
    check_layers_npz(read_npz(bytes_of("layers_savez.npz"), "layers_savez.npz"));
    check_layers_npz(read_npz(bytes_of("layers_compressed.npz"), "layers_compressed.npz"));
}

TEST_CASE("npz with ZIP64 end record and extra fields, and npz streamed with data descriptors") {
    const std::vector<Array> z64 = read_npz(bytes_of("zip64.npz"), "zip64.npz");
    REQUIRE(z64.size() == 2);
    CHECK(z64[0].name == "conv1");
    CHECK(z64[1].name == "labels");
    CHECK(z64[0].to_floats()[4 * 29 + 3] == static_cast<float>(29 * 0.25 - 3));
    CHECK(z64[1].to_labels()[29] == 29 % 3);
    CHECK(z64[0].source == "zip64.npz:conv1");

    const std::vector<Array> streamed = read_npz(bytes_of("streamed.npz"), "streamed.npz");
    REQUIRE(streamed.size() == 2);
    CHECK(streamed[0].shape == std::vector<std::size_t>{30, 4});
    CHECK(streamed[1].to_labels()[7] == 1);
}

TEST_CASE("every supported dtype, both byte orders") {
    const char* floats[] = {"f2", "f4", "f8"};
    const char* ints[] = {"i2", "i4", "i8", "u2", "u4", "u8"};
    auto check = [](const std::string& file, char kind) {
        CAPTURE(file);
        const Array a = npy(file);
        REQUIRE(a.shape == std::vector<std::size_t>{3, 4});
        const std::vector<float> v = a.to_floats();
        for (int i = 0; i < 3; ++i) {
            for (int j = 0; j < 4; ++j) {
                const float expected = kind == 'f'   ? static_cast<float>(i * 0.25 - j)
                                       : kind == 'i' ? static_cast<float>(i * 4 + j - 5)
                                       : kind == 'u' ? static_cast<float>(i * 4 + j)
                                                     : ((i + j) % 2 == 0 ? 1.0f : 0.0f);
                CHECK(v[i * 4 + j] == expected);
            }
        }
    };
    for (const char* t : floats) {
        check(std::string("dtype_") + t + "_le.npy", 'f');
        check(std::string("dtype_") + t + "_be.npy", 'f');
    }
    for (const char* t : ints) {
        check(std::string("dtype_") + t + "_le.npy", t[0]);
        check(std::string("dtype_") + t + "_be.npy", t[0]);
    }
    check("dtype_i1.npy", 'i');
    check("dtype_u1.npy", 'u');
    check("dtype_b1.npy", 'b');
    CHECK(npy("dtype_f8_be.npy").dtype.big_endian);
    CHECK_FALSE(npy("dtype_f8_le.npy").dtype.big_endian);
    CHECK(npy("dtype_b1.npy").dtype.kind == 'b');
    CHECK(npy("dtype_i4_be.npy").to_labels()[0] == -5);
}

TEST_CASE("Fortran order is returned row-major") {
    const Array f = npy("fortran_f4.npy");
    CHECK(f.fortran_order);
    const std::vector<float> v = f.to_floats();
    for (int i = 0; i < 3; ++i) {
        for (int j = 0; j < 4; ++j) CHECK(v[i * 4 + j] == static_cast<float>(i * 0.25 - j));
    }
    const Array g = npy("fortran_be_f8_3d.npy");
    CHECK(g.fortran_order);
    CHECK(g.dtype.big_endian);
    REQUIRE(g.shape == std::vector<std::size_t>{2, 3, 4});
    const std::vector<float> w = g.to_floats();
    for (int a = 0; a < 2; ++a) {
        for (int b = 0; b < 3; ++b) {
            for (int c = 0; c < 4; ++c) CHECK(w[(a * 3 + b) * 4 + c] == static_cast<float>(a * 100 + b * 10 + c));
        }
    }
}

TEST_CASE("integer extremes, half precision, 0-d, empty, format versions") {
    const std::vector<float> i8 = npy("extremes_i8.npy").to_floats();
    CHECK(i8[0] == -9223372036854775808.0f);
    CHECK(i8[1] == 9223372036854775808.0f);  // 2^63 - 1 rounds to 2^63 in float
    CHECK(i8[2] == -1.0f);
    const std::vector<std::int64_t> l8 = npy("extremes_i8.npy").to_labels();
    CHECK(l8[0] == std::numeric_limits<std::int64_t>::min());
    CHECK(l8[1] == std::numeric_limits<std::int64_t>::max());
    const std::vector<float> u8 = npy("extremes_u8.npy").to_floats();
    CHECK(u8[0] == 18446744073709551616.0f);
    CHECK(u8[2] == 1.0f);
    CHECK_MESSAGE_HAS(error_of([] { npy("extremes_u8.npy").to_labels(); }), "18446744073709551615");

    const std::vector<float> half = npy("half_special.npy").to_floats();
    const std::vector<float> expected = npy("half_special_expected_f4.npy").to_floats();
    REQUIRE(half.size() == 10);
    REQUIRE(half == expected);
    CHECK(std::signbit(half[1]));
    CHECK(half[3] == 65504.0f);
    CHECK(half[4] == std::ldexp(1.0f, -24));  // smallest subnormal
    CHECK(half[7] == 0.0999755859375f);

    const Array scalar = npy("scalar_0d.npy");
    CHECK(scalar.shape.empty());
    CHECK(scalar.element_count() == 1);
    CHECK(scalar.to_floats() == std::vector<float>{3.5f});

    const Array empty = npy("empty_0x5.npy");
    CHECK(empty.shape == std::vector<std::size_t>{0, 5});
    CHECK(empty.element_count() == 0);
    CHECK(empty.to_floats().empty());

    CHECK(npy("version2.npy").to_floats() == npy("dtype_f4_le.npy").to_floats());
    CHECK(npy("version3.npy").to_floats() == npy("dtype_f4_le.npy").to_floats());
    const Array py2 = npy("py2_long_shape.npy");
    CHECK(py2.shape == std::vector<std::size_t>{2, 3});
    CHECK(py2.to_floats() == std::vector<float>{0, 1, 2, 3, 4, 5});
}

TEST_CASE("labels: integral floats accepted, fractions rejected") {
    CHECK(npy("labels_float.npy").to_labels() == std::vector<std::int64_t>{0, 1, 2, 1});
    const std::string e = error_of([] { npy("labels_frac.npy").to_labels(); });
    CHECK_MESSAGE_HAS(e, "labels_frac.npy");
    CHECK_MESSAGE_HAS(e, "value 1.5 at element 1");
    CHECK_MESSAGE_HAS(e, "whole numbers");
}

TEST_CASE("NaN and Inf are reported with their row and column") {
    std::string e = npy_error("nan_f4.npy");
    CHECK_MESSAGE_HAS(e, "nan_f4.npy: array 'nan_f4'");
    CHECK_MESSAGE_HAS(e, "(NaN) at row 2, column 3");
    e = npy_error("inf_3d_f8.npy");
    CHECK_MESSAGE_HAS(e, "(+Inf) at row 1, column 9");
    e = npy_error("nonfinite_fortran_f8.npy");
    CHECK_MESSAGE_HAS(e, "(NaN) at row 1, column 3");
    e = npy_error("inf_f2.npy");
    CHECK_MESSAGE_HAS(e, "(+Inf) at row 0, column 2");
    e = npy_error("too_big_for_f4.npy");
    CHECK_MESSAGE_HAS(e, "at row 0, column 1, outside the float32 range");
}

TEST_CASE("malformed .npy files") {
    CHECK_MESSAGE_HAS(npy_error("bad_magic.npy"), "bad_magic.npy: not a .npy file (it does not start with the magic bytes");
    CHECK_MESSAGE_HAS(npy_error("bad_version.npy"), "unsupported .npy format version 9.0");
    CHECK_MESSAGE_HAS(npy_error("lying_shape.npy"),
                      "lying_shape.npy: truncated array data: header declares shape (100, 64) of <f4 = 25600 bytes, "
                      "found 1000 bytes");
    CHECK_MESSAGE_HAS(npy_error("huge_declared.npy"),
                      "header declares shape (1000000, 1000000) of <f8 = 8000000000000 bytes, found 0 bytes");
    CHECK_MESSAGE_HAS(npy_error("overflow_shape.npy"), "overflows 64 bits");
    CHECK_MESSAGE_HAS(npy_error("object.npy"), "object arrays (dtype '|O') are not supported");
    CHECK_MESSAGE_HAS(npy_error("structured.npy"), "structured arrays");
    CHECK_MESSAGE_HAS(npy_error("unicode.npy"), "text arrays (dtype '<U2')");
    CHECK_MESSAGE_HAS(npy_error("bytes.npy"), "text arrays (dtype '|S2')");
    CHECK_MESSAGE_HAS(npy_error("complex.npy"), "complex arrays (dtype '<c8')");
    CHECK_MESSAGE_HAS(npy_error("datetime.npy"), "date/time arrays");
    CHECK_MESSAGE_HAS(npy_error("longdouble.npy"), "unsupported extended-precision float dtype '<f16'");
    CHECK_MESSAGE_HAS(npy_error("missing_key.npy"), "no 'fortran_order' key");
    CHECK_MESSAGE_HAS(npy_error("garbage_header.npy"), "malformed .npy header (unexpected token at character 0)");
    CHECK_MESSAGE_HAS(npy_error("truncated_header.npy"), "truncated .npy header: it declares 1000 bytes, found 20");
    CHECK_MESSAGE_HAS(npy_error("two_arrays.npy"), "several arrays saved into one file?");
    CHECK_MESSAGE_HAS(npy_error("layers_savez.npz"), "this is a zip archive (an .npz file?)");

    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }";
    header += std::string(64 - (10 + header.size() + 1) % 64, ' ') + "\n";
    const std::string file = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size() & 0xFF) +
                             static_cast<char>(header.size() >> 8) + header;
    const std::vector<unsigned char> wide(file.begin(), file.end());
    CHECK_MESSAGE_HAS(error_of([&] { read_npy(wide, "wide.npy"); }), "wide.npy: .npy header declares a dimension beyond 64 bits");
}

TEST_CASE("every truncation of a .npy file is an InputError") {
    const std::vector<unsigned char> good = bytes_of("fortran_be_f8_3d.npy");
    for (std::size_t n = 0; n < good.size(); ++n) {
        CAPTURE(n);
        const std::vector<unsigned char> cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n));
        CHECK_THROWS_AS(read_npy(cut, "cut.npy"), InputError);
    }
}

TEST_CASE("malformed .npz files") {
    std::string e = npz_error("truncated.npz");
    CHECK_MESSAGE_HAS(e, "truncated.npz: truncated zip archive (it starts like an .npz file but has no end-of-central-directory");
    e = npz_error("flipped.npz");
    CHECK_MESSAGE_HAS(e, "flipped.npz:conv1: ");
    CHECK_MESSAGE((contains(e, "corrupt compressed data") || contains(e, "CRC mismatch")), e);
    e = npz_error("bad_crc.npz");
    CHECK_MESSAGE_HAS(e, "bad_crc.npz:conv2: CRC mismatch (computed ");
    CHECK_MESSAGE_HAS(npz_error("not_a_zip.npz"),
                      "not_a_zip.npz: not a zip archive (no end-of-central-directory record); is this an .npz file?");
    CHECK_MESSAGE_HAS(npz_error("npy_named_npz.npz"), "this is a single .npy array");
    CHECK_MESSAGE_HAS(npz_error("bzip2.npz"), "bzip2.npz:conv1: compression method 12 (bzip2) is not supported");
    CHECK_MESSAGE_HAS(npz_error("object_entry.npz"), "object_entry.npz:obj: object arrays");
}

TEST_CASE("every truncation and many corruptions of an .npz are InputErrors, never crashes") {
    for (const char* name : {"layers_compressed.npz", "zip64.npz"}) {
        const std::vector<unsigned char> good = bytes_of(name);
        for (std::size_t n = 0; n < good.size(); ++n) {
            CAPTURE(n);
            const std::vector<unsigned char> cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n));
            CHECK_THROWS_AS(read_npz(cut, name), InputError);
        }
        // Flip each byte: either the archive still reads (e.g. a timestamp changed) or an InputError.
        for (std::size_t k = 0; k < good.size(); ++k) {
            std::vector<unsigned char> bad = good;
            bad[k] ^= 0xA5;
            try {
                read_npz(bad, name);
            } catch (const InputError&) {
            }
        }
    }
}

TEST_CASE("inflate: raw DEFLATE streams from zlib") {
    for (const char* kind : {"stored", "fixed", "dynamic", "huffman_only", "rle", "sync_flush", "empty"}) {
        CAPTURE(kind);
        const std::vector<unsigned char> packed = bytes_of(std::string("inflate_") + kind + ".deflate");
        const std::vector<unsigned char> raw = bytes_of(std::string("inflate_") + kind + ".raw");
        CHECK(inflate(packed.data(), packed.size(), raw.size(), kind) == raw);
    }
    const std::vector<unsigned char> packed = bytes_of("inflate_repeats.deflate");
    const std::vector<unsigned char> raw = repeats_raw();
    CHECK(packed.size() < 2000);
    CHECK(inflate(packed.data(), packed.size(), raw.size(), "repeats") == raw);
    // A generous limit is fine; the output is what the stream holds.
    CHECK(inflate(packed.data(), packed.size(), raw.size() * 10, "repeats").size() == raw.size());
}

TEST_CASE("inflate refuses output beyond the expected size, truncated and corrupt streams") {
    const std::vector<unsigned char> packed = bytes_of("inflate_repeats.deflate");
    CHECK_MESSAGE_HAS(error_of([&] { inflate(packed.data(), packed.size(), 1000, "bomb.npz:x"); }),
                      "bomb.npz:x: decompressed data is larger than the declared size of 1000 bytes");

    const std::vector<unsigned char> dynamic = bytes_of("inflate_dynamic.deflate");
    const std::size_t expected = bytes_of("inflate_dynamic.raw").size();
    for (std::size_t n = 0; n < dynamic.size() / 2; ++n) {
        CAPTURE(n);
        CHECK_MESSAGE_HAS(error_of([&] { inflate(dynamic.data(), n, expected, "cut"); }), "cut: truncated compressed data");
    }
    const unsigned char type3[] = {0x07};  // final block of reserved type 3
    CHECK_MESSAGE_HAS(error_of([&] { inflate(type3, 1, 10, "t3"); }), "t3: corrupt compressed data (invalid block type 3)");
    const unsigned char bad_stored[] = {0x01, 0x05, 0x00, 0x00, 0x00};  // LEN=5, NLEN not its complement
    CHECK_MESSAGE_HAS(error_of([&] { inflate(bad_stored, 5, 10, "st"); }), "stored block length check failed");
    // Fixed block: a length/distance pair before any literal points before the start.
    // Bits: BFINAL=1, BTYPE=01, symbol 257 (0000001), distance code 0 (00000).
    const unsigned char too_far[] = {0x03, 0x02, 0x00};
    CHECK_MESSAGE_HAS(error_of([&] { inflate(too_far, 3, 10, "far"); }), "distance points before the start");

    for (const char* kind : {"dynamic", "fixed", "sync_flush"}) {
        const std::vector<unsigned char> good = bytes_of(std::string("inflate_") + kind + ".deflate");
        for (std::size_t k = 0; k < good.size(); ++k) {
            std::vector<unsigned char> bad = good;
            bad[k] ^= 0x5A;
            std::size_t produced = 0;
            try {
                produced = inflate(bad.data(), bad.size(), 20000, kind).size();
            } catch (const InputError&) {
            }
            CHECK(produced <= 20000);
        }
    }
    std::uint32_t state = 12345;
    for (int trial = 0; trial < 2000; ++trial) {
        std::vector<unsigned char> garbage(1 + lcg(state) % 300);
        for (unsigned char& b : garbage) b = static_cast<unsigned char>(lcg(state));
        std::size_t produced = 0;
        try {
            produced = inflate(garbage.data(), garbage.size(), 5000, "garbage").size();
        } catch (const InputError&) {
        }
        CHECK(produced <= 5000);
    }
}

TEST_CASE("CSV and TSV tables") {
    const Table a = read_csv(bytes_of("layer_a.csv"), "layer_a.csv");
    CHECK(a.columns == std::vector<std::string>{"f0", "f1", "f2", "label"});
    REQUIRE(a.rows == 6);
    for (int i = 0; i < 6; ++i) {
        for (int j = 0; j < 3; ++j) CHECK(a.values[i * 4 + j] == i * 0.5 - j);
        CHECK(a.values[i * 4 + 3] == i % 2);
    }
    const Table b = read_csv(bytes_of("layer_b.tsv"), "layer_b.tsv");
    CHECK(b.columns == std::vector<std::string>{"g0", "g1"});
    CHECK(b.values[5 * 2 + 1] == 15.0);

    const Table m = read_csv(bytes_of("messy.csv"), "messy.csv");
    CHECK(m.columns == std::vector<std::string>{"alpha", "be;ta", "gamma"});
    CHECK(m.rows == 2);
    CHECK(m.values == std::vector<double>{1.5, -2, 300, 0.25, 4, -0.01});

    const Table s = read_csv(bytes_of("savetxt.csv"), "savetxt.csv");
    CHECK(s.columns == std::vector<std::string>{"a", "b", "label"});
    CHECK(s.values == std::vector<double>{1, 2, 0, 3, 4.5, 1});

    const std::string header_only = "x,y\n";
    const Table h = read_csv(std::vector<unsigned char>(header_only.begin(), header_only.end()), "h.csv");
    CHECK(h.rows == 0);
}

TEST_CASE("malformed CSV") {
    auto csv_error = [](const std::string& name) { return error_of([&] { read_csv(bytes_of(name), name); }); };
    CHECK_MESSAGE_HAS(csv_error("ragged.csv"), "ragged.csv: line 4 has 2 fields but the header has 3 columns");
    CHECK_MESSAGE_HAS(csv_error("nonnumeric.csv"), "nonnumeric.csv: line 3, column 'b': expected a number, found \"abc\"");
    CHECK_MESSAGE_HAS(csv_error("nan.csv"), "nan.csv: line 5, column 'b': missing or non-finite value \"NaN\"");
    CHECK_MESSAGE_HAS(csv_error("empty_cell.csv"), "empty_cell.csv: line 2, column 'b': empty cell");
    CHECK_MESSAGE_HAS(csv_error("decimal_comma.csv"), "found \"1,5\" (decimal commas are not supported; use '.')");
    CHECK_MESSAGE_HAS(csv_error("no_header.csv"), "no_header.csv: line 1: the first row looks like data (\"1.5\")");
    CHECK_MESSAGE_HAS(csv_error("spaces.txt"), "spaces.txt: line 2, column 'a b c': expected a number, found \"1 2 3\" (space-separated?");
    CHECK_MESSAGE_HAS(csv_error("pandas_index.csv"), "column 1 has no name (a saved pandas index?");
    CHECK_MESSAGE_HAS(error_of([&] { read_csv({}, "e.csv"); }), "e.csv: empty file");
    const std::string overflow = "a\n1e999\n";
    CHECK_MESSAGE_HAS(error_of([&] { read_csv({overflow.begin(), overflow.end()}, "o.csv"); }),
                      "o.csv: line 2, column 'a': number \"1e999\" is out of range");
    const std::string hex = "a\n0x10\n";
    CHECK_MESSAGE_HAS(error_of([&] { read_csv({hex.begin(), hex.end()}, "x.csv"); }), "expected a number, found \"0x10\"");
}

TEST_CASE("dataset from one .npz") {
    const Dataset d = read_dataset_files({fixture("layers_compressed.npz")});
    REQUIRE(d.layers.size() == 3);
    CHECK(d.layers[0].name == "conv1");
    CHECK(d.layers[1].name == "conv2");
    CHECK(d.layers[2].name == "fc");
    CHECK(d.layers[0].samples == 30);
    CHECK(d.layers[0].features == 4);
    CHECK(d.layers[1].features == 6);
    CHECK(d.layers[2].features == 5);
    CHECK(d.layers[1].at(29, 5) == static_cast<float>(29 * 0.5 + 5 * 0.125 - 3));
    CHECK(d.layers[2].at(3, 4) == static_cast<float>((3 * 7 + 4 * 3) % 256 - 128));
    REQUIRE(d.labels.size() == 30);
    CHECK(d.labels[29] == 2);

    // 'y' when there is no 'labels'; 'predictions' is not a layer.
    const Dataset y = read_dataset_files({fixture("with_y_and_predictions.npz")});
    REQUIRE(y.layers.size() == 1);
    CHECK(y.layers[0].name == "a");
    CHECK(y.layers[0].features == 3);
    CHECK(y.labels[1] == 1);

    // Both 'labels' and 'y': 'labels' wins and the other label-like vector is not a layer.
    const Dataset both = read_dataset_files({fixture("labels_and_y.npz")});
    REQUIRE(both.layers.size() == 1);
    CHECK(both.labels[4] == 1);
    ReadOptions use_y;
    use_y.labels_name = "y";
    const Dataset by_y = read_dataset_files({fixture("labels_and_y.npz")}, use_y);
    REQUIRE(by_y.layers.size() == 1);
    CHECK(by_y.labels[4] == 0);

    ReadOptions target;
    target.labels_name = "target";
    const Dataset t = read_dataset_files({fixture("no_labels.npz")}, target);
    CHECK(t.layers.size() == 1);
    CHECK(t.labels[4] == 1);
}

TEST_CASE("dataset from several .npy files and from CSV files") {
    std::vector<NamedBytes> files = {{"dir/first.npy", bytes_of("dtype_f4_le.npy")},
                                     {"dir/second.npy", bytes_of("fortran_f4.npy")},
                                     {"dir/labels.npy", bytes_of("labels_3.npy")}};
    Dataset d = read_dataset(files);
    REQUIRE(d.layers.size() == 2);
    CHECK(d.layers[0].name == "first");
    CHECK(d.layers[1].name == "second");
    CHECK(d.layers[0].values == d.layers[1].values);
    CHECK(d.labels == std::vector<std::int64_t>{0, 1, 1});
    files[2].file_name = "y.npy";
    CHECK(read_dataset(files).labels.size() == 3);

    // Label column inside the CSV, plus a TSV without one.
    const Dataset c = read_dataset_files({fixture("layer_a.csv"), fixture("layer_b.tsv")});
    REQUIRE(c.layers.size() == 2);
    CHECK(c.layers[0].name == "layer_a");
    CHECK(c.layers[0].features == 3);
    CHECK(c.layers[0].at(5, 2) == 0.5f);
    CHECK(c.layers[1].name == "layer_b");
    CHECK(c.layers[1].at(5, 1) == 15.0f);
    CHECK(c.labels == std::vector<std::int64_t>{0, 1, 0, 1, 0, 1});

    // Labels in a separate one-column CSV.
    const Dataset s = read_dataset_files({fixture("layer_b.tsv"), fixture("labels.csv")});
    REQUIRE(s.layers.size() == 1);
    CHECK(s.labels == std::vector<std::int64_t>{0, 1, 0, 1, 0, 1});
}

TEST_CASE("dataset errors name what is wrong") {
    std::string e = dataset_error({{"no_labels.npz", "no_labels.npz"}});
    CHECK_MESSAGE_HAS(e, "no_labels.npz: no labels found (looked for an array or file named 'labels' or 'y')");
    CHECK_MESSAGE_HAS(e, "found arrays: conv1 (30, 4), target (30,)");
    CHECK_MESSAGE_HAS(e, "--labels NAME");
    ReadOptions missing;
    missing.labels_name = "classes";
    CHECK_MESSAGE_HAS(dataset_error({{"m.npz", "layers_savez.npz"}}, missing), "no array, file or column is named 'classes'");

    CHECK_MESSAGE_HAS(dataset_error({{"onehot.npz", "onehot_labels.npz"}}),
                      "onehot.npz:labels: label array 'labels' has shape (4, 3); expected one class id per sample, "
                      "shape (n,); one-hot labels?");
    CHECK_MESSAGE_HAS(dataset_error({{"zf.npz", "zero_features.npz"}}), "zf.npz:conv1: layer 'conv1' has shape (4, 0), i.e. 0 features");
    CHECK_MESSAGE_HAS(dataset_error({{"od.npz", "one_d_layer.npz"}}),
                      "od.npz:scores: array 'scores' is 1-D with shape (30,)");
    CHECK_MESSAGE_HAS(dataset_error({{"od.npz", "one_d_layer.npz"}}), "Is it a label array? Then name it with --labels scores");
    CHECK_MESSAGE_HAS(dataset_error({{"rm.npz", "row_mismatch.npz"}}),
                      "rm.npz:conv2: layer 'conv2' has 29 rows (samples) but there are 30 labels in rm.npz:labels");
    CHECK_MESSAGE_HAS(dataset_error({{"el.npz", "empty_labels.npz"}}), "el.npz:labels: the labels are empty (0 samples)");
    CHECK_MESSAGE_HAS(dataset_error({{"s.npz", "scalar_layer.npz"}}), "s.npz:conv1: array 'conv1' is a single number (0-d)");
    CHECK_MESSAGE_HAS(dataset_error({{"a.npy", "dtype_f4_le.npy"}, {"labels.npy", "labels_one_class.npy"}}),
                      "labels.npy: all 3 labels are 4; the probe needs at least 2 classes");
    CHECK_MESSAGE_HAS(dataset_error({{"a.npy", "dtype_f4_le.npy"}, {"labels.npy", "labels_4.npy"}}),
                      "a.npy: layer 'a' has 3 rows (samples) but there are 4 labels in labels.npy");
    CHECK_MESSAGE_HAS(dataset_error({{"a.npy", "dtype_f4_le.npy"}, {"labels.npy", "labels_frac.npy"}}),
                      "labels.npy: label array 'labels' has value 1.5 at element 1");
    CHECK_MESSAGE_HAS(dataset_error({{"a.npy", "dtype_f4_le.npy"}, {"a.csv", "layer_a.csv"}, {"labels.npy", "labels_3.npy"}}),
                      "two layers are named 'a'");
    CHECK_MESSAGE_HAS(dataset_error({{"x.csv", "labels_frac.csv"}}),
                      "x.csv: data row 2, label column 'label': value 0.5 is not a whole number");
    CHECK_MESSAGE_HAS(dataset_error({{"labels.npy", "labels_3.npy"}}), "labels.npy: no layers found, only the labels ('labels')");
    CHECK_MESSAGE_HAS(dataset_error({{"model.h5", "labels_3.npy"}}), "model.h5: unknown file type '.h5'");
    CHECK_MESSAGE_HAS(error_of([] { read_dataset({}); }), "no input files");
    CHECK_MESSAGE_HAS(error_of([] { read_dataset_files({fixture("layers_savez.npz"), "/nonexistent/x.npy"}); }),
                      "cannot open /nonexistent/x.npy: No such file or directory");
    CHECK_MESSAGE_HAS(error_of([] { read_file_bytes(SPARSITY_PROBE_FIXTURES); }), "it is a directory");
}

TEST_CASE("a deflate bomb stops at its declared size; one sample is one class") {
    // make_robustness_fixtures.py: conv1.npy declares 1,000,128 bytes but inflates to 50 MB.
    CHECK_MESSAGE_HAS(npz_error("bomb.npz"),
                      "bomb.npz:conv1: decompressed data is larger than the declared size of 1000128 bytes");
    CHECK_MESSAGE_HAS(dataset_error({{"one_sample.npz", "one_sample.npz"}}),
                      "one_sample.npz:labels: all 1 labels are 7; the probe needs at least 2 classes");
}
