// libFuzzer target: any bytes as a .npy file. Every outcome but an InputError is a bug.
#include <cstddef>
#include <cstdint>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/readers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::vector<unsigned char> bytes(data, data + size);
    try {
        const sparsity_probe::Array array = sparsity_probe::read_npy(bytes, "fuzz.npy");
        array.to_floats();
        array.to_labels();
    } catch (const sparsity_probe::InputError&) {
    }
    return 0;
}
