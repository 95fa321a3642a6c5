#include "task_pool.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace sparsity_probe {

namespace {
std::atomic<unsigned> thread_limit{0};

// Work a task hands to an idle worker through run_pair.
struct Offer {
    const std::function<void()>* job = nullptr;
    bool taken = false, done = false;
    std::exception_ptr error;
};

// What the workers of one run_tasks call share.
struct Pool {
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t next = 0, running = 0, idle = 0;
    std::deque<std::size_t> finished;
    std::deque<Offer*> offers;
    std::exception_ptr failure;
};

// The pool whose worker this thread is, for run_pair.
thread_local Pool* current_pool = nullptr;

// Takes the oldest offer and runs it; `lock` holds the pool's mutex before and after.
void run_offer(Pool& pool, std::unique_lock<std::mutex>& lock) {
    Offer* offer = pool.offers.front();
    pool.offers.pop_front();
    offer->taken = true;
    lock.unlock();
    try {
        (*offer->job)();
    } catch (...) {
        offer->error = std::current_exception();
    }
    lock.lock();
    offer->done = true;
    pool.changed.notify_all();
}
}  // namespace

void run_pair(const std::function<void()>& first, const std::function<void()>& second) {
    Pool* pool = current_pool;
    Offer offer;
    offer.job = &second;
    // Offered even when every worker is busy: one that runs out of work later takes it while
    // `first` still runs (the oldest offer, nearest the root, is the largest).
    bool offered = false, wake = false;
    if (pool) {
        std::lock_guard<std::mutex> lock(pool->mutex);
        if (!pool->failure) {
            pool->offers.push_back(&offer);
            offered = true;
            wake = pool->idle > 0;
        }
    }
    if (!offered) {
        first();
        second();
        return;
    }
    if (wake) pool->changed.notify_all();
    std::exception_ptr first_error;
    try {
        first();
    } catch (...) {
        first_error = std::current_exception();
    }
    bool run_here = false;
    {
        std::unique_lock<std::mutex> lock(pool->mutex);
        if (!offer.taken) {
            pool->offers.erase(std::find(pool->offers.begin(), pool->offers.end(), &offer));
            run_here = !first_error;
        } else {
            // While the other worker runs `second`, this one helps with what is offered meanwhile
            // (typically parts of `second` itself) instead of blocking.
            while (!offer.done) {
                if (!pool->offers.empty()) {
                    run_offer(*pool, lock);
                } else {
                    ++pool->idle;
                    pool->changed.wait(lock, [&] { return offer.done || !pool->offers.empty(); });
                    --pool->idle;
                }
            }
        }
    }
    if (first_error) std::rethrow_exception(first_error);
    if (run_here) second();
    if (offer.error) std::rethrow_exception(offer.error);
}

void set_thread_limit(unsigned limit) { thread_limit = limit; }

unsigned resolve_threads(unsigned requested) {
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
    (void)requested;
    return 1;  // the single-threaded WebAssembly build cannot start a thread
#else
    unsigned threads = requested;
    if (threads == 0) {
        const unsigned hardware = std::thread::hardware_concurrency();
        threads = hardware > 0 ? hardware : 1;
    }
    const unsigned limit = thread_limit;
    return limit > 0 && threads > limit ? limit : threads;
#endif
}

void run_tasks(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& task,
               const std::function<void(std::size_t)>& on_done, std::size_t max_running) {
    const std::size_t workers =
        max_running > 0 ? resolve_threads(threads) : std::min<std::size_t>(resolve_threads(threads), count);
    if (workers <= 1) {
        for (std::size_t i = 0; i < count; ++i) {
            task(i);
            if (on_done) on_done(i);
        }
        return;
    }

    Pool state;
    auto work = [&] {
        Pool* const outer = current_pool;
        current_pool = &state;
        std::unique_lock<std::mutex> lock(state.mutex);
        for (;;) {
            const auto may_start = [&] {
                return state.next < count && !state.failure && (max_running == 0 || state.running < max_running);
            };
            const auto all_ended = [&] { return (state.next == count || state.failure) && state.running == 0; };
            if (may_start()) {
                const std::size_t i = state.next++;
                ++state.running;
                lock.unlock();
                std::exception_ptr error;
                try {
                    task(i);
                } catch (...) {
                    error = std::current_exception();
                }
                lock.lock();
                --state.running;
                if (error && !state.failure) state.failure = error;
                if (!error) state.finished.push_back(i);
                state.changed.notify_all();
            } else if (!state.offers.empty()) {
                run_offer(state, lock);  // out of tasks: help a running one
            } else if (all_ended()) {
                break;
            } else {
                ++state.idle;
                state.changed.wait(lock, [&] { return !state.offers.empty() || all_ended() || may_start(); });
                --state.idle;
            }
        }
        current_pool = outer;
    };

    std::vector<std::thread> pool;
    pool.reserve(workers);
    for (std::size_t w = 0; w < workers; ++w) pool.emplace_back(work);

    std::exception_ptr callback_failure;
    {
        std::unique_lock<std::mutex> lock(state.mutex);
        for (;;) {
            state.changed.wait(lock, [&] {
                return !state.finished.empty() || ((state.next == count || state.failure) && state.running == 0);
            });
            while (!state.finished.empty()) {
                const std::size_t i = state.finished.front();
                state.finished.pop_front();
                if (on_done && !callback_failure && !state.failure) {
                    lock.unlock();
                    try {
                        on_done(i);
                    } catch (...) {
                        callback_failure = std::current_exception();
                    }
                    lock.lock();
                    if (callback_failure && !state.failure) {
                        state.failure = callback_failure;
                        state.changed.notify_all();
                    }
                }
            }
            if ((state.next == count || state.failure) && state.running == 0 && state.finished.empty()) break;
        }
    }
    for (std::thread& t : pool) t.join();
    if (state.failure) std::rethrow_exception(state.failure);
}

}  // namespace sparsity_probe
