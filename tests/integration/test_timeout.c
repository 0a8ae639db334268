/* Timeouts: an answer delayed past the total timeout gives TP_E_TIMEOUT, from the client's
 * setting or a per-call one; either bounds the whole call, every attempt and every wait
 * between them, and a batch call from when it starts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

static void test_client_timeout(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_options *o = tu_options(fx_url(s));
    assert_int_equal(tp_options_set_timeout_ms(o, 200), TP_OK);
    assert_int_equal(tp_options_set_retry(o, 1, 1), TP_OK);
    tp_client *c = tu_client(o);
    fx_push(s, 200, NULL, "{}", 5000);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(c, NULL, &r), TP_E_TIMEOUT);
    assert_int_equal(tp_result_http_status(r), 0);
    assert_true(strlen(tp_result_message(r)) > 0);
    tp_result_free(r);
    /* The client stays usable afterwards. */
    r = NULL;
    assert_int_equal(tp_tokens_validate(c, NULL, &r), TP_OK);
    tp_result_free(r);
    tp_client_free(c);
    fx_stop(s);
}

static void test_per_call_timeout_overrides(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_options *o = tu_options(fx_url(s)); /* client timeout 10 s */
    assert_int_equal(tp_options_set_retry(o, 1, 1), TP_OK);
    tp_client *c = tu_client(o);
    fx_push(s, 200, NULL, "{}", 5000);
    tp_params *p = NULL;
    assert_int_equal(tp_params_new(&p), TP_OK);
    assert_int_equal(tp_params_set_timeout_ms(p, 200), TP_OK);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(c, p, &r), TP_E_TIMEOUT);
    tp_result_free(r);
    r = NULL;
    fx_push(s, 200, NULL, "{}", 5000);
    assert_int_equal(tp_request_with(c, "GET", "/v1/slow", NULL, 0, p, &r), TP_E_TIMEOUT);
    tp_result_free(r);
    tp_params_free(p);
    tp_client_free(c);
    fx_stop(s);
}

static void test_delayed_but_in_time(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_options *o = tu_options(fx_url(s));
    assert_int_equal(tp_options_set_timeout_ms(o, 5000), TP_OK);
    tp_client *c = tu_client(o);
    fx_push(s, 200, NULL, "{\"exp\":5}", 100);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(c, NULL, &r), TP_OK);
    assert_int_equal(tp_value_int64(tp_value_get(tp_result_value(r), "exp")), 5);
    tp_result_free(r);
    tp_client_free(c);
    fx_stop(s);
}

/* A client whose retries would go on without the timeout: 3 attempts, 1 ms base delay. */
static tp_client *retrying_client(fx_server *s, int32_t timeout_ms) {
    tp_options *o = tu_options(fx_url(s));
    assert_int_equal(tp_options_set_retry(o, 3, 1), TP_OK);
    if (timeout_ms) assert_int_equal(tp_options_set_timeout_ms(o, timeout_ms), TP_OK);
    return tu_client(o);
}

static tp_params *timeout_params(int32_t ms) {
    tp_params *p = NULL;
    assert_int_equal(tp_params_new(&p), TP_OK);
    assert_int_equal(tp_params_set_timeout_ms(p, ms), TP_OK);
    return p;
}

/* A GET that times out would be retried, but the 500 ms are the whole call's: one attempt,
 * about 500 ms (per attempt it was 3 attempts and 1.5 s). */
static void expect_whole_call_bounded(tp_client *c, const tp_params *p) {
    int64_t t0 = fx_now_ms();
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(c, p, &r), TP_E_TIMEOUT);
    int64_t took = fx_now_ms() - t0;
    if (took < 450 || took > 1200) fail_msg("the call took %lld ms for a 500 ms timeout", (long long)took);
    assert_int_equal(tp_result_attempts(r), 1);
    assert_true(tu_contains(tp_result_message(r), "timeout of 500 ms"));
    tp_result_free(r);
}

static void test_per_call_timeout_bounds_retries(void **state) {
    (void)state;
    fx_server *s = fx_start();
    fx_set_default(s, 200, NULL, "{}", 5000);
    tp_client *c = retrying_client(s, 0);
    tp_params *p = timeout_params(500);
    expect_whole_call_bounded(c, p);
    tp_params_free(p);
    tp_client_free(c);
    fx_stop(s);
}

static void test_client_timeout_bounds_retries(void **state) {
    (void)state;
    fx_server *s = fx_start();
    fx_set_default(s, 200, NULL, "{}", 5000);
    tp_client *c = retrying_client(s, 500);
    expect_whole_call_bounded(c, NULL);
    tp_client_free(c);
    fx_stop(s);
}

/* A later attempt only gets what is left: 300 ms for a 503, then the rest of the 600 ms. */
static void test_later_attempt_gets_what_is_left(void **state) {
    (void)state;
    fx_server *s = fx_start();
    fx_push(s, 503, NULL, "{}", 300);
    fx_set_default(s, 200, NULL, "{}", 5000);
    tp_client *c = retrying_client(s, 0);
    tp_params *p = timeout_params(600);
    int64_t t0 = fx_now_ms();
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(c, p, &r), TP_E_TIMEOUT);
    int64_t took = fx_now_ms() - t0;
    if (took < 550 || took > 1100) fail_msg("the call took %lld ms for a 600 ms timeout", (long long)took);
    assert_int_equal(tp_result_attempts(r), 2);
    tp_result_free(r);
    tp_params_free(p);
    tp_client_free(c);
    fx_stop(s);
}

/* Retries that fit in the timeout still happen. */
static void test_retries_within_the_timeout(void **state) {
    (void)state;
    fx_server *s = fx_start();
    fx_push(s, 503, NULL, "{}", 0);
    fx_push(s, 503, NULL, "{}", 0);
    tp_client *c = retrying_client(s, 0);
    tp_params *p = timeout_params(2000);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(c, p, &r), TP_OK);
    assert_int_equal(tp_result_attempts(r), 3);
    tp_result_free(r);
    tp_params_free(p);
    tp_client_free(c);
    fx_stop(s);
}

/* A wait (Retry-After: 2 s) that would end past the timeout is not begun: the answer at hand
 * comes back at once instead of a timeout two seconds later. */
static void test_wait_past_the_timeout_not_begun(void **state) {
    (void)state;
    fx_server *s = fx_start();
    fx_push(s, 503, "Retry-After: 2\r\n", "{\"error\":\"busy\"}", 0);
    tp_client *c = retrying_client(s, 0);
    tp_params *p = timeout_params(1000);
    int64_t t0 = fx_now_ms();
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(c, p, &r), TP_E_SERVER);
    assert_true(fx_now_ms() - t0 < 800);
    assert_int_equal(tp_result_attempts(r), 1);
    assert_string_equal(tp_result_header(r, "Retry-After"), "2");
    tp_result_free(r);
    tp_params_free(p);
    tp_client_free(c);
    assert_int_equal(fx_request_count(s), 1);
    fx_stop(s);
}

/* In a batch each call's timeout bounds its attempts and waits too, counted from when the call
 * starts: time spent waiting for a free slot (concurrency 1 here) is not the call's. */
static void test_batch_call_timeout(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_client *c = retrying_client(s, 0);
    tp_params *p = timeout_params(500);

    fx_set_default(s, 200, NULL, "{}", 5000);
    tp_batch *b = NULL;
    assert_int_equal(tp_batch_new(c, &b), TP_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(tp_batch_add(b, "tokens.validate", p, NULL), TP_OK);
    int64_t t0 = fx_now_ms();
    assert_int_equal(tp_batch_run(b), TP_OK);
    int64_t took = fx_now_ms() - t0;
    if (took > 1200) fail_msg("the batch took %lld ms for 500 ms calls in parallel", (long long)took);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(tp_result_status(tp_batch_result(b, i)), TP_E_TIMEOUT);
        assert_int_equal(tp_result_attempts(tp_batch_result(b, i)), 1);
    }
    tp_batch_free(b);

    fx_set_default(s, 200, NULL, "{}", 300);
    assert_int_equal(tp_batch_new(c, &b), TP_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(tp_batch_add(b, "tokens.validate", p, NULL), TP_OK);
    assert_int_equal(tp_batch_set_concurrency(b, 1), TP_OK);
    assert_int_equal(tp_batch_run(b), TP_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(tp_result_status(tp_batch_result(b, i)), TP_OK);
    tp_batch_free(b);
    tp_params_free(p);
    tp_client_free(c);
    fx_stop(s);
}

/* A batch retry whose wait ends in time but finds no free slot until its call's timeout has
 * passed is not sent: the call ends with the answer it had (it was sent ~1.2 s late, and a POST
 * answered 429 would have been sent again after its deadline). */
static void test_batch_retry_without_a_slot_in_time(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_options *o = tu_options(fx_url(s));
    assert_int_equal(tp_options_set_retry(o, 3, 100), TP_OK); /* waits of 50-100 ms */
    tp_client *c = tu_client(o);
    fx_push(s, 503, NULL, "{\"error\":\"busy\"}", 0); /* call 0's first attempt */
    fx_push(s, 200, NULL, "{}", 1500);                /* call 1 holds the only slot */
    tp_params *p = timeout_params(300);
    tp_batch *b = NULL;
    assert_int_equal(tp_batch_new(c, &b), TP_OK);
    assert_int_equal(tp_batch_add(b, "tokens.validate", p, NULL), TP_OK);
    assert_int_equal(tp_batch_add(b, "tokens.validate", NULL, NULL), TP_OK);
    assert_int_equal(tp_batch_set_concurrency(b, 1), TP_OK);
    assert_int_equal(tp_batch_run(b), TP_OK);
    const tp_result *first = tp_batch_result(b, 0);
    assert_int_equal(tp_result_status(first), TP_E_SERVER);
    assert_int_equal(tp_result_http_status(first), 503);
    assert_int_equal(tp_result_attempts(first), 1);
    assert_int_equal(tp_result_status(tp_batch_result(b, 1)), TP_OK);
    assert_int_equal(fx_request_count(s), 2); /* the retry was never sent */
    tp_batch_free(b);
    tp_params_free(p);
    tp_client_free(c);
    fx_stop(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_timeout),
        cmocka_unit_test(test_per_call_timeout_overrides),
        cmocka_unit_test(test_delayed_but_in_time),
        cmocka_unit_test(test_per_call_timeout_bounds_retries),
        cmocka_unit_test(test_client_timeout_bounds_retries),
        cmocka_unit_test(test_later_attempt_gets_what_is_left),
        cmocka_unit_test(test_retries_within_the_timeout),
        cmocka_unit_test(test_wait_past_the_timeout_not_begun),
        cmocka_unit_test(test_batch_call_timeout),
        cmocka_unit_test(test_batch_retry_without_a_slot_in_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
