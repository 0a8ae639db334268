/* Introspection of the operations table (tp_op_*) and the status names and messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "turso_platform.h"

static void test_ops_are_consistent(void **state) {
    (void)state;
    int32_t n = tp_op_count();
    assert_true(n > 0);
    for (int32_t i = 0; i < n; i++) {
        const char *id = tp_op_id(i), *method = tp_op_method(i), *path = tp_op_path(i);
        assert_non_null(id);
        assert_non_null(method);
        assert_non_null(path);
        assert_int_equal(tp_op_find(id), i);
        assert_non_null(strchr(id, '.'));
        assert_true(strcmp(method, "GET") == 0 || strcmp(method, "POST") == 0 ||
                    strcmp(method, "PATCH") == 0 || strcmp(method, "DELETE") == 0 ||
                    strcmp(method, "PUT") == 0);
        assert_true(path[0] == '/' || strncmp(path, "https://", 8) == 0);
        /* Every {placeholder} of the path is a positional TP_PARAM_PATH parameter, and back. */
        int32_t count = tp_op_param_count(i);
        assert_true(count >= 0);
        int path_params = 0;
        for (int32_t j = 0; j < count; j++) {
            const char *name = tp_op_param_name(i, j);
            int32_t kind = tp_op_param_kind(i, j);
            assert_non_null(name);
            assert_true(kind >= TP_PARAM_PATH && kind <= TP_PARAM_FILE);
            int32_t req = tp_op_param_required(i, j);
            assert_true(req == 0 || req == 1);
            for (int32_t k = 0; k < j; k++)
                assert_string_not_equal(tp_op_param_name(i, k), name);
            if (kind == TP_PARAM_PATH) {
                char placeholder[64];
                snprintf(placeholder, sizeof placeholder, "{%s}", name);
                if (!strstr(path, placeholder)) fail_msg("%s: path param %s not in %s", id, name, path);
                assert_int_equal(req, 1);
                path_params++;
            }
        }
        int braces = 0;
        for (const char *c = path; *c; c++)
            braces += *c == '{';
        assert_int_equal(braces, path_params);
        assert_null(tp_op_param_name(i, count));
        assert_null(tp_op_param_name(i, -1));
        assert_int_equal(tp_op_param_kind(i, count), -1);
        assert_int_equal(tp_op_param_required(i, -1), -1);
    }
    /* Ids are unique. */
    for (int32_t i = 0; i < n; i++)
        for (int32_t j = i + 1; j < n; j++)
            assert_string_not_equal(tp_op_id(i), tp_op_id(j));
}

static void test_out_of_range(void **state) {
    (void)state;
    int32_t n = tp_op_count();
    assert_null(tp_op_id(-1));
    assert_null(tp_op_id(n));
    assert_null(tp_op_method(n));
    assert_null(tp_op_path(-1));
    assert_int_equal(tp_op_param_count(-1), -1);
    assert_int_equal(tp_op_param_count(n), -1);
    assert_null(tp_op_param_name(n, 0));
    assert_int_equal(tp_op_find("no.such_op"), -1);
    assert_int_equal(tp_op_find(""), -1);
    assert_int_equal(tp_op_find(NULL), -1);
    assert_int_equal(tp_op_find("DATABASES.CREATE"), -1);
}

static void test_known_shapes(void **state) {
    (void)state;
    int32_t i = tp_op_find("databases.create");
    assert_true(i >= 0);
    assert_string_equal(tp_op_method(i), "POST");
    assert_string_equal(tp_op_path(i), "/v1/organizations/{org}/databases");
    int found_name = 0, found_group = 0;
    for (int32_t j = 0; j < tp_op_param_count(i); j++) {
        if (strcmp(tp_op_param_name(i, j), "name") == 0) {
            found_name = 1;
            assert_int_equal(tp_op_param_kind(i, j), TP_PARAM_BODY);
            assert_int_equal(tp_op_param_required(i, j), 1);
        }
        if (strcmp(tp_op_param_name(i, j), "group") == 0) {
            found_group = 1;
            assert_int_equal(tp_op_param_required(i, j), 0);
        }
    }
    assert_true(found_name && found_group);
    i = tp_op_find("databases.seed");
    assert_true(i >= 0);
    int found_file = 0;
    for (int32_t j = 0; j < tp_op_param_count(i); j++)
        if (tp_op_param_kind(i, j) == TP_PARAM_FILE) found_file = strcmp(tp_op_param_name(i, j), "file") == 0;
    assert_true(found_file);
}

#define STATUS(name)                                                                                         \
    { name, #name }
static const struct {
    tp_status code;
    const char *name;
} STATUSES[] = {
    STATUS(TP_OK),
    STATUS(TP_E_INVALID_ARGUMENT),
    STATUS(TP_E_NOMEM),
    STATUS(TP_E_INTERNAL),
    STATUS(TP_E_NETWORK),
    STATUS(TP_E_TIMEOUT),
    STATUS(TP_E_TLS),
    STATUS(TP_E_CANCELLED),
    STATUS(TP_E_BAD_RESPONSE),
    STATUS(TP_E_RESPONSE_TOO_LARGE),
    STATUS(TP_E_BAD_REQUEST),
    STATUS(TP_E_UNAUTHORIZED),
    STATUS(TP_E_PAYMENT_REQUIRED),
    STATUS(TP_E_FORBIDDEN),
    STATUS(TP_E_NOT_FOUND),
    STATUS(TP_E_CONFLICT),
    STATUS(TP_E_UNPROCESSABLE),
    STATUS(TP_E_RATE_LIMITED),
    STATUS(TP_E_SERVER),
    STATUS(TP_E_HTTP),
};

static void test_status_names(void **state) {
    (void)state;
    size_t n = sizeof STATUSES / sizeof STATUSES[0];
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(tp_status_name(STATUSES[i].code), STATUSES[i].name);
        const char *msg = tp_status_message(STATUSES[i].code);
        assert_non_null(msg);
        assert_true(strlen(msg) > 0);
        /* Messages tell the codes apart. */
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(tp_status_message(STATUSES[j].code), msg);
    }
    assert_string_equal(tp_status_name(9999), "TP_E_UNKNOWN");
    assert_string_equal(tp_status_name(-1), "TP_E_UNKNOWN");
    assert_string_equal(tp_status_name(4), "TP_E_UNKNOWN");
    assert_non_null(tp_status_message(9999));
    assert_non_null(tp_status_message(INT32_MIN));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ops_are_consistent),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_known_shapes),
        cmocka_unit_test(test_status_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
