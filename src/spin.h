// When a call waits for its answer by polling without sleeping first (client.cpp; batch.cpp with
// fewer calls in flight than CPUs).
//
// Adaptive spinning, as mutexes do before they sleep: a server on the same machine (turso-local)
// answers a cheap call within tens of microseconds, and going to sleep in poll() only to be woken
// by that answer costs about as much again (a cross-core wake-up: ~20 µs on a VM). So a call
// first polls without sleeping for up to kSpinWindow. A handle whose answer did not come within
// the window (a remote server, a loaded one) sleeps at once for its next calls, 4 after one miss,
// twice as many after each further miss in a row, at most kMaxSkip: against the real service a
// call spends the window's CPU once in 65 calls. And no call spins while as many calls wait as
// there are CPUs the process may use (leaves_a_cpu): the server would have none left to answer.
#pragma once

#include <chrono>
#include <thread>
#ifdef __linux__
#include <sched.h>
#endif

namespace turso::platform {

class SpinPolicy {
  public:
    static constexpr std::chrono::microseconds kSpinWindow{100};
    static constexpr int kFirstSkip = 4, kMaxSkip = 64;

    // Whether the call starting now may spin; counts it among the calls to skip.
    bool begin_call() {
        if (skip_ == 0) return true;
        --skip_;
        return false;
    }
    // The answer came within the window.
    void answered() { next_skip_ = kFirstSkip; }
    // The answer did not come within the window: skip the next calls, twice as many as after the
    // last miss in a row.
    void missed() {
        skip_ = next_skip_;
        next_skip_ = next_skip_ * 2 > kMaxSkip ? kMaxSkip : next_skip_ * 2;
    }

    // Whether `calls` waiting at once leave a CPU for the server: fewer calls than the CPUs this
    // process may run on (its affinity mask when first asked: taskset, cpusets).
    static bool leaves_a_cpu(long calls) { return calls < usable_cpus(); }

  private:
    static long usable_cpus();

    int skip_ = 0;
    int next_skip_ = kFirstSkip;
};

inline long SpinPolicy::usable_cpus() {
    static const long n = [] {
#ifdef __linux__
        cpu_set_t set;
        if (sched_getaffinity(0, sizeof set, &set) == 0) return static_cast<long>(CPU_COUNT(&set));
#endif
        return static_cast<long>(std::thread::hardware_concurrency()); // 0 when unknown: never spin
    }();
    return n;
}

} // namespace turso::platform
