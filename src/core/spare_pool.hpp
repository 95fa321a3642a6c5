#pragma once
// Scratch objects handed from task to task (or node to node) instead of allocated by each: large
// blocks touched for the first time cost a page fault per 4 KiB, which on this project's virtual
// machines is more than the work done on them. Safe to use from several threads; which object a
// task gets never changes a result, as every user overwrites what it reads.
#include <memory>
#include <mutex>
#include <vector>

namespace sparsity_probe {

template <class T>
class SparePool {
public:
    // A spare object, or a new default-constructed one when none is left.
    std::unique_ptr<T> take() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!spare_.empty()) {
                std::unique_ptr<T> item = std::move(spare_.back());
                spare_.pop_back();
                return item;
            }
        }
        return std::make_unique<T>();
    }

    void give(std::unique_ptr<T> item) {
        if (!item) return;
        std::lock_guard<std::mutex> lock(mutex_);
        spare_.push_back(std::move(item));
    }

private:
    std::mutex mutex_;
    std::vector<std::unique_ptr<T>> spare_;
};

}  // namespace sparsity_probe
