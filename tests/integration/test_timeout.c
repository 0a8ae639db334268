/* Timeouts: an answer delayed past the total timeout gives TP_E_TIMEOUT, from the client's
 * setting or a per-call one; a connection that cannot be made in time too. */
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_timeout),
        cmocka_unit_test(test_per_call_timeout_overrides),
        cmocka_unit_test(test_delayed_but_in_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
