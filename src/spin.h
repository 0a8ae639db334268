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

// One wait for an answer under a handle's policy: polls without sleeping while the window lasts.
class SpinWait {
  public:
    SpinWait(SpinPolicy &policy, bool may_spin)
        : policy_(policy), spinning_(may_spin && policy.begin_call()) {
        if (spinning_) until_ = std::chrono::steady_clock::now() + SpinPolicy::kSpinWindow;
    }
    SpinWait(const SpinWait &) = delete;
    SpinWait &operator=(const SpinWait &) = delete;

    // Nothing to read yet: whether to poll again without sleeping. False once the window has
    // passed (a miss, told to the policy) or when this wait does not spin.
    bool keep_polling() {
        if (!spinning_) return false;
        if (std::chrono::steady_clock::now() < until_) return true;
        spinning_ = false;
        policy_.missed();
        return false;
    }
    // The answer came; within the window if the wait still spins.
    void answered() {
        if (!spinning_) return;
        spinning_ = false;
        policy_.answered();
    }

  private:
    SpinPolicy &policy_;
    bool spinning_;
    std::chrono::steady_clock::time_point until_;
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
