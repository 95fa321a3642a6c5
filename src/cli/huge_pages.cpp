// The CLI's allocations of several MiB (the layer, its bin codes, a tree's lists and histograms)
// ask Linux for transparent huge pages. Memory a process touches for the first time costs a page
// fault per 4 KiB page; on the virtual machines this was measured on, that was 3 ms per MiB
// against 0.1–0.3 ms per MiB on 2 MiB pages, as much as the probe's own work on some layers.
// Debian's default ("madvise") gives huge pages only to ranges marked so, hence the replaced
// global allocation functions, which are the executable's to replace and not the library's.
// Everything else is what the standard ones do: malloc and free underneath, the new-handler loop.
// Sanitizer builds keep their own allocation functions, which check new/delete pairing.
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace {

constexpr std::size_t huge_page_bytes = std::size_t{2} << 20;

void ask_for_huge_pages(void* block, std::size_t size) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    // Only the whole 2 MiB pages inside the block; the kernel keeps the rest on small pages.
    if (size < 2 * huge_page_bytes) return;
    const auto start = reinterpret_cast<std::uintptr_t>(block);
    const std::uintptr_t first = (start + huge_page_bytes - 1) & ~(huge_page_bytes - 1);
    const std::uintptr_t last = (start + size) & ~(huge_page_bytes - 1);
    // A refusal (a kernel without THP) leaves the block as it was: nothing to report.
    if (last > first) (void)madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
    (void)block;
    (void)size;
#endif
}

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
