// libFuzzer target: any bytes as an .npz archive (zip, deflate, the arrays inside, the data set).
#include <cstddef>
#include <cstdint>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/readers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<unsigned char> bytes(data, data + size);
    try {
        for (const sparsity_probe::Array& array : sparsity_probe::read_npz(bytes, "fuzz.npz")) array.to_floats();
    } catch (const sparsity_probe::InputError&) {
    }
    try {
        sparsity_probe::read_dataset({{"fuzz.npz", std::move(bytes)}});
    } catch (const sparsity_probe::InputError&) {
    }
    try {  // the raw stream as deflate data, with a bound on the output (decompression bombs)
        sparsity_probe::inflate(data, size, 1 << 20, "fuzz.deflate");
    } catch (const sparsity_probe::InputError&) {
    }
    return 0;
}
