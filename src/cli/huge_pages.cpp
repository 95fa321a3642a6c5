// The CLI's memory from the kernel: on transparent huge pages, and kept once touched. Memory a
// process touches for the first time costs a page fault per 4 KiB page; on the virtual machines
// this was measured on, that was 3 ms per MiB against 0.1–0.3 ms per MiB on 2 MiB pages, as much
// as the probe's own work on some layers. Two things made the faults:
// - Debian's default ("madvise") gives huge pages only to ranges marked so;
// - glibc hands freed blocks of more than 128 KiB back to the kernel (munmap, or trimming the top
//   of a heap), and each thread's arena is a heap of its own: the next tree's lists and columns,
//   or the next binning task's buffers, then fault their pages in again (W2: 11,000 faults).
// So the executable (the global allocation functions are its to replace, not the library's)
// keeps every block up to 32 MiB in the one main heap, never trims it, and marks the heap for
// huge pages as it grows, as glibc's own `glibc.malloc.hugetlb=1` tunable does; larger blocks are
// mapped on their own and marked too. W2: 11,000 -> 1,000 faults, 0.39 -> 0.32 s at two threads
// (median of 9, interleaved).
// The probe's threads take turns at the one heap's lock, which costs nothing measurable: they
// allocate per node, not per sample.
// Everything else is what the standard functions do: malloc and free underneath, the
// new-handler loop. Sanitizer builds keep their own allocation functions, which check
// new/delete pairing.
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <new>

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#define SPARSITY_PROBE_TUNED_HEAP 1
#endif

namespace {

#if defined(SPARSITY_PROBE_TUNED_HEAP) && defined(MADV_HUGEPAGE)
constexpr std::uintptr_t huge_page_bytes = std::uintptr_t{2} << 20;
constexpr std::uintptr_t small_page_bytes = 4096;
// Blocks above this are mapped on their own by malloc, and given back when freed.
constexpr int largest_heap_block = 32 << 20;
constexpr int heap_step = 64 << 20;

// How far the heap is marked for huge pages: the break when last looked at.
std::atomic<std::uintptr_t> marked_heap_end{0};

void mark(std::uintptr_t first, std::uintptr_t last) {
    // A refusal (a kernel without THP) leaves the range as it was: nothing to report.
    if (last > first) (void)madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

// Set before main, while the process has one thread and its heap is a few pages.
const bool heap_tuned = [] {
    mallopt(M_ARENA_MAX, 1);
    mallopt(M_MMAP_THRESHOLD, largest_heap_block);
    mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
    // The heap grows 64 MiB at a time (address space only, until touched): a huge page that
    // straddles the break when the heap grows has been faulted in as small pages below it and
    // stays small above it, 512 faults each time (W2 with 2 MiB steps: 5,500 faults, 1,000 now).
    mallopt(M_TOP_PAD, heap_step);
    marked_heap_end.store(reinterpret_cast<std::uintptr_t>(sbrk(0)) & ~(small_page_bytes - 1));
    return true;
}();

void ask_for_huge_pages(void* block, std::size_t size) {
    if (size > static_cast<std::size_t>(largest_heap_block)) {
        // A block of its own: only the whole 2 MiB pages inside it (the kernel keeps the rest on
        // small pages).
        const auto start = reinterpret_cast<std::uintptr_t>(block);
        mark((start + huge_page_bytes - 1) & ~(huge_page_bytes - 1), (start + size) & ~(huge_page_bytes - 1));
        return;
    }
    // Only malloc moves the break, under its lock; a growth seen late (by another thread, or
    // after a C allocation) is marked at the next allocation that looks.
    const auto end = reinterpret_cast<std::uintptr_t>(sbrk(0));
    std::uintptr_t marked = marked_heap_end.load(std::memory_order_relaxed);
    // Allocations of other static initialisers, before the heap is set up, are left as they are.
    if (marked == 0) return;
    while (end > marked) {
        if (marked_heap_end.compare_exchange_weak(marked, end, std::memory_order_relaxed)) {
            mark(marked, end);
            return;
        }
    }
}
#else
void ask_for_huge_pages(void*, std::size_t) {}
#endif

void* allocate(std::size_t size) {
    if (size == 0) size = 1;
    for (;;) {
        if (void* block = std::malloc(size)) {
            ask_for_huge_pages(block, size);
            return block;
        }
        const std::new_handler handler = std::get_new_handler();
        if (!handler) throw std::bad_alloc();
        handler();
    }
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    try {
        return allocate(size);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }
void operator delete(void* block) noexcept { std::free(block); }
void operator delete[](void* block) noexcept { std::free(block); }
void operator delete(void* block, std::size_t) noexcept { std::free(block); }
void operator delete[](void* block, std::size_t) noexcept { std::free(block); }
void operator delete(void* block, const std::nothrow_t&) noexcept { std::free(block); }
void operator delete[](void* block, const std::nothrow_t&) noexcept { std::free(block); }
#endif
