#pragma once
// Scratch objects handed from task to task (or node to node) instead of allocated by each: large
// blocks touched for the first time cost a page fault per 4 KiB, which on this project's virtual
// machines is more than the work done on them. Safe to use from several threads; which object a
// task gets never changes a result, as every user overwrites what it reads.
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace sparsity_probe {

template <class T>
class SparePool {
public:
    // One object held from take() until the lease ends (or is moved from), then kept for the next.
    class Lease {
    public:
        Lease() = default;
        Lease(Lease&&) noexcept = default;
        Lease& operator=(Lease&& other) noexcept {
            if (this != &other) {
                give_back();
                pool_ = other.pool_;
                item_ = std::move(other.item_);
            }
            return *this;
        }
        ~Lease() { give_back(); }

        T* get() const { return item_.get(); }
        T& operator*() const { return *item_; }
        T* operator->() const { return item_.get(); }
        explicit operator bool() const { return item_ != nullptr; }

    private:
        friend class SparePool;
        Lease(SparePool* pool, std::unique_ptr<T> item) : pool_(pool), item_(std::move(item)) {}
        void give_back() {
            if (item_) pool_->give(std::move(item_));
        }

        SparePool* pool_ = nullptr;
        std::unique_ptr<T> item_;
    };

    // A spare object, or a new default-constructed one when none is left.
    Lease take() {
        return take_chosen([](auto, auto last) { return last - 1; });
    }

    // The smallest spare object whose capacity() is at least `needed`, else the largest one (or a
    // new one): a block grows only when none is large enough, as growing zeroes and touches the
    // new part.
    Lease take_fitting(std::size_t needed) {
        return take_chosen([needed](auto first, auto last) {
            auto chosen = first;
            for (auto it = first; it != last; ++it) {
                const std::size_t have = (*it)->capacity(), best = (*chosen)->capacity();
                const bool fits = have >= needed, best_fits = best >= needed;
                if (fits ? !best_fits || have < best : !best_fits && have > best) chosen = it;
            }
            return chosen;
        });
    }

private:
    // The spare object `choose(begin, end)` picks among the spares, or a new one when none is left.
    template <class Choose>
    Lease take_chosen(Choose choose) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!spare_.empty()) {
                const auto chosen = choose(spare_.begin(), spare_.end());
                std::unique_ptr<T> item = std::move(*chosen);
                spare_.erase(chosen);
                return Lease(this, std::move(item));
            }
        }
        return Lease(this, std::make_unique<T>());
    }

    void give(std::unique_ptr<T> item) {
        std::lock_guard<std::mutex> lock(mutex_);
        spare_.push_back(std::move(item));
    }

    std::mutex mutex_;
    std::vector<std::unique_ptr<T>> spare_;
};

}  // namespace sparsity_probe
