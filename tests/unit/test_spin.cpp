/* The adaptive spin policy of single calls (src/spin.h): which calls wait for their answer by
 * polling without sleeping. Internal: the policy is not visible through the public header, and
 * its effect (a faster answer from a local server) is timing, which belongs in bench/. */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <chrono>
#include <thread>

extern "C" { // this cmocka.h declares its functions without C linkage for C++
#include <cmocka.h>
}

#include "spin.h"

using turso::platform::SpinPolicy;
using turso::platform::SpinWait;

// How many calls in a row begin without spinning.
static int calls_skipped(SpinPolicy &policy) {
    int skipped = 0;
    while (!policy.begin_call()) {
        ++skipped;
        assert_true(skipped <= SpinPolicy::kMaxSkip); // never skips for ever
    }
    return skipped;
}

static void test_a_new_handle_spins_and_keeps_spinning_while_answers_come_in_time(void **) {
    SpinPolicy policy;
    for (int i = 0; i < 1000; i++) {
        assert_true(policy.begin_call());
        policy.answered();
    }
}

static void test_a_miss_skips_the_next_calls_then_tries_again(void **) {
    SpinPolicy policy;
    assert_true(policy.begin_call());
    policy.missed();
    assert_int_equal(calls_skipped(policy), SpinPolicy::kFirstSkip);
}

static void test_misses_in_a_row_double_the_skip_up_to_the_limit(void **) {
    SpinPolicy policy;
    int expected = SpinPolicy::kFirstSkip;
    assert_true(policy.begin_call());
    for (int i = 0; i < 8; i++) {
        policy.missed();
        assert_int_equal(calls_skipped(policy), expected); // the call after them spins again
        expected = expected * 2 > SpinPolicy::kMaxSkip ? SpinPolicy::kMaxSkip : expected * 2;
    }
    assert_int_equal(expected, SpinPolicy::kMaxSkip); // the loop reached the limit
}

static void test_an_answer_in_time_resets_the_skip(void **) {
    SpinPolicy policy;
    assert_true(policy.begin_call());
    for (int i = 0; i < 5; i++) { // 4, 8, 16, 32, 64 calls skipped, each time up to a call that spins
        policy.missed();
        calls_skipped(policy);
    }
    policy.answered();
    policy.missed();
    assert_int_equal(calls_skipped(policy), SpinPolicy::kFirstSkip);
}

static void test_the_window_is_short_against_a_remote_call(void **) {
    // A remote call spins at most once per kMaxSkip + 1 calls for this long; it must stay a small
    // fraction of a millisecond, the least a call over a network takes.
    assert_true(SpinPolicy::kSpinWindow.count() > 0);
    assert_true(SpinPolicy::kSpinWindow.count() <= 200);
}

static void test_a_wait_answered_in_its_window_resets_the_backoff(void **) {
    SpinPolicy policy;
    assert_true(policy.begin_call());
    policy.missed(); // skip 4; the next miss in a row would skip 8
    for (int i = 0; i < SpinPolicy::kFirstSkip; i++)
        assert_false(policy.begin_call());
    {
        SpinWait wait(policy, true); // the call after the skipped ones spins again
        wait.answered();
        assert_false(wait.keep_polling()); // done: no more polling for this wait
    }
    policy.missed();
    assert_int_equal(calls_skipped(policy), SpinPolicy::kFirstSkip); // not 8: the answer reset it
}

static void test_a_wait_past_its_window_is_a_miss(void **) {
    SpinPolicy policy;
    SpinWait wait(policy, true);
    std::this_thread::sleep_for(std::chrono::milliseconds(2)); // far past the window
    assert_false(wait.keep_polling());
    wait.answered(); // too late: still a miss
    assert_int_equal(calls_skipped(policy), SpinPolicy::kFirstSkip);
}

static void test_a_wait_that_may_not_spin_leaves_the_policy_alone(void **) {
    SpinPolicy policy;
    assert_true(policy.begin_call());
    policy.missed(); // the next kFirstSkip calls sleep at once
    for (int i = 0; i < 3; i++) {
        SpinWait wait(policy, false); // too many calls waiting: not counted among them
        assert_false(wait.keep_polling());
    }
    assert_int_equal(calls_skipped(policy), SpinPolicy::kFirstSkip);
}

static void test_on_one_cpu_no_call_spins(void **) {
    // main() pinned this process to one CPU before anything asked how many there are.
    assert_true(SpinPolicy::leaves_a_cpu(0));
    assert_false(SpinPolicy::leaves_a_cpu(1)); // a lone call would only keep the server from its CPU
    assert_false(SpinPolicy::leaves_a_cpu(16));
}

int main(void) {
    // One CPU, the first this process may use: leaves_a_cpu reads the affinity mask once.
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
    int first = 0;
    while (!CPU_ISSET(first, &set))
        ++first;
    CPU_ZERO(&set);
    CPU_SET(first, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) return 1;

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_on_one_cpu_no_call_spins),
        cmocka_unit_test(test_a_wait_answered_in_its_window_resets_the_backoff),
        cmocka_unit_test(test_a_wait_past_its_window_is_a_miss),
        cmocka_unit_test(test_a_wait_that_may_not_spin_leaves_the_policy_alone),
        cmocka_unit_test(test_a_new_handle_spins_and_keeps_spinning_while_answers_come_in_time),
        cmocka_unit_test(test_a_miss_skips_the_next_calls_then_tries_again),
        cmocka_unit_test(test_misses_in_a_row_double_the_skip_up_to_the_limit),
        cmocka_unit_test(test_an_answer_in_time_resets_the_skip),
        cmocka_unit_test(test_the_window_is_short_against_a_remote_call),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
