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
void run_tasks(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& task,
               const std::function<void(std::size_t)>& on_done = {});

unsigned resolve_threads(unsigned requested);

}  // namespace sparsity_probe
