/* tp_cancel: a slow call carrying a cancel handle ends with TP_E_CANCELLED when another thread
 * triggers it; a handle triggered beforehand stops the call before anything is sent. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

typedef struct {
    fx_server *server;
    tp_cancel *cancel;
} trigger_arg;

static void *trigger_when_sent(void *arg) {
    trigger_arg *t = arg;
    fx_wait_requests(t->server, 1, 10000);
    tp_cancel_trigger(t->cancel);
    return NULL;
}

static void test_cancel_slow_call(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_client *c = tu_fixture_client(s);
    fx_push(s, 200, NULL, "{}", 20000);
    tp_cancel *cancel = NULL;
    assert_int_equal(tp_cancel_new(&cancel), TP_OK);
    assert_int_equal(tp_cancel_is_triggered(cancel), 0);
    tp_params *p = NULL;
    assert_int_equal(tp_params_new(&p), TP_OK);
    assert_int_equal(tp_params_set_cancel(p, cancel), TP_OK);

    trigger_arg arg = {s, cancel};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, trigger_when_sent, &arg), 0);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(c, p, &r), TP_E_CANCELLED);
    pthread_join(t, NULL);
    assert_int_equal(tp_result_status(r), TP_E_CANCELLED);
    assert_int_equal(tp_result_http_status(r), 0);
    tp_result_free(r);
    assert_int_equal(tp_cancel_is_triggered(cancel), 1);
    assert_int_equal(fx_request_count(s), 1); /* cancelled, not retried */

    /* Sticky until reset: the next call with it is cancelled at once, unsent. */
    r = NULL;
    assert_int_equal(tp_tokens_validate(c, p, &r), TP_E_CANCELLED);
    tp_result_free(r);
    assert_int_equal(fx_request_count(s), 1);

    tp_cancel_reset(cancel);
    assert_int_equal(tp_cancel_is_triggered(cancel), 0);
    r = NULL;
    assert_int_equal(tp_tokens_validate(c, p, &r), TP_OK);
    tp_result_free(r);

    tp_params_free(p);
    tp_cancel_free(cancel);
    tp_client_free(c);
    fx_stop(s);
}

static void test_cancel_raw_request(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_client *c = tu_fixture_client(s);
    fx_push(s, 200, NULL, "{}", 20000);
    tp_cancel *cancel = NULL;
    assert_int_equal(tp_cancel_new(&cancel), TP_OK);
    tp_params *p = NULL;
    assert_int_equal(tp_params_new(&p), TP_OK);
    assert_int_equal(tp_params_set_cancel(p, cancel), TP_OK);
    trigger_arg arg = {s, cancel};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, trigger_when_sent, &arg), 0);
    tp_result *r = NULL;
    assert_int_equal(tp_request_with(c, "POST", "/v1/slow", "{}", 2, p, &r), TP_E_CANCELLED);
    pthread_join(t, NULL);
    tp_result_free(r);
    tp_params_free(p);
    tp_cancel_free(cancel);
    tp_client_free(c);
    fx_stop(s);
}

static void test_cancel_during_retry_wait(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_client *c = tu_fixture_client(s);
    /* The server asks for a 5 s pause before the retry (within the client's 10 s timeout, so the
     * wait is begun); the cancel must end it. If the library slept through it, the retry would
     * get the 200 below and the call would succeed. */
    fx_push(s, 503, "Retry-After: 5\r\n", "{\"error\":\"busy\"}", 0);
    fx_push(s, 200, NULL, "{}", 0);
    tp_cancel *cancel = NULL;
    assert_int_equal(tp_cancel_new(&cancel), TP_OK);
    tp_params *p = NULL;
    assert_int_equal(tp_params_new(&p), TP_OK);
    assert_int_equal(tp_params_set_cancel(p, cancel), TP_OK);
    trigger_arg arg = {s, cancel};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, trigger_when_sent, &arg), 0);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_list(c, p, &r), TP_E_CANCELLED);
    pthread_join(t, NULL);
    tp_result_free(r);
    assert_int_equal(fx_request_count(s), 1);
    tp_params_free(p);
    tp_cancel_free(cancel);
    tp_client_free(c);
    fx_stop(s);
}

static void test_null_safety(void **state) {
    (void)state;
    assert_int_equal(tp_cancel_new(NULL), TP_E_INVALID_ARGUMENT);
    tp_cancel_trigger(NULL);
    tp_cancel_reset(NULL);
    assert_int_equal(tp_cancel_is_triggered(NULL), 0);
    tp_cancel_free(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cancel_slow_call),
        cmocka_unit_test(test_cancel_raw_request),
        cmocka_unit_test(test_cancel_during_retry_wait),
        cmocka_unit_test(test_null_safety),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
