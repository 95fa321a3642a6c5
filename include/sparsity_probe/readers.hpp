#pragma once
// Readers for what users bring (SPEC §4): .npz (stored or deflate), .npy, CSV/TSV. All readers
// work from bytes in memory so the browser build parses with exactly the same code; the path-based
// helpers only read the file first. Every malformed input throws InputError with a one-line message.
#include <cstdint>
#include <string>
#include <vector>

#include "sparsity_probe/array.hpp"
#include "sparsity_probe/layer.hpp"

namespace sparsity_probe {

// Parse one .npy document. `source` names it in messages (file name, or "file.npz:entry").
Array read_npy(const std::vector<unsigned char>& bytes, const std::string& source);
// Parse a .npz archive: every entry, in file order, named without the ".npy" suffix.
std::vector<Array> read_npz(const std::vector<unsigned char>& bytes, const std::string& source);
// Inflate a raw DEFLATE stream (RFC 1951), refusing output beyond `expected_size`.
std::vector<unsigned char> inflate(const unsigned char* data, std::size_t size, std::size_t expected_size,
                                   const std::string& source);

// A CSV or TSV table with a header row (delimiter sniffed from the header: tab, comma or semicolon).
struct Table {
    std::vector<std::string> columns;
    std::size_t rows = 0;
    std::vector<double> values;  // rows x columns, row-major
};
Table read_csv(const std::vector<unsigned char>& bytes, const std::string& source);

// What the probe analyses: named layers and one label per sample.
struct Dataset {
    std::vector<Layer> layers;
    std::vector<std::int64_t> labels;
    std::vector<std::int64_t> predictions;  // the network's predicted labels, if the file had them
};

struct ReadOptions {
    // Name of the label array (npz entry, npy file stem, or CSV column). Empty: "labels", then "y".
    std::string labels_name;
};

// One in-memory file: its name decides the format (.npz, .npy, .csv, .tsv, .txt).
struct NamedBytes {
    std::string file_name;
    std::vector<unsigned char> bytes;
};

// Assemble a Dataset from one .npz, several .npy, or CSV files (one per layer, labels either in a
// separate file named like the labels array or as a named column). Checks that labels exist, are
// integral, and that every layer has one row per label.
Dataset read_dataset(const std::vector<NamedBytes>& files, const ReadOptions& options = {});
// The same, freeing each file's bytes once it is parsed (a copy less at the peak).
Dataset read_dataset(std::vector<NamedBytes>&& files, const ReadOptions& options = {});
Dataset read_dataset_files(const std::vector<std::string>& paths, const ReadOptions& options = {});

std::vector<unsigned char> read_file_bytes(const std::string& path);

}  // namespace sparsity_probe
