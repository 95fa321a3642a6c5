#pragma once
// A minimal streaming JSON writer: enough for the results document, with numbers printed in the
// shortest form that reads back to the same double, and non-finite numbers written as null.
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace sparsity_probe {

class JsonWriter {
public:
    explicit JsonWriter(bool pretty = true) : pretty_(pretty) {}

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(const std::string& name);

    JsonWriter& value(const std::string& text);
    JsonWriter& value(const char* text) { return value(std::string(text)); }
    JsonWriter& value(double number);
    JsonWriter& value(bool flag);
    // Any integer type: the widths of long and size_t differ between x86-64 and wasm32.
    template <typename T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
    JsonWriter& value(T number) {
        if constexpr (std::is_signed_v<T>)
            return signed_integer(static_cast<std::int64_t>(number));
        else
            return unsigned_integer(static_cast<std::uint64_t>(number));
    }
    JsonWriter& null();
    JsonWriter& array(const std::vector<double>& numbers);

    template <typename T>
    JsonWriter& field(const std::string& name, const T& v) {
        key(name);
        return value(v);
    }

    const std::string& str() const { return out_; }

private:
    JsonWriter& signed_integer(std::int64_t number);
    JsonWriter& unsigned_integer(std::uint64_t number);
    void before_value();
    void newline();
    void write_string(const std::string& text);

    std::string out_;
    bool pretty_;
    std::vector<bool> first_;  // per open container: no element written yet
    bool after_key_ = false;
};

// Shortest decimal text that strtod reads back to `number` (which must be finite).
std::string format_number(double number);

}  // namespace sparsity_probe
