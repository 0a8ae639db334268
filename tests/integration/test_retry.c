/* Retries: 429/502/503/504 and connection failures are retried, POST/PATCH only when the server
 * certainly did not act (429), Retry-After is honoured, and max_attempts bounds it all. */
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
    int attempt_lines;  /* "-> " DEBUG lines: one per attempt */
    int response_lines; /* "<- " DEBUG lines: one per answer */
} env;

static void count_attempts(void *userdata, int32_t level, const char *message) {
    env *e = userdata;
    if (level == TP_LOG_DEBUG && strncmp(message, "-> ", 3) == 0)
        __atomic_add_fetch(&e->attempt_lines, 1, __ATOMIC_SEQ_CST);
    if (level == TP_LOG_DEBUG && strncmp(message, "<- ", 3) == 0)
        __atomic_add_fetch(&e->response_lines, 1, __ATOMIC_SEQ_CST);
}

static env *make_env(int attempts) {
    env *e = calloc(1, sizeof *e);
    e->server = fx_start();
    tp_options *o = tu_options(fx_url(e->server));
    assert_int_equal(tp_options_set_retry(o, attempts, 1), TP_OK);
    assert_int_equal(tp_options_set_log(o, count_attempts, e, TP_LOG_DEBUG), TP_OK);
    e->client = tu_client(o);
    return e;
}

static int setup(void **state) {
    *state = make_env(3);
    return 0;
}

static int teardown(void **state) {
    env *e = *state;
    tp_client_free(e->client);
    fx_stop(e->server);
    free(e);
    return 0;
}

static void test_get_retried_on_transient_codes(void **state) {
    env *e = *state;
    const int codes[] = {429, 502, 503, 504};
    for (size_t i = 0; i < 4; i++) {
        int before = fx_request_count(e->server);
        fx_push(e->server, codes[i], NULL, "{\"error\":\"busy\"}", 0);
        fx_push(e->server, 200, NULL, "{\"tokens\":[]}", 0);
        tp_result *r = NULL;
        assert_int_equal(tp_tokens_list(e->client, NULL, &r), TP_OK);
        assert_int_equal(tp_result_attempts(r), 2);
        assert_int_equal(tp_result_http_status(r), 200);
        tp_result_free(r);
        assert_int_equal(fx_request_count(e->server) - before, 2);
    }
    assert_int_equal(e->attempt_lines, 8);
    assert_int_equal(e->response_lines, 8);
}

static void test_other_errors_not_retried(void **state) {
    env *e = *state;
    const int codes[] = {500, 400, 401, 404, 409};
    for (size_t i = 0; i < 5; i++) {
        int before = fx_request_count(e->server);
        fx_push(e->server, codes[i], NULL, "{\"error\":\"no\"}", 0);
        tp_result *r = NULL;
        assert_int_not_equal(tp_tokens_list(e->client, NULL, &r), TP_OK);
        assert_int_equal(tp_result_attempts(r), 1);
        tp_result_free(r);
        assert_int_equal(fx_request_count(e->server) - before, 1);
    }
}

static void test_max_attempts(void **state) {
    (void)state;
    env *e = make_env(4);
    fx_set_default(e->server, 503, NULL, "{\"error\":\"down\"}", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_user_get(e->client, NULL, &r), TP_E_SERVER);
    assert_int_equal(tp_result_http_status(r), 503);
    assert_int_equal(tp_result_attempts(r), 4);
    assert_string_equal(tp_result_message(r), "down");
    tp_result_free(r);
    assert_int_equal(fx_request_count(e->server), 4);
    assert_int_equal(e->attempt_lines, 4);
    teardown((void **)&e);

    e = make_env(1);
    fx_set_default(e->server, 429, NULL, "{\"error\":\"slow down\"}", 0);
    r = NULL;
    assert_int_equal(tp_user_get(e->client, NULL, &r), TP_E_RATE_LIMITED);
    assert_int_equal(tp_result_attempts(r), 1);
    tp_result_free(r);
    assert_int_equal(fx_request_count(e->server), 1);
    teardown((void **)&e);
}

static void test_post_not_retried_on_5xx(void **state) {
    env *e = *state;
    fx_push(e->server, 503, NULL, "{\"error\":\"maybe did it\"}", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_databases_create(e->client, "acme", "db1", NULL, &r), TP_E_SERVER);
    assert_int_equal(tp_result_attempts(r), 1);
    tp_result_free(r);
    assert_int_equal(fx_request_count(e->server), 1);

    fx_push(e->server, 502, NULL, "{\"error\":\"maybe did it\"}", 0);
    r = NULL;
    assert_int_equal(tp_organizations_update(e->client, "acme", NULL, &r), TP_E_SERVER);
    assert_int_equal(tp_result_attempts(r), 1);
    tp_result_free(r);
    assert_int_equal(fx_request_count(e->server), 2);

    fx_push(e->server, 504, NULL, "", 0);
    r = NULL;
    assert_int_equal(tp_request(e->client, "POST", "/v1/raw", "{\"a\":1}", 7, &r), TP_E_SERVER);
    tp_result_free(r);
    assert_int_equal(fx_request_count(e->server), 3);
}

static void test_post_retried_on_429(void **state) {
    env *e = *state;
    fx_push(e->server, 429, NULL, "{\"error\":\"slow down\"}", 0);
    fx_push(e->server, 200, NULL, "{\"database\":{\"Name\":\"db1\"}}", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_databases_create(e->client, "acme", "db1", NULL, &r), TP_OK);
    assert_int_equal(tp_result_attempts(r), 2);
    assert_string_equal(tp_value_string(tp_value_path(tp_result_value(r), "database.Name")), "db1");
    tp_result_free(r);
    assert_int_equal(fx_request_count(e->server), 2);
    const fx_request *a = fx_request_at(e->server, 0), *b = fx_request_at(e->server, 1);
    assert_string_equal(a->method, "POST");
    assert_string_equal(b->method, "POST");
    assert_string_equal(a->target, b->target);
    /* The same body is sent again. */
    assert_int_equal(a->body_len, b->body_len);
    assert_memory_equal(a->body, b->body, a->body_len);
    assert_true(a->body_len > 0);
}

static void test_delete_retried_on_503(void **state) {
    env *e = *state;
    fx_push(e->server, 503, NULL, "{\"error\":\"busy\"}", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_databases_delete(e->client, "acme", "db1", NULL, &r), TP_OK);
    assert_int_equal(tp_result_attempts(r), 2);
    tp_result_free(r);
}

/* The header's rule, method by method: 429 is retried for every method; 503 only for GET, HEAD,
 * OPTIONS, PUT and DELETE, never for POST, PATCH or another method. */
static void test_retry_rule_by_method(void **state) {
    env *e = *state;
    const struct {
        const char *method;
        int retried_on_503;
    } cases[] = {{"GET", 1},    {"HEAD", 1}, {"OPTIONS", 1}, {"PUT", 1},
                 {"DELETE", 1}, {"POST", 0}, {"PATCH", 0},   {"PROPFIND", 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int k = 0; k < 2; k++) {
            int code = k == 0 ? 429 : 503;
            int expect_retry = code == 429 || cases[i].retried_on_503;
            int before = fx_request_count(e->server);
            fx_push(e->server, code, NULL, "", 0);
            fx_push(e->server, 200, NULL, "", 0);
            tp_result *r = NULL;
            tp_status st = tp_request(e->client, cases[i].method, "/v1/x", NULL, 0, &r);
            if (tp_result_attempts(r) != (expect_retry ? 2 : 1))
                fail_msg("%s answered %d: %d attempts", cases[i].method, code, tp_result_attempts(r));
            assert_int_equal(st, expect_retry ? TP_OK : TP_E_SERVER);
            tp_result_free(r);
            if (!expect_retry) { /* drop the unused 200 */
                r = NULL;
                assert_int_equal(tp_request(e->client, "GET", "/v1/drain", NULL, 0, &r), TP_OK);
                tp_result_free(r);
            }
            assert_int_equal(fx_request_count(e->server), before + 2);
            assert_string_equal(fx_request_at(e->server, before)->method, cases[i].method);
        }
}

static void test_retry_after_honoured(void **state) {
    env *e = *state;
    /* The base delay is 1 ms: only Retry-After can explain a gap of a second. */
    fx_push(e->server, 429, "Retry-After: 1\r\n", "{\"error\":\"slow down\"}", 0);
    fx_push(e->server, 200, NULL, "{}", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(e->client, NULL, &r), TP_OK);
    tp_result_free(r);
    assert_int_equal(fx_request_count(e->server), 2);
    int64_t gap = fx_request_at(e->server, 1)->arrival_ms - fx_request_at(e->server, 0)->arrival_ms;
    if (gap < 950) fail_msg("retried after %lld ms, Retry-After asked for 1000", (long long)gap);
}

static void test_retry_after_on_503_get(void **state) {
    env *e = *state;
    fx_push(e->server, 503, "Retry-After: 1\r\n", "", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_list(e->client, NULL, &r), TP_OK);
    tp_result_free(r);
    int64_t gap = fx_request_at(e->server, 1)->arrival_ms - fx_request_at(e->server, 0)->arrival_ms;
    if (gap < 950) fail_msg("retried after %lld ms, Retry-After asked for 1000", (long long)gap);
}

static void test_retry_after_http_date(void **state) {
    env *e = *state;
    /* A date in the past means "now": the retry follows without a long pause (and the call ends). */
    fx_push(e->server, 429, "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n", "{\"error\":\"slow\"}", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_list(e->client, NULL, &r), TP_OK);
    assert_int_equal(tp_result_attempts(r), 2);
    tp_result_free(r);
}

static void test_closed_connection_get_retried(void **state) {
    env *e = *state;
    /* First request of a fresh client: a new connection, closed with no answer. */
    fx_push_close(e->server);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_list(e->client, NULL, &r), TP_OK);
    tp_result_free(r);
    assert_int_equal(fx_request_count(e->server), 2);
}

static void test_closed_connection_post_not_retried(void **state) {
    env *e = *state;
    /* The POST reached the server, which may have acted on it: not repeated. */
    fx_push_close(e->server);
    tp_result *r = NULL;
    assert_int_equal(tp_databases_create(e->client, "acme", "db1", NULL, &r), TP_E_NETWORK);
    assert_int_equal(tp_result_http_status(r), 0);
    tp_result_free(r);
    assert_int_equal(fx_request_count(e->server), 1);
}

static void test_reused_connection_post_not_repeated(void **state) {
    env *e = *state;
    /* A kept-alive connection the server closes after reading a POST: the POST reached the
     * server, so it must not be sent again (libcurl's own stale-connection retry included). */
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_list(e->client, NULL, &r), TP_OK);
    tp_result_free(r);
    fx_push_close(e->server);
    r = NULL;
    tp_status st = tp_databases_create(e->client, "acme", "db1", NULL, &r);
    tp_result_free(r);
    int posts = 0;
    for (int i = 0; i < fx_request_count(e->server); i++)
        posts += strcmp(fx_request_at(e->server, i)->method, "POST") == 0;
    if (posts != 1) fail_msg("the POST reached the server %d times (status %s)", posts, tp_status_name(st));
    assert_int_equal(st, TP_E_NETWORK);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_get_retried_on_transient_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_errors_not_retried, setup, teardown),
        cmocka_unit_test(test_max_attempts),
        cmocka_unit_test_setup_teardown(test_post_not_retried_on_5xx, setup, teardown),
        cmocka_unit_test_setup_teardown(test_post_retried_on_429, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_retried_on_503, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retry_rule_by_method, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retry_after_honoured, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retry_after_on_503_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retry_after_http_date, setup, teardown),
        cmocka_unit_test_setup_teardown(test_closed_connection_get_retried, setup, teardown),
        cmocka_unit_test_setup_teardown(test_closed_connection_post_not_retried, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reused_connection_post_not_repeated, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
