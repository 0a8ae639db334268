/* Keep-alive: sequential calls on one client reuse one connection, observed server-side. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

static void test_sequential_calls_share_a_connection(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_client *c = tu_fixture_client(s);
    for (int i = 0; i < 20; i++) {
        tp_result *r = NULL;
        assert_int_equal(i % 2 ? tp_tokens_list(c, NULL, &r) : tp_databases_list(c, "acme", NULL, &r), TP_OK);
        tp_result_free(r);
    }
    assert_int_equal(fx_request_count(s), 20);
    assert_int_equal(fx_connection_count(s), 1);
    tp_client_free(c);
    fx_stop(s);
}

static void test_mixed_methods_and_bodies_share_a_connection(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_client *c = tu_fixture_client(s);
    for (int i = 0; i < 5; i++) {
        tp_result *r = NULL;
        assert_int_equal(tp_databases_create(c, "acme", "db1", NULL, &r), TP_OK);
        tp_result_free(r);
        r = NULL;
        assert_int_equal(tp_databases_delete(c, "acme", "db1", NULL, &r), TP_OK);
        tp_result_free(r);
        r = NULL;
        fx_push(s, 404, NULL, "{\"error\":\"nope\"}", 0);
        assert_int_equal(tp_databases_get(c, "acme", "db1", NULL, &r), TP_E_NOT_FOUND);
        tp_result_free(r);
    }
    assert_int_equal(fx_request_count(s), 15);
    assert_int_equal(fx_connection_count(s), 1);
    tp_client_free(c);
    fx_stop(s);
}

static void test_server_close_is_survived(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_client *c = tu_fixture_client(s);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_list(c, NULL, &r), TP_OK);
    tp_result_free(r);
    /* The server drops the kept-alive connection: a GET still succeeds on a fresh one. */
    fx_push_close(s);
    r = NULL;
    assert_int_equal(tp_tokens_list(c, NULL, &r), TP_OK);
    tp_result_free(r);
    assert_int_equal(fx_connection_count(s), 2);
    tp_client_free(c);
    fx_stop(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sequential_calls_share_a_connection),
        cmocka_unit_test(test_mixed_methods_and_bodies_share_a_connection),
        cmocka_unit_test(test_server_close_is_survived),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
