/* URL building: each path segment percent-encoded per RFC 3986, query values encoded; observed as
 * the request line the fixture receives. */
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
    assert_non_null(e->server);
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

/* The target of the last request the fixture received. */
static const char *last_target(env *e) {
    int n = fx_request_count(e->server);
    assert_true(n > 0);
    return fx_request_at(e->server, n - 1)->target;
}

/* databases.get with `db` must arrive as exactly one segment, `encoded`. */
static void check_db_segment(env *e, const char *db, const char *encoded) {
    tp_result *r = NULL;
    assert_int_equal(tp_databases_get(e->client, "acme", db, NULL, &r), TP_OK);
    tp_result_free(r);
    char want[512];
    snprintf(want, sizeof want, "/v1/organizations/acme/databases/%s", encoded);
    assert_string_equal(last_target(e), want);
}

/* A required query or body value given empty is refused like a missing one, nothing sent (the
 * typed functions and path parameters already refused it). */
static void test_required_values_not_empty(void **state) {
    env *e = *state;
    int before = fx_request_count(e->server);
    struct {
        const char *op, *name, *other, *other_value;
    } cases[] = {{"groups.create", "name", "location", "ams"},
                 {"groups.create", "location", "name", "g1"},
                 {"members.update", "role", "username", "bob"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tp_params *p = NULL;
        assert_int_equal(tp_params_new(&p), TP_OK);
        assert_int_equal(tp_params_set_string(p, "org", "acme"), TP_OK);
        assert_int_equal(tp_params_set_string(p, cases[i].name, ""), TP_OK);
        assert_int_equal(tp_params_set_string(p, cases[i].other, cases[i].other_value), TP_OK);
        tp_result *r = NULL;
        assert_int_equal(tp_call(e->client, cases[i].op, p, &r), TP_E_INVALID_ARGUMENT);
        char want[200];
        snprintf(want, sizeof want, "parameter '%s' must not be empty", cases[i].name);
        assert_non_null(strstr(tp_result_message(r), want));
        tp_result_free(r);
        tp_params_free(p);
    }
    tp_params *p = NULL;
    assert_int_equal(tp_params_new(&p), TP_OK);
    assert_int_equal(tp_params_set_string(p, "org", "acme"), TP_OK);
    assert_int_equal(tp_params_set_bytes(p, "file", "", 0), TP_OK);
    tp_result *r = NULL;
    assert_int_equal(tp_call(e->client, "databases.upload_dump", p, &r), TP_E_INVALID_ARGUMENT);
    assert_non_null(strstr(tp_result_message(r), "parameter 'file' must not be empty"));
    tp_result_free(r);
    tp_params_free(p);
    assert_int_equal(fx_request_count(e->server), before);
}

static void test_plain_name_unchanged(void **state) {
    check_db_segment(*state, "db-1_x~y.z", "db-1_x~y.z");
}
static void test_space(void **state) {
    check_db_segment(*state, "my db", "my%20db");
}
static void test_slash_is_one_segment(void **state) {
    check_db_segment(*state, "a/b", "a%2Fb");
}
static void test_plus(void **state) {
    check_db_segment(*state, "a+b", "a%2Bb");
}
static void test_at(void **state) {
    check_db_segment(*state, "me@example.com", "me%40example.com");
}
static void test_percent(void **state) {
    check_db_segment(*state, "100%", "100%25");
}
static void test_unicode(void **state) {
    check_db_segment(*state, "caf\xc3\xa9-\xe6\x97\xa5", "caf%C3%A9-%E6%97%A5");
}
static void test_dot_dot(void **state) {
    check_db_segment(*state, "..", "%2E%2E");
}
static void test_dot(void **state) {
    check_db_segment(*state, ".", "%2E");
}
static void test_query_and_fragment_chars(void **state) {
    check_db_segment(*state, "a?b#c", "a%3Fb%23c");
}

static void test_org_encoded_too(void **state) {
    env *e = *state;
    tp_result *r = NULL;
    assert_int_equal(tp_groups_get(e->client, "my org/x", "g 1", NULL, &r), TP_OK);
    tp_result_free(r);
    assert_string_equal(last_target(e), "/v1/organizations/my%20org%2Fx/groups/g%201");
}

static void test_email_in_invite_path(void **state) {
    env *e = *state;
    tp_result *r = NULL;
    assert_int_equal(tp_invites_delete(e->client, "acme", "a+b@x.com", NULL, &r), TP_OK);
    tp_result_free(r);
    assert_string_equal(last_target(e), "/v2/organizations/acme/invites/a%2Bb%40x.com");
}

/* Percent-decodes `s` (no '+' rule: RFC 3986 encodes a space as %20). */
static void pct_decode(const char *s, size_t len, char *out) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%' && i + 2 < len) {
            char hex[3] = {s[i + 1], s[i + 2], 0};
            out[n++] = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            out[n++] = s[i];
        }
    }
    out[n] = '\0';
}

/* The decoded value of query parameter `name` in `target`, or NULL (static buffer). */
static const char *query_value(const char *target, const char *name) {
    static char value[512];
    const char *q = strchr(target, '?');
    if (!q) return NULL;
    q++;
    size_t nlen = strlen(name);
    while (*q) {
        const char *end = strchr(q, '&');
        size_t len = end ? (size_t)(end - q) : strlen(q);
        if (len > nlen && strncmp(q, name, nlen) == 0 && q[nlen] == '=') {
            pct_decode(q + nlen + 1, len - nlen - 1, value);
            return value;
        }
        q += len + (end ? 1 : 0);
    }
    return NULL;
}

static void test_query_values_encoded(void **state) {
    env *e = *state;
    tp_params *p = NULL;
    assert_int_equal(tp_params_new(&p), TP_OK);
    assert_int_equal(tp_params_set_string(p, "group", "a b&c=d+e/\xc3\xa9#"), TP_OK);
    assert_int_equal(tp_params_set_int64(p, "limit", 5), TP_OK);
    tp_result *r = NULL;
    assert_int_equal(tp_databases_list(e->client, "acme", p, &r), TP_OK);
    tp_result_free(r);
    tp_params_free(p);
    const char *t = last_target(e);
    assert_true(strncmp(t, "/v1/organizations/acme/databases?", 33) == 0);
    /* Reserved characters of the value must not survive raw, or they would split it. */
    const char *query = strchr(t, '?') + 1;
    assert_null(strchr(query, ' '));
    assert_null(strchr(query, '#'));
    assert_null(strchr(query, '+'));
    assert_string_equal(query_value(t, "group"), "a b&c=d+e/\xc3\xa9#");
    assert_string_equal(query_value(t, "limit"), "5");
    /* Exactly two parameters: the '&' and '=' inside the value did not add any. */
    int amps = 0;
    for (const char *c = query; *c; c++)
        amps += *c == '&';
    assert_int_equal(amps, 1);
}

static void test_no_query_without_params(void **state) {
    env *e = *state;
    tp_result *r = NULL;
    assert_int_equal(tp_databases_list(e->client, "acme", NULL, &r), TP_OK);
    tp_result_free(r);
    assert_string_equal(last_target(e), "/v1/organizations/acme/databases");
}

static void test_query_of_token_ops(void **state) {
    env *e = *state;
    tp_params *p = NULL;
    assert_int_equal(tp_params_new(&p), TP_OK);
    assert_int_equal(tp_params_set_string(p, "expiration", "1w2d"), TP_OK);
    assert_int_equal(tp_params_set_string(p, "authorization", "read-only"), TP_OK);
    tp_result *r = NULL;
    assert_int_equal(tp_databases_create_token(e->client, "acme", "db1", p, &r), TP_OK);
    tp_result_free(r);
    tp_params_free(p);
    const char *t = last_target(e);
    assert_true(strncmp(t, "/v1/organizations/acme/databases/db1/auth/tokens?", 49) == 0);
    assert_string_equal(query_value(t, "expiration"), "1w2d");
    assert_string_equal(query_value(t, "authorization"), "read-only");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plain_name_unchanged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_space, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slash_is_one_segment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_at, setup, teardown),
        cmocka_unit_test_setup_teardown(test_percent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unicode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dot_dot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_and_fragment_chars, setup, teardown),
        cmocka_unit_test_setup_teardown(test_org_encoded_too, setup, teardown),
        cmocka_unit_test_setup_teardown(test_email_in_invite_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_values_encoded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_query_without_params, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_of_token_ops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_required_values_not_empty, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
