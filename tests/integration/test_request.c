/* tp_request: the raw path, method and body reach the server as given; bodies are JSON. */
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
    e->client = tu_fixture_client(e->server);
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

static void test_body_and_query_as_given(void **state) {
    env *e = *state;
    const char body[] = "{\"name\":\"caf\xc3\xa9\",\"n\":[1,2,3]}";
    tp_result *r = NULL;
    assert_int_equal(tp_request(e->client, "POST", "/v1/things/a%20b?x=1&y=%2F", body, strlen(body), &r),
                     TP_OK);
    tp_result_free(r);
    const fx_request *q = fx_request_at(e->server, 0);
    assert_string_equal(q->method, "POST");
    assert_string_equal(q->target, "/v1/things/a%20b?x=1&y=%2F");
    assert_int_equal(q->body_len, strlen(body));
    assert_memory_equal(q->body, body, strlen(body));
    char *type = fx_header(q, "Content-Type");
    assert_non_null(type);
    assert_true(strncmp(type, "application/json", 16) == 0);
    free(type);
    char *auth = fx_header(q, "Authorization");
    assert_string_equal(auth, "Bearer " TU_TOKEN);
    free(auth);
}

static void test_body_length_is_respected(void **state) {
    env *e = *state;
    /* Only body_len bytes are sent, even with more after them. */
    const char body[] = "{\"a\":1}GARBAGE";
    tp_result *r = NULL;
    assert_int_equal(tp_request(e->client, "PATCH", "/v1/x", body, 7, &r), TP_OK);
    tp_result_free(r);
    const fx_request *q = fx_request_at(e->server, 0);
    assert_string_equal(q->method, "PATCH");
    assert_int_equal(q->body_len, 7);
    assert_memory_equal(q->body, "{\"a\":1}", 7);
}

static void test_large_body(void **state) {
    env *e = *state;
    size_t len = 3 * 1024 * 1024;
    char *body = malloc(len);
    memset(body, 'a', len);
    memcpy(body, "{\"pad\":\"", 8);
    memcpy(body + len - 2, "\"}", 2);
    tp_result *r = NULL;
    assert_int_equal(tp_request(e->client, "POST", "/v1/big", body, len, &r), TP_OK);
    tp_result_free(r);
    const fx_request *q = fx_request_at(e->server, 0);
    assert_int_equal(q->body_len, len);
    assert_memory_equal(q->body, body, len);
    free(body);
}

static void test_methods_without_body(void **state) {
    env *e = *state;
    const char *methods[] = {"GET", "DELETE", "PUT", "POST", "PATCH"};
    for (int i = 0; i < 5; i++) {
        tp_result *r = NULL;
        assert_int_equal(tp_request(e->client, methods[i], "/v1/m", NULL, 0, &r), TP_OK);
        tp_result_free(r);
        const fx_request *q = fx_request_at(e->server, i);
        assert_string_equal(q->method, methods[i]);
        assert_int_equal(q->body_len, 0);
        /* No body, so no type for one (libcurl would call a bodyless POST a form) and no
         * 100-continue; the token and the JSON Accept still go. */
        assert_null(fx_header(q, "Content-Type"));
        assert_null(fx_header(q, "Expect"));
        char *accept = fx_header(q, "Accept");
        assert_string_equal(accept, "application/json");
        free(accept);
        char *auth = fx_header(q, "Authorization");
        assert_string_equal(auth, "Bearer " TU_TOKEN);
        free(auth);
    }
}

/* A request keeps its method whatever its body: GET and HEAD take no body ("" of length 0 is
 * none, more is refused), every other method sends the body it is given, even an empty one. */
static void test_method_kept_with_or_without_body(void **state) {
    env *e = *state;
    const char body[] = "{\"a\":1}";
    int n = 0;
    const char *bodyless[] = {"GET", "HEAD", "get"};
    for (int i = 0; i < 3; i++) {
        tp_result *r = NULL;
        fx_push(e->server, 200, NULL, "", 0); /* a HEAD answer has no body to read */
        assert_int_equal(tp_request(e->client, bodyless[i], "/v1/m", "", 0, &r), TP_OK);
        tp_result_free(r);
        const fx_request *q = fx_request_at(e->server, n++);
        assert_string_equal(q->method, i == 1 ? "HEAD" : "GET");
        assert_int_equal(q->body_len, 0);
        assert_null(fx_header(q, "Content-Type"));
        assert_null(fx_header(q, "Content-Length"));
        r = NULL;
        assert_int_equal(tp_request(e->client, bodyless[i], "/v1/m", body, strlen(body), &r),
                         TP_E_INVALID_ARGUMENT);
        assert_true(tu_contains(tp_result_message(r), "cannot have a body"));
        assert_int_equal(tp_result_attempts(r), 0);
        tp_result_free(r);
        assert_int_equal(fx_request_count(e->server), n);
    }
    const char *with_body[] = {"POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND"};
    for (int i = 0; i < 6; i++)
        for (int empty = 0; empty < 2; empty++) {
            tp_result *r = NULL;
            size_t len = empty ? 0 : strlen(body);
            assert_int_equal(tp_request(e->client, with_body[i], "/v1/m", body, len, &r), TP_OK);
            tp_result_free(r);
            const fx_request *q = fx_request_at(e->server, n++);
            assert_string_equal(q->method, with_body[i]);
            assert_int_equal(q->body_len, len);
            if (len) assert_memory_equal(q->body, body, len);
        }
}

static void test_batch_request_keeps_its_method(void **state) {
    env *e = *state;
    tp_batch *b = NULL;
    assert_int_equal(tp_batch_new(e->client, &b), TP_OK);
    assert_int_equal(tp_batch_add_request(b, "GET", "/v1/a", "", 0, NULL), TP_OK);
    assert_int_equal(tp_batch_add_request(b, "GET", "/v1/b", "{}", 2, NULL), TP_OK);
    assert_int_equal(tp_batch_add_request(b, "DELETE", "/v1/c", "{}", 2, NULL), TP_OK);
    assert_int_equal(tp_batch_set_concurrency(b, 1), TP_OK);
    assert_int_equal(tp_batch_run(b), TP_OK);
    assert_int_equal(tp_result_status(tp_batch_result(b, 0)), TP_OK);
    assert_int_equal(tp_result_status(tp_batch_result(b, 1)), TP_E_INVALID_ARGUMENT);
    assert_true(tu_contains(tp_result_message(tp_batch_result(b, 1)), "cannot have a body"));
    assert_int_equal(tp_result_status(tp_batch_result(b, 2)), TP_OK);
    tp_batch_free(b);
    assert_int_equal(fx_request_count(e->server), 2);
    assert_string_equal(fx_request_at(e->server, 0)->method, "GET");
    assert_int_equal(fx_request_at(e->server, 0)->body_len, 0);
    assert_string_equal(fx_request_at(e->server, 1)->method, "DELETE");
    assert_int_equal(fx_request_at(e->server, 1)->body_len, 2);
}

/* The URL limit (65536 bytes) is far above what a server takes, so a long path still goes out
 * and the server decides (turso-local: 414). */
static void test_long_path_up_to_the_limit_is_sent(void **state) {
    env *e = *state;
    size_t base = strlen(fx_url(e->server));
    size_t n = 65536 - base;
    char *path = malloc(n + 2);
    assert_non_null(path);
    memset(path, 'p', n + 1);
    path[0] = '/';
    path[n] = '\0';
    tp_result *r = NULL;
    assert_int_equal(tp_request(e->client, "GET", path, NULL, 0, &r), TP_OK);
    tp_result_free(r);
    assert_int_equal(fx_request_count(e->server), 1);
    assert_int_equal(strlen(fx_request_at(e->server, 0)->target), n);
    path[n] = 'p';
    path[n + 1] = '\0';
    r = NULL;
    assert_int_equal(tp_request(e->client, "GET", path, NULL, 0, &r), TP_E_INVALID_ARGUMENT);
    assert_true(tu_contains(tp_result_message(r), "65536"));
    tp_result_free(r);
    free(path);
    assert_int_equal(fx_request_count(e->server), 1);
}

static void test_bad_arguments(void **state) {
    env *e = *state;
    tp_result *r = NULL;
    /* A length without bytes. */
    assert_int_equal(tp_request(e->client, "POST", "/v1/x", NULL, 5, &r), TP_E_INVALID_ARGUMENT);
    tp_result_free(r);
    r = NULL;
    /* A method that would break the request line. */
    assert_int_equal(tp_request(e->client, "GET /evil HTTP/1.1\r\nX:", "/v1/x", NULL, 0, &r),
                     TP_E_INVALID_ARGUMENT);
    tp_result_free(r);
    r = NULL;
    assert_int_equal(tp_request(e->client, "", "/v1/x", NULL, 0, &r), TP_E_INVALID_ARGUMENT);
    tp_result_free(r);
    r = NULL;
    /* A path with raw spaces or line breaks is not "already percent-encoded". */
    assert_int_equal(tp_request(e->client, "GET", "/v1/x\r\nX-Injected: 1", NULL, 0, &r),
                     TP_E_INVALID_ARGUMENT);
    tp_result_free(r);
    assert_int_equal(fx_request_count(e->server), 0);
}

static void test_params_reusable(void **state) {
    env *e = *state;
    tp_params *p = NULL;
    assert_int_equal(tp_params_new(&p), TP_OK);
    assert_int_equal(tp_params_set_string(p, "group", "g1"), TP_OK);
    for (int i = 0; i < 3; i++) {
        tp_result *r = NULL;
        assert_int_equal(tp_databases_create(e->client, "acme", i == 1 ? "two" : "one", p, &r), TP_OK);
        tp_result_free(r);
    }
    tp_params_free(p);
    const fx_request *a = fx_request_at(e->server, 0), *c = fx_request_at(e->server, 2);
    assert_int_equal(a->body_len, c->body_len);
    assert_memory_equal(a->body, c->body, a->body_len);
    assert_non_null(strstr(fx_request_at(e->server, 1)->body, "\"two\""));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_body_and_query_as_given, setup, teardown),
        cmocka_unit_test_setup_teardown(test_body_length_is_respected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_methods_without_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_method_kept_with_or_without_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_request_keeps_its_method, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_path_up_to_the_limit_is_sent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_params_reusable, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
