// libFuzzer target: any bytes as a CSV/TSV table and as a CSV data set.
#include <cstddef>
#include <cstdint>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/readers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<unsigned char> bytes(data, data + size);
    try {
        sparsity_probe::read_csv(bytes, "fuzz.csv");
    } catch (const sparsity_probe::InputError&) {
    }
    try {
        sparsity_probe::read_dataset({{"fuzz.csv", std::move(bytes)}});
    } catch (const sparsity_probe::InputError&) {
    }
    return 0;
}
