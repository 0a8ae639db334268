/* Argument checks: unknown operation or parameter, NULL/empty/non-UTF-8 required arguments give
 * TP_E_INVALID_ARGUMENT naming the culprit, and nothing is sent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#define BAD_UTF8 "db\xc3\x28"

typedef struct {
    fx_server *server;
    tp_client *client;
    tp_params *params;
} env;

static int setup(void **state) {
    env *e = calloc(1, sizeof *e);
    e->server = fx_start();
    e->client = tu_fixture_client(e->server); /* no default organization */
    assert_int_equal(tp_params_new(&e->params), TP_OK);
    *state = e;
    return 0;
}

static int teardown(void **state) {
    env *e = *state;
    /* None of these calls may reach the server. */
    assert_int_equal(fx_request_count(e->server), 0);
    tp_params_free(e->params);
    tp_client_free(e->client);
    fx_stop(e->server);
    free(e);
    return 0;
}

/* Checks *rp (set by the call evaluated as `st`) failed with TP_E_INVALID_ARGUMENT mentioning `name`, then
 * frees it. */
static void expect_invalid(tp_status st, tp_result **rp, const char *name) {
    tp_result *r = *rp;
    assert_int_equal(st, TP_E_INVALID_ARGUMENT);
    assert_non_null(r);
    assert_int_equal(tp_result_status(r), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_result_http_status(r), 0);
    assert_int_equal(tp_result_attempts(r), 0);
    if (!tu_contains(tp_result_message(r), name))
        fail_msg("message \"%s\" does not name \"%s\"", tp_result_message(r), name);
    tp_result_free(r);
}

static void test_unknown_op(void **state) {
    env *e = *state;
    tp_result *r = NULL;
    expect_invalid(tp_call(e->client, "databases.frobnicate", NULL, &r), &r, "databases.frobnicate");
    r = NULL;
    expect_invalid(tp_call(e->client, "", NULL, &r), &r, "");
    r = NULL;
    assert_int_equal(tp_call(e->client, NULL, NULL, &r), TP_E_INVALID_ARGUMENT);
    tp_result_free(r);
    r = NULL;
    assert_int_equal(tp_call(NULL, "tokens.list", NULL, &r), TP_E_INVALID_ARGUMENT);
    assert_non_null(r);
    tp_result_free(r);
    assert_int_equal(tp_call(e->client, "tokens.list", NULL, NULL), TP_E_INVALID_ARGUMENT);
}

static void test_unknown_param(void **state) {
    env *e = *state;
    assert_int_equal(tp_params_set_string(e->params, "colour", "blue"), TP_OK);
    tp_result *r = NULL;
    expect_invalid(tp_call(e->client, "tokens.list", e->params, &r), &r, "colour");
    r = NULL;
    /* The same name through a typed function is refused too. */
    expect_invalid(tp_databases_get(e->client, "acme", "db1", e->params, &r), &r, "colour");
}

/* The caller's parameter name appears in the message as one bounded line: newlines and control
 * characters become spaces and a long name is cut (tp_result_message is one line). */
static void test_unknown_param_message_is_one_line(void **state) {
    env *e = *state;
    assert_int_equal(tp_params_set_string(e->params, "col\r\nour\tX-Injected: 1", "blue"), TP_OK);
    tp_result *r = NULL;
    assert_int_equal(tp_call(e->client, "tokens.list", e->params, &r), TP_E_INVALID_ARGUMENT);
    const char *m = tp_result_message(r);
    assert_true(tu_contains(m, "unknown parameter 'col our X-Injected: 1'"));
    for (const char *c = m; *c; c++)
        assert_true((unsigned char)*c >= 0x20 && *c != 0x7F);
    tp_result_free(r);

    size_t n = 100000;
    char *name = malloc(n + 1);
    assert_non_null(name);
    memset(name, 'n', n);
    name[n] = '\0';
    assert_int_equal(tp_params_clear(e->params), TP_OK);
    assert_int_equal(tp_params_set_string(e->params, name, "blue"), TP_OK);
    free(name);
    r = NULL;
    assert_int_equal(tp_call(e->client, "tokens.list", e->params, &r), TP_E_INVALID_ARGUMENT);
    assert_true(tu_contains(tp_result_message(r), "unknown parameter 'nnnn"));
    assert_true(strlen(tp_result_message(r)) < 200);
    tp_result_free(r);
}

static char *filled(size_t n, char c) {
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* Inputs too large to send are TP_E_INVALID_ARGUMENT naming what is too long, not TP_E_NOMEM
 * (libcurl's failure for a request past its buffer) nor TP_E_INTERNAL (a length_error). */
static void test_too_long_inputs(void **state) {
    env *e = *state;
    char *mib = filled(1 << 20, 'd');
    tp_result *r = NULL;
    expect_invalid(tp_databases_get(e->client, "acme", mib, NULL, &r), &r, "'db' is too long");
    r = NULL;
    expect_invalid(tp_databases_get(e->client, mib, "db1", NULL, &r), &r, "'org' is too long");
    r = NULL;
    assert_int_equal(tp_params_set_string(e->params, "org", "acme"), TP_OK);
    assert_int_equal(tp_params_set_string(e->params, "db", mib), TP_OK);
    expect_invalid(tp_call(e->client, "databases.get", e->params, &r), &r, "'db' is too long");
    r = NULL;
    assert_int_equal(tp_params_clear(e->params), TP_OK);
    assert_int_equal(tp_params_set_string(e->params, "expiration", mib), TP_OK);
    expect_invalid(tp_databases_create_token(e->client, "acme", "db1", e->params, &r), &r,
                   "'expiration' is too long");
    r = NULL;
    mib[0] = '/';
    expect_invalid(tp_request(e->client, "GET", mib, NULL, 0, &r), &r, "path is too long");
    free(mib);

    /* Lengths no buffer can have. */
    const char byte = 'x';
    r = NULL;
    expect_invalid(tp_request(e->client, "POST", "/v1/x", &byte, SIZE_MAX, &r), &r, "body_len");
    r = NULL;
    expect_invalid(tp_request_with(e->client, "POST", "/v1/x", &byte, SIZE_MAX / 2, NULL, &r), &r,
                   "body_len");
    r = NULL;
    expect_invalid(tp_databases_seed(e->client, "acme", "db1", &byte, SIZE_MAX, NULL, &r), &r, "file");
    r = NULL;
    expect_invalid(tp_databases_upload_dump(e->client, "acme", &byte, SIZE_MAX, NULL, &r), &r, "file");
    assert_int_equal(tp_params_set_bytes(e->params, "file", &byte, SIZE_MAX), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_bytes(e->params, "file", &byte, (size_t)1 << 40), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_bytes(e->params, "file", &byte, 1), TP_OK);

    tp_batch *b = NULL;
    assert_int_equal(tp_batch_new(e->client, &b), TP_OK);
    assert_int_equal(tp_batch_add_request(b, "POST", "/v1/x", &byte, SIZE_MAX, NULL), TP_OK);
    assert_int_equal(tp_batch_run(b), TP_OK);
    assert_int_equal(tp_result_status(tp_batch_result(b, 0)), TP_E_INVALID_ARGUMENT);
    assert_true(tu_contains(tp_result_message(tp_batch_result(b, 0)), "body_len"));
    tp_batch_free(b);
}

static void test_missing_path_param(void **state) {
    env *e = *state;
    assert_int_equal(tp_params_set_string(e->params, "org", "acme"), TP_OK);
    tp_result *r = NULL;
    expect_invalid(tp_call(e->client, "databases.get", e->params, &r), &r, "db");
}

static void test_missing_org_without_default(void **state) {
    env *e = *state;
    tp_result *r = NULL;
    expect_invalid(tp_databases_get(e->client, NULL, "db1", NULL, &r), &r, "org");
    r = NULL;
    expect_invalid(tp_call(e->client, "groups.list", NULL, &r), &r, "org");
}

static void test_null_and_empty_positional(void **state) {
    env *e = *state;
    tp_result *r = NULL;
    expect_invalid(tp_databases_get(e->client, "acme", NULL, NULL, &r), &r, "db");
    r = NULL;
    expect_invalid(tp_databases_get(e->client, "acme", "", NULL, &r), &r, "db");
    r = NULL;
    expect_invalid(tp_databases_get(e->client, "", "db1", NULL, &r), &r, "org");
    r = NULL;
    expect_invalid(tp_databases_create(e->client, "acme", NULL, NULL, &r), &r, "name");
    r = NULL;
    expect_invalid(tp_databases_create(e->client, "acme", "", NULL, &r), &r, "name");
    r = NULL;
    expect_invalid(tp_groups_create(e->client, "acme", "g1", NULL, NULL, &r), &r, "location");
    r = NULL;
    expect_invalid(tp_members_update(e->client, "acme", "bob", NULL, NULL, &r), &r, "role");
    r = NULL;
    expect_invalid(tp_databases_seed(e->client, "acme", "db1", NULL, 0, NULL, &r), &r, "file");
}

static void test_empty_path_param_via_call(void **state) {
    env *e = *state;
    assert_int_equal(tp_params_set_string(e->params, "org", "acme"), TP_OK);
    assert_int_equal(tp_params_set_string(e->params, "db", ""), TP_OK);
    tp_result *r = NULL;
    expect_invalid(tp_call(e->client, "databases.get", e->params, &r), &r, "db");
}

static void test_invalid_utf8(void **state) {
    env *e = *state;
    tp_result *r = NULL;
    expect_invalid(tp_databases_get(e->client, "acme", BAD_UTF8, NULL, &r), &r, "db");
    r = NULL;
    expect_invalid(tp_databases_get(e->client, "ac\xffme", "db1", NULL, &r), &r, "org");
    r = NULL;
    expect_invalid(tp_databases_create(e->client, "acme", "\xe2\x82", NULL, &r), &r, "name");
    /* Setters refuse it at once. */
    assert_int_equal(tp_params_set_string(e->params, "group", BAD_UTF8), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_string(e->params, "gr\xff", "x"), TP_E_INVALID_ARGUMENT);
    /* Overlong encoding and a surrogate are not UTF-8 either. */
    assert_int_equal(tp_params_set_string(e->params, "group", "\xc0\xaf"), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_string(e->params, "group", "\xed\xa0\x80"), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_string(e->params, "group", "caf\xc3\xa9 \xf0\x9f\x98\x80"), TP_OK);
}

static void test_setters_validate(void **state) {
    env *e = *state;
    tp_params *p = e->params;
    assert_int_equal(tp_params_new(NULL), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_string(NULL, "a", "b"), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_string(p, NULL, "b"), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_string(p, "", "b"), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_int64(p, NULL, 1), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_int64(p, "", 1), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_double(p, "", 1.0), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_bool(p, NULL, 1), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_null(p, ""), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_json(p, "scopes", "[\"read\""), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_json(p, "scopes", "{nope}"), TP_E_INVALID_ARGUMENT);
    /* What cJSON's parser lets by, and would go out as it is: a control byte between tokens, a
     * byte-order mark. */
    assert_int_equal(tp_params_set_json(p, "scopes", "[1,\x01 2]"), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_json(p, "scopes", "\xEF\xBB\xBF[1]"), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_json(p, "scopes", " [\"read\"]\n"), TP_OK);
    assert_int_equal(tp_params_set_json(p, "scopes", NULL), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_json(p, "scopes", "[\"read\"]"), TP_OK);
    assert_int_equal(tp_params_set_bytes(p, "", "x", 1), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_bytes(p, "file", NULL, 5), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_timeout_ms(p, -1), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_timeout_ms(p, 0), TP_OK);
    assert_int_equal(tp_params_set_timeout_ms(NULL, 10), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_cancel(NULL, NULL), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_set_cancel(p, NULL), TP_OK);
    assert_int_equal(tp_params_clear(NULL), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_params_clear(p), TP_OK);
    tp_params_free(NULL);
}

static void test_clear_forgets_names(void **state) {
    env *e = *state;
    assert_int_equal(tp_params_set_string(e->params, "colour", "blue"), TP_OK);
    assert_int_equal(tp_params_clear(e->params), TP_OK);
    assert_int_equal(tp_params_set_string(e->params, "org", "acme"), TP_OK);
    tp_result *r = NULL;
    /* Without "colour" the only problem left is the missing "db". */
    expect_invalid(tp_call(e->client, "databases.get", e->params, &r), &r, "db");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unknown_op, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_param, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_param_message_is_one_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_long_inputs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_path_param, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_org_without_default, setup, teardown),
        cmocka_unit_test_setup_teardown(test_null_and_empty_positional, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_path_param_via_call, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_setters_validate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clear_forgets_names, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
