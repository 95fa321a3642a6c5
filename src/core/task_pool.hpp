#pragma once
// Runs independent tasks on a few std::threads. Results never depend on the thread count because
// every task owns its inputs and its random stream; the pool only decides when each one runs.
#include <cstddef>
#include <functional>

namespace sparsity_probe {

// Runs task(i) for i in [0, count) on up to `threads` threads (0: hardware concurrency). After each
// task finishes, `on_done(i)` runs on the calling thread, in completion order. With one thread no
// thread is started, so the single-threaded WebAssembly build needs no pthreads. If a task throws,
// no new task starts and the first exception is rethrown once the running ones have ended.
// With `max_running` > 0, at most that many tasks run at once and the other workers only help
// them through run_pair (what the forest does when a tree's memory, not its time, is the limit).
void run_tasks(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& task,
               const std::function<void(std::size_t)>& on_done = {}, std::size_t max_running = 0);

// Runs `first` and `second`, possibly at the same time: when called inside a run_tasks task,
// `second` is offered to the other workers of that call, and one that runs out of tasks before
// `first` ends takes it. Otherwise both run here, in order. Returns when both have ended; rethrows the first exception of either. The
// two must not touch the same data; which thread runs what never changes a result.
void run_pair(const std::function<void()>& first, const std::function<void()>& second);

// Threads to use for a request (0: all hardware threads), never more than the limit.
unsigned resolve_threads(unsigned requested);

// An upper bound on the threads any run_tasks call starts (0: none). The WebAssembly threads build
// sets it to its pre-started worker pool: a thread beyond the pool would wait for a Web Worker
// that can only start once the blocked caller returns to the event loop, i.e. never.
void set_thread_limit(unsigned limit);

}  // namespace sparsity_probe
