/* JSON access through tp_value_*: types, lookups, iteration, numbers, to_json and NULL safety. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

static const char *BODY =
    "{\"databases\":[{\"Name\":\"db1\",\"Hostname\":\"db1-acme.turso.io\",\"regions\":[\"ams\",\"fra\"]},"
    "{\"Name\":\"db2\"}],"
    "\"count\":2,\"big\":9007199254740992,\"neg\":-42,\"frac\":3.75,\"nfrac\":-3.75,"
    "\"huge\":1e300,\"nhuge\":-1e300,\"yes\":true,\"no\":false,\"nothing\":null,"
    "\"text\":\"h\\u00e9llo \\\"q\\\"\",\"empty_obj\":{},\"empty_arr\":[],"
    "\"near_max\":9212345012354740993,\"top\":9223372036854774784,\"two63\":9223372036854775808,"
    "\"minus_two63\":-9223372036854775808,\"Count\":7}";
#define ROOT_MEMBERS 19

typedef struct {
    fx_server *server;
    tp_client *client;
    tp_result *result;
    const tp_value *root;
} env;

static int setup(void **state) {
    env *e = calloc(1, sizeof *e);
    e->server = fx_start();
    e->client = tu_fixture_client(e->server);
    fx_push(e->server, 200, NULL, BODY, 0);
    assert_int_equal(tp_request(e->client, "GET", "/json", NULL, 0, &e->result), TP_OK);
    e->root = tp_result_value(e->result);
    assert_non_null(e->root);
    *state = e;
    return 0;
}

static int teardown(void **state) {
    env *e = *state;
    tp_result_free(e->result);
    tp_client_free(e->client);
    fx_stop(e->server);
    free(e);
    return 0;
}

static void test_types(void **state) {
    const tp_value *v = ((env *)*state)->root;
    assert_int_equal(tp_value_type_of(v), TP_VALUE_OBJECT);
    assert_int_equal(tp_value_type_of(tp_value_get(v, "databases")), TP_VALUE_ARRAY);
    assert_int_equal(tp_value_type_of(tp_value_get(v, "count")), TP_VALUE_NUMBER);
    assert_int_equal(tp_value_type_of(tp_value_get(v, "text")), TP_VALUE_STRING);
    assert_int_equal(tp_value_type_of(tp_value_get(v, "yes")), TP_VALUE_BOOL);
    assert_int_equal(tp_value_type_of(tp_value_get(v, "no")), TP_VALUE_BOOL);
    assert_int_equal(tp_value_type_of(tp_value_get(v, "nothing")), TP_VALUE_NULL);
    assert_int_equal(tp_value_type_of(tp_value_get(v, "missing")), TP_VALUE_NONE);
    assert_int_equal(tp_value_type_of(NULL), TP_VALUE_NONE);
}

static void test_get(void **state) {
    const tp_value *v = ((env *)*state)->root;
    assert_int_equal(tp_value_int64(tp_value_get(v, "count")), 2);
    /* Keys are case-sensitive. */
    assert_int_equal(tp_value_int64(tp_value_get(v, "Count")), 7);
    assert_null(tp_value_get(v, "COUNT"));
    assert_null(tp_value_get(v, NULL));
    assert_null(tp_value_get(NULL, "count"));
    /* get on a non-object answers nothing. */
    assert_null(tp_value_get(tp_value_get(v, "databases"), "Name"));
    assert_null(tp_value_get(tp_value_get(v, "count"), "x"));
}

static void test_strings(void **state) {
    const tp_value *v = ((env *)*state)->root;
    assert_string_equal(tp_value_string(tp_value_get(v, "text")), "h\xc3\xa9llo \"q\"");
    assert_null(tp_value_string(tp_value_get(v, "count")));
    assert_null(tp_value_string(tp_value_get(v, "nothing")));
    assert_null(tp_value_string(NULL));
}

static void test_at_and_length(void **state) {
    const tp_value *v = ((env *)*state)->root;
    const tp_value *dbs = tp_value_get(v, "databases");
    assert_int_equal(tp_value_length(dbs), 2);
    assert_string_equal(tp_value_string(tp_value_get(tp_value_at(dbs, 0), "Name")), "db1");
    assert_string_equal(tp_value_string(tp_value_get(tp_value_at(dbs, 1), "Name")), "db2");
    assert_null(tp_value_at(dbs, 2));
    assert_null(tp_value_at(dbs, (size_t)-1));
    /* at on an object gives its members in order, with their keys. */
    assert_int_equal(tp_value_length(v), ROOT_MEMBERS);
    assert_string_equal(tp_value_key(tp_value_at(v, 0)), "databases");
    assert_string_equal(tp_value_key(tp_value_at(v, 1)), "count");
    assert_string_equal(tp_value_key(tp_value_at(v, ROOT_MEMBERS - 1)), "Count");
    assert_null(tp_value_at(v, ROOT_MEMBERS));
    assert_int_equal(tp_value_length(tp_value_get(v, "empty_obj")), 0);
    assert_int_equal(tp_value_length(tp_value_get(v, "empty_arr")), 0);
    assert_int_equal(tp_value_length(tp_value_get(v, "text")), 0);
    assert_int_equal(tp_value_length(tp_value_get(v, "count")), 0);
    assert_int_equal(tp_value_length(NULL), 0);
    assert_null(tp_value_at(tp_value_get(v, "text"), 0));
    assert_null(tp_value_at(NULL, 0));
    /* Array elements have no key. */
    assert_null(tp_value_key(tp_value_at(dbs, 0)));
    assert_null(tp_value_key(v));
    assert_null(tp_value_key(NULL));
}

static void test_iteration(void **state) {
    const tp_value *v = ((env *)*state)->root;
    size_t n = 0;
    for (const tp_value *m = tp_value_first(v); m; m = tp_value_next(m)) {
        assert_ptr_equal(m, tp_value_at(v, n));
        assert_non_null(tp_value_key(m));
        n++;
    }
    assert_int_equal(n, ROOT_MEMBERS);

    const tp_value *regions = tp_value_path(v, "databases.0.regions");
    const tp_value *r0 = tp_value_first(regions);
    assert_string_equal(tp_value_string(r0), "ams");
    assert_string_equal(tp_value_string(tp_value_next(r0)), "fra");
    assert_null(tp_value_next(tp_value_next(r0)));
    assert_null(tp_value_first(tp_value_get(v, "empty_arr")));
    assert_null(tp_value_first(tp_value_get(v, "empty_obj")));
    assert_null(tp_value_first(tp_value_get(v, "count")));
    assert_null(tp_value_first(NULL));
    assert_null(tp_value_next(NULL));
}

static void test_path(void **state) {
    const tp_value *v = ((env *)*state)->root;
    assert_string_equal(tp_value_string(tp_value_path(v, "databases.0.Name")), "db1");
    assert_string_equal(tp_value_string(tp_value_path(v, "databases.1.Name")), "db2");
    assert_string_equal(tp_value_string(tp_value_path(v, "databases.0.Hostname")), "db1-acme.turso.io");
    assert_string_equal(tp_value_string(tp_value_path(v, "databases.0.regions.1")), "fra");
    assert_int_equal(tp_value_int64(tp_value_path(v, "count")), 2);
    assert_ptr_equal(tp_value_path(v, "databases"), tp_value_get(v, "databases"));
    assert_null(tp_value_path(v, "databases.2.Name"));
    assert_null(tp_value_path(v, "databases.x.Name"));
    assert_null(tp_value_path(v, "databases.0.Missing"));
    assert_null(tp_value_path(v, "count.0"));
    assert_null(tp_value_path(v, "missing.key"));
    assert_null(tp_value_path(v, NULL));
    assert_null(tp_value_path(NULL, "databases.0.Name"));
}

static void test_numbers(void **state) {
    const tp_value *v = ((env *)*state)->root;
    assert_true(tp_value_int64(tp_value_get(v, "big")) == INT64_C(9007199254740992));
    assert_int_equal(tp_value_int64(tp_value_get(v, "neg")), -42);
    assert_int_equal(tp_value_int64(tp_value_get(v, "frac")), 3);
    assert_int_equal(tp_value_int64(tp_value_get(v, "nfrac")), -3);
    assert_true(tp_value_int64(tp_value_get(v, "huge")) == INT64_MAX);
    assert_true(tp_value_int64(tp_value_get(v, "nhuge")) == INT64_MIN);
    /* Below 2^63 every double converts exactly: 9212345012354740993 as its nearest double,
     * 9212345012354741248, and the largest double under 2^63; from 2^63 up it saturates. */
    assert_true(tp_value_int64(tp_value_get(v, "near_max")) == INT64_C(9212345012354741248));
    assert_true(tp_value_int64(tp_value_get(v, "top")) == INT64_C(9223372036854774784));
    assert_true(tp_value_int64(tp_value_get(v, "two63")) == INT64_MAX);
    assert_true(tp_value_int64(tp_value_get(v, "minus_two63")) == INT64_MIN);
    assert_true(tp_value_number(tp_value_get(v, "frac")) == 3.75);
    assert_true(tp_value_number(tp_value_get(v, "huge")) == 1e300);
    /* Not a number: 0. */
    assert_int_equal(tp_value_int64(tp_value_get(v, "text")), 0);
    assert_int_equal(tp_value_int64(tp_value_get(v, "yes")), 0);
    assert_true(tp_value_number(tp_value_get(v, "text")) == 0.0);
    assert_int_equal(tp_value_int64(NULL), 0);
    assert_true(tp_value_number(NULL) == 0.0);
}

static void test_bool_and_null(void **state) {
    const tp_value *v = ((env *)*state)->root;
    assert_int_equal(tp_value_bool(tp_value_get(v, "yes")), 1);
    assert_int_equal(tp_value_bool(tp_value_get(v, "no")), 0);
    assert_int_equal(tp_value_bool(tp_value_get(v, "count")), 0);
    assert_int_equal(tp_value_bool(tp_value_get(v, "text")), 0);
    assert_int_equal(tp_value_bool(NULL), 0);
    assert_int_equal(tp_value_is_null(tp_value_get(v, "nothing")), 1);
    assert_int_equal(tp_value_is_null(tp_value_get(v, "no")), 0);
    assert_int_equal(tp_value_is_null(tp_value_get(v, "missing")), 0);
    assert_int_equal(tp_value_is_null(NULL), 0);
}

static void test_to_json(void **state) {
    const tp_value *v = ((env *)*state)->root;
    char *s = NULL;
    assert_int_equal(tp_value_to_json(tp_value_path(v, "databases.1"), 0, &s), TP_OK);
    assert_string_equal(s, "{\"Name\":\"db2\"}");
    tp_string_free(s);
    s = NULL;
    assert_int_equal(tp_value_to_json(tp_value_path(v, "databases.0.regions"), 0, &s), TP_OK);
    assert_string_equal(s, "[\"ams\",\"fra\"]");
    tp_string_free(s);
    s = NULL;
    assert_int_equal(tp_value_to_json(tp_value_get(v, "nothing"), 0, &s), TP_OK);
    assert_string_equal(s, "null");
    tp_string_free(s);
    s = NULL;
    /* Pretty output is indented over several lines and parses back to the same value. */
    assert_int_equal(tp_value_to_json(v, 1, &s), TP_OK);
    assert_non_null(strchr(s, '\n'));
    assert_non_null(strstr(s, "\"db1-acme.turso.io\""));
    tp_string_free(s);
    s = NULL;
    assert_int_equal(tp_value_to_json(NULL, 0, &s), TP_E_INVALID_ARGUMENT);
    assert_null(s);
    assert_int_equal(tp_value_to_json(v, 0, NULL), TP_E_INVALID_ARGUMENT);
    tp_string_free(NULL);
}

static void test_non_json_body_has_no_value(void **state) {
    env *e = *state;
    fx_push(e->server, 200, "Content-Type: text/plain\r\n", "plain text", 0);
    tp_result *r = NULL;
    tp_request(e->client, "GET", "/text", NULL, 0, &r);
    assert_non_null(r);
    assert_null(tp_result_value(r));
    size_t len = 0;
    assert_string_equal(tp_result_body(r, &len), "plain text");
    assert_int_equal(len, 10);
    tp_result_free(r);
    assert_null(tp_result_value(NULL));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_at_and_length, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iteration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bool_and_null, setup, teardown),
        cmocka_unit_test_setup_teardown(test_to_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_non_json_body_has_no_value, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
