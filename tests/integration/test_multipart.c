/* Multipart uploads: databases.seed and databases.upload_dump send their bytes, unchanged, as the
 * "file" field of a multipart/form-data body. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#define FILE_LEN 70000

static unsigned char *sample_file(void) {
    unsigned char *data = malloc(FILE_LEN);
    memcpy(data, "SQLite format 3", 16); /* includes the NUL */
    for (size_t i = 16; i < FILE_LEN; i++)
        data[i] = (unsigned char)(i * 7 + (i >> 8));
    return data;
}

static const void *find_bytes(const void *hay, size_t hay_len, const void *needle, size_t len) {
    const char *h = hay;
    for (size_t i = 0; i + len <= hay_len; i++)
        if (memcmp(h + i, needle, len) == 0) return h + i;
    return NULL;
}

/* Checks `q` is a multipart body whose part named "file" holds exactly data[0..len). */
static void expect_file_part(const fx_request *q, const unsigned char *data, size_t len) {
    char *type = fx_header(q, "Content-Type");
    assert_non_null(type);
    assert_true(strncmp(type, "multipart/form-data", 19) == 0);
    const char *b = strstr(type, "boundary=");
    assert_non_null(b);
    char delim[128];
    snprintf(delim, sizeof delim, "--%s", b + 9);
    if (delim[2] == '"') { /* a quoted boundary */
        memmove(delim + 2, delim + 3, strlen(delim + 3) + 1);
        delim[strlen(delim) - 1] = '\0';
    }
    free(type);
    size_t dlen = strlen(delim);
    assert_true(q->body_len > dlen && memcmp(q->body, delim, dlen) == 0);
    const char *disp = find_bytes(q->body, q->body_len, "name=\"file\"", 11);
    assert_non_null(disp);
    const char *start = find_bytes(disp, q->body_len - (size_t)(disp - q->body), "\r\n\r\n", 4);
    assert_non_null(start);
    start += 4;
    size_t rest = q->body_len - (size_t)(start - q->body);
    assert_true(rest >= len + 2 + dlen);
    assert_memory_equal(start, data, len);
    assert_memory_equal(start + len, "\r\n", 2);
    assert_memory_equal(start + len + 2, delim, dlen);
    /* The closing delimiter ends the body. */
    char close[140];
    snprintf(close, sizeof close, "%s--", delim);
    assert_non_null(find_bytes(start + len, rest - len, close, strlen(close)));
}

static void test_seed_upload(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_client *c = tu_fixture_client(s);
    unsigned char *data = sample_file();
    fx_push(s, 200, NULL, "{\"database\":{\"Name\":\"db1\"}}", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_databases_seed(c, "acme", "db1", data, FILE_LEN, NULL, &r), TP_OK);
    tp_result_free(r);
    const fx_request *q = fx_request_at(s, 0);
    assert_string_equal(q->method, "POST");
    assert_string_equal(q->target, "/v1/organizations/acme/databases/db1/seed");
    char *auth = fx_header(q, "Authorization");
    assert_string_equal(auth, "Bearer " TU_TOKEN);
    free(auth);
    expect_file_part(q, data, FILE_LEN);
    free(data);
    tp_client_free(c);
    fx_stop(s);
}

static void test_upload_dump_via_call(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_client *c = tu_fixture_client(s);
    const unsigned char dump[] = "CREATE TABLE t(x);\nINSERT INTO t VALUES(1);\n\0tail";
    tp_params *p = NULL;
    assert_int_equal(tp_params_new(&p), TP_OK);
    assert_int_equal(tp_params_set_string(p, "org", "acme"), TP_OK);
    assert_int_equal(tp_params_set_bytes(p, "file", dump, sizeof dump), TP_OK);
    fx_push(s, 200, NULL, "{\"dump_url\":\"file:///x\"}", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_call(c, "databases.upload_dump", p, &r), TP_OK);
    tp_result_free(r);
    tp_params_free(p);
    const fx_request *q = fx_request_at(s, 0);
    assert_string_equal(q->method, "POST");
    assert_string_equal(q->target, "/v1/organizations/acme/databases/dumps");
    expect_file_part(q, dump, sizeof dump);
    tp_client_free(c);
    fx_stop(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_upload),
        cmocka_unit_test(test_upload_dump_via_call),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
