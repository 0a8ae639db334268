// A cancellation flag shared between a caller and calls in flight.
#pragma once

#include <atomic>

namespace turso::platform {

// Triggering is a single lock-free store, so it is safe from a signal handler.
struct Cancel {
    std::atomic<int> triggered{0};
    static_assert(std::atomic<int>::is_always_lock_free, "signal-safe cancel needs a lock-free atomic");

    void trigger() { triggered.store(1, std::memory_order_relaxed); }
    void reset() { triggered.store(0, std::memory_order_relaxed); }
    bool is_triggered() const { return triggered.load(std::memory_order_relaxed) != 0; }
};

} // namespace turso::platform
