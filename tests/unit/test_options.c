/* Options: each setter's bad input, the defaults, and what the settings do on the wire
 * (Authorization, User-Agent, base URL, logging without the token). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#define BAD_UTF8 "ab\xff\xfe"

static tp_options *fresh(void) {
    tp_options *o = NULL;
    assert_int_equal(tp_options_new(&o), TP_OK);
    assert_non_null(o);
    return o;
}

static void test_new_and_free(void **state) {
    (void)state;
    assert_int_equal(tp_options_new(NULL), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_from_env(NULL), TP_E_INVALID_ARGUMENT);
    tp_options_free(NULL);
    tp_client *c = NULL;
    assert_int_equal(tp_client_new(NULL, NULL), TP_E_INVALID_ARGUMENT);
    tp_options *o = fresh();
    assert_int_equal(tp_client_new(o, NULL), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_client_new(o, &c), TP_OK);
    tp_options_free(o); /* the client keeps its own copy */
    assert_string_equal(tp_client_base_url(c), "https://api.turso.tech");
    tp_client_free(c);
    tp_client_free(NULL);
    assert_null(tp_client_base_url(NULL));
    assert_null(tp_client_org(NULL));
}

static void test_defaults(void **state) {
    (void)state;
    tp_client *c = NULL;
    assert_int_equal(tp_client_new(NULL, &c), TP_OK);
    assert_string_equal(tp_client_base_url(c), "https://api.turso.tech");
    assert_null(tp_client_org(c));
    tp_client_free(c);
}

static void test_null_options_rejected(void **state) {
    (void)state;
    assert_int_equal(tp_options_set_token(NULL, "t"), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_base_url(NULL, "http://x"), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_org(NULL, "o"), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_region_url(NULL, "http://x"), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_connect_timeout_ms(NULL, 10), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_timeout_ms(NULL, 10), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_retry(NULL, 3, 10), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_user_agent(NULL, "ua"), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_ca_file(NULL, "/x"), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_verify_tls(NULL, 1), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_proxy(NULL, "http://p"), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_max_response_bytes(NULL, 10), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_max_connections(NULL, 10), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_log(NULL, NULL, NULL, TP_LOG_DEBUG), TP_E_INVALID_ARGUMENT);
}

static void test_strings_validated(void **state) {
    (void)state;
    tp_options *o = fresh();
    /* Optional strings: NULL resets, invalid UTF-8 is refused. */
    assert_int_equal(tp_options_set_token(o, NULL), TP_OK);
    assert_int_equal(tp_options_set_token(o, BAD_UTF8), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_org(o, NULL), TP_OK);
    assert_int_equal(tp_options_set_org(o, BAD_UTF8), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_ca_file(o, NULL), TP_OK);
    assert_int_equal(tp_options_set_ca_file(o, BAD_UTF8), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_proxy(o, NULL), TP_OK);
    assert_int_equal(tp_options_set_proxy(o, BAD_UTF8), TP_E_INVALID_ARGUMENT);
    /* Required strings: NULL refused. */
    assert_int_equal(tp_options_set_base_url(o, NULL), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_region_url(o, NULL), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_user_agent(o, NULL), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_user_agent(o, BAD_UTF8), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_user_agent(o, "my-tool/1.0"), TP_OK);
    tp_options_free(o);
}

static void test_base_url_validated(void **state) {
    (void)state;
    tp_options *o = fresh();
    const char *bad[] = {
        "",
        "api.turso.tech",
        "ftp://api.turso.tech",
        "https://",
        "http://h/x?q=1",
        "http://h:1/#",
        "http://h/?",
        "https://h/#frag",
        "/v1/organizations",
        "https://h\xff/",
        "mailto:me@example.com",
        /* userinfo would be echoed in logs and by tp_client_base_url */
        "http://user:secret@127.0.0.1:8080",
        "http://user@127.0.0.1:8080/",
        "https://@api.turso.tech",
        /* a backslash is read differently by different URL parsers */
        "http://127.0.0.1\\@evil.example/",
        "http://h\\x/",
        "https://h/a\\b",
        "http://127.0.0.1:8080/ ",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (tp_options_set_base_url(o, bad[i]) != TP_E_INVALID_ARGUMENT)
            fail_msg("base URL \"%s\" was accepted", bad[i]);
    assert_int_equal(tp_options_set_base_url(o, "https://api.turso.tech"), TP_OK);
    assert_int_equal(tp_options_set_base_url(o, "http://127.0.0.1:8080/"), TP_OK);
    assert_int_equal(tp_options_set_region_url(o, "ftp://region"), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_region_url(o, "http://127.0.0.1:9/"), TP_OK);
    assert_int_equal(tp_options_set_region_url(o, "http://u:pw@127.0.0.1:9/"), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_region_url(o, "http://127.0.0.1:9\\x/"), TP_E_INVALID_ARGUMENT);
    /* '@' after the host is part of the path, not userinfo. */
    assert_int_equal(tp_options_set_base_url(o, "http://127.0.0.1:8080/a@b"), TP_OK);
    tp_options_free(o);
}

/* A refused base URL keeps the previous one, and userinfo never shows up in tp_client_base_url. */
static void test_base_url_with_userinfo_not_kept(void **state) {
    (void)state;
    tp_options *o = fresh();
    assert_int_equal(tp_options_set_base_url(o, "http://127.0.0.1:1"), TP_OK);
    assert_int_equal(tp_options_set_base_url(o, "http://u:secret@127.0.0.1:2"), TP_E_INVALID_ARGUMENT);
    tp_client *c = NULL;
    assert_int_equal(tp_client_new(o, &c), TP_OK);
    assert_string_equal(tp_client_base_url(c), "http://127.0.0.1:1");
    tp_client_free(c);
    tp_options_free(o);
}

/* String settings are at most 8192 bytes: more is TP_E_INVALID_ARGUMENT at once, not a failure
 * (or TP_E_NOMEM) on every call later. */
static void test_long_strings_refused(void **state) {
    (void)state;
    tp_options *o = fresh();
    char *big = malloc(8194);
    assert_non_null(big);
    memset(big, 'a', 8193);
    big[8193] = '\0';
    assert_int_equal(tp_options_set_token(o, big), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_org(o, big), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_user_agent(o, big), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_ca_file(o, big), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_proxy(o, big), TP_E_INVALID_ARGUMENT);
    memcpy(big, "http://h/", 9);
    assert_int_equal(tp_options_set_base_url(o, big), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_region_url(o, big), TP_E_INVALID_ARGUMENT);
    big[8192] = '\0'; /* exactly the limit */
    assert_int_equal(tp_options_set_base_url(o, big), TP_OK);
    memset(big, 'a', 8192);
    assert_int_equal(tp_options_set_token(o, big), TP_OK);
    assert_int_equal(tp_options_set_user_agent(o, big), TP_OK);
    free(big);
    tp_options_free(o);
}

static void test_numbers_validated(void **state) {
    (void)state;
    tp_options *o = fresh();
    assert_int_equal(tp_options_set_connect_timeout_ms(o, 0), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_connect_timeout_ms(o, -1), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_connect_timeout_ms(o, 1), TP_OK);
    assert_int_equal(tp_options_set_timeout_ms(o, 0), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_timeout_ms(o, INT32_MIN), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_timeout_ms(o, 1), TP_OK);
    assert_int_equal(tp_options_set_retry(o, 0, 10), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_retry(o, 21, 10), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_retry(o, -3, 10), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_retry(o, 3, -1), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_retry(o, 1, 0), TP_OK);
    assert_int_equal(tp_options_set_retry(o, 20, 100), TP_OK);
    assert_int_equal(tp_options_set_max_response_bytes(o, 0), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_max_response_bytes(o, -5), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_max_response_bytes(o, 1), TP_OK);
    assert_int_equal(tp_options_set_max_connections(o, 0), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_max_connections(o, 1025), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_max_connections(o, 1), TP_OK);
    assert_int_equal(tp_options_set_max_connections(o, 1024), TP_OK);
    assert_int_equal(tp_options_set_verify_tls(o, 0), TP_OK);
    assert_int_equal(tp_options_set_verify_tls(o, 1), TP_OK);
    tp_options_free(o);
}

static void test_wire_defaults(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_client *c = tu_fixture_client(s);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(c, NULL, &r), TP_OK);
    tp_result_free(r);
    const fx_request *q = fx_request_at(s, 0);
    assert_non_null(q);
    assert_string_equal(q->method, "GET");
    assert_string_equal(q->target, "/v1/auth/validate");
    char *auth = fx_header(q, "Authorization");
    assert_string_equal(auth, "Bearer " TU_TOKEN);
    free(auth);
    char *ua = fx_header(q, "User-Agent");
    assert_string_equal(ua, "turso-platform/" TP_VERSION_STRING);
    free(ua);
    tp_client_free(c);
    fx_stop(s);
}

static void test_user_agent_and_trailing_slash(void **state) {
    (void)state;
    fx_server *s = fx_start();
    char base[80];
    snprintf(base, sizeof base, "%s/", fx_url(s));
    tp_options *o = tu_options(base);
    assert_int_equal(tp_options_set_user_agent(o, "my-tool/2.1"), TP_OK);
    assert_int_equal(tp_options_set_org(o, "acme"), TP_OK);
    tp_client *c = tu_client(o);
    assert_string_equal(tp_client_org(c), "acme");
    tp_result *r = NULL;
    assert_int_equal(tp_databases_list(c, NULL, NULL, &r), TP_OK);
    tp_result_free(r);
    const fx_request *q = fx_request_at(s, 0);
    /* A trailing "/" on the base URL does not double the slash; NULL org is the default one. */
    assert_string_equal(q->target, "/v1/organizations/acme/databases");
    char *ua = fx_header(q, "User-Agent");
    assert_string_equal(ua, "my-tool/2.1");
    free(ua);
    tp_client_free(c);
    fx_stop(s);
}

static void test_client_keeps_its_own_copy(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_options *o = tu_options(fx_url(s));
    assert_int_equal(tp_options_set_org(o, "first"), TP_OK);
    tp_client *c = NULL;
    assert_int_equal(tp_client_new(o, &c), TP_OK);
    /* Later changes to the options do not reach the client made from them. */
    assert_int_equal(tp_options_set_org(o, "second"), TP_OK);
    assert_int_equal(tp_options_set_token(o, "other-token"), TP_OK);
    assert_int_equal(tp_options_set_base_url(o, "http://127.0.0.1:1"), TP_OK);
    assert_string_equal(tp_client_org(c), "first");
    assert_string_equal(tp_client_base_url(c), fx_url(s));
    tp_result *r = NULL;
    assert_int_equal(tp_groups_list(c, NULL, NULL, &r), TP_OK);
    tp_result_free(r);
    const fx_request *q = fx_request_at(s, 0);
    assert_string_equal(q->target, "/v1/organizations/first/groups");
    char *auth = fx_header(q, "Authorization");
    assert_string_equal(auth, "Bearer " TU_TOKEN);
    free(auth);
    tp_options_free(o);
    tp_client_free(c);
    fx_stop(s);
}

static void test_no_token_no_authorization(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_options *o = tu_options(fx_url(s));
    assert_int_equal(tp_options_set_token(o, NULL), TP_OK);
    tp_client *c = tu_client(o);
    fx_push(s, 401, NULL, "{\"error\":\"no token\"}", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(c, NULL, &r), TP_E_UNAUTHORIZED);
    tp_result_free(r);
    if (fx_request_count(s) > 0) {
        char *auth = fx_header(fx_request_at(s, 0), "Authorization");
        assert_null(auth);
    }
    tp_client_free(c);
    fx_stop(s);
}

static void test_absolute_paths_refused(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_client *c = tu_fixture_client(s);
    const char *bad[] = {"http://evil.example/v1/x", "https://evil.example/", "v1/x", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tp_result *r = NULL;
        tp_status st = tp_request(c, "GET", bad[i], NULL, 0, &r);
        tp_result_free(r);
        if (st != TP_E_INVALID_ARGUMENT) fail_msg("path \"%s\" was accepted", bad[i]);
    }
    /* "//host/x" is either refused or stays a path on the configured host. */
    tp_result *r = NULL;
    if (tp_request(c, "GET", "//evil.example/x", NULL, 0, &r) == TP_OK) {
        assert_int_equal(fx_request_count(s), 1);
        assert_string_equal(fx_request_at(s, 0)->target, "//evil.example/x");
    }
    tp_result_free(r);
    int sent = fx_request_count(s);
    r = NULL;
    assert_int_equal(tp_request(c, NULL, "/v1/x", NULL, 0, &r), TP_E_INVALID_ARGUMENT);
    tp_result_free(r);
    r = NULL;
    assert_int_equal(tp_request(c, "GET", NULL, NULL, 0, &r), TP_E_INVALID_ARGUMENT);
    tp_result_free(r);
    r = NULL;
    assert_int_equal(tp_request(NULL, "GET", "/v1/x", NULL, 0, &r), TP_E_INVALID_ARGUMENT);
    assert_non_null(r);
    tp_result_free(r);
    assert_int_equal(tp_request(c, "GET", "/v1/x", NULL, 0, NULL), TP_E_INVALID_ARGUMENT);
    assert_int_equal(fx_request_count(s), sent);
    tp_client_free(c);
    fx_stop(s);
}

typedef struct {
    int lines;
    int saw_request_line;
    int saw_response_line;
    int leaked;
} log_seen;

static void capture(void *userdata, int32_t level, const char *message) {
    log_seen *seen = userdata;
    seen->lines++;
    if (level == TP_LOG_DEBUG && strncmp(message, "-> GET ", 7) == 0 && strstr(message, "/v1/auth/validate"))
        seen->saw_request_line = 1;
    if (level == TP_LOG_DEBUG && strncmp(message, "<- 200", 6) == 0) seen->saw_response_line = 1;
    if (strstr(message, TU_TOKEN)) seen->leaked = 1;
}

static void test_log_never_has_token(void **state) {
    (void)state;
    fx_server *s = fx_start();
    log_seen seen = {0, 0, 0, 0};
    tp_options *o = tu_options(fx_url(s));
    assert_int_equal(tp_options_set_log(o, capture, &seen, TP_LOG_DEBUG), TP_OK);
    tp_client *c = tu_client(o);
    fx_push(s, 200, NULL, "{\"exp\":-1,\"echo\":\"" TU_TOKEN "\"}", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(c, NULL, &r), TP_OK);
    tp_result_free(r);
    tp_client_free(c);
    fx_stop(s);
    assert_true(seen.saw_request_line);
    assert_true(seen.saw_response_line);
    assert_false(seen.leaked);
}

static void test_log_level_filters(void **state) {
    (void)state;
    fx_server *s = fx_start();
    log_seen seen = {0, 0, 0, 0};
    tp_options *o = tu_options(fx_url(s));
    assert_int_equal(tp_options_set_log(o, capture, &seen, TP_LOG_INFO), TP_OK);
    tp_client *c = tu_client(o);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(c, NULL, &r), TP_OK);
    tp_result_free(r);
    tp_client_free(c);
    fx_stop(s);
    assert_false(seen.saw_request_line);
}

static void test_no_header_injection(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_options *o = tu_options(fx_url(s));
    /* Line breaks in a header value are refused, or at least never start a header of their own. */
    tp_options_set_token(o, "tok\r\nX-Injected: token");
    tp_options_set_user_agent(o, "ua\r\nX-Injected: agent");
    tp_client *c = tu_client(o);
    tp_result *r = NULL;
    tp_tokens_validate(c, NULL, &r);
    tp_result_free(r);
    for (int i = 0; i < fx_request_count(s); i++) {
        char *injected = fx_header(fx_request_at(s, i), "X-Injected");
        if (injected) fail_msg("a header was injected: X-Injected: %s", injected);
    }
    tp_client_free(c);
    fx_stop(s);
}

static void test_control_characters_refused(void **state) {
    (void)state;
    tp_options *o = fresh();
    assert_int_equal(tp_options_set_token(o, "tok\r\nX-Injected: 1"), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_user_agent(o, "ua\nX: 1"), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_base_url(o, "http://h\r\n/"), TP_E_INVALID_ARGUMENT);
    tp_options_free(o);
}

/* tp_options_error: after each refusal, exactly why, naming the setting and never quoting the
 * value; "" after a call that succeeded, on new options and for NULL. */
static void expect_error(tp_options *o, tp_status status, const char *message) {
    assert_int_equal(status, TP_E_INVALID_ARGUMENT);
    assert_string_equal(tp_options_error(o), message);
    if (strstr(tp_options_error(o), "s3cret")) fail_msg("\"%s\" quotes the value", tp_options_error(o));
}

static void test_error_messages(void **state) {
    (void)state;
    assert_string_equal(tp_options_error(NULL), "");
    tp_options *o = fresh();
    assert_string_equal(tp_options_error(o), "");
    expect_error(o, tp_options_set_base_url(o, "http://u:s3cret@127.0.0.1:2"),
                 "base_url: the URL must not contain a user name or password (user@host)");
    /* The next call that succeeds clears it, whatever setting it is. */
    assert_int_equal(tp_options_set_org(o, "acme"), TP_OK);
    assert_string_equal(tp_options_error(o), "");
    expect_error(o, tp_options_set_base_url(o, "localhost:8080"),
                 "base_url: the URL must start with http:// or https:// and a host");
    expect_error(o, tp_options_set_base_url(o, "https://h/s3cret?token=s3cret"),
                 "base_url: the URL must not have a query or fragment");
    expect_error(o, tp_options_set_base_url(o, NULL), "base_url must not be NULL");
    expect_error(o, tp_options_set_region_url(o, "ftp://s3cret"),
                 "region_url: the URL must start with http:// or https:// and a host");
    expect_error(o, tp_options_set_region_url(o, NULL), "region_url must not be NULL");
    expect_error(o, tp_options_set_token(o, "s3cret\r\nX-Injected: 1"),
                 "token contains a control character (such as CR or LF)");
    expect_error(o, tp_options_set_token(o, "s3cret" BAD_UTF8), "token is not valid UTF-8");
    expect_error(o, tp_options_set_org(o, "s3cret\n"), "org contains a control character (such as CR or LF)");
    expect_error(o, tp_options_set_user_agent(o, NULL), "user_agent must not be NULL");
    expect_error(o, tp_options_set_ca_file(o, BAD_UTF8), "ca_file is not valid UTF-8");
    char *big = malloc(8194);
    assert_non_null(big);
    memset(big, 's', 8193);
    big[8193] = '\0';
    expect_error(o, tp_options_set_proxy(o, big), "proxy is longer than 8192 bytes");
    free(big);
    expect_error(o, tp_options_set_connect_timeout_ms(o, 0), "connect_timeout_ms must be greater than 0");
    expect_error(o, tp_options_set_timeout_ms(o, -1), "timeout_ms must be greater than 0");
    expect_error(o, tp_options_set_retry(o, 21, 10), "max_attempts must be from 1 to 20");
    expect_error(o, tp_options_set_retry(o, 3, 60001), "base_delay_ms must be from 0 to 60000");
    expect_error(o, tp_options_set_verify_tls(o, 2), "verify_tls must be 0 or 1");
    expect_error(o, tp_options_set_max_response_bytes(o, 0), "max_response_bytes must be greater than 0");
    expect_error(o, tp_options_set_max_connections(o, 1025), "max_connections must be from 1 to 1024");
    expect_error(o, tp_options_set_log(o, NULL, NULL, TP_LOG_DEBUG + 1),
                 "max_level must be from TP_LOG_ERROR (0) to TP_LOG_DEBUG (3)");
    assert_int_equal(tp_options_set_token(o, NULL), TP_OK); /* a reset succeeds too */
    assert_string_equal(tp_options_error(o), "");
    assert_int_equal(tp_options_set_max_connections(o, 0), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_log(o, NULL, NULL, TP_LOG_INFO), TP_OK);
    assert_string_equal(tp_options_error(o), "");
    /* A call with NULL options has nowhere to record and leaves these options alone. */
    assert_int_equal(tp_options_set_timeout_ms(o, 0), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_options_set_timeout_ms(NULL, 10), TP_E_INVALID_ARGUMENT);
    assert_string_equal(tp_options_error(o), "timeout_ms must be greater than 0");
    assert_string_equal(tp_options_error(NULL), "");
    tp_options_free(o);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_and_free),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_null_options_rejected),
        cmocka_unit_test(test_strings_validated),
        cmocka_unit_test(test_base_url_validated),
        cmocka_unit_test(test_base_url_with_userinfo_not_kept),
        cmocka_unit_test(test_long_strings_refused),
        cmocka_unit_test(test_numbers_validated),
        cmocka_unit_test(test_wire_defaults),
        cmocka_unit_test(test_user_agent_and_trailing_slash),
        cmocka_unit_test(test_client_keeps_its_own_copy),
        cmocka_unit_test(test_no_token_no_authorization),
        cmocka_unit_test(test_absolute_paths_refused),
        cmocka_unit_test(test_log_never_has_token),
        cmocka_unit_test(test_log_level_filters),
        cmocka_unit_test(test_no_header_injection),
        cmocka_unit_test(test_control_characters_refused),
        cmocka_unit_test(test_error_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
