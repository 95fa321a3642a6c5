// Turning the files a user brings into named layers plus labels (SPEC §4), with one specific
// message for each way the pieces can fail to fit together.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <new>
#include <set>
#include <type_traits>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "shape_text.hpp"
#include "sparsity_probe/error.hpp"
#include "sparsity_probe/readers.hpp"

namespace sparsity_probe {
namespace {

struct NamedArray {
    std::string name;  // npz entry or npy file stem
    Array array;
};

struct NamedTable {
    std::string name;    // file stem: the layer's name
    std::string source;  // file name, for messages
    Table table;
};

std::string base_name(const std::string& path) {
    const std::size_t slash = path.find_last_of("/\\");
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string stem(const std::string& path) {
    const std::string base = base_name(path);
    const std::size_t dot = base.find_last_of('.');
    return dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
}

std::string extension(const std::string& path) {
    const std::string base = base_name(path);
    const std::size_t dot = base.find_last_of('.');
    std::string ext = dot == std::string::npos ? "" : base.substr(dot);
    for (char& c : ext) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return ext;
}

std::string number_text(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.15g", v);
    return text;
}

std::string quoted_list(const std::vector<std::string>& names) {
    std::string s;
    for (std::size_t k = 0; k < names.size(); ++k) {
        if (k) s += k + 1 == names.size() ? " or " : ", ";
        s += "'" + names[k] + "'";
    }
    return s;
}

// Everything found, for the message when the labels are missing.
std::string inventory(const std::vector<NamedArray>& arrays, const std::vector<NamedTable>& tables) {
    std::string s;
    if (!arrays.empty()) {
        s += "found arrays: ";
        for (std::size_t k = 0; k < arrays.size(); ++k) {
            if (k) s += ", ";
            s += arrays[k].name + " " + shape_text(arrays[k].array.shape);
        }
    }
    for (const NamedTable& t : tables) {
        if (!s.empty()) s += "; ";
        s += t.source + " has columns ";
        const std::size_t shown = t.table.columns.size() < 8 ? t.table.columns.size() : 8;
        for (std::size_t c = 0; c < shown; ++c) s += (c ? ", " : "") + t.table.columns[c];
        if (shown < t.table.columns.size()) s += ", ... (" + std::to_string(t.table.columns.size()) + " in all)";
    }
    return s.empty() ? "found nothing" : s;
}

std::vector<std::int64_t> labels_from_array(const NamedArray& a) {
    const std::vector<std::size_t>& shape = a.array.shape;
    const bool column = shape.size() == 2 && shape[1] == 1;
    if (shape.size() != 1 && !column) {
        std::string hint = shape.size() == 2 ? "; one-hot labels? save labels.argmax(axis=1)" : "";
        throw InputError(a.array.source + ": label array '" + a.name + "' has shape " + shape_text(shape) +
                         "; expected one class id per sample, shape (n,)" + hint);
    }
    return a.array.to_labels();
}

std::vector<std::int64_t> labels_from_column(const NamedTable& t, std::size_t column) {
    const Table& table = t.table;
    std::vector<std::int64_t> labels(table.rows);
    const double limit = 9223372036854775808.0;  // 2^63
    for (std::size_t r = 0; r < table.rows; ++r) {
        const double v = table.values[r * table.columns.size() + column];
        if (v != std::floor(v) || v >= limit || v < -limit) {
            throw InputError(t.source + ": data row " + std::to_string(r + 1) + ", label column '" +
                             table.columns[column] + "': value " + number_text(v) +
                             " is not a whole number (class id)");
        }
        labels[r] = static_cast<std::int64_t>(v);
    }
    return labels;
}

void check_layer_shape(const NamedArray& a) {
    const std::vector<std::size_t>& shape = a.array.shape;
    if (shape.empty()) {
        throw InputError(a.array.source + ": array '" + a.name + "' is a single number (0-d); a layer needs shape "
                                          "(samples, features...)");
    }
    if (shape.size() == 1) {
        throw InputError(a.array.source + ": array '" + a.name + "' is 1-D with shape " + shape_text(shape) +
                         "; a layer needs shape (samples, features...). Is it a label array? Then name it with "
                         "--labels " + a.name);
    }
}

// Expects check_layer_shape to have passed.
Layer layer_from_array(NamedArray& a) {
    const std::vector<std::size_t>& shape = a.array.shape;
    Layer layer;
    layer.name = a.name;
    layer.samples = shape[0];
    layer.features = 1;
    for (std::size_t d = 1; d < shape.size(); ++d) {
        if (shape[d] != 0 && layer.features > std::numeric_limits<std::size_t>::max() / shape[d]) {
            throw InputError(a.array.source + ": array '" + a.name + "' has too many features to address");
        }
        layer.features *= shape[d];
    }
    if (layer.features == 0) {
        throw InputError(a.array.source + ": layer '" + a.name + "' has shape " + shape_text(shape) +
                         ", i.e. 0 features per sample");
    }
    layer.values = a.array.to_floats();
    std::vector<unsigned char>().swap(a.array.raw);  // the float copy replaces the stored bytes
    return layer;
}

Layer layer_from_table(const NamedTable& t, const std::vector<bool>& is_label) {
    const Table& table = t.table;
    const std::size_t ncols = table.columns.size();
    Layer layer;
    layer.name = t.name;
    layer.samples = table.rows;
    for (bool label : is_label) layer.features += label ? 0 : 1;
    layer.values.reserve(layer.samples * layer.features);
    const double float_max = static_cast<double>(std::numeric_limits<float>::max());
    for (std::size_t r = 0; r < table.rows; ++r) {
        for (std::size_t c = 0; c < ncols; ++c) {
            if (is_label[c]) continue;
            const double v = table.values[r * ncols + c];
            if (std::fabs(v) > float_max) {
                throw InputError(t.source + ": data row " + std::to_string(r + 1) + ", column '" + table.columns[c] +
                                 "': value " + number_text(v) + " is outside the float32 range (about 3.4e38)");
            }
            layer.values.push_back(static_cast<float>(v));
        }
    }
    return layer;
}

}  // namespace

namespace {

// Files is std::vector<NamedBytes>, const or not; when not, each file's bytes are freed once
// parsed, so a layer is not held three times (file, array, floats) at the peak.
template <class Files>
Dataset assemble(Files& files, const ReadOptions& options) {
    if (files.empty()) throw InputError("no input files: give one .npz, several .npy, or CSV/TSV files");

    std::vector<NamedArray> arrays;
    std::vector<NamedTable> tables;
    for (auto& f : files) {
        const std::string ext = extension(f.file_name);
        try {
            if (ext == ".npz") {
                for (Array& a : read_npz(f.bytes, f.file_name)) {
                    std::string name = a.name;
                    arrays.push_back({std::move(name), std::move(a)});
                }
            } else if (ext == ".npy") {
                Array a = read_npy(f.bytes, f.file_name);
                a.name = stem(f.file_name);
                arrays.push_back({a.name, std::move(a)});
            } else if (ext == ".csv" || ext == ".tsv" || ext == ".txt") {
                tables.push_back({stem(f.file_name), f.file_name, read_csv(f.bytes, f.file_name)});
            } else {
                throw InputError(f.file_name + ": unknown file type '" + ext +
                                 "'; expected .npz, .npy, .csv, .tsv or .txt");
            }
        } catch (const std::bad_alloc&) {
            // Most likely in the browser, whose WebAssembly memory is capped (2-4 GB).
            throw InputError(f.file_name + ": not enough memory to unpack this " + std::to_string(f.bytes.size()) +
                             "-byte file; subsample rows or reduce the layers' dimension before loading");
        }
        if constexpr (!std::is_const_v<Files>) std::vector<unsigned char>().swap(f.bytes);
    }

    // Which names may hold the labels, in order of preference.
    std::vector<std::string> array_names, column_names;
    if (!options.labels_name.empty()) {
        array_names = column_names = {options.labels_name};
    } else {
        array_names = {"labels", "y"};
        column_names = {"labels", "label", "y"};
    }

    // Find the labels: an array (npz entry / npy stem), a one-column CSV named like the labels, or a
    // column inside CSV tables. Arrays and separate files win over columns, earlier names over later.
    std::string label_name;
    const NamedArray* label_array = nullptr;
    const NamedTable* label_table = nullptr;  // a separate one-column labels file
    for (const std::string& want : array_names) {
        for (const NamedArray& a : arrays) {
            if (a.name == want && !label_array) label_array = &a;
        }
        for (const NamedTable& t : tables) {
            if (t.name == want && !label_array && !label_table) {
                if (t.table.columns.size() != 1) {
                    throw InputError(t.source + ": a labels file must have exactly one column, this one has " +
                                     std::to_string(t.table.columns.size()));
                }
                label_table = &t;
            }
        }
        if (label_array || label_table) {
            label_name = want;
            break;
        }
    }
    if (!label_array && !label_table) {
        for (const std::string& want : column_names) {
            for (const NamedTable& t : tables) {
                for (const std::string& column : t.table.columns) {
                    if (column == want) label_name = want;
                }
            }
            if (!label_name.empty()) break;
        }
    }
    if (label_name.empty()) {
        const std::string where = files.size() == 1 ? files[0].file_name + ": " : "";
        const std::string looked = options.labels_name.empty()
                                       ? "looked for an array or file named " + quoted_list(array_names) +
                                             (tables.empty() ? "" : " or a column named " + quoted_list(column_names))
                                       : "no array, file or column is named '" + options.labels_name + "'";
        throw InputError(where + "no labels found (" + looked + "); " + inventory(arrays, tables) +
                         ". Name the label array with --labels NAME");
    }

    Dataset data;
    std::string labels_from;
    if (label_array) {
        data.labels = labels_from_array(*label_array);
        labels_from = label_array->array.source;
    } else if (label_table) {
        data.labels = labels_from_column(*label_table, 0);
        labels_from = label_table->source;
    }

    // Label checks first: they are cheap, and converting layers only to reject the labels wastes time.
    auto check_labels = [&] {
        if (data.labels.empty()) throw InputError(labels_from + ": the labels are empty (0 samples)");
        const std::set<std::int64_t> classes(data.labels.begin(), data.labels.end());
        if (classes.size() < 2) {
            throw InputError(labels_from + ": all " + std::to_string(data.labels.size()) + " labels are " +
                             std::to_string(*classes.begin()) + "; the probe needs at least 2 classes");
        }
    };
    auto check_rows = [&](const std::string& name, std::size_t rows, const std::string& source) {
        if (rows != data.labels.size()) {
            throw InputError(source + ": layer '" + name + "' has " + std::to_string(rows) +
                             " rows (samples) but there are " + std::to_string(data.labels.size()) + " labels in " +
                             labels_from + "; every layer needs one row per label");
        }
    };
    if (labels_from.empty()) {  // the labels are a column: take them from the first table holding it
        for (const NamedTable& t : tables) {
            const auto it = std::find(t.table.columns.begin(), t.table.columns.end(), label_name);
            if (it == t.table.columns.end()) continue;
            data.labels = labels_from_column(t, static_cast<std::size_t>(it - t.table.columns.begin()));
            labels_from = t.source;
            break;
        }
    }
    check_labels();

    std::set<std::string> layer_names;
    auto claim_name = [&](const std::string& name, const std::string& source) {
        if (!layer_names.insert(name).second) {
            throw InputError(source + ": two layers are named '" + name + "'; rename one of the files or arrays");
        }
    };

    for (NamedArray& a : arrays) {
        if (&a == label_array) continue;
        if (a.name == "predictions") {  // the network's predicted labels: not a layer
            data.predictions = labels_from_array(a);
            if (data.predictions.size() != data.labels.size())
                throw InputError(a.array.source + ": 'predictions' holds " + std::to_string(data.predictions.size()) +
                                 " values but there are " + std::to_string(data.labels.size()) +
                                 " labels; expected one predicted label per sample");
            continue;
        }
        // Another label-like vector (say 'y' next to 'labels', or both beside --labels NAME) is not a layer.
        if (a.array.shape.size() == 1 && (a.name == "labels" || a.name == "label" || a.name == "y")) continue;
        claim_name(a.name, a.array.source);
        check_layer_shape(a);
        check_rows(a.name, a.array.shape[0], a.array.source);
        try {
            data.layers.push_back(layer_from_array(a));
        } catch (const std::bad_alloc&) {
            throw InputError(a.array.source + ": not enough memory for layer '" + a.name + "' (" +
                             std::to_string(a.array.element_count()) +
                             " values as float32); subsample rows or reduce the dimension before loading");
        }
    }
    for (const NamedTable& t : tables) {
        if (&t == label_table) continue;
        std::vector<bool> is_label(t.table.columns.size(), false);
        for (std::size_t c = 0; c < t.table.columns.size(); ++c) {
            if (t.table.columns[c] != label_name) continue;
            is_label[c] = true;
            if (labels_from_column(t, c) != data.labels) {
                throw InputError(t.source + ": its label column '" + label_name + "' differs from the labels in " +
                                 labels_from);
            }
        }
        const std::size_t features = static_cast<std::size_t>(std::count(is_label.begin(), is_label.end(), false));
        if (features == 0 && is_label.size() == 1) continue;  // a file that only held the labels
        if (features == 0) throw InputError(t.source + ": layer '" + t.name + "' has no feature columns");
        claim_name(t.name, t.source);
        check_rows(t.name, t.table.rows, t.source);
        data.layers.push_back(layer_from_table(t, is_label));
    }

    if (data.layers.empty()) {
        throw InputError((files.size() == 1 ? files[0].file_name + ": " : std::string()) +
                         "no layers found, only the labels ('" + label_name + "')");
    }
    return data;
}

}  // namespace

Dataset read_dataset(const std::vector<NamedBytes>& files, const ReadOptions& options) { return assemble(files, options); }

Dataset read_dataset(std::vector<NamedBytes>&& files, const ReadOptions& options) { return assemble(files, options); }

Dataset read_dataset_files(const std::vector<std::string>& paths, const ReadOptions& options) {
    std::vector<NamedBytes> files;
    files.reserve(paths.size());
    for (const std::string& path : paths) files.push_back({path, read_file_bytes(path)});
    return read_dataset(std::move(files), options);
}

std::vector<unsigned char> read_file_bytes(const std::string& path) {
    // Opening a directory "succeeds" with ifstream and then reads as empty; say what it is instead.
    struct stat info;
    if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
        throw InputError("cannot open " + path + ": it is a directory");
    }
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError("cannot open " + path + ": " + (errno ? std::strerror(errno) : "unknown error"));
    std::vector<unsigned char> bytes;
    try {
        in.seekg(0, std::ios::end);
        const std::streamoff size = in.tellg();
        in.seekg(0, std::ios::beg);
        if (!in) {
            in.clear();  // not seekable (a pipe): fall back to growing as we read
        } else if (size > 0) {
            bytes.reserve(static_cast<std::size_t>(size) + 1);  // +1 so the final read sees end-of-file
        }
        std::size_t used = 0;
        for (;;) {
            const std::size_t target = bytes.capacity() > used ? bytes.capacity() : used + (std::size_t{1} << 20);
            bytes.resize(target);
            in.read(reinterpret_cast<char*>(bytes.data() + used), static_cast<std::streamsize>(target - used));
            used += static_cast<std::size_t>(in.gcount());
            if (in.bad()) throw InputError("cannot read " + path + ": " + (errno ? std::strerror(errno) : "read error"));
            if (in.eof()) break;
        }
        bytes.resize(used);
    } catch (const std::bad_alloc&) {
        throw InputError("cannot read " + path + ": not enough memory to load the file");
    }
    return bytes;
}

}  // namespace sparsity_probe
