#pragma once
// A scratch block of plain values that grows without being zeroed. Its users write every element
// before reading it, so zeroing would only touch memory for nothing: on this project's virtual
// machines a block's first touch costs more than most of the work done in it.
#include <cstddef>
#include <memory>
#include <type_traits>

namespace sparsity_probe {

template <class T>
class ScratchArray {
    static_assert(std::is_trivially_default_constructible_v<T> && std::is_trivially_copyable_v<T>);

public:
    std::size_t size() const { return size_; }
    // At least `count` elements; growing discards the contents.
    void grow_to(std::size_t count) {
        if (count <= size_) return;
        values_.reset(new T[count]);
        size_ = count;
    }
    T* data() { return values_.get(); }
    const T* data() const { return values_.get(); }
    T& operator[](std::size_t i) { return values_[i]; }
    const T& operator[](std::size_t i) const { return values_[i]; }

private:
    std::unique_ptr<T[]> values_;
    std::size_t size_ = 0;
};

}  // namespace sparsity_probe
