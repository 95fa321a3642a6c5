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
               const std::function<void(std::size_t)>& on_done) {
    const std::size_t workers = std::min<std::size_t>(resolve_threads(threads), count);
    if (workers <= 1) {
        for (std::size_t i = 0; i < count; ++i) {
            task(i);
            if (on_done) on_done(i);
        }
        return;
    }

    std::mutex mutex;
    std::condition_variable changed;
    std::size_t next = 0, running = 0;
    std::deque<std::size_t> finished;
    std::exception_ptr failure;

    auto work = [&] {
        for (;;) {
            std::size_t i;
            {
                std::lock_guard<std::mutex> lock(mutex);
                if (failure || next == count) return;
                i = next++;
                ++running;
            }
            std::exception_ptr error;
            try {
                task(i);
            } catch (...) {
                error = std::current_exception();
            }
            {
                std::lock_guard<std::mutex> lock(mutex);
                --running;
                if (error && !failure) failure = error;
                if (!error) finished.push_back(i);
            }
            changed.notify_all();
        }
    };

    std::vector<std::thread> pool;
    pool.reserve(workers);
    for (std::size_t w = 0; w < workers; ++w) pool.emplace_back(work);

    std::exception_ptr callback_failure;
    {
        std::unique_lock<std::mutex> lock(mutex);
        for (;;) {
            changed.wait(lock, [&] { return !finished.empty() || ((next == count || failure) && running == 0); });
            while (!finished.empty()) {
                const std::size_t i = finished.front();
                finished.pop_front();
                if (on_done && !callback_failure && !failure) {
                    lock.unlock();
                    try {
                        on_done(i);
                    } catch (...) {
                        callback_failure = std::current_exception();
                    }
                    lock.lock();
                    if (callback_failure && !failure) failure = callback_failure;
                }
            }
            if ((next == count || failure) && running == 0 && finished.empty()) break;
        }
    }
    for (std::thread& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace sparsity_probe
