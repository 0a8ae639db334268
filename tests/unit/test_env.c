/* tp_options_from_env: token precedence (TURSO_API_TOKEN > TURSO_TOKEN > settings.json in
 * TURSO_CONFIG_FOLDER > XDG_CONFIG_HOME/turso > HOME/.config/turso), base URL
 * (TURSO_API_BASEURL > TURSO_BASE_URL) and TURSO_ORG; a value that is set but invalid is an
 * error, never skipped, that tp_options_error names without quoting the value. The token is
 * observed as the Authorization header the fixture receives. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

static const char *VARS[] = {"TURSO_API_TOKEN", "TURSO_TOKEN", "TURSO_CONFIG_FOLDER",
                             "XDG_CONFIG_HOME", "HOME",        "TURSO_API_BASEURL",
                             "TURSO_BASE_URL",  "TURSO_ORG"};

typedef struct {
    fx_server *server;
    char root[256]; /* a temp dir holding config folders */
} env;

static void write_settings(const char *dir, const char *token) {
    char path[512];
    snprintf(path, sizeof path, "%s/settings.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "{\"token\": \"%s\", \"username\": \"someone\"}\n", token);
    fclose(f);
}

static void make_dir(const char *path) {
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(tmp, 0700);
            *p = '/';
        }
    mkdir(tmp, 0700);
}

static int setup(void **state) {
    env *e = calloc(1, sizeof *e);
    snprintf(e->root, sizeof e->root, "%s/tp-env-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(e->root));
    for (size_t i = 0; i < sizeof VARS / sizeof VARS[0]; i++)
        unsetenv(VARS[i]);
    /* HOME points at an empty folder so that the real ~/.config/turso never leaks in. */
    char home[512];
    snprintf(home, sizeof home, "%s/emptyhome", e->root);
    make_dir(home);
    setenv("HOME", home, 1);
    e->server = fx_start();
    setenv("TURSO_API_BASEURL", fx_url(e->server), 1);
    *state = e;
    return 0;
}

static int teardown(void **state) {
    env *e = *state;
    fx_stop(e->server);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->root);
    assert_int_equal(system(cmd), 0);
    free(e);
    return 0;
}

/* Makes a client from the environment, calls tokens.validate, returns the Authorization header
 * the fixture saw (caller frees; NULL when none or no request). */
static char *authorization_from_env(env *e) {
    tp_options *o = NULL;
    assert_int_equal(tp_options_from_env(&o), TP_OK);
    assert_int_equal(tp_options_set_retry(o, 1, 1), TP_OK);
    tp_client *c = NULL;
    assert_int_equal(tp_client_new(o, &c), TP_OK);
    tp_options_free(o);
    int before = fx_request_count(e->server);
    tp_result *r = NULL;
    tp_tokens_validate(c, NULL, &r);
    tp_result_free(r);
    tp_client_free(c);
    if (fx_request_count(e->server) == before) return NULL;
    return fx_header(fx_request_at(e->server, before), "Authorization");
}

static void folder(env *e, const char *sub, char *out, size_t n) {
    snprintf(out, n, "%s/%s", e->root, sub);
    make_dir(out);
}

static void test_api_token_wins(void **state) {
    env *e = *state;
    char dir[512];
    folder(e, "cfg", dir, sizeof dir);
    write_settings(dir, "from-settings");
    setenv("TURSO_CONFIG_FOLDER", dir, 1);
    setenv("TURSO_TOKEN", "from-turso-token", 1);
    setenv("TURSO_API_TOKEN", "from-api-token", 1);
    char *auth = authorization_from_env(e);
    assert_string_equal(auth, "Bearer from-api-token");
    free(auth);
}

static void test_turso_token_next(void **state) {
    env *e = *state;
    char dir[512];
    folder(e, "cfg", dir, sizeof dir);
    write_settings(dir, "from-settings");
    setenv("TURSO_CONFIG_FOLDER", dir, 1);
    setenv("TURSO_TOKEN", "from-turso-token", 1);
    char *auth = authorization_from_env(e);
    assert_string_equal(auth, "Bearer from-turso-token");
    free(auth);
}

static void test_empty_variables_are_unset(void **state) {
    env *e = *state;
    /* An empty variable counts as not set (as the CLI reads it), never as an empty token. */
    setenv("TURSO_API_TOKEN", "", 1);
    setenv("TURSO_TOKEN", "from-turso-token", 1);
    char *auth = authorization_from_env(e);
    assert_string_equal(auth, "Bearer from-turso-token");
    free(auth);
    setenv("TURSO_API_BASEURL", "", 1);
    setenv("TURSO_BASE_URL", fx_url(e->server), 1);
    auth = authorization_from_env(e);
    assert_string_equal(auth, "Bearer from-turso-token");
    free(auth);
}

static void test_config_folder_settings(void **state) {
    env *e = *state;
    char dir[512], xdg[512];
    folder(e, "cfg", dir, sizeof dir);
    write_settings(dir, "from-config-folder");
    folder(e, "xdg/turso", xdg, sizeof xdg);
    write_settings(xdg, "from-xdg");
    setenv("TURSO_CONFIG_FOLDER", dir, 1);
    snprintf(xdg, sizeof xdg, "%s/xdg", e->root);
    setenv("XDG_CONFIG_HOME", xdg, 1);
    char *auth = authorization_from_env(e);
    assert_string_equal(auth, "Bearer from-config-folder");
    free(auth);
}

static void test_xdg_settings(void **state) {
    env *e = *state;
    char xdg[512], home[512];
    folder(e, "xdg/turso", xdg, sizeof xdg);
    write_settings(xdg, "from-xdg");
    folder(e, "home/.config/turso", home, sizeof home);
    write_settings(home, "from-home");
    snprintf(xdg, sizeof xdg, "%s/xdg", e->root);
    setenv("XDG_CONFIG_HOME", xdg, 1);
    snprintf(home, sizeof home, "%s/home", e->root);
    setenv("HOME", home, 1);
    char *auth = authorization_from_env(e);
    assert_string_equal(auth, "Bearer from-xdg");
    free(auth);
}

static void test_home_settings(void **state) {
    env *e = *state;
    char home[512];
    folder(e, "home/.config/turso", home, sizeof home);
    write_settings(home, "from-home");
    snprintf(home, sizeof home, "%s/home", e->root);
    setenv("HOME", home, 1);
    char *auth = authorization_from_env(e);
    assert_string_equal(auth, "Bearer from-home");
    free(auth);
}

static void test_no_token_anywhere(void **state) {
    env *e = *state;
    fx_push(e->server, 401, NULL, "{\"error\":\"unauthorized\"}", 0);
    tp_options *o = NULL;
    assert_int_equal(tp_options_from_env(&o), TP_OK);
    tp_client *c = NULL;
    assert_int_equal(tp_client_new(o, &c), TP_OK);
    tp_options_free(o);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(c, NULL, &r), TP_E_UNAUTHORIZED);
    tp_result_free(r);
    tp_client_free(c);
    if (fx_request_count(e->server) > 0) {
        char *auth = fx_header(fx_request_at(e->server, 0), "Authorization");
        assert_null(auth);
    }
}

static void test_broken_settings_file_is_no_token(void **state) {
    env *e = *state;
    char dir[512], path[600];
    folder(e, "cfg", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/settings.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{ this is not json", f);
    fclose(f);
    setenv("TURSO_CONFIG_FOLDER", dir, 1);
    tp_options *o = NULL;
    assert_int_equal(tp_options_from_env(&o), TP_OK);
    tp_options_free(o);
}

/* tp_options_from_env fails with TP_E_INVALID_ARGUMENT and hands back options whose
 * tp_options_error is `message` (which must not contain `secret`, a part of the bad value) and
 * which hold the defaults only: nothing of the environment, not even its good values. The
 * fixture sees no new request (nothing could have been sent with the bad value). */
static void expect_env_refused_with(env *e, const char *message, const char *secret) {
    int before = fx_request_count(e->server);
    tp_options *o = NULL;
    assert_int_equal(tp_options_from_env(&o), TP_E_INVALID_ARGUMENT);
    assert_non_null(o);
    const char *why = tp_options_error(o);
    assert_string_equal(why, message);
    if (secret && strstr(why, secret)) fail_msg("\"%s\" quotes the value", why);
    tp_client *c = NULL;
    assert_int_equal(tp_client_new(o, &c), TP_OK);
    tp_options_free(o);
    assert_string_equal(tp_client_base_url(c), "https://api.turso.tech");
    assert_null(tp_client_org(c));
    tp_client_free(c);
    assert_int_equal(fx_request_count(e->server), before);
}

#define CONTROL " contains a control character (such as CR or LF)"
#define NOT_UTF8 " is not valid UTF-8"

static void test_token_with_line_break_refused(void **state) {
    env *e = *state;
    setenv("TURSO_ORG", "acme", 1); /* good, and still not applied when the token is refused */
    /* CR/LF in a token would start a header of its own after "Authorization: Bearer ...". */
    setenv("TURSO_API_TOKEN", "s3cret\r\nX-Injected: 1", 1);
    expect_env_refused_with(e, "TURSO_API_TOKEN" CONTROL, "s3cret");
    /* A bad TURSO_API_TOKEN is not skipped in favour of the next source. */
    setenv("TURSO_TOKEN", "good-token", 1);
    expect_env_refused_with(e, "TURSO_API_TOKEN" CONTROL, "s3cret");
    unsetenv("TURSO_API_TOKEN");
    char *auth = authorization_from_env(e);
    assert_string_equal(auth, "Bearer good-token");
    free(auth);
    setenv("TURSO_TOKEN", "s3cret\nX-Injected: 1", 1);
    expect_env_refused_with(e, "TURSO_TOKEN" CONTROL, "s3cret");
    setenv("TURSO_TOKEN", "s3cret\tab", 1);
    expect_env_refused_with(e, "TURSO_TOKEN" CONTROL, "s3cret");
    setenv("TURSO_TOKEN", "s3cret\xff", 1);
    expect_env_refused_with(e, "TURSO_TOKEN" NOT_UTF8, "s3cret");
}

static void test_settings_token_with_line_break_refused(void **state) {
    env *e = *state;
    char dir[512];
    folder(e, "cfg", dir, sizeof dir);
    setenv("TURSO_CONFIG_FOLDER", dir, 1);
    char message[700];
    snprintf(message, sizeof message, "the \"token\" of %s/settings.json" CONTROL, dir);
    write_settings(dir, "s3cret\\r\\nX-Injected: 1"); /* JSON escapes: CR LF in the string */
    expect_env_refused_with(e, message, "s3cret");
    snprintf(message, sizeof message, "the \"token\" of %s/settings.json" NOT_UTF8, dir);
    write_settings(dir, "s3cret\xc3\x28"); /* not UTF-8 */
    expect_env_refused_with(e, message, "s3cret");
    write_settings(dir, "fine-token");
    char *auth = authorization_from_env(e);
    assert_string_equal(auth, "Bearer fine-token");
    free(auth);
}

static void test_long_token_refused(void **state) {
    env *e = *state;
    char big[8194];
    memset(big, 't', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    setenv("TURSO_API_TOKEN", big, 1);
    expect_env_refused_with(e, "TURSO_API_TOKEN is longer than 8192 bytes", "tttttttt");
    big[8192] = '\0'; /* exactly the limit */
    setenv("TURSO_API_TOKEN", big, 1);
    tp_options *o = NULL;
    assert_int_equal(tp_options_from_env(&o), TP_OK);
    assert_string_equal(tp_options_error(o), "");
    tp_options_free(o);
}

static void test_bad_base_url_refused(void **state) {
    env *e = *state;
    /* Ignoring these would send the token to https://api.turso.tech instead. */
    const char *bad[] = {"localhost:8080", "http://127.0.0.1:8080/ ",       "127.0.0.1:8080",
                         "ftp://h",        "http://user:pw@127.0.0.1:8080", "http://127.0.0.1\\@evil/",
                         "http://h/?q"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *names[] = {"TURSO_API_BASEURL", "TURSO_BASE_URL"};
        for (size_t n = 0; n < 2; n++) {
            setenv(names[n], bad[i], 1);
            tp_options *o = NULL;
            if (tp_options_from_env(&o) != TP_E_INVALID_ARGUMENT || !o)
                fail_msg("%s=\"%s\" was accepted", names[n], bad[i]);
            /* "<variable>: the URL ...", and nothing of the URL. */
            const char *why = tp_options_error(o);
            if (strncmp(why, names[n], strlen(names[n])) != 0 ||
                strncmp(why + strlen(names[n]), ": the URL ", 10))
                fail_msg("%s=\"%s\": \"%s\"", names[n], bad[i], why);
            if (strstr(why, bad[i]) || strstr(why, "127.0.0.1") || strstr(why, "pw@"))
                fail_msg("\"%s\" quotes the value", why);
            tp_options_free(o);
            unsetenv(names[n]);
        }
    }
    setenv("TURSO_BASE_URL", "http://user:s3cret@127.0.0.1:8080", 1);
    expect_env_refused_with(e, "TURSO_BASE_URL: the URL must not contain a user name or password (user@host)",
                            "s3cret");
    /* A bad TURSO_API_BASEURL is not skipped in favour of TURSO_BASE_URL either. */
    setenv("TURSO_API_BASEURL", "localhost:8080", 1);
    setenv("TURSO_BASE_URL", fx_url(e->server), 1);
    expect_env_refused_with(e, "TURSO_API_BASEURL: the URL must start with http:// or https:// and a host",
                            "localhost");
}

static void test_bad_org_refused(void **state) {
    env *e = *state;
    setenv("TURSO_API_TOKEN", "good-token", 1); /* not applied either */
    setenv("TURSO_ORG", "acme\r\nX: 1", 1);
    expect_env_refused_with(e, "TURSO_ORG" CONTROL, "acme");
    setenv("TURSO_ORG", "acme\xff", 1);
    expect_env_refused_with(e, "TURSO_ORG" NOT_UTF8, "acme");
}

static tp_client *client_from_env(void) {
    tp_options *o = NULL;
    assert_int_equal(tp_options_from_env(&o), TP_OK);
    assert_string_equal(tp_options_error(o), "");
    tp_client *c = NULL;
    assert_int_equal(tp_client_new(o, &c), TP_OK);
    tp_options_free(o);
    return c;
}

static void test_base_url_precedence(void **state) {
    (void)state;
    setenv("TURSO_API_BASEURL", "http://127.0.0.1:1111", 1);
    setenv("TURSO_BASE_URL", "http://127.0.0.1:2222", 1);
    tp_client *c = client_from_env();
    assert_string_equal(tp_client_base_url(c), "http://127.0.0.1:1111");
    tp_client_free(c);
    unsetenv("TURSO_API_BASEURL");
    c = client_from_env();
    assert_string_equal(tp_client_base_url(c), "http://127.0.0.1:2222");
    tp_client_free(c);
    unsetenv("TURSO_BASE_URL");
    c = client_from_env();
    assert_string_equal(tp_client_base_url(c), "https://api.turso.tech");
    tp_client_free(c);
}

static void test_org(void **state) {
    (void)state;
    tp_client *c = client_from_env();
    assert_null(tp_client_org(c));
    tp_client_free(c);
    setenv("TURSO_ORG", "acme-team", 1);
    c = client_from_env();
    assert_string_equal(tp_client_org(c), "acme-team");
    tp_client_free(c);
}

static void test_org_used_on_the_wire(void **state) {
    env *e = *state;
    setenv("TURSO_ORG", "acme-team", 1);
    setenv("TURSO_API_TOKEN", "tok", 1);
    tp_client *c = client_from_env();
    tp_result *r = NULL;
    assert_int_equal(tp_groups_list(c, NULL, NULL, &r), TP_OK);
    tp_result_free(r);
    tp_client_free(c);
    assert_string_equal(fx_request_at(e->server, 0)->target, "/v1/organizations/acme-team/groups");
}

/* The CLI's login: with the settings.json token comes its "organization" (turso org switch),
 * unless TURSO_ORG says otherwise; with a token from a variable it does not (another account). */
static void test_settings_organization(void **state) {
    env *e = *state;
    char dir[512], path[600];
    folder(e, "cfg", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/settings.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"token\": \"cli-token\", \"organization\": \"switched-org\"}\n", f);
    fclose(f);
    setenv("TURSO_CONFIG_FOLDER", dir, 1);
    tp_client *c = client_from_env();
    assert_string_equal(tp_client_org(c), "switched-org");
    tp_client_free(c);

    setenv("TURSO_ORG", "env-org", 1);
    c = client_from_env();
    assert_string_equal(tp_client_org(c), "env-org");
    tp_client_free(c);

    unsetenv("TURSO_ORG");
    setenv("TURSO_API_TOKEN", "another-account", 1);
    c = client_from_env();
    assert_null(tp_client_org(c));
    tp_client_free(c);

    unsetenv("TURSO_API_TOKEN");
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"token\": \"cli-token\", \"organization\": \"zq-secret\\r\\norg\"}\n", f);
    fclose(f);
    char message[700];
    snprintf(message, sizeof message, "the \"organization\" of %s/settings.json" CONTROL, dir);
    expect_env_refused_with(e, message, "zq-secret");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_api_token_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_turso_token_next, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_variables_are_unset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_folder_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xdg_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_home_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_token_anywhere, setup, teardown),
        cmocka_unit_test_setup_teardown(test_broken_settings_file_is_no_token, setup, teardown),
        cmocka_unit_test_setup_teardown(test_base_url_precedence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_org, setup, teardown),
        cmocka_unit_test_setup_teardown(test_org_used_on_the_wire, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settings_organization, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_with_line_break_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settings_token_with_line_break_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_token_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_base_url_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_org_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
