// Prefetching: the data plane's frames (which a worker rewrites) and the EAMT's lines (which its
// lookups read a few stages later, EamTable::prefetch_slots4).
//
// asm statements, not __builtin_prefetch: GCC counts the builtin as free of side effects, so a loop
// that only prefetches (one per prefix length) is deleted whole under C++'s forward-progress rule.
#pragma once

namespace siit {

// Fetches the cache line at `p` into every cache level, for reading.
inline void prefetch_for_read(const void* p) {
#if defined(__x86_64__)
    asm volatile("prefetcht0 %0" : : "m"(*static_cast<const volatile char*>(p)));
#else
    __builtin_prefetch(p, 0, 3);
#endif
}

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

} // namespace siit
