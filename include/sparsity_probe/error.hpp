#pragma once
// Every failure the user can cause (a bad file, a bad option, an impossible setting) is reported
// as an InputError whose message is one line naming where (file, array, row, column), what was
// expected and what was found. Anything else escaping the core is a bug.
#include <stdexcept>
#include <string>

namespace sparsity_probe {

class InputError : public std::runtime_error {
public:
    explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

// Thrown out of a computation when the caller's cancel flag is raised; not an error.
struct Cancelled {};

}  // namespace sparsity_probe
