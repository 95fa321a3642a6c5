#pragma once
// An n-dimensional NumPy-style array as read from a file, before it becomes a Layer or labels.
// The raw bytes are kept as stored (any dtype, either byte order, C or Fortran order) and converted
// once, so reading never needs more than the file's array plus its converted copy.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sparsity_probe {

struct DType {
    char kind = 'f';          // 'f' float, 'i' signed int, 'u' unsigned int, 'b' bool
    std::size_t itemsize = 4; // bytes per element
    bool big_endian = false;
    std::string descr;        // as written in the file, e.g. "<f4", for messages
};

struct Array {
    std::string source;               // file name (and entry) for messages, e.g. "model.npz:conv1"
    std::string name;                 // array name, e.g. "conv1"
    std::vector<std::size_t> shape;
    DType dtype;
    bool fortran_order = false;
    std::vector<unsigned char> raw;   // exactly element_count() * itemsize bytes

    std::size_t element_count() const;
    // Row-major float32 copy. Throws InputError naming source, array, and the first non-finite
    // element's index (row, column after flattening to rows x rest) if any value is NaN/Inf.
    std::vector<float> to_floats() const;
    // Integer labels; float arrays are accepted when every value is integral. Throws InputError
    // naming the first offending element otherwise.
    std::vector<std::int64_t> to_labels() const;
};

}  // namespace sparsity_probe
