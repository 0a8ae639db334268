/* tp_options_from_env: token precedence (TURSO_API_TOKEN > TURSO_TOKEN > settings.json in
 * TURSO_CONFIG_FOLDER > XDG_CONFIG_HOME/turso > HOME/.config/turso), base URL
 * (TURSO_API_BASEURL > TURSO_BASE_URL) and TURSO_ORG. The token is observed as the
 * Authorization header the fixture receives. */
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

static tp_client *client_from_env(void) {
    tp_options *o = NULL;
    assert_int_equal(tp_options_from_env(&o), TP_OK);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
