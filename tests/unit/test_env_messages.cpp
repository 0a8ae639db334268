/* The messages of load_environment (src/options.h), which tp_options_from_env turns into
 * TP_E_INVALID_ARGUMENT and tp_options_error (test_env.c checks them exactly): each names the
 * variable or file the bad value came from, and never contains the value (a token). Here also:
 * a failure leaves the Options it was given as they were. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

extern "C" { // this cmocka.h declares its functions without C linkage for C++
#include <cmocka.h>
}

#include "options.h"

namespace tp = turso::platform;

static const char *VARS[] = {"TURSO_API_TOKEN", "TURSO_TOKEN", "TURSO_CONFIG_FOLDER",
                             "XDG_CONFIG_HOME", "HOME",        "TURSO_API_BASEURL",
                             "TURSO_BASE_URL",  "TURSO_ORG"};

static int clear_env(void **) {
    for (const char *v : VARS)
        unsetenv(v);
    setenv("HOME", "/nonexistent-tp-home", 1);
    return 0;
}

// load_environment must fail, leave the options as they were, and name `source` but not `secret`.
static void expect_error(const char *source, const char *secret) {
    tp::Options options;
    options.token = "before";
    std::string error;
    assert_false(tp::load_environment(options, error));
    if (error.find(source) == std::string::npos) fail_msg("\"%s\" does not name %s", error.c_str(), source);
    if (secret && error.find(secret) != std::string::npos) fail_msg("\"%s\" quotes the value", error.c_str());
    assert_string_equal(options.token.c_str(), "before");
    assert_string_equal(options.base_url.c_str(), tp::kDefaultBaseUrl);
}

static void test_token_variables_named(void **) {
    setenv("TURSO_API_TOKEN", "s3cret\r\nX-Injected: 1", 1);
    expect_error("TURSO_API_TOKEN", "s3cret");
    unsetenv("TURSO_API_TOKEN");
    setenv("TURSO_TOKEN", "s3cret\n", 1);
    expect_error("TURSO_TOKEN", "s3cret");
}

static void test_settings_file_named(void **) {
    char dir[] = "/tmp/tp-envmsg-XXXXXX";
    assert_non_null(mkdtemp(dir));
    std::string path = std::string(dir) + "/settings.json";
    FILE *f = fopen(path.c_str(), "w");
    assert_non_null(f);
    fputs("{\"token\": \"s3cret\\r\\nX-Injected: 1\"}", f);
    fclose(f);
    setenv("TURSO_CONFIG_FOLDER", dir, 1);
    expect_error(path.c_str(), "s3cret");
    unlink(path.c_str());
    rmdir(dir);
}

static void test_base_url_and_org_named(void **) {
    setenv("TURSO_API_BASEURL", "localhost:8080", 1);
    expect_error("TURSO_API_BASEURL", nullptr);
    unsetenv("TURSO_API_BASEURL");
    setenv("TURSO_BASE_URL", "http://user:pw@127.0.0.1:8080", 1);
    expect_error("TURSO_BASE_URL", "pw@");
    unsetenv("TURSO_BASE_URL");
    setenv("TURSO_ORG", "acme\n", 1);
    expect_error("TURSO_ORG", nullptr);
}

static void test_valid_environment_loads(void **) {
    setenv("TURSO_API_TOKEN", "tok", 1);
    setenv("TURSO_API_BASEURL", "http://127.0.0.1:8080/", 1);
    setenv("TURSO_ORG", "acme", 1);
    tp::Options options;
    std::string error;
    assert_true(tp::load_environment(options, error));
    assert_string_equal(options.token.c_str(), "tok");
    assert_string_equal(options.base_url.c_str(), "http://127.0.0.1:8080");
    assert_string_equal(options.org.c_str(), "acme");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_token_variables_named, clear_env),
        cmocka_unit_test_setup(test_settings_file_named, clear_env),
        cmocka_unit_test_setup(test_base_url_and_org_named, clear_env),
        cmocka_unit_test_setup(test_valid_environment_loads, clear_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
