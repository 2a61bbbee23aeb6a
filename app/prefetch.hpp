// Prefetching for frames the worker is about to rewrite.
#pragma once

namespace siitd {

// Fetches the cache line at `p` ready to be written. Workers rewrite every frame's headers and
// its mbuf's offsets; a line fetched for reading (rte_prefetch0) needs a second round trip to the
// core or NIC that wrote it last before the write can complete.
inline void prefetch_for_write(const void* p) {
#if defined(__x86_64__)
    asm volatile("prefetchw %0" : : "m"(*static_cast<const volatile char*>(p)));
#else
    __builtin_prefetch(p, 1, 3);
#endif
}

} // namespace siitd
