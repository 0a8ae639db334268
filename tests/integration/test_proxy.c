/* tp_options_set_proxy: requests go through the given HTTP proxy (the fixture, which sees the
 * absolute-form request line); NULL removes it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

static void test_requests_go_through_the_proxy(void **state) {
    (void)state;
    fx_server *proxy = fx_start();
    /* A host that does not resolve: only the proxy can answer for it. */
    tp_options *o = tu_options("http://api.turso.invalid");
    assert_int_equal(tp_options_set_proxy(o, fx_url(proxy)), TP_OK);
    assert_int_equal(tp_options_set_retry(o, 1, 1), TP_OK);
    tp_client *c = tu_client(o);
    fx_push(proxy, 200, NULL, "{\"exp\":-1}", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(c, NULL, &r), TP_OK);
    assert_int_equal(tp_value_int64(tp_value_get(tp_result_value(r), "exp")), -1);
    tp_result_free(r);
    const fx_request *q = fx_request_at(proxy, 0);
    assert_non_null(q);
    assert_string_equal(q->target, "http://api.turso.invalid/v1/auth/validate");
    char *host = fx_header(q, "Host");
    assert_string_equal(host, "api.turso.invalid");
    free(host);
    tp_client_free(c);
    fx_stop(proxy);
}

static void test_null_proxy_goes_direct(void **state) {
    (void)state;
    fx_server *proxy = fx_start(), *api = fx_start();
    tp_options *o = tu_options(fx_url(api));
    assert_int_equal(tp_options_set_proxy(o, fx_url(proxy)), TP_OK);
    assert_int_equal(tp_options_set_proxy(o, NULL), TP_OK);
    tp_client *c = tu_client(o);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(c, NULL, &r), TP_OK);
    tp_result_free(r);
    assert_int_equal(fx_request_count(proxy), 0);
    assert_int_equal(fx_request_count(api), 1);
    assert_string_equal(fx_request_at(api, 0)->target, "/v1/auth/validate");
    tp_client_free(c);
    fx_stop(proxy);
    fx_stop(api);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_requests_go_through_the_proxy),
        cmocka_unit_test(test_null_proxy_goes_direct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
