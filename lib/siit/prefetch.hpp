// Prefetching for lookups that a worker starts a few packets ahead (EamTable::prefetch4).
#pragma once

namespace siit {

// Fetches the cache line at `p` into every cache level, for reading. An asm statement, not
// __builtin_prefetch: GCC counts the builtin as free of side effects, so a loop that only
// prefetches (one per prefix length) is deleted whole under C++'s forward-progress rule.
inline void prefetch_for_read(const void* p) {
#if defined(__x86_64__)
    asm volatile("prefetcht0 %0" : : "m"(*static_cast<const volatile char*>(p)));
#else
    __builtin_prefetch(p, 0, 3);
#endif
}

} // namespace siit
