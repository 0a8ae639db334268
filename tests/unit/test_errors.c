/* Error mapping: HTTP codes to statuses, the service's {"error", "code"}, bodies that are not JSON,
 * empty successes, both shapes of organizations.list, and transport failures. */
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
    tp_client *client;
} env;

static int setup(void **state) {
    env *e = calloc(1, sizeof *e);
    e->server = fx_start();
    tp_options *o = tu_options(fx_url(e->server));
    /* One attempt: 429 and 5xx are mapped, not retried, here. */
    assert_int_equal(tp_options_set_retry(o, 1, 1), TP_OK);
    e->client = tu_client(o);
    *state = e;
    return 0;
}

static int teardown(void **state) {
    env *e = *state;
    tp_client_free(e->client);
    fx_stop(e->server);
    free(e);
    return 0;
}

static void test_every_http_code(void **state) {
    env *e = *state;
    static const struct {
        int code;
        tp_status status;
    } cases[] = {
        {400, TP_E_BAD_REQUEST},   {401, TP_E_UNAUTHORIZED}, {402, TP_E_PAYMENT_REQUIRED},
        {403, TP_E_FORBIDDEN},     {404, TP_E_NOT_FOUND},    {409, TP_E_CONFLICT},
        {422, TP_E_UNPROCESSABLE}, {429, TP_E_RATE_LIMITED}, {500, TP_E_SERVER},
        {502, TP_E_SERVER},        {503, TP_E_SERVER},       {504, TP_E_SERVER},
        {501, TP_E_SERVER},        {405, TP_E_HTTP},         {410, TP_E_HTTP},
        {418, TP_E_HTTP},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char body[64], want[32];
        snprintf(want, sizeof want, "failure %d", cases[i].code);
        snprintf(body, sizeof body, "{\"error\":\"%s\"}", want);
        fx_push(e->server, cases[i].code, NULL, body, 0);
        tp_result *r = NULL;
        tp_status st = tp_tokens_validate(e->client, NULL, &r);
        assert_non_null(r);
        if (st != cases[i].status)
            fail_msg("HTTP %d: want %s, got %s", cases[i].code, tp_status_name(cases[i].status),
                     tp_status_name(st));
        assert_int_equal(tp_result_status(r), st);
        assert_int_equal(tp_result_http_status(r), cases[i].code);
        assert_string_equal(tp_result_message(r), want);
        assert_null(tp_result_error_code(r));
        assert_int_equal(tp_result_attempts(r), 1);
        tp_result_free(r);
    }
}

static void test_error_code(void **state) {
    env *e = *state;
    fx_push(e->server, 402, NULL,
            "{\"error\":\"not in your plan\",\"code\":\"feature_not_available_for_starter_plan\"}", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_organizations_usage(e->client, "acme", NULL, &r), TP_E_PAYMENT_REQUIRED);
    assert_string_equal(tp_result_message(r), "not in your plan");
    assert_string_equal(tp_result_error_code(r), "feature_not_available_for_starter_plan");
    assert_string_equal(tp_result_op(r), "organizations.usage");
    /* The raw body and its parse stay available. */
    assert_string_equal(tp_value_string(tp_value_get(tp_result_value(r), "error")), "not in your plan");
    tp_result_free(r);
}

static void test_non_json_error_body(void **state) {
    env *e = *state;
    const char *html = "<html><body>502 Bad Gateway</body></html>";
    fx_push(e->server, 502, "Content-Type: text/html\r\n", html, 0);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_list(e->client, NULL, &r), TP_E_SERVER);
    assert_int_equal(tp_result_http_status(r), 502);
    assert_true(strlen(tp_result_message(r)) > 0);
    assert_null(tp_result_error_code(r));
    size_t len = 0;
    assert_string_equal(tp_result_body(r, &len), html);
    assert_int_equal(len, strlen(html));
    tp_result_free(r);
}

static void test_json_error_without_error_field(void **state) {
    env *e = *state;
    fx_push(e->server, 404, NULL, "{\"message\":\"elsewhere\"}", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_databases_get(e->client, "acme", "nope", NULL, &r), TP_E_NOT_FOUND);
    /* Some message still, never NULL. */
    assert_non_null(tp_result_message(r));
    assert_true(strlen(tp_result_message(r)) > 0);
    tp_result_free(r);
}

static void test_non_json_success_is_bad_response(void **state) {
    env *e = *state;
    fx_push(e->server, 200, "Content-Type: text/plain\r\n", "hello, not json", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(e->client, NULL, &r), TP_E_BAD_RESPONSE);
    assert_int_equal(tp_result_http_status(r), 200);
    assert_true(strlen(tp_result_message(r)) > 0);
    size_t len = 0;
    assert_string_equal(tp_result_body(r, &len), "hello, not json");
    tp_result_free(r);
}

static void test_truncated_json_is_bad_response(void **state) {
    env *e = *state;
    fx_push(e->server, 200, NULL, "{\"exp\": 12", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(e->client, NULL, &r), TP_E_BAD_RESPONSE);
    assert_int_equal(tp_result_http_status(r), 200);
    tp_result_free(r);
}

static void test_array_for_object_op_is_bad_response(void **state) {
    env *e = *state;
    fx_push(e->server, 200, NULL, "[1,2]", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(e->client, NULL, &r), TP_E_BAD_RESPONSE);
    assert_int_equal(tp_result_http_status(r), 200);
    tp_result_free(r);
}

static void test_empty_success_ok(void **state) {
    env *e = *state;
    /* An "empty" operation and an "object" one: an empty 2xx body is fine for both. */
    fx_push(e->server, 200, NULL, "", 0);
    fx_push(e->server, 200, NULL, "", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_databases_rotate_tokens(e->client, "acme", "db1", NULL, &r), TP_OK);
    assert_null(tp_result_value(r));
    size_t len = 99;
    assert_string_equal(tp_result_body(r, &len), "");
    assert_int_equal(len, 0);
    assert_string_equal(tp_result_message(r), "");
    tp_result_free(r);
    r = NULL;
    assert_int_equal(tp_groups_update_version(e->client, "acme", "g", NULL, &r), TP_OK);
    tp_result_free(r);
    r = NULL;
    fx_push(e->server, 204, NULL, "", 0);
    assert_int_equal(tp_tokens_revoke(e->client, "t1", NULL, &r), TP_OK);
    assert_int_equal(tp_result_http_status(r), 204);
    tp_result_free(r);
}

static void test_success_fields(void **state) {
    env *e = *state;
    fx_push(e->server, 200, "X-Custom-Thing: v42\r\n", "{\"exp\":-1}", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(e->client, NULL, &r), TP_OK);
    assert_int_equal(tp_result_status(r), TP_OK);
    assert_int_equal(tp_result_http_status(r), 200);
    assert_string_equal(tp_result_message(r), "");
    assert_null(tp_result_error_code(r));
    assert_string_equal(tp_result_op(r), "tokens.validate");
    assert_int_equal(tp_result_attempts(r), 1);
    assert_int_equal(tp_value_int64(tp_value_get(tp_result_value(r), "exp")), -1);
    assert_string_equal(tp_result_header(r, "x-custom-thing"), "v42");
    assert_string_equal(tp_result_header(r, "X-CUSTOM-THING"), "v42");
    assert_null(tp_result_header(r, "x-absent"));
    assert_null(tp_result_header(r, NULL));
    tp_result_free(r);
    r = NULL;
    assert_int_equal(tp_request(e->client, "GET", "/v1/auth/validate", NULL, 0, &r), TP_OK);
    assert_null(tp_result_op(r));
    tp_result_free(r);
}

static void test_organizations_list_both_shapes(void **state) {
    env *e = *state;
    fx_push(e->server, 200, NULL, "[{\"name\":\"a\",\"slug\":\"a\"},{\"name\":\"b\",\"slug\":\"b\"}]", 0);
    fx_push(e->server, 200, NULL, "{\"organizations\":[{\"name\":\"a\",\"slug\":\"a\"}]}", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_organizations_list(e->client, NULL, &r), TP_OK);
    assert_int_equal(tp_value_type_of(tp_result_value(r)), TP_VALUE_ARRAY);
    assert_int_equal(tp_value_length(tp_result_value(r)), 2);
    tp_result_free(r);
    r = NULL;
    assert_int_equal(tp_organizations_list(e->client, NULL, &r), TP_OK);
    assert_string_equal(tp_value_string(tp_value_path(tp_result_value(r), "organizations.0.slug")), "a");
    tp_result_free(r);
}

static void test_hostile_bodies(void **state) {
    env *e = *state;
    /* Nesting far past any sane depth: refused as a bad response, never a stack overflow. */
    size_t depth = 200000;
    char *deep = malloc(2 * depth + 1);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    deep[2 * depth] = '\0';
    fx_push(e->server, 200, NULL, deep, 0);
    tp_result *r = NULL;
    assert_int_equal(tp_request(e->client, "GET", "/deep", NULL, 0, &r), TP_E_BAD_RESPONSE);
    tp_result_free(r);
    /* The same as an error body. */
    fx_push(e->server, 500, NULL, deep, 0);
    r = NULL;
    assert_int_equal(tp_request(e->client, "GET", "/deep", NULL, 0, &r), TP_E_SERVER);
    assert_non_null(tp_result_message(r));
    tp_result_free(r);
    free(deep);
    /* "error" that is not a string, and a NUL inside the body. */
    fx_push(e->server, 400, NULL, "{\"error\":{\"message\":\"nested\"},\"code\":42}", 0);
    r = NULL;
    assert_int_equal(tp_tokens_list(e->client, NULL, &r), TP_E_BAD_REQUEST);
    assert_true(strlen(tp_result_message(r)) > 0);
    tp_result_free(r);
    fx_push_bytes(e->server, 200, NULL, "{\"exp\":1}\0{\"x\":2}", 17, 0);
    r = NULL;
    assert_int_equal(tp_tokens_validate(e->client, NULL, &r), TP_E_BAD_RESPONSE);
    size_t len = 0;
    tp_result_body(r, &len);
    assert_int_equal(len, 17);
    tp_result_free(r);
}

/* A 2xx body is checked when the call returns and parsed when first read: both must agree. */
static void test_json_checked_strictly(void **state) {
    env *e = *state;
    static const char *const bad[] = {
        "{\"a\":1,}",
        "[1,]",
        "[01]",
        "[1.]",
        "[.5]",
        "[+1]",
        "[-]",
        "[1e]",
        "{\"a\" 1}",
        "{a:1}",
        "\"\\udc00\"",
        "\"\\ud800\"",
        "\"\\ud800\\u0041\"",
        "\"\\x41\"",
        "\"\\u12G4\"",
        "\"open",
        "tru",
        "nul",
        "[true false]",
        "{} {}",
        "\xef\xbb\xbf{}",
        "[1000000000000000000000000000000000000000000000000000000000000000]" /* 64 digits */};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fx_push(e->server, 200, NULL, bad[i], 0);
        tp_result *r = NULL;
        if (tp_request(e->client, "GET", "/x", NULL, 0, &r) != TP_E_BAD_RESPONSE)
            fail_msg("body %s was accepted", bad[i]);
        assert_null(tp_result_value(r));
        tp_result_free(r);
    }
    /* Valid JSON of every kind parses on first read, to the value sent. */
    fx_push(e->server, 200, NULL,
            " {\"s\":\"\\ud83d\\ude00\\u00e9\\n\",\"n\":[-0.5e+2,0,1E3],\"t\":true,\"z\":null,\"o\":{},\"a\":"
            "[]} ",
            0);
    tp_result *r = NULL;
    assert_int_equal(tp_request(e->client, "GET", "/x", NULL, 0, &r), TP_OK);
    const tp_value *v = tp_result_value(r);
    assert_non_null(v);
    assert_ptr_equal(tp_result_value(r), v); /* parsed once */
    assert_string_equal(tp_value_string(tp_value_get(v, "s")), "\xf0\x9f\x98\x80\xc3\xa9\n");
    assert_true(tp_value_number(tp_value_path(v, "n.0")) == -50.0);
    assert_int_equal(tp_value_int64(tp_value_path(v, "n.2")), 1000);
    assert_true(tp_value_bool(tp_value_get(v, "t")));
    assert_true(tp_value_is_null(tp_value_get(v, "z")));
    assert_int_equal(tp_value_type_of(tp_value_get(v, "o")), TP_VALUE_OBJECT);
    assert_int_equal(tp_value_length(tp_value_get(v, "a")), 0);
    tp_result_free(r);
    /* Nesting up to 1000 levels is JSON too. */
    char deep[2001];
    memset(deep, '[', 1000);
    memset(deep + 1000, ']', 1000);
    deep[2000] = '\0';
    fx_push(e->server, 200, NULL, deep, 0);
    r = NULL;
    assert_int_equal(tp_request(e->client, "GET", "/x", NULL, 0, &r), TP_OK);
    assert_int_equal(tp_value_type_of(tp_result_value(r)), TP_VALUE_ARRAY);
    tp_result_free(r);
}

static void test_connection_refused_is_network(void **state) {
    (void)state;
    fx_server *gone = fx_start();
    char url[64];
    snprintf(url, sizeof url, "%s", fx_url(gone));
    fx_stop(gone); /* nothing listens on that port now */
    tp_options *o = tu_options(url);
    assert_int_equal(tp_options_set_retry(o, 2, 1), TP_OK);
    tp_client *c = tu_client(o);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(c, NULL, &r), TP_E_NETWORK);
    assert_int_equal(tp_result_http_status(r), 0);
    assert_true(strlen(tp_result_message(r)) > 0);
    /* A connection that could not be made is retried, for any method. */
    assert_int_equal(tp_result_attempts(r), 2);
    tp_result_free(r);
    r = NULL;
    assert_int_equal(tp_request(c, "POST", "/v1/x", "{}", 2, &r), TP_E_NETWORK);
    assert_int_equal(tp_result_attempts(r), 2);
    tp_result_free(r);
    tp_client_free(c);
}

static void test_null_result_accessors(void **state) {
    (void)state;
    assert_int_equal(tp_result_status(NULL), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_result_http_status(NULL), 0);
    assert_non_null(tp_result_message(NULL));
    assert_null(tp_result_error_code(NULL));
    assert_null(tp_result_op(NULL));
    assert_int_equal(tp_result_attempts(NULL), 0);
    size_t len = 5;
    const char *b = tp_result_body(NULL, &len);
    assert_true(b == NULL || strcmp(b, "") == 0);
    assert_int_equal(len, 0);
    assert_null(tp_result_header(NULL, "x"));
    tp_result_free(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_http_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_non_json_error_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_error_without_error_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_non_json_success_is_bad_response, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_json_is_bad_response, setup, teardown),
        cmocka_unit_test_setup_teardown(test_array_for_object_op_is_bad_response, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_success_ok, setup, teardown),
        cmocka_unit_test_setup_teardown(test_success_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_organizations_list_both_shapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_bodies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_checked_strictly, setup, teardown),
        cmocka_unit_test(test_connection_refused_is_network),
        cmocka_unit_test(test_null_result_accessors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
